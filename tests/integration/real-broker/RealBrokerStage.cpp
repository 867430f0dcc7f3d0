// main() of the real-broker stage: skip (77) when no broker can be had, unless CI=true, where
// that is a failure; otherwise run the Catch2 cases against the real broker.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "RealBrokerStage.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

namespace pactmocks::realbroker {

// The one stage of this test binary, set up and torn down by main().
std::optional<RealBrokerStage>& stageInstance() {
  static std::optional<RealBrokerStage> stage;
  return stage;
}

RealBrokerStage::RealBrokerStage(testsupport::RealBrokerSource source) : source_(std::move(source)) {
  runId_ = std::to_string(::getpid()) + "-" +
           std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count());
}

RealBrokerStage& RealBrokerStage::get() { return *stageInstance(); }

testsupport::RealBroker& RealBrokerStage::shared() {
  if (!started_) {
    shared_ = testsupport::RealBroker::start(source_);
    started_ = true;
  }
  return shared_;
}

}  // namespace pactmocks::realbroker

int main(int argc, char* argv[]) {
  using pactmocks::realbroker::RealBrokerStage;
  auto source = pactmocks::testsupport::RealBrokerSource::fromEnvironment();
  const char* ci = std::getenv("CI");
  if (!source.available()) {
    if (ci && std::string(ci) == "true") {
      std::cerr << "real-broker stage: no real Pact Broker found, and it is required under CI=true: "
                << pactmocks::testsupport::RealBrokerSource::howToEnable() << "\n";
      return 1;
    }
    std::cout << "real-broker stage skipped: " << pactmocks::testsupport::RealBrokerSource::howToEnable() << "\n";
    return 77;
  }
  std::cout << "real-broker stage: "
            << (source.externalUrl.empty() ? "starting " + source.startScript : "using " + source.externalUrl) << "\n";
  pactmocks::realbroker::stageInstance().emplace(std::move(source));
  int result = Catch::Session().run(argc, argv);
  pactmocks::realbroker::stageInstance().reset();  // stops the shared broker before exit
  return result;
}
