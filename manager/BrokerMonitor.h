#pragma once
// Broker readiness: heartbeat every BROKER_WAIT_INTERVAL (2 s) until healthy, then every
// BROKER_CHECK_INTERVAL (30 s). Updates the status and calls `onChange(healthy, firstTime)` on
// every transition (firstTime: the broker's first healthy answer). Runs on its own thread (the
// heartbeat blocks).
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "ManagerConfig.h"
#include "ManagerStatus.h"
#include "http/Cancellation.h"

namespace pactmocks::manager {

class BrokerMonitor {
 public:
  BrokerMonitor(const ManagerConfig& config, ManagerStatus& status,
                std::function<void(bool healthy, bool firstTime)> onChange);
  ~BrokerMonitor();
  BrokerMonitor(const BrokerMonitor&) = delete;
  BrokerMonitor& operator=(const BrokerMonitor&) = delete;

  void start();
  void stop();

 private:
  void run();

  const ManagerConfig& config_;
  ManagerStatus& status_;
  std::function<void(bool, bool)> onChange_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::shared_ptr<http::Cancellation> cancellation_ = std::make_shared<http::Cancellation>();
  std::thread worker_;
};

}  // namespace pactmocks::manager
