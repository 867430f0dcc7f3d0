#pragma once
// The real-broker stage's runner: finds a real Pact Broker (RealBrokerSource), starts one that
// the test cases share (distinct pacticipant names per case), and lets cases start brokers of
// their own when they must restart or reconfigure one.
#include "RealBroker.h"

namespace pactmocks::realbroker {

class RealBrokerStage {
 public:
  static RealBrokerStage& get();
  const testsupport::RealBrokerSource& source() const { return source_; }
  // The shared broker, started on first use.
  testsupport::RealBroker& shared();
  // A suffix that makes names unique to this run (an external broker keeps earlier runs' data).
  const std::string& runId() const { return runId_; }

  explicit RealBrokerStage(testsupport::RealBrokerSource source);

 private:
  testsupport::RealBrokerSource source_;
  testsupport::RealBroker shared_;
  bool started_ = false;
  std::string runId_;
};

}  // namespace pactmocks::realbroker
