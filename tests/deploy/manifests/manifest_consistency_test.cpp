// The manifests in deploy/k8s must use the ports, probe paths, env variable names and provider
// names that the binaries actually use, and the ones ARCHITECTURE.md agreed on.
//  [agreed]   manifest vs the agreed table (always runs)
//  [binaries] manifest vs each binary's --print-config (a binary that is not built is reported
//             with "SKIPPED:", which ctest turns into a skipped test)
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "PodManifest.h"
#include "TestProcess.h"

namespace fs = std::filesystem;
using pactmocks::deploytest::Container;
using pactmocks::deploytest::PodManifest;
using pactmocks::deploytest::readPodManifest;
using pactmocks::deploytest::urlPort;
using nlohmann::json;

namespace {

fs::path sourceDir() {
  const char* dir = std::getenv("PACTMOCKS_SOURCE_DIR");
  if (!dir) throw std::runtime_error("PACTMOCKS_SOURCE_DIR is not set (run through ctest)");
  return dir;
}

const PodManifest& manifest() {
  static const PodManifest m = readPodManifest(sourceDir() / "deploy/k8s/base");
  return m;
}

struct Mock {
  std::string container;
  std::string provider;  // empty for the webhook
  int port;
  std::string service;
  int servicePort;
};

// ARCHITECTURE.md, "Ports and names".
const std::vector<Mock> kMocks = {
    {"aws-mock-server", "AWS-Secrets-Manager", 1234, "aws-mock-server", 1234},
    {"gcp-mock-server", "GCP-Secret-Manager", 1235, "gcp-mock-server", 1234},
    {"azure-mock-server", "Azure-Key-Vault", 1236, "azure-mock-server", 1234},
    {"mock-webhook", "", 1237, "mock-webhook", 1237},
};
constexpr int kManagerPort = 1238;
constexpr int kBrokerPort = 9292;
const std::string kBrokerHealthPath = "/diagnostic/status/heartbeat";

void checkProbes(const Container& c, const std::set<std::string>& allowedPaths) {
  INFO("container " << c.name);
  CHECK_FALSE(c.probes.empty());
  for (const auto& p : c.probes) {
    INFO(p.kind << " path " << p.path << " port " << p.port);
    CHECK(allowedPaths.count(p.path) == 1);
    CHECK(p.port == c.port());
  }
}

std::string probePath(const Container& c, const std::string& kind) {
  for (const auto& p : c.probes)
    if (p.kind == kind) return p.path;
  return {};
}

// The directory holding `path` is a mount of the container (the root filesystem is read-only).
bool underWritableMount(const Container& c, const std::string& path) {
  for (const auto& [mountPath, volume] : c.mounts)
    if (path.rfind(mountPath + "/", 0) == 0 && !c.mountReadOnly.at(mountPath)) return true;
  return false;
}

}  // namespace

TEST_CASE("mock containers use the agreed ports, probe paths and provider names", "[agreed]") {
  const auto& m = manifest();
  const auto& broker = m.container("pact-broker");
  const auto& manager = m.container("manager");
  for (const auto& mock : kMocks) {
    INFO("container " << mock.container);
    const auto& c = m.container(mock.container);
    CHECK(c.port() == mock.port);
    CHECK(c.envValue("PORT") == std::to_string(mock.port));
    checkProbes(c, {"/health"});
    const auto& svc = m.service(mock.service);
    CHECK(svc.port == mock.servicePort);
    CHECK(svc.targetPort == mock.port);
    CHECK(svc.targetContainer == mock.container);
    if (!mock.provider.empty()) {
      CHECK(c.envValue("PROVIDER_NAME") == mock.provider);
      // The mocks wait for the broker and the manager: a startup probe must cover that.
      CHECK_FALSE(probePath(c, "startupProbe").empty());
      REQUIRE(c.envValue("BROKER_URL"));
      CHECK(urlPort(*c.envValue("BROKER_URL")) == broker.port());
      REQUIRE(c.envValue("MANAGER_URL"));
      CHECK(urlPort(*c.envValue("MANAGER_URL")) == manager.port());
    }
  }
}

