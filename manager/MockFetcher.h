#pragma once
// Asks the pod's mocks for their coverage and health, off the event loop: the manager's
// GET /coverage and GET / park their request, a worker thread asks every mock at once (each with
// its own timeout and keep-alive client), then completes the parked answers. Requests arriving
// while one round is running wait for the next round and share it, so a reloading browser tab or
// many CI jobs never make more than one round at a time.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "CoverageMerge.h"
#include "core/Result.h"

namespace pactmocks::manager {

// One mock as one round found it.
struct MockAnswer {
  MockCoverage coverage;  // its endpoint and the body of GET /__admin/coverage, or why not
  std::string source;     // the contract source from its GET /health ("broker", "dir", "default"); may be empty
};

class MockFetcher {
 public:
  MockFetcher(std::vector<MockEndpoint> mocks, std::chrono::milliseconds timeoutPerMock);
  ~MockFetcher();  // stops
  MockFetcher(const MockFetcher&) = delete;
  MockFetcher& operator=(const MockFetcher&) = delete;

  void start();
  // Cancels the calls in flight; the waiting callbacks get every mock as unreachable ("stopping").
  void stop();

  // Returns at once; `done` is called once, on the worker thread, with one answer per mock in
  // MOCK_URLS order.
  using Done = std::function<void(const std::vector<MockAnswer>&)>;
  void fetchAsync(Done done);

  // The longest a round takes: what a parked request should wait at most.
  std::chrono::milliseconds roundTimeout() const;

  const std::vector<MockEndpoint>& endpoints() const { return mocks_; }
  // Every mock as unreachable for `why` (a round that did not happen or did not end in time).
  std::vector<MockAnswer> unreachable(const std::string& why) const;

 private:
  struct Clients;
  void run(std::stop_token stop);
  std::vector<MockAnswer> fetchRound();

  std::vector<MockEndpoint> mocks_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<Clients> clients_;  // used by the worker only
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::vector<Done> pending_;  // guarded by mutex_
  bool running_ = false;       // guarded by mutex_
  std::jthread worker_;
};

}  // namespace pactmocks::manager
