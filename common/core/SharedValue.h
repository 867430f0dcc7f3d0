#pragma once
// An immutable value kept out of line, allocated only when non-empty, and shared by every record
// that holds the same one. For parts of a record that repeat across a contract set (an
// interaction's matching rules, its response generators: one matcher or generator on many
// interactions), so that a parser that interns them holds each once. Reading an absent value
// reads an empty T.
// Copies share the value (it never changes); edit() gives the holder a copy of its own first.
#include <memory>
#include <utility>

namespace pactmocks {

template <class T>
class SharedValue {
 public:
  SharedValue() = default;
  SharedValue(T value)  // NOLINT(google-explicit-constructor): assigned from a parsed T
      : value_(value.empty() ? nullptr : std::make_shared<const T>(std::move(value))) {}

  const T& operator*() const { return value_ ? *value_ : empty(); }
  const T* operator->() const { return &**this; }
  // For writers (parsers, tests): the holder's own copy, which no other holder sees.
  T& edit() {
    auto own = std::make_shared<T>(**this);
    T& value = *own;
    value_ = std::move(own);
    return value;
  }
  // Whether both hold the very same value (or both none).
  bool sameAs(const SharedValue& other) const { return value_ == other.value_; }

 private:
  static const T& empty() {
    static const T kEmpty{};
    return kEmpty;
  }
  std::shared_ptr<const T> value_;
};

}  // namespace pactmocks