TEST_CASE("manager and broker containers use the agreed ports, probes and paths", "[agreed]") {
  const auto& m = manifest();
  const auto& broker = m.container("pact-broker");
  CHECK(broker.port() == kBrokerPort);
  checkProbes(broker, {kBrokerHealthPath});
  CHECK(m.service("pact-broker").port == kBrokerPort);
  CHECK(m.service("pact-broker").targetPort == kBrokerPort);

  const auto& manager = m.container("manager");
  CHECK(manager.port() == kManagerPort);
  CHECK(manager.envValue("HEALTH_PORT") == std::to_string(kManagerPort));
  CHECK(probePath(manager, "livenessProbe") == "/liveness");
  CHECK(probePath(manager, "readinessProbe") == "/readiness");
  checkProbes(manager, {"/liveness", "/readiness"});
  REQUIRE(manager.envValue("BROKER_URL"));
  CHECK(urlPort(*manager.envValue("BROKER_URL")) == broker.port());
  CHECK(manager.envValue("BROKER_HEALTH_PATH") == probePath(broker, "livenessProbe"));

  // CONFIGMAP_PATH is where the pact-contracts ConfigMap is mounted, read-only.
  const auto configMapPath = manager.envValue("CONFIGMAP_PATH");
  REQUIRE(configMapPath);
  REQUIRE(manager.mounts.count(*configMapPath) == 1);
  const auto volume = manager.mounts.at(*configMapPath);
  REQUIRE(m.configMapVolumes.count(volume) == 1);
  CHECK(m.configMapVolumes.at(volume) == "pact-contracts");
  CHECK(manager.envValue("CONFIGMAP_NAME") == "pact-contracts");
  CHECK(manager.mountReadOnly.at(*configMapPath));

  const auto flag = manager.envValue("PUBLISHED_FLAG_PATH");
  REQUIRE(flag);
  CHECK(underWritableMount(manager, *flag));
}

TEST_CASE("example contracts name the providers the mock containers serve", "[agreed]") {
  std::set<std::string> served;
  for (const auto& mock : kMocks)
    if (!mock.provider.empty()) served.insert(*manifest().container(mock.container).envValue("PROVIDER_NAME"));
  std::set<std::string> inExamples;
  for (const auto& entry : fs::directory_iterator(sourceDir() / "examples/pacts")) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    const auto pact = json::parse(in);
    CHECK(pact.at("consumer").at("name") == "Secret-Manager-Controller");
    inExamples.insert(pact.at("provider").at("name").get<std::string>());
  }
  CHECK(inExamples == served);
}

namespace {

// The binary's path: PACTMOCKS_BIN_<NAME> (set by CMake for targets it knows), else a search of
// the build tree. Empty when not built.
fs::path findBinary(const std::string& name) {
  std::string var = "PACTMOCKS_BIN_" + name;
  for (auto& ch : var) ch = ch == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (const char* p = std::getenv(var.c_str()); p && *p && fs::is_regular_file(p)) return p;
  const char* build = std::getenv("PACTMOCKS_BINARY_DIR");
  if (!build) return {};
  for (const char* sub : {"manager", "mockserver", "bin", ""}) {
    auto candidate = fs::path(build) / sub / name;
    if (fs::is_regular_file(candidate)) return candidate;
  }
  return {};
}

// Runs `binary --print-config` with exactly `env` (nothing inherited) and parses its JSON.
json printConfig(const fs::path& binary, const std::map<std::string, std::string>& env) {
  using namespace pactmocks::testsupport;
  ProcessOptions options;
  options.executable = binary.string();
  options.args = {"--print-config"};
  options.env = env;
  options.inheritEnvironment = false;
  auto process = TestProcess::start(options);
  const auto code = process.waitForExit(std::chrono::seconds(10));
  INFO(binary.string() << " --print-config output:\n" << process.output());
  REQUIRE(code.has_value());
  REQUIRE(*code == 0);
  const auto out = process.output();
  // Tolerate log lines before the JSON document.
  const auto start = out.find('{');
  REQUIRE(start != std::string::npos);
  return json::parse(out.substr(start));
}

// The container's env as the binary would see it in the pod; values from Secrets or the downward
// API get a stand-in value (only their presence matters here).
std::map<std::string, std::string> podEnvironment(const Container& c) {
  std::map<std::string, std::string> env;
  for (const auto& e : c.env) env[e.name] = e.value.value_or("from-pod");
  return env;
}

bool noBinaryBuilt() {
  for (const char* name : {"manager", "aws-mock-server", "gcp-mock-server", "azure-mock-server", "mock-webhook"})
    if (!findBinary(name).empty()) return false;
  return true;
}

// With no binary built at all the test reports "SKIPPED:" (ctest marks it skipped); a single
// missing binary is only noted, so the checks of the others still count.
bool skipIfMissing(const fs::path& binary, const std::string& name) {
  if (!binary.empty()) return false;
  std::cout << (noBinaryBuilt() ? "SKIPPED: " : "NOTE: ") << name
            << " is not built (looked for PACTMOCKS_BIN_* and in PACTMOCKS_BINARY_DIR); "
            << "its ports, probe paths and env names are not compared with the manifest\n";
  return true;
}

}  // namespace

