#pragma once
// The pure part of `pact-mocks-report`, the CI command that asks the manager for the pod's merged
// coverage (`GET /coverage`, CoverageMerge.h) after a test run: a text summary, JUnit XML, and
// the exit decision.
#include <string>

#include <nlohmann/json.hpp>

namespace pactmocks::manager {

// Per provider: "<provider>: <exercised>/<total> interactions exercised, <n> unmatched request(s)",
// then the unexercised interactions, the unmatched groups and the unreachable mocks.
std::string coverageSummaryText(const nlohmann::json& merged);

// One suite per provider (a case per interaction, failed when not exercised), a suite for the
// unmatched request groups and one for unreachable mocks (each a failed case).
std::string coverageReportJunitXml(const nlohmann::json& merged);

// Exit codes of the command.
inline constexpr int kReportPassed = 0;
inline constexpr int kReportFailed = 1;  // the run and the contracts disagree
inline constexpr int kReportError = 2;   // usage, or the manager could not be asked

// Unmatched requests, an unreachable mock or a document that is not merged coverage always fail
// (the controller sent what no contract covers, or coverage is unknown); with `requireAll`
// every interaction must also have been exercised.
int coverageExitCode(const nlohmann::json& merged, bool requireAll);

}  // namespace pactmocks::manager
