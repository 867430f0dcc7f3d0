// The status page in a real browser, served by a live manager asking live mocks: the broker
// stand-in, a manager publishing the example pacts, the AWS mock on the example pact (one
// interaction exercised), the Azure mock on a pact with a hostile description (an unmatched
// request with a hostile, not UTF-8, path too) and a GCP mock that is down. Headless Chromium loads the
// manager's GET / (--dump-dom), the DOM must show the providers, the counts and the hostile
// text as text (no injected element), and a screenshot is saved next to the test output (the
// working directory: under ctest, the test's build folder). Exit 77 (ctest: skipped) when
// Chromium is not installed, unless CI=true, where a missing browser is a failure.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include "JsonHttp.h"
#include "KubeletVolume.h"
#include "PodProcesses.h"
#include "TestPacts.h"

namespace fs = std::filesystem;
namespace ts = pactmocks::testsupport;
using namespace std::chrono_literals;

namespace {

constexpr int kSkip = 77;
int failures = 0;

void check(bool condition, const std::string& what) {
  std::cout << (condition ? "ok:   " : "FAIL: ") << what << "\n";
  if (!condition) ++failures;
}

std::string findChromium() {
  if (const char* chosen = std::getenv("CHROMIUM"); chosen && *chosen) return chosen;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    const auto end = dirs.find(':', start);
    const std::string dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
    for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
      const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
      std::error_code ec;
      if (fs::is_regular_file(candidate, ec) && access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return "";
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command, returns its standard output and sets `status` to its exit status.
std::string run(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    status = -1;
    return out;
  }
  std::array<char, 65536> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  status = pclose(pipe);
  return out;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++count;
  return count;
}

// The example pacts as a ConfigMap payload.
std::map<std::string, std::string> examplePayload() {
  std::map<std::string, std::string> payload;
  for (const auto& entry : fs::directory_iterator(ts::examplePactsDir()))
    if (entry.path().extension() == ".json") payload[entry.path().filename().string()] = ts::readFile(entry.path().string());
  return payload;
}

}  // namespace

// Starts the pod, sends the traffic, has Chromium load the manager's page and checks it.
void checkLivePage(const std::string& chromium) {
  // The live pod (its processes end with this scope's objects).
  ts::TempDir dir("pactmocks-browser");
  auto broker = ts::startBrokerProcess({});
  ts::KubeletVolume volume(dir / "configmap");
  volume.update(examplePayload());
  fs::create_directories(dir / "aws");
  fs::create_directories(dir / "azure");
  fs::copy_file(fs::path(ts::examplePactsDir()) / "Secret-Manager-Controller-AWS-Secrets-Manager.json", dir / "aws/aws.json");
  ts::writeFile(dir / "azure/azure.json", pactmocks::mockserver::testing::hostilePact("Azure-Key-Vault"));
  auto aws = ts::startServingMock("aws-mock-server", {}, {"--pacts-dir", dir / "aws"});
  auto azure = ts::startServingMock("azure-mock-server", {}, {"--pacts-dir", dir / "azure"});
  const std::uint16_t gcpDown = ts::freePort();
  ts::ManagerProcessOptions managerOptions;
  managerOptions.brokerUrl = broker.url();
  managerOptions.configMapPath = volume.mountDir();
  managerOptions.env = {{"MOCK_URLS", "aws=" + aws.url() + ",gcp=http://127.0.0.1:" + std::to_string(gcpDown) +
                                          ",azure=" + azure.url()},
                        {"MOCK_TIMEOUT_SECONDS", "1"}};
  auto manager = ts::startManagerProcess(managerOptions);
  check(ts::waitForHttpStatus(manager.port, "/ready", 200, 30s), "the manager published the example pacts");

  // Traffic: one AWS interaction exercised, one request the Azure contract does not cover.
  check(ts::httpRequest(aws.port, "POST", "/", R"({"SecretId":"test-secret"})",
                        {{"Content-Type", "application/x-amz-json-1.1"},
                         {"X-Amz-Target", "secretsmanager.GetSecretValue"}})
                .status == 200,
        "the AWS mock served GetSecretValue");
  check(ts::httpRequest(azure.port, "GET", "/secrets/<img/src=x/onerror=alert(2)>\xff?api-version=7.4", {},
                        {{"Authorization", "Bearer t"}})
                .status == 500,
        "the Azure mock reported an unmatched request");

  const std::string url = manager.url() + "/";
  const fs::path outDir = fs::absolute(fs::current_path());
  const fs::path page = outDir / "status-page.html";
  const fs::path dom = outDir / "status-page.dom.html";
  const fs::path screenshot = outDir / "status-page.png";
  const fs::path profile = outDir / "status-page-chromium-profile";
  const auto served = ts::httpGet(manager.port, "/", 10s);
  check(served.status == 200 && served.header("content-type").starts_with("text/html"), "the manager serves GET / as HTML");
  std::ofstream(page, std::ios::binary | std::ios::trunc) << served.body;
  fs::remove(screenshot);
  const std::string common = "timeout 90 " + quoted(chromium) +
                             " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
                             " --user-data-dir=" + quoted(profile.string()) + " ";

  int status = 0;
  const std::string text = run(common + "--dump-dom " + quoted(url) + " 2>/dev/null", status);
  std::ofstream(dom, std::ios::binary | std::ios::trunc) << text;
  check(status == 0, "chromium --dump-dom exited 0 (status " + std::to_string(status) + ")");
  check(text.find("<table id=\"providers\">") != std::string::npos, "the providers table is in the DOM");
  for (const char* provider : {"AWS-Secrets-Manager", "GCP-Secret-Manager", "Azure-Key-Vault"})
    check(text.find(std::string("<td>") + provider + "</td><td>Secret-Manager-Controller</td>") != std::string::npos,
          std::string(provider) + " is listed with its consumer");
  check(text.find("<span class=\"ok\">healthy</span>") != std::string::npos, "the broker is shown healthy");
  check(text.find("1/7 exercised") != std::string::npos, "the AWS coverage count is shown");
  check(text.find("width:14%") != std::string::npos, "the AWS coverage bar is 14% wide");
  check(text.find("0/3 exercised") != std::string::npos, "the Azure coverage count is shown");
  check(text.find("<td>dir</td>") != std::string::npos, "the mocks' contract source is shown");
  check(text.find("unreachable") != std::string::npos, "the GCP mock that is down is shown unreachable");
  check(text.find("Not exercised (9)") != std::string::npos, "the unexercised interactions are listed");
  check(text.find("&lt;script&gt;alert(1)&lt;/script&gt;\"'&amp;amp;") != std::string::npos,
        "the hostile description is text");
  check(occurrences(text, "END-OF-HOSTILE") >= 1, "the whole hostile description is kept (in the cell's tooltip)");
  check(text.find("<script") == std::string::npos, "no script element was injected");
  check(text.find("<img") == std::string::npos, "no img element was injected");
  check(text.find("Recent mismatches (1)") != std::string::npos, "the mismatch is listed");
  check(text.find("&lt;img/src=x/onerror=alert(2)&gt;\xEF\xBF\xBD") != std::string::npos,
        "the hostile request path is text, its invalid UTF-8 replaced");

  run(common + "--window-size=1280,1800 --screenshot=" + quoted(screenshot.string()) + " " + quoted(url) +
          " >/dev/null 2>&1",
      status);
  std::error_code ec;
  check(status == 0 && fs::exists(screenshot, ec) && fs::file_size(screenshot, ec) > 1000,
        "a screenshot was saved to " + screenshot.string());
  fs::remove_all(profile, ec);
  std::cout << "DOM: " << dom.string() << "\n";
}

int main() {
  const bool ci = [] {
    const char* v = std::getenv("CI");
    return v && std::string(v) == "true";
  }();
  const std::string chromium = findChromium();
  if (chromium.empty()) {
    std::cout << "chromium not found (install it: scripts/install-deps.sh, or set CHROMIUM)\n";
    if (ci) {
      std::cout << "FAIL: CI=true does not allow skipping the browser test\n";
      return 1;
    }
    return kSkip;
  }

  try {
    checkLivePage(chromium);
  } catch (const std::exception& e) {
    std::cout << "FAIL: " << e.what() << "\n";
    return 1;
  }
  return failures == 0 ? 0 : 1;
}