TEST_CASE("mock binaries listen where the manifest probes and routes them", "[binaries]") {
  for (const auto& mock : kMocks) {
    const auto binary = findBinary(mock.container);
    if (skipIfMissing(binary, mock.container)) continue;
    INFO("binary " << binary.string());
    const auto& c = manifest().container(mock.container);
    if (!c.command.empty()) CHECK(fs::path(c.command.front()).filename() == mock.container);

    // Defaults (nothing set) are the agreed port and provider, so PORT in the manifest only restates them.
    const auto defaults = printConfig(binary, {});
    CHECK(defaults.at("port").get<int>() == c.port());
    if (!mock.provider.empty()) CHECK(defaults.at("provider").get<std::string>() == c.envValue("PROVIDER_NAME"));

    // With the container's env: same port, same provider, probe paths are its health path, and
    // every variable the manifest sets is one the binary reads (a typo would be silently ignored).
    const auto config = printConfig(binary, podEnvironment(c));
    CHECK(config.at("port").get<int>() == c.port());
    if (!mock.provider.empty()) CHECK(config.at("provider").get<std::string>() == c.envValue("PROVIDER_NAME"));
    for (const auto& p : c.probes) {
      INFO(p.kind);
      CHECK(p.path == config.at("health_path").get<std::string>());
      CHECK(p.port == config.at("port").get<int>());
    }
    const auto known = config.at("env_vars").get<std::set<std::string>>();
    for (const auto& e : c.env) {
      INFO("env " << e.name);
      CHECK(known.count(e.name) == 1);
    }
    if (config.contains("manager_url"))
      CHECK(urlPort(config.at("manager_url").get<std::string>()) == manifest().container("manager").port());
    if (config.contains("broker_url"))
      CHECK(urlPort(config.at("broker_url").get<std::string>()) == manifest().container("pact-broker").port());
  }
}

TEST_CASE("manager binary serves its health endpoints where the manifest probes them", "[binaries]") {
  const auto binary = findBinary("manager");
  if (skipIfMissing(binary, "manager")) return;
  INFO("binary " << binary.string());
  const auto& c = manifest().container("manager");
  if (!c.command.empty()) CHECK(fs::path(c.command.front()).filename() == "manager");

  const auto defaults = printConfig(binary, {});
  CHECK(defaults.at("health").at("port").get<int>() == c.port());

  const auto config = printConfig(binary, podEnvironment(c));
  const auto& health = config.at("health");
  CHECK(health.at("port").get<int>() == c.port());
  CHECK(probePath(c, "livenessProbe") == health.at("paths").at("liveness").get<std::string>());
  CHECK(probePath(c, "readinessProbe") == health.at("paths").at("readiness").get<std::string>());
  for (const auto& p : c.probes) CHECK(p.port == health.at("port").get<int>());
  const auto& env = config.at("env");
  for (const auto& e : c.env) {
    INFO("env " << e.name);
    CHECK(env.contains(e.name));
  }
  CHECK(env.at("CONFIGMAP_PATH").get<std::string>() == c.envValue("CONFIGMAP_PATH"));
  CHECK(env.at("BROKER_HEALTH_PATH").get<std::string>() == probePath(manifest().container("pact-broker"), "livenessProbe"));
  CHECK(urlPort(env.at("BROKER_URL").get<std::string>()) == manifest().container("pact-broker").port());
}
