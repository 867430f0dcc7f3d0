#include "FlowRunner.h"

#include <nlohmann/json.hpp>

namespace pactmocks::e2e {

FlowRunner::FlowRunner(std::string baseUrl, std::chrono::milliseconds timeout)
    : client_(std::move(baseUrl), {}, timeout) {}

std::string substitute(const std::string& text, const std::map<std::string, std::string>& values) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    std::size_t open = text.find("{{", pos);
    std::size_t close = open == std::string::npos ? open : text.find("}}", open + 2);
    if (close == std::string::npos) break;
    out.append(text, pos, open - pos);
    auto it = values.find(text.substr(open + 2, close - open - 2));
    out += it != values.end() ? it->second : text.substr(open, close + 2 - open);
    pos = close + 2;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

StepResult FlowRunner::run(const FlowStep& step) {
  StepResult result;
  result.step = step.name;
  result.method = step.call.method;
  result.target = substitute(step.call.target, captured_);

  const auto start = std::chrono::steady_clock::now();
  http::ClientResult reply = client_.request(result.method, result.target, substitute(step.call.body, captured_), step.call.headers);
  result.observed.elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  if (reply.response) {
    result.observed.status = reply.response->status;
    result.observed.headers = std::move(reply.response->headers);
    result.observed.body = std::move(reply.response->body);
  } else {
    result.observed.error = reply.error.empty() ? "no response" : reply.error;
  }
  result.problems = findProblems(step.expect, result.observed);

  if (result.passed() && !step.captures.empty()) {
    auto body = nlohmann::json::parse(result.observed.body, nullptr, false);
    for (const auto& capture : step.captures) {
      const auto pointer = nlohmann::json::json_pointer(capture.pointer);
      if (body.is_discarded() || !body.contains(pointer) || !body.at(pointer).is_string()) {
        result.problems.push_back("cannot capture " + capture.variable + " from " + capture.pointer);
        continue;
      }
      std::string value = body.at(pointer).get<std::string>();
      if (capture.lastPathSegment) value = value.substr(value.rfind('/') + 1);
      captured_[capture.variable] = value;
    }
  }
  return result;
}

std::vector<StepResult> FlowRunner::runAll(const std::vector<FlowStep>& steps) {
  std::vector<StepResult> results;
  results.reserve(steps.size());
  for (const auto& step : steps) results.push_back(run(step));
  return results;
}

std::string formatResult(const std::string& providerKey, const StepResult& result) {
  std::string line = (result.passed() ? "PASS " : "FAIL ") + providerKey + " " + result.step + " " +
                     (result.observed.status ? std::to_string(result.observed.status) : std::string("-")) + " " +
                     std::to_string(result.observed.elapsed.count()) + "ms " + result.method + " " + result.target;
  for (std::size_t i = 0; i < result.problems.size(); ++i) line += (i == 0 ? ": " : "; ") + result.problems[i];
  return line;
}

}  // namespace pactmocks::e2e
