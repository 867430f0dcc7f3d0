// parsePact(text) reads the text in two streaming passes instead of building the whole document:
// it must give exactly what parsing the document gives, errors included.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pact/PactParser.h"

using namespace pactmocks::pact;
using nlohmann::json;

namespace {

json bodyJson(const Body& b) {
  return {{"present", b.present}, {"value", b.value}, {"contentType", b.contentType()}, {"isJson", b.isJson},
          {"xml", b.xml() != nullptr}};
}

// Everything the model holds that the parser sets, as JSON, to compare two parses.
json modelJson(const Pact& p) {
  json out = {{"consumer", p.consumer}, {"provider", p.provider}, {"version", toString(p.specVersion)},
              {"notes", p.notes}, {"source", p.source}, {"interactions", json::array()}};
  for (const auto& i : p.interactions) {
    json states = json::array();
    for (const auto& s : i.providerStates) states.push_back({s.name, s.params});
    out["interactions"].push_back(
        {{"description", i.description}, {"states", states},
         {"request",
          {{"method", i.request.method}, {"path", i.request.path}, {"query", i.request.query->params},
           {"rawQuery", i.request.query->raw.value_or("<none>")}, {"headers", i.request.headers},
           {"body", bodyJson(i.request.body)}, {"rules", i.request.rules->nonEqualityCount()}, {"rulesEmpty", i.request.rules->empty()},
           {"generators", i.response.generators->empty()}}},
         {"response",
          {{"status", i.response.status}, {"headers", i.response.headers}, {"body", bodyJson(i.response.body)},
           {"static", i.response.serializedJsonBody.value_or("<none>")}}}});
  }
  return out;
}

// Both parses succeed with the same model, or both fail at the same place for the same reason.
void checkSame(const std::string& text, const std::string& source) {
  INFO(source);
  std::string streamError, documentError;
  json streamed, document;
  try {
    streamed = modelJson(parsePact(std::string_view(text), source));
  } catch (const PactParseError& e) {
    streamError = e.pointer() + " | " + e.reason();
  }
  try {
    document = modelJson(parsePact(json::parse(text), source));
  } catch (const PactParseError& e) {
    documentError = e.pointer() + " | " + e.reason();
  }
  CHECK(streamError == documentError);
  CHECK(streamed == document);
}

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("streaming parse equals the document parse on every example pact", "[parser][streaming]") {
  const char* root = std::getenv("PACTMOCKS_SOURCE_DIR");
  REQUIRE(root != nullptr);
  int files = 0;
  for (const auto& dir : {"examples/configmap", "mockserver/default_pacts"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::filesystem::path(root) / dir)) {
      if (entry.path().extension() != ".json" || !entry.is_regular_file()) continue;
      std::string text = readFile(entry.path());
      if (!json::accept(text) || !json::parse(text).contains("interactions")) continue;
      checkSame(text, entry.path().filename().string());
      ++files;
    }
  }
  CHECK(files >= 4);
}

