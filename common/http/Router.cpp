#include "http/Router.h"

#include <algorithm>
#include <memory>

#include <nlohmann/json.hpp>

namespace pactmocks::http {

namespace {
// "/a/b/" → {"a", "b", ""}; "/" and "" → {}.
template <class Out>
void splitPath(std::string_view path, Out& out) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return;
  while (true) {
    auto slash = path.find('/');
    out.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
}

bool isCapture(const std::string& segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

std::string captureName(const std::string& segment) {
  std::string name = segment.substr(1, segment.size() - 2);
  if (name.ends_with("...")) name.resize(name.size() - 3);
  return name;
}

bool methodMatches(const std::string& routeMethod, const std::string& method) {
  return routeMethod == "*" || routeMethod == method;
}
}  // namespace

Router& Router::add(std::string method, std::string pattern, Handler handler) {
  Route route;
  route.method = std::move(method);
  std::vector<std::string_view> parts;
  splitPath(pattern, parts);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string segment(parts[i]);
    if (isCapture(segment) && segment.ends_with("...}")) {
      if (i + 1 != parts.size()) throw std::invalid_argument("rest capture must be last in " + pattern);
      route.restCapture = true;
    }
    route.segments.push_back(std::move(segment));
  }
  route.handler = std::move(handler);
  if (route.segments.empty() || isCapture(route.segments.front()))
    firstSegmentAnything_ = true;
  else if (std::find(firstSegments_.begin(), firstSegments_.end(), route.segments.front()) == firstSegments_.end())
    firstSegments_.push_back(route.segments.front());
  routes_.push_back(std::move(route));
  return *this;
}

Router& Router::fallback(Handler handler) {
  fallback_ = std::move(handler);
  return *this;
}

bool Router::matchPath(const Route& route, const std::vector<std::string_view>& segments, Request& request) {
  const std::size_t fixed = route.restCapture ? route.segments.size() - 1 : route.segments.size();
  if (route.restCapture ? segments.size() < fixed : segments.size() != fixed) return false;
  request.params.clear();
  for (std::size_t i = 0; i < fixed; ++i) {
    const std::string& pattern = route.segments[i];
    if (isCapture(pattern)) {
      request.params[captureName(pattern)] = percentDecode(segments[i]);
    } else if (pattern != segments[i] &&
               (segments[i].find('%') == std::string_view::npos || pattern != percentDecode(segments[i]))) {
      request.params.clear();
      return false;
    }
  }
  if (route.restCapture) {
    std::string rest;
    for (std::size_t i = fixed; i < segments.size(); ++i) {
      if (i > fixed) rest.push_back('/');
      rest += percentDecode(segments[i]);
    }
    request.params[captureName(route.segments.back())] = std::move(rest);
  }
  return true;
}

bool Router::mayMatchSomeRoute(std::string_view path) const {
  if (firstSegmentAnything_) return true;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  const std::string_view first = path.substr(0, path.find('/'));
  if (first.find('%') != std::string_view::npos) return true;  // compared after decoding, below
  return std::find(firstSegments_.begin(), firstSegments_.end(), first) != firstSegments_.end();
}

Response Router::handle(Request& request) const {
  if (!mayMatchSomeRoute(request.path)) return unrouted(request);
  std::vector<std::string_view> segments;
  segments.reserve(8);
  splitPath(request.path, segments);

  std::string allow;
  for (const Route& route : routes_) {
    if (!matchPath(route, segments, request)) continue;
    if (methodMatches(route.method, request.method)) return route.handler(request);
    // Same path, other method: remember it for the Allow header of a 405.
    if (allow.find(route.method) == std::string::npos) {
      if (!allow.empty()) allow += ", ";
      allow += route.method;
    }
  }
  if (!allow.empty()) {
    request.params.clear();
    Response r = Response::json(405, {{"error", "method " + request.method + " not allowed for " + request.path}});
    r.headers.add("Allow", allow);
    return r;
  }
  return unrouted(request);
}

Response Router::unrouted(Request& request) const {
  request.params.clear();
  if (fallback_) return fallback_(request);
  return Response::json(404, {{"error", "no route for " + request.method + " " + request.path}});
}

Handler Router::asHandler() const {
  // A frozen copy: the server keeps routing even if this Router goes away.
  auto frozen = std::make_shared<const Router>(*this);
  return [frozen](Request& request) { return frozen->handle(request); };
}

}  // namespace pactmocks::http
