#pragma once
// Sends flow steps to one provider endpoint over one keep-alive connection (as an SDK client
// does), checks each answer against its expectation, and carries captured values forward.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "ResponseExpectation.h"
#include "SecretSyncFlow.h"
#include "http/HttpClient.h"

namespace pactmocks::e2e {

struct StepResult {
  std::string step;
  std::string method, target;
  Observed observed;
  std::vector<std::string> problems;
  bool passed() const { return problems.empty(); }
};

class FlowRunner {
 public:
  explicit FlowRunner(std::string baseUrl, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

  StepResult run(const FlowStep& step);
  std::vector<StepResult> runAll(const std::vector<FlowStep>& steps);

 private:
  http::HttpClient client_;
  std::map<std::string, std::string> captured_;
};

// "{{name}}" placeholders replaced by captured values (unknown names are left as they are).
std::string substitute(const std::string& text, const std::map<std::string, std::string>& values);

// One line per step for humans and for the e2e test: "PASS aws create-secret 200 3ms" or
// "FAIL aws read-back 500 2ms: status 500, expected 200 (...)".
std::string formatResult(const std::string& providerKey, const StepResult& result);

}  // namespace pactmocks::e2e
