// pact-mocks-report: after a controller's test run, asks the manager for the pod's merged
// contract coverage, prints a summary, optionally writes JUnit XML, and exits 0 (passed),
// 1 (unmatched requests, an unreachable mock, or with --require-all an unexercised interaction)
// or 2 (usage, or the manager could not be asked).
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "CoverageReport.h"
#include "http/HttpClient.h"

namespace {

constexpr const char* kUsage =
    "usage: pact-mocks-report --manager URL [--junit FILE] [--require-all] [--timeout SECONDS]\n"
    "  --manager URL    the manager, e.g. http://localhost:1238 (GET <URL>/coverage)\n"
    "  --junit FILE     also write the coverage as JUnit XML to FILE\n"
    "  --require-all    fail unless every interaction was exercised\n"
    "  --timeout S      how long to wait for the manager (default 30)\n"
    "exit codes: 0 passed, 1 coverage failed, 2 usage error or manager unreachable\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace pactmocks::manager;
  std::string managerUrl, junitFile;
  bool requireAll = false;
  long timeoutSeconds = 30;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool hasValue = i + 1 < argc;
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return kReportPassed;
    } else if (arg == "--manager" && hasValue) {
      managerUrl = argv[++i];
    } else if (arg == "--junit" && hasValue) {
      junitFile = argv[++i];
    } else if (arg == "--require-all") {
      requireAll = true;
    } else if (arg == "--timeout" && hasValue) {
      try {
        timeoutSeconds = std::stol(argv[++i]);
      } catch (const std::exception&) {
        timeoutSeconds = 0;
      }
      if (timeoutSeconds <= 0) {
        std::cerr << "pact-mocks-report: --timeout needs a positive number of seconds\n";
        return kReportError;
      }
    } else {
      std::cerr << "pact-mocks-report: unexpected argument '" << arg << "'\n" << kUsage;
      return kReportError;
    }
  }
  if (managerUrl.empty()) {
    std::cerr << "pact-mocks-report: --manager URL is required\n" << kUsage;
    return kReportError;
  }
  if (auto url = pactmocks::http::Url::parse(managerUrl); !url) {
    std::cerr << "pact-mocks-report: --manager: " << url.error() << "\n";
    return kReportError;
  }

  pactmocks::http::HttpClient client(managerUrl, {}, std::chrono::seconds(timeoutSeconds));
  const auto answer = client.get("/coverage");
  if (!answer.ok()) {
    std::cerr << "pact-mocks-report: GET " << managerUrl << "/coverage failed: "
              << (answer.response ? "HTTP " + std::to_string(answer.status()) : answer.error) << "\n";
    return kReportError;
  }
  const auto merged = nlohmann::json::parse(answer.response->body, nullptr, false);
  if (merged.is_discarded()) {
    std::cerr << "pact-mocks-report: the manager's /coverage answer is not JSON\n";
    return kReportError;
  }

  std::cout << coverageSummaryText(merged);
  if (!junitFile.empty()) {
    std::ofstream out(junitFile, std::ios::binary | std::ios::trunc);
    out << coverageReportJunitXml(merged);
    if (!out.flush()) {
      std::cerr << "pact-mocks-report: cannot write " << junitFile << "\n";
      return kReportError;
    }
  }
  return coverageExitCode(merged, requireAll);
}
