#include <catch2/catch.hpp>

#include <re2/re2.h>

#include <string>
#include <vector>

#include "pact/PathPatternSegments.h"

using pactmocks::pact::literalPathSegments;
using Segments = std::vector<std::string>;

TEST_CASE("the plain segments between slashes of a path regex are read off it") {
  CHECK(literalPathSegments("^/secrets/bench-secret-00002/[0-9a-f]{32}$") == Segments{"secrets", "bench-secret-00002"});
  CHECK(literalPathSegments("^/v1/projects/[a-z][a-z0-9-]+/secrets/s-1/versions/([0-9]+|latest):access$") ==
        Segments{"v1", "projects", "secrets", "s-1", "versions"});
  CHECK(literalPathSegments("/items/abc") == Segments{"items", "abc"});  // a full match: anchored anyway
  CHECK(literalPathSegments("^abc$") == Segments{"abc"});
  CHECK(literalPathSegments("^/a\\.b/c\\/d$") == Segments{"a.b", "c", "d"});  // escaped punctuation is plain
  CHECK(literalPathSegments("^/a/(b/c|d)/e$") == Segments{"a", "e"});       // a group's '/' is not the top level's
  CHECK(literalPathSegments("^/x/.*/x/y$") == Segments{"x", "y"});          // each once
  CHECK(literalPathSegments("^/(?:v1|v2)/(?P<id>[0-9]+)/items$") == Segments{"items"});
}

TEST_CASE("segments that are not plain text are left out") {
  CHECK(literalPathSegments("^/abc+/x$") == Segments{"x"});       // the quantifier applies to 'c'
  CHECK(literalPathSegments("^/a/?b$").empty());                  // an optional '/' separates nothing
  CHECK(literalPathSegments("^/a/{1,2}b$").empty());
  CHECK(literalPathSegments("^/v\\d/x$") == Segments{"x"});
  CHECK(literalPathSegments("^/a.b/x$") == Segments{"x"});
  CHECK(literalPathSegments("^/a[/]b/x$") == Segments{"x"});      // a class's '/' is no separator
  CHECK(literalPathSegments("^/a[]/]b/x$") == Segments{"x"});
  CHECK(literalPathSegments("^/a$b/x$") == Segments{"x"});        // an anchor inside the pattern
  CHECK(literalPathSegments("^/\\x{2F}/x$") == Segments{"x"});
  CHECK(literalPathSegments("^//x$") == Segments{"x"});           // an empty segment tells nothing
}

TEST_CASE("patterns that cannot be read safely give no segment") {
  CHECK(literalPathSegments("^/a/b$|^/c/d$").empty());  // alternatives at the top level
  CHECK(literalPathSegments("(?i)^/a/b$").empty());     // flags change what the text matches
  CHECK(literalPathSegments("^/(?i:A)/b$").empty());
  CHECK(literalPathSegments("^/\\Qa/b\\E/c$").empty());
  CHECK(literalPathSegments("^/[[:alpha:]/]+/c$").empty());
}

TEST_CASE("every path a pattern fully matches has the segments read off the pattern") {
  struct Case {
    std::string pattern;
    std::vector<std::string> paths;  // some accepted, some not: only the accepted ones are checked
  };
  const std::vector<Case> cases = {
      {"^/secrets/s1/[0-9a-f]{4}$", {"/secrets/s1/beef", "/secrets/s1/xyz"}},
      {"^/a/(b/c|d)/e$", {"/a/b/c/e", "/a/d/e"}},
      {"^/x/.*/x/y$", {"/x//x/y", "/x/a/b/x/y", "/x/x/x/y"}},
      {"/items/abc", {"/items/abc"}},
      {"^/a\\.b/c\\/d$", {"/a.b/c/d"}},
      {"^/v1/projects/[a-z]+/secrets/s-1/versions/([0-9]+|latest):access$",
       {"/v1/projects/p/secrets/s-1/versions/3:access", "/v1/projects/p/secrets/s-1/versions/latest:access"}},
  };
  for (const auto& c : cases) {
    const re2::RE2 re(c.pattern);
    REQUIRE(re.ok());
    const auto required = literalPathSegments(c.pattern);
    CHECK_FALSE(required.empty());
    for (const auto& path : c.paths) {
      if (!re2::RE2::FullMatch(path, re)) continue;
      std::vector<std::string> segments;
      std::string::size_type start = 0;
      for (auto slash = path.find('/'); ; slash = path.find('/', start)) {
        segments.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
      }
      for (const auto& s : required) {
        INFO(c.pattern << " accepts " << path);
        CHECK(std::find(segments.begin(), segments.end(), s) != segments.end());
      }
    }
  }
}