TEST_CASE("streaming parse: the version and the shape cases", "[parser][streaming]") {
  const std::string names = R"("consumer":{"name":"C"},"provider":{"name":"P"})";
  const std::string get = R"({"description":"a","request":{"method":"GET","path":"/a"},"response":{"status":200}})";
  const std::string v3query =
      R"({"description":"q","request":{"method":"GET","path":"/q","query":{"a":["1"]}},"response":{"status":200}})";
  const std::string v3states =
      R"({"description":"s","providerStates":[{"name":"x","params":{"k":1}}],"request":{"method":"GET","path":"/s"},"response":{"status":200}})";
  const std::string v4 =
      R"({"type":"Synchronous/HTTP","description":"h","request":{"method":"GET","path":"/h"},"response":{"status":200}})";
  const std::string message = R"({"type":"Asynchronous/Messages","description":"m","contents":{}})";
  const std::string v4body =
      R"({"type":"Synchronous/HTTP","description":"b","request":{"method":"POST","path":"/b","body":{"content":"{\"x\":1}","contentType":"application/json","encoded":false}},"response":{"status":200}})";

  SECTION("metadata after the interactions, no version: the first hinted interaction decides") {
    checkSame("{" + names + R"(,"interactions":[)" + get + "," + v3query + "," + v4 + R"(],"metadata":{"x":1}})", "guess-v3");
    checkSame("{" + names + R"(,"interactions":[)" + get + "," + v4 + "," + v3states + "]}", "guess-v4");
    checkSame("{" + names + R"(,"interactions":[)" + get + "]}", "guess-v2");
    checkSame("{" + names + R"(,"interactions":[)" + v3states + R"(],"metadata":{"pactSpecification":{}}})", "empty-spec");
  }
  SECTION("declared versions, before or after the interactions") {
    checkSame("{" + names + R"(,"metadata":{"pactSpecification":{"version":"4.0"}},"interactions":[)" + v4body + "," +
                  message + "]}",
              "v4-first");
    checkSame("{" + names + R"(,"interactions":[)" + v4body + "," + message +
                  R"(],"metadata":{"pactSpecification":{"version":"4.0"}}})",
              "v4-last");
    checkSame("{" + names + R"(,"interactions":[)" + get + R"(],"metadata":{"pactSpecificationVersion":"1.0.0"}})", "v1");
    checkSame("{" + names + R"(,"interactions":[)" + get + R"(],"metadata":{"pactSpecification":{"version":"9"}}})", "v9");
  }
  SECTION("bad shapes fail alike") {
    checkSame("{" + names + "}", "no-interactions");
    checkSame("{" + names + R"(,"interactions":{"a":1}})", "object");
    checkSame("{" + names + R"(,"interactions":"x"})", "string");
    checkSame("{" + names + R"(,"interactions":[)" + get + R"(,"oops",[1]]})", "element-string");
    checkSame("{" + names + R"(,"interactions":[[1],)" + get + "]}", "element-array");
    checkSame(R"({"provider":{"name":"P"},"interactions":[]})", "no-consumer");
    checkSame(R"([1,2])", "array-document");
    checkSame("{" + names + R"(,"interactions":[{"description":"a","request":{"method":"GET","path":"/a","matchingRules":{"header":{"X":{"matchers":[{"match":"bogus"}]}}}},"response":{"status":200}}]})",
              "bad-rule");
  }
  SECTION("a repeated interactions key: the last array counts, as in a document") {
    checkSame("{" + names + R"(,"interactions":[)" + get + R"(],"interactions":[)" + v3query + "]}", "repeated");
  }
}

TEST_CASE("streaming parse reports invalid JSON as a parse error", "[parser][streaming]") {
  try {
    (void)parsePact(std::string_view(R"({"consumer":{"name":"C"},"interactions":[{"a":)"), "broken.json");
    FAIL("no error");
  } catch (const PactParseError& e) {
    CHECK(e.source() == "broken.json");
    CHECK(e.reason().find("not valid JSON") != std::string::npos);
  }
}

namespace {

// Both parses give the same model; the one with `previous` keeps the listed positions' interactions
// of `previous` (the same objects), and parses every other one anew.
void checkReparse(const Pact& previous, const std::string& text, const std::vector<std::pair<std::size_t, std::size_t>>& kept) {
  const Pact fresh = parsePact(text, "p.json");
  const Pact again = parsePact(text, "p.json", &previous);
  CHECK(modelJson(again) == modelJson(fresh));
  REQUIRE(again.interactions.size() == fresh.interactions.size());
  for (std::size_t i = 0; i < again.interactions.size(); ++i) {
    INFO("interaction " << i);
    const auto* same = [&]() -> const Interaction* {
      for (const auto& [now, before] : kept)
        if (now == i) return previous.interactions.shared(before).get();
      return nullptr;
    }();
    if (same) {
      CHECK(again.interactions.shared(i).get() == same);
    } else {
      for (std::size_t j = 0; j < previous.interactions.size(); ++j)
        CHECK(again.interactions.shared(i) != previous.interactions.shared(j));
    }
  }
}

std::string pactOf(const std::vector<std::string>& interactions, const std::string& metadata = "") {
  std::string out = R"({"consumer":{"name":"C"},"provider":{"name":"P"},"interactions":[)";
  for (std::size_t i = 0; i < interactions.size(); ++i) out += (i ? "," : "") + interactions[i];
  return out + "]" + metadata + "}";
}

std::string interaction(const std::string& description, int status = 200, const std::string& tail = "") {
  return R"({"description":")" + description + R"(","request":{"method":"GET","path":"/)" + description +
         R"(","headers":{"X-N":"1"}},"response":{"status":)" + std::to_string(status) + R"(,"body":{"n":1.5)" + tail +
         "}}}";
}

}  // namespace

