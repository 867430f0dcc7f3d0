#pragma once
// Errors returned as values: a Result<T> holds either a T or an error (by default a message
// for people: what failed and why). In the spirit of C++23's std::expected, which this C++20
// build does not have. Exceptions stay for what callers cannot handle locally (configuration
// errors, build defects) and are caught at the edges; a Result is for what they can.
//
//   Result<Pact> parse(...) { if (bad) return fail("line 3: not JSON"); return pact; }
//   auto pact = parse(...);
//   if (!pact) log(pact.error()); else use(*pact);
//
// Result<void> is a success or an error. A caller that branches on the kind of failure uses its
// own error type: Result<T, BrokerError>.
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace pactmocks {

// What `fail(...)` returns: converts to any Result<T, E> whose E it can build.
template <class E>
struct Failure {
  E error;
};
template <class E>
Failure<std::decay_t<E>> fail(E&& error) {
  return {std::forward<E>(error)};
}
inline Failure<std::string> fail(const char* message) { return {std::string(message)}; }

// Reading the value of a failed Result (or the error of a successful one) is a programming error.
class BadResultAccess : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

template <class T, class E = std::string>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  using error_type = E;

  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit, like expected
  template <class F, class = std::enable_if_t<std::is_constructible_v<E, F&&>>>
  Result(Failure<F> failure) : state_(std::in_place_index<1>, std::move(failure.error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return check(), std::get<0>(state_); }
  const T& value() const& { return check(), std::get<0>(state_); }
  T&& value() && { return check(), std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  template <class U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
  }

  const E& error() const {
    if (ok()) throw BadResultAccess("Result::error() on a success");
    return std::get<1>(state_);
  }

 private:
  void check() const {
    if (!ok()) throw BadResultAccess("Result::value() on a failure");
  }
  std::variant<T, E> state_;
};

template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  using value_type = void;
  using error_type = E;

  Result() = default;
  template <class F, class = std::enable_if_t<std::is_constructible_v<E, F&&>>>
  Result(Failure<F> failure) : error_(std::move(failure.error)), failed_(true) {}  // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  void value() const {
    if (failed_) throw BadResultAccess("Result::value() on a failure");
  }
  const E& error() const {
    if (!failed_) throw BadResultAccess("Result::error() on a success");
    return error_;
  }

 private:
  E error_{};
  bool failed_ = false;
};

// The success of a Result<void>: `return ok();`.
inline Result<void> ok() { return {}; }

}  // namespace pactmocks
