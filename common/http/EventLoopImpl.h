#pragma once
// Private to common/http: what EventLoop wraps, so HttpServer can run on the same io_context.
#include <memory>
#include <optional>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "http/EventLoop.h"

namespace pactmocks::http {

struct EventLoop::Impl {
  explicit Impl(unsigned threadCount)
      : threads(threadCount), io(static_cast<int>(threadCount)), work(io.get_executor()) {}

  unsigned threads;
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work;
  std::optional<boost::asio::signal_set> signals;
};

}  // namespace pactmocks::http
