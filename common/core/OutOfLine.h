#pragma once
// A value kept out of line and allocated only when non-empty. For parts of a record that are
// large inline but usually empty (a request's query, a body's V4 content type and parsed XML:
// 48-88 bytes each inline, absent in most interactions of a large contract set). Parts that
// repeat across records are SharedValues instead.
// Value semantics: copying copies the value; reading an absent value reads an empty T.
#include <memory>
#include <utility>

namespace pactmocks {

template <class T>
class OutOfLine {
 public:
  OutOfLine() = default;
  OutOfLine(T value)  // NOLINT(google-explicit-constructor): assigned from a parsed T
      : value_(value.empty() ? nullptr : std::make_unique<T>(std::move(value))) {}
  OutOfLine(const OutOfLine& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
  OutOfLine& operator=(const OutOfLine& other) {
    if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
    return *this;
  }
  OutOfLine(OutOfLine&&) noexcept = default;
  OutOfLine& operator=(OutOfLine&&) noexcept = default;

  const T& operator*() const { return value_ ? *value_ : empty(); }
  const T* operator->() const { return &**this; }
  // For writers (parsers, tests): allocates an empty value if there is none.
  T& edit() {
    if (!value_) value_ = std::make_unique<T>();
    return *value_;
  }

 private:
  static const T& empty() {
    static const T kEmpty{};
    return kEmpty;
  }
  std::unique_ptr<T> value_;
};

}  // namespace pactmocks
