#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/SharedValue.h"

using pactmocks::SharedValue;

namespace {
struct Items {
  std::vector<std::string> list;
  bool empty() const { return list.empty(); }
};
}  // namespace

TEST_CASE("SharedValue reads an absent value as empty and keeps no empty one", "[core][sharedvalue]") {
  const SharedValue<Items> none;
  CHECK(none->empty());
  const SharedValue<Items> empty{Items{}};
  CHECK(empty->empty());
  CHECK(empty.sameAs(none));  // an empty value is not allocated
}

TEST_CASE("SharedValue copies share one value; edit gives the holder its own", "[core][sharedvalue]") {
  const SharedValue<Items> original{Items{{"a", "b"}}};
  SharedValue<Items> copy = original;
  CHECK(copy.sameAs(original));
  CHECK((*copy).list == std::vector<std::string>{"a", "b"});

  copy.edit().list.push_back("c");
  CHECK_FALSE(copy.sameAs(original));
  CHECK(copy->list == std::vector<std::string>{"a", "b", "c"});
  CHECK(original->list == std::vector<std::string>{"a", "b"});  // the other holder sees no change

  SharedValue<Items> fromNone;
  fromNone.edit().list.push_back("x");
  CHECK(fromNone->list == std::vector<std::string>{"x"});
}
