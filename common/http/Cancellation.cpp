#include "http/Cancellation.h"

namespace pactmocks::http {

void Cancellation::cancel() {
  std::lock_guard lock(mutex_);
  if (cancelled_) return;
  cancelled_ = true;
  for (auto& [id, onCancel] : subscribers_) onCancel();
}

bool Cancellation::cancelled() const {
  std::lock_guard lock(mutex_);
  return cancelled_;
}

std::size_t Cancellation::subscribe(std::function<void()> onCancel) {
  std::lock_guard lock(mutex_);
  if (cancelled_) onCancel();
  const std::size_t id = nextId_++;
  subscribers_.emplace(id, std::move(onCancel));
  return id;
}

void Cancellation::unsubscribe(std::size_t id) {
  std::lock_guard lock(mutex_);
  subscribers_.erase(id);
}

}  // namespace pactmocks::http
