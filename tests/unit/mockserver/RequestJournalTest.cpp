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
