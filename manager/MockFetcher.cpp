#include "MockFetcher.h"

#include <nlohmann/json.hpp>

#include "http/Cancellation.h"
#include "http/HttpClient.h"

namespace pactmocks::manager {

struct MockFetcher::Clients {
  std::shared_ptr<http::Cancellation> cancellation = std::make_shared<http::Cancellation>();
  std::vector<http::HttpClient> perMock;  // one keep-alive client per mock, used by one thread at a time
};

namespace {

std::string failure(const http::ClientResult& r) {
  return r.response ? "HTTP " + std::to_string(r.status()) + " from the mock" : r.error;
}

MockAnswer ask(const MockEndpoint& mock, http::HttpClient& client) {
  MockAnswer answer{.coverage = {.mock = mock, .body = fail("not asked")}, .source = ""};
  auto coverage = client.get("/__admin/coverage");
  if (!coverage.ok()) {
    answer.coverage.body = fail(failure(coverage));
    return answer;  // down or hung: its /health would only wait as long again
  }
  answer.coverage.body = std::move(coverage.response->body);
  if (auto health = client.get("/health"); health.response) {
    const auto doc = nlohmann::json::parse(health.response->body, nullptr, false);
    if (doc.is_object() && doc.contains("source") && doc["source"].is_string()) answer.source = doc["source"];
  }
  return answer;
}

}  // namespace

MockFetcher::MockFetcher(std::vector<MockEndpoint> mocks, std::chrono::milliseconds timeoutPerMock)
    : mocks_(std::move(mocks)), timeout_(timeoutPerMock), clients_(std::make_unique<Clients>()) {
  for (const auto& m : mocks_) clients_->perMock.emplace_back(m.url, http::Credentials{}, timeout_, clients_->cancellation);
}

MockFetcher::~MockFetcher() { stop(); }

void MockFetcher::start() {
  std::lock_guard lock(mutex_);
  if (running_ || worker_.joinable()) return;
  running_ = true;
  worker_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void MockFetcher::stop() {
  clients_->cancellation->cancel();
  if (worker_.joinable()) {
    worker_.request_stop();
    worker_.join();
  }
  std::vector<Done> left;
  {
    std::lock_guard lock(mutex_);
    running_ = false;
    left.swap(pending_);
  }
  const auto answers = unreachable("the manager is stopping");
  for (auto& done : left) done(answers);
}

void MockFetcher::fetchAsync(Done done) {
  {
    std::lock_guard lock(mutex_);
    if (running_) {
      pending_.push_back(std::move(done));
      wake_.notify_one();
      return;
    }
  }
  done(unreachable("the manager is not asking mocks (starting or stopping)"));
}

std::chrono::milliseconds MockFetcher::roundTimeout() const {
  // A round asks each mock twice (coverage, then health), all mocks at once.
  return 2 * timeout_ + std::chrono::milliseconds(1000);
}

void MockFetcher::run(std::stop_token stop) {
  while (true) {
    std::vector<Done> batch;
    {
      std::unique_lock lock(mutex_);
      if (!wake_.wait(lock, stop, [this] { return !pending_.empty(); })) return;
      batch.swap(pending_);
    }
    const auto answers = fetchRound();
    for (auto& done : batch) done(answers);
  }
}

std::vector<MockAnswer> MockFetcher::fetchRound() {
  auto answers = unreachable("not asked");
  {
    // All mocks at once: a hung one costs its timeout, not the others' too.
    std::vector<std::jthread> others;
    for (std::size_t i = 1; i < mocks_.size(); ++i)
      others.emplace_back([this, &answers, i] { answers[i] = ask(mocks_[i], clients_->perMock[i]); });
    if (!mocks_.empty()) answers[0] = ask(mocks_[0], clients_->perMock[0]);
  }
  return answers;
}

std::vector<MockAnswer> MockFetcher::unreachable(const std::string& why) const {
  std::vector<MockAnswer> out;
  for (const auto& m : mocks_) out.push_back({.coverage = {.mock = m, .body = fail(why)}, .source = ""});
  return out;
}

}  // namespace pactmocks::manager