TEST_CASE("a reparse keeps the interactions whose text did not change", "[parser][streaming][reuse]") {
  const std::string a = interaction("a"), b = interaction("b"), c = interaction("c");
  const Pact previous = parsePact(pactOf({a, b, c}), "p.json");

  SECTION("one edited: the others are kept") { checkReparse(previous, pactOf({a, interaction("b", 201), c}), {{0, 0}, {2, 2}}); }
  SECTION("reordered, inserted and removed: kept wherever they are now") {
    checkReparse(previous, pactOf({c, interaction("new"), a}), {{0, 2}, {2, 0}});
  }
  SECTION("a duplicate is kept once; its second copy is parsed") {
    checkReparse(previous, pactOf({a, a, b}), {{0, 0}, {2, 1}});
  }
  SECTION("a change of whitespace or key order inside an interaction counts as a change") {
    std::string spaced = a;
    spaced.insert(1, " ");
    checkReparse(previous, pactOf({spaced, b, c}), {{1, 1}, {2, 2}});
  }
  SECTION("a number at the end of an interaction is inside its text") {
    const Pact numbers = parsePact(pactOf({R"({"description":"n","request":{"method":"GET","path":"/n"},"response":{"status":200}})"}), "p.json");
    checkReparse(numbers, pactOf({R"({"description":"n","request":{"method":"GET","path":"/n"},"response":{"status":201}})"}), {});
    checkReparse(numbers, pactOf({R"({"description":"n","request":{"method":"GET","path":"/n"},"response":{"status":200}})"}), {{0, 0}});
  }
  SECTION("another specification version keeps nothing") {
    checkReparse(previous, pactOf({a, b, c}, R"(,"metadata":{"pactSpecification":{"version":"3.0.0"}})"), {});
  }
  SECTION("non-HTTP interactions are never kept, and do not shift what is") {
    const std::string message = R"({"type":"Asynchronous/Messages","description":"m","contents":{}})";
    const std::string v4 = R"(,"metadata":{"pactSpecification":{"version":"4.0"}})";
    const Pact withMessage = parsePact(pactOf({message, a, b}, v4), "p.json");
    checkReparse(withMessage, pactOf({a, message, b}, v4), {{0, 0}, {1, 1}});
  }
  SECTION("a document parse has no text: nothing of it is kept") {
    const Pact document = parsePact(json::parse(pactOf({a, b, c})), "p.json");
    checkReparse(document, pactOf({a, b, c}), {});
  }
}

TEST_CASE("writing to a pact's interaction never changes a pact that shares it", "[parser][reuse]") {
  const Pact previous = parsePact(pactOf({interaction("a"), interaction("b")}), "p.json");
  Pact next = parsePact(pactOf({interaction("a"), interaction("b", 500)}), "p.json", &previous);
  REQUIRE(next.interactions.shared(0) == previous.interactions.shared(0));
  next.interactions[0].description = "edited";
  CHECK(previous.interactions[0].description == "a");
  CHECK(next.interactions[0].description == "edited");
  CHECK(next.interactions.shared(0) != previous.interactions.shared(0));
  // Not shared: written in place.
  const auto* own = next.interactions.shared(1).get();
  next.interactions[1].response.status = 501;
  CHECK(next.interactions.shared(1).get() == own);
}

TEST_CASE("relayout copies the interactions a list alone holds and keeps the shared ones", "[parser][relayout]") {
  const Pact previous = parsePact(pactOf({interaction("a"), interaction("b")}), "p.json");
  Pact next = parsePact(pactOf({interaction("a"), interaction("b", 500), interaction("c")}), "p.json", &previous);
  const json before = modelJson(next);
  const auto* shared = next.interactions.shared(0).get();
  const auto* own1 = next.interactions.shared(1).get();
  const auto* own2 = next.interactions.shared(2).get();

  SECTION("from the start") {
    next.interactions.relayout(0);
    CHECK(next.interactions.shared(0).get() == shared);  // still the previous pact's
    CHECK(next.interactions.shared(1).get() != own1);
    CHECK(next.interactions.shared(2).get() != own2);
  }
  SECTION("from a position: those before it stay") {
    next.interactions.relayout(2);
    CHECK(next.interactions.shared(1).get() == own1);
    CHECK(next.interactions.shared(2).get() != own2);
  }
  SECTION("from past the end: nothing changes") {
    next.interactions.relayout(7);
    CHECK(next.interactions.shared(1).get() == own1);
    CHECK(next.interactions.shared(2).get() == own2);
  }
  CHECK(modelJson(next) == before);
  CHECK(next.interactions.shared(0).use_count() == 2);  // no copy of a shared one is left behind
  // A copy is an interaction of its own: writing to it changes nothing else.
  next.interactions[2].description = "edited";
  CHECK(next.interactions[2].description == "edited");
  CHECK(previous.interactions[1].description == "b");
}

