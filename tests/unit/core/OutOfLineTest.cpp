#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/OutOfLine.h"

using pactmocks::OutOfLine;

namespace {
struct Lists {
  std::vector<std::string> items;
  bool empty() const { return items.empty(); }
};
}  // namespace

TEST_CASE("OutOfLine reads an absent value as empty and allocates only for a non-empty one", "[core]") {
  OutOfLine<Lists> absent;
  CHECK(absent->empty());
  CHECK(sizeof(OutOfLine<Lists>) < sizeof(Lists));

  OutOfLine<Lists> fromEmpty = Lists{};
  CHECK(fromEmpty->empty());

  OutOfLine<Lists> present = Lists{{"a", "b"}};
  REQUIRE(present->items.size() == 2);
  CHECK((*present).items[1] == "b");
}

TEST_CASE("OutOfLine copies are deep and independent", "[core]") {
  OutOfLine<Lists> original = Lists{{"a"}};
  OutOfLine<Lists> copy = original;
  copy.edit().items.push_back("b");
  CHECK(original->items.size() == 1);
  CHECK(copy->items.size() == 2);

  OutOfLine<Lists> assigned;
  assigned = copy;
  assigned.edit().items.clear();
  CHECK(copy->items.size() == 2);
  CHECK(assigned->empty());

  OutOfLine<Lists> moved = std::move(copy);
  CHECK(moved->items.size() == 2);
}
