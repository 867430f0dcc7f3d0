#include "BrokerMonitor.h"

#include <spdlog/spdlog.h>

#include "Publisher.h"
#include "broker/BrokerClient.h"

namespace pactmocks::manager {

BrokerMonitor::BrokerMonitor(const ManagerConfig& config, ManagerStatus& status,
                             std::function<void(bool, bool)> onChange)
    : config_(config), status_(status), onChange_(std::move(onChange)) {}

BrokerMonitor::~BrokerMonitor() { stop(); }

void BrokerMonitor::start() { worker_ = std::thread([this] { run(); }); }

void BrokerMonitor::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cancellation_->cancel();  // a heartbeat in flight against a hung broker returns at once
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void BrokerMonitor::run() {
  auto settings = brokerSettingsFrom(config_);
  settings.cancellation = cancellation_;
  broker::BrokerClient client(settings);
  bool healthy = false, everHealthy = false;
  unsigned failures = 0;
  spdlog::info("waiting for the broker at {}{}", config_.brokerUrl, config_.brokerHealthPath);
  for (;;) {
    const auto heartbeat = client.heartbeat();
    const bool ok = heartbeat.ok();
    const std::string error = ok ? std::string() : heartbeat.error();
    if (ok != healthy) {
      status_.setBrokerHealth(ok, error);
      if (ok) {
        spdlog::info("broker {} is healthy{}", config_.brokerUrl, everHealthy ? " again" : "");
        bool first = !everHealthy;
        everHealthy = true;
        failures = 0;
        if (onChange_) onChange_(true, first);
      } else {
        spdlog::warn("broker {} is unhealthy: {}", config_.brokerUrl, error);
        if (onChange_) onChange_(false, false);
      }
      healthy = ok;
    } else if (!ok) {
      status_.setBrokerHealth(false, error);
      // Not every 2 s forever: the first failures, then every 30th.
      if (++failures <= 3 || failures % 30 == 0)
        spdlog::info("broker not healthy yet ({}): GET {}{}: {}", failures, config_.brokerUrl, config_.brokerHealthPath, error);
    }
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, healthy ? config_.brokerCheckInterval : config_.brokerWaitInterval,
                       [&] { return stopping_; }))
      break;
  }
}

}  // namespace pactmocks::manager