TEST_CASE("a pact of many interactions parses as its document does, across relayout batches", "[parser][streaming][relayout]") {
  // More than two batches of kRelayoutBatch (256), with kept interactions in every batch, a
  // skipped message interaction and a repeated `interactions` key whose last array counts.
  std::vector<std::string> many, edited;
  for (int i = 0; i < 700; ++i) {
    many.push_back(interaction("i" + std::to_string(i)));
    edited.push_back(i % 3 == 0 ? interaction("i" + std::to_string(i), 201) : many.back());
  }
  const std::string text = pactOf(many);
  checkSame(text, "many.json");
  const Pact previous = parsePact(text, "many.json");
  std::vector<std::pair<std::size_t, std::size_t>> kept;
  for (std::size_t i = 0; i < edited.size(); ++i)
    if (i % 3 != 0) kept.emplace_back(i, i);
  checkReparse(previous, pactOf(edited), kept);

  const std::string v4 = R"(,"metadata":{"pactSpecification":{"version":"4.0"}})";
  std::string twice = pactOf({interaction("first")}, v4);
  std::vector<std::string> withMessage = many;
  withMessage.insert(withMessage.begin() + 300, R"({"type":"Asynchronous/Messages","description":"m","contents":{}})");
  std::string second = pactOf(withMessage);
  twice.insert(twice.size() - 1, R"(,"interactions":)" + second.substr(second.find('[')));
  twice.pop_back();  // the copied array ended with the document's closing brace
  checkSame(twice, "twice.json");
  CHECK(parsePact(twice, "twice.json").interactions.size() == 700);
}

TEST_CASE("a pact file read by chunks parses as its text does, and keeps the same interactions", "[parser][streaming][file]") {
  // ~200 KB: element texts straddle the reader's 64 KiB chunks, so their digests are cut across them.
  std::vector<std::string> many;
  for (int i = 0; i < 1500; ++i) many.push_back(interaction("i" + std::to_string(i)));
  const std::string text = pactOf(many);
  REQUIRE(text.size() > 2 * pactmocks::TextReader::kChunkSize);
  const auto path = std::filesystem::temp_directory_path() / ("pactmocks-chunked-" + std::to_string(::getpid()) + ".json");
  auto write = [&](const std::string& content) { std::ofstream(path, std::ios::binary | std::ios::trunc) << content; };
  write(text);
  struct Cleanup {
    std::filesystem::path p;
    ~Cleanup() { std::filesystem::remove(p); }
  } cleanup{path};

  const Pact fromText = parsePact(text, "p.json");
  const Pact fromFile = parsePact(pactmocks::TextSource::openFile(path.string()).value(), "p.json");
  CHECK(modelJson(fromFile) == modelJson(fromText));
  // Every interaction's text digest is the same as the text parse's: all of them are kept.
  const Pact again = parsePact(pactmocks::TextSource::openFile(path.string()).value(), "p.json", &fromText);
  REQUIRE(again.interactions.size() == fromText.interactions.size());
  for (std::size_t i = 0; i < again.interactions.size(); ++i)
    CHECK(again.interactions.shared(i) == fromText.interactions.shared(i));

  write(text.substr(0, text.size() / 2));  // cut inside an interaction
  try {
    (void)parsePact(pactmocks::TextSource::openFile(path.string()).value(), "cut.json");
    FAIL("no error");
  } catch (const PactParseError& e) {
    CHECK(e.source() == "cut.json");
    CHECK(e.reason().find("not valid JSON") != std::string::npos);
  }
}
