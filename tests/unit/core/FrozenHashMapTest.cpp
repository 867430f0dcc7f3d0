#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/FrozenHashMap.h"

using pactmocks::FrozenHashMap;

namespace {
std::uint64_t mixed(std::uint64_t i) { return (i + 1) * 0x9E3779B97F4A7C15ULL; }  // well spread, never 0
}  // namespace

TEST_CASE("FrozenHashMap finds every key it was built with, and no other", "[core][frozenhashmap]") {
  std::vector<FrozenHashMap<std::string>::Item> items;
  for (std::uint64_t i = 0; i < 1000; ++i) items.emplace_back(mixed(i), std::to_string(i));
  const FrozenHashMap<std::string> map(std::move(items));
  CHECK(map.size() == 1000);
  for (std::uint64_t i = 0; i < 1000; ++i) {
    const std::string* value = map.find(mixed(i));
    REQUIRE(value != nullptr);
    CHECK(*value == std::to_string(i));
  }
  for (std::uint64_t i = 1000; i < 3000; ++i) CHECK(map.find(mixed(i)) == nullptr);
}

TEST_CASE("FrozenHashMap keeps colliding home slots apart and wraps around the end", "[core][frozenhashmap]") {
  // The highest keys all land on the last slot: each further one probes past the end to the start.
  const std::uint64_t top = std::numeric_limits<std::uint64_t>::max();
  const FrozenHashMap<int> map({{top, 1}, {top - 1, 2}, {top - 2, 3}, {1, 4}});
  CHECK(*map.find(top) == 1);
  CHECK(*map.find(top - 1) == 2);
  CHECK(*map.find(top - 2) == 3);
  CHECK(*map.find(1) == 4);
  CHECK(map.find(top - 3) == nullptr);
  CHECK(map.find(2) == nullptr);
}

TEST_CASE("FrozenHashMap holds the key 0, which marks its empty slots", "[core][frozenhashmap]") {
  const FrozenHashMap<int> without({{5, 50}});
  CHECK(without.find(0) == nullptr);
  const FrozenHashMap<int> with({{0, 7}, {5, 50}});
  CHECK(with.size() == 2);
  REQUIRE(with.find(0) != nullptr);
  CHECK(*with.find(0) == 7);
  CHECK(*with.find(5) == 50);
  const FrozenHashMap<int> only({{0, 9}});
  CHECK(*only.find(0) == 9);
  CHECK(only.find(1) == nullptr);
}

TEST_CASE("FrozenHashMap: empty, and move-only values", "[core][frozenhashmap]") {
  const FrozenHashMap<int> empty;
  CHECK(empty.empty());
  CHECK(empty.find(0) == nullptr);
  CHECK(empty.find(42) == nullptr);
  CHECK(FrozenHashMap<int>(std::vector<FrozenHashMap<int>::Item>{}).find(42) == nullptr);

  std::vector<FrozenHashMap<std::unique_ptr<int>>::Item> items;
  items.emplace_back(mixed(1), std::make_unique<int>(11));
  const FrozenHashMap<std::unique_ptr<int>> owning(std::move(items));
  REQUIRE(owning.find(mixed(1)) != nullptr);
  CHECK(**owning.find(mixed(1)) == 11);
}
