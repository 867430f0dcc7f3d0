#pragma once
// Method + path-pattern routing. Patterns are literal segments and `{name}` captures matching
// exactly one segment, e.g. "/providers/{provider}/ready"; a trailing "{name...}" captures the rest.
// Routes are tried in the order added. Unknown path → the fallback (default 404 JSON);
// known path with another method → 405 with an Allow header.
#include <functional>
#include <string>
#include <vector>

#include "http/Message.h"

namespace pactmocks::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  Router& add(std::string method, std::string pattern, Handler handler);  // method "*" = any
  Router& get(std::string pattern, Handler h) { return add("GET", std::move(pattern), std::move(h)); }
  Router& post(std::string pattern, Handler h) { return add("POST", std::move(pattern), std::move(h)); }
  Router& put(std::string pattern, Handler h) { return add("PUT", std::move(pattern), std::move(h)); }
  Router& fallback(Handler handler);

  Response handle(Request& request) const;
  // Usable directly as the server's handler.
  Handler asHandler() const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    bool restCapture = false;
    Handler handler;
  };
  static bool matchPath(const Route& route, const std::vector<std::string_view>& segments, Request& request);
  bool mayMatchSomeRoute(std::string_view path) const;
  Response unrouted(Request& request) const;  // the fallback, or 404
  std::vector<Route> routes_;
  // The literal first segments of the routes; a request whose first segment is none of them goes
  // straight to the fallback (a mock's contract traffic, on every request) without splitting its path.
  std::vector<std::string> firstSegments_;
  bool firstSegmentAnything_ = false;  // a route starting with a capture, or the root route
  Handler fallback_;
};

}  // namespace pactmocks::http
