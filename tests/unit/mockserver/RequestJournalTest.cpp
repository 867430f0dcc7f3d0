#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "mockserver/RequestJournal.h"

using namespace pactmocks::mockserver;

namespace {
JournalEntry entry(const std::string& path) {
  JournalEntry e;
  e.time = std::chrono::system_clock::now();
  e.method = "GET";
  e.path = path;
  e.status = 200;
  return e;
}
}  // namespace

TEST_CASE("journal keeps the most recent entries, oldest first", "[journal]") {
  RequestJournal journal(3);
  for (int i = 1; i <= 5; ++i) journal.append(entry("/" + std::to_string(i)));
  auto entries = journal.entries();
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].path == "/3");
  CHECK(entries[1].path == "/4");
  CHECK(entries[2].path == "/5");
  auto j = journal.toJson();
  CHECK(j["total"] == 5);
  CHECK(j["capacity"] == 3);
  CHECK(j["requests"][2]["path"] == "/5");
}

TEST_CASE("journal clear and zero capacity", "[journal]") {
  RequestJournal journal(2);
  journal.append(entry("/a"));
  journal.clear();
  CHECK(journal.entries().empty());
  journal.append(entry("/b"));
  CHECK(journal.entries().size() == 1);
  RequestJournal none(0);
  none.append(entry("/a"));
  CHECK(none.entries().empty());
}

TEST_CASE("journal details are merged into the JSON entry", "[journal]") {
  RequestJournal journal(2);
  auto e = entry("/x");
  e.details = std::make_shared<const nlohmann::json>(nlohmann::json{{"closest", nlohmann::json::array()}});
  journal.append(e);
  auto j = journal.toJson();
  CHECK(j["requests"][0].contains("closest"));
  CHECK(j["requests"][0]["time"].get<std::string>().ends_with("Z"));
}

TEST_CASE("journal is bounded by bytes: the oldest entries go first", "[journal]") {
  RequestJournal journal(1000, 64 * 1024);  // body limit: 16 KiB (a quarter)
  CHECK(journal.bodyLimit() == 16 * 1024);
  const std::string big(1024 * 1024, 'x');
  for (int i = 0; i < 10; ++i) {
    auto e = entry("/" + std::to_string(i));
    e.body = journaledBody(big, journal.bodyLimit() * 4);  // more than the journal keeps
    journal.append(std::move(e));
    CHECK(journal.bytes() <= journal.maxBytes());
  }
  auto entries = journal.entries();
  REQUIRE(entries.size() == 3);  // 3 × (16 KiB + overhead) fit in 64 KiB, 4 do not
  CHECK(entries.back().path == "/9");
  CHECK(entries.front().path == "/7");
  CHECK(entries.back().body.text.size() == 16 * 1024);
  CHECK(entries.back().body.bytes == big.size());

  auto j = journal.toJson();
  CHECK(j["total"] == 10);
  CHECK(j["max_bytes"] == 64 * 1024);
  CHECK(j["requests"][2]["body_bytes"] == big.size());
  CHECK(j["requests"][2]["body_truncated"] == true);
  CHECK(j["requests"][2]["body"].get<std::string>().size() == 16 * 1024);
}

TEST_CASE("journal shows a complete JSON body as JSON, anything else as text", "[journal]") {
  RequestJournal journal(10);
  auto json = entry("/json");
  json.body = journaledBody(R"({"a":[1,2]})", journal.bodyLimit());
  journal.append(json);
  auto text = entry("/text");
  text.body = journaledBody("plain text", journal.bodyLimit());
  journal.append(text);
  auto cut = entry("/cut");
  cut.body = journaledBody(R"({"a":"0123456789"})", 8);
  journal.append(cut);

  auto j = journal.toJson()["requests"];
  CHECK(j[0]["body"] == nlohmann::json{{"a", {1, 2}}});
  CHECK_FALSE(j[0].contains("body_truncated"));
  CHECK(j[1]["body"] == "plain text");
  CHECK(j[2]["body"] == R"({"a":"01)");
  CHECK(j[2]["body_bytes"] == 18);
  CHECK(j[2]["body_truncated"] == true);
}

TEST_CASE("a journal entry's reported size counts its report document", "[journal]") {
  RequestJournal journal(1000, 8 * 1024);
  for (int i = 0; i < 20; ++i) {
    auto e = entry("/r" + std::to_string(i));
    e.details = std::make_shared<const nlohmann::json>(nlohmann::json{{"report", std::string(1024, 'r')}});
    journal.append(std::move(e));
  }
  CHECK(journal.bytes() <= 8 * 1024);
  CHECK(journal.entries().size() < 8);
  CHECK(journal.entries().back().path == "/r19");
}
