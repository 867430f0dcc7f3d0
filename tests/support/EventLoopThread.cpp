#include "EventLoopThread.h"

namespace pactmocks::testsupport {

EventLoopThread::EventLoopThread(http::EventLoop& loop) : loop_(loop), thread_([this] { loop_.run(); }) {}

EventLoopThread::~EventLoopThread() {
  loop_.stop();
  thread_.join();
}

}  // namespace pactmocks::testsupport
