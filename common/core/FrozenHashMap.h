#pragma once
// An immutable map from 64-bit hashes to values, built once from all its items, then only read.
//
// Why not std::unordered_map: a lookup there reads the bucket array, the node before the bucket's
// first node (libstdc++ links buckets through their predecessor) and then the node, three dependent
// reads of memory scattered over the heap. On a large contract set each is a cache and TLB miss on
// every request. Here the items sit in one array with open addressing (linear probing): a lookup
// reads one slot, or a few neighbouring ones, which hold the key and the value itself. The array is
// also smaller than the nodes and buckets it replaces (no per-item allocation or link).
//
// The keys are hashes already (well mixed), so a slot is chosen from the key's high bits by a
// multiply-shift, and the table can be sized to any capacity (no rounding up to a power of two).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace pactmocks {

template <typename V>
class FrozenHashMap {
 public:
  using Item = std::pair<std::uint64_t, V>;

  FrozenHashMap() = default;

  // Keys must be distinct. Fills at most 3/4 of the slots, so a lookup of a missing key stops
  // after a few probes.
  explicit FrozenHashMap(std::vector<Item> items) {
    std::size_t stored = 0;
    for (auto& item : items) stored += item.first == kEmptyKey ? 0 : 1;
    slots_.resize(stored == 0 ? 0 : stored + stored / 3 + 1);
    for (auto& [key, value] : items) {
      if (key == kEmptyKey) {
        zero_.emplace(std::move(value));
        continue;
      }
      std::size_t i = home(key);
      while (slots_[i].key != kEmptyKey) i = next(i);
      slots_[i].key = key;
      slots_[i].value = std::move(value);
    }
    size_ = items.size();
  }

  const V* find(std::uint64_t key) const {
    if (key == kEmptyKey) return zero_ ? &*zero_ : nullptr;
    if (slots_.empty()) return nullptr;
    for (std::size_t i = home(key);; i = next(i)) {
      const Slot& slot = slots_[i];
      if (slot.key == key) return &slot.value;
      if (slot.key == kEmptyKey) return nullptr;
    }
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  // Key 0 marks an empty slot; an item whose key is 0 is kept aside in `zero_`.
  static constexpr std::uint64_t kEmptyKey = 0;
  struct Slot {
    std::uint64_t key = kEmptyKey;
    V value{};
  };

  std::size_t home(std::uint64_t key) const {
    return static_cast<std::size_t>((static_cast<unsigned __int128>(key) * slots_.size()) >> 64);
  }
  std::size_t next(std::size_t i) const { return i + 1 == slots_.size() ? 0 : i + 1; }

  std::vector<Slot> slots_;
  std::optional<V> zero_;
  std::size_t size_ = 0;
};

}  // namespace pactmocks
