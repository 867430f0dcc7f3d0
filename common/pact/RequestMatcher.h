#pragma once
// Matches one actual request against one contract request (Pact specification request
// matching, V1–V4). Pure logic; the InteractionIndex decides which interactions to try.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/Message.h"
#include "pact/Mismatch.h"
#include "pact/Pact.h"
#include "pact/QueryString.h"
#include "pact/Xml.h"

namespace pactmocks::pact {

// The parts of a request the matcher reads. Views into storage the caller keeps alive; the query
// and body are parsed on first use and cached, so all candidates of one request share one parse.
// One instance per request: not thread-safe.
class RequestView {
 public:
  using HeaderList = std::span<const std::pair<std::string, std::string>>;

  RequestView(std::string_view method, std::string path, std::optional<std::string_view> query, HeaderList headers,
              std::optional<std::string_view> body);
  // Decodes the path of an HTTP request; `request` must outlive the view.
  static RequestView from(const http::Request& request);

  std::string_view method() const { return method_; }
  const std::string& path() const { return path_; }  // percent-decoded
  std::optional<std::string_view> rawQuery() const { return query_; }
  std::optional<std::string_view> body() const { return body_; }
  HeaderList headers() const { return headers_; }

  // Every value of a header, joined with ", " (names case-insensitive); nullopt when absent.
  std::optional<std::string> header(std::string_view name) const;
  // First value only, without allocation.
  std::optional<std::string_view> firstHeader(std::string_view name) const;
  const QueryMap& query() const;
  // The body as JSON, or nullptr when it is not JSON (parsed once).
  const nlohmann::json* json() const;
  // The body as XML, or nullptr when it is not XML (parsed once).
  const XmlElement* xml() const;

 private:
  std::string_view method_;
  std::string path_;
  std::optional<std::string_view> query_;
  HeaderList headers_;
  std::optional<std::string_view> body_;
  mutable std::optional<QueryMap> queryMap_;
  mutable std::optional<nlohmann::json> json_;
  mutable bool jsonTried_ = false;
  mutable std::optional<XmlElement> xml_;
  mutable bool xmlTried_ = false;
};

struct MatchOptions {
  // Header names (any case) never compared.
  std::span<const std::string> ignoredHeaders;
  // Stop at the first mismatch (selection); false collects every mismatch (reports).
  bool stopAtFirst = false;
  // The caller has already checked the path against the interaction's one regex path rule (the
  // index's RE2::Set did), so the matcher does not run that regex again.
  bool pathRuleConfirmed = false;
};

// True when `actual` satisfies `expected`. Mismatches found are appended to `mismatches` (may be null).
bool matchRequest(const RequestSpec& expected, const RequestView& actual, const MatchOptions& options,
                  std::vector<Mismatch>* mismatches);

// Convenience for tests and reports: every mismatch.
std::vector<Mismatch> mismatchesOf(const RequestSpec& expected, const RequestView& actual,
                                   std::span<const std::string> ignoredHeaders = {});

// Whether a media type is treated as JSON: application/json, application/x-amz-json-1.0/1.1, any +json.
bool isJsonMediaType(std::string_view contentType);

}  // namespace pactmocks::pact
