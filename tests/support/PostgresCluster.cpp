#include "PostgresCluster.h"

#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <vector>

#include "TestProcess.h"

namespace pactmocks::testsupport {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::optional<std::string> PostgresCluster::binDir() {
  const fs::path root = "/usr/lib/postgresql";
  std::error_code ec;
  std::optional<std::string> best;
  for (const auto& entry : fs::directory_iterator(root, ec))
    if (fs::exists(entry.path() / "bin" / "initdb")) best = (entry.path() / "bin").string();  // any version
  return best;
}

PostgresCluster::PostgresCluster(std::string database, std::string user, std::string password)
    : database_(std::move(database)), user_(std::move(user)), password_(std::move(password)) {
  auto bin = binDir();
  if (!bin) throw std::runtime_error("PostgreSQL is not installed (Debian package postgresql)");
  bin_ = *bin;
  std::string pattern = (fs::temp_directory_path() / "pactmocks-postgres-XXXXXX").string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed for the PostgreSQL cluster");
  dir_ = buf.data();
  if (::geteuid() == 0) run("chown", "postgres:postgres '" + dir_ + "'");
  port_ = freePort();
  run(bin_ + "/initdb", "-D '" + dir_ + "/data' -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8");
  run(bin_ + "/pg_ctl", "-D '" + dir_ + "/data' -l '" + dir_ + "/server.log' -o \"-p " + std::to_string(port_) +
                            " -k " + dir_ + " -c listen_addresses=127.0.0.1 -c fsync=off\" -w -t 60 start");
  started_ = true;
  run(bin_ + "/psql", "-h '" + dir_ + "' -p " + std::to_string(port_) + " -U postgres -v ON_ERROR_STOP=1 -c \"CREATE USER " +
                          user_ + " WITH PASSWORD '" + password_ + "';\" -c \"CREATE DATABASE " + database_ + " OWNER " +
                          user_ + ";\"");
}

PostgresCluster::~PostgresCluster() {
  try {
    if (started_) run(bin_ + "/pg_ctl", "-D '" + dir_ + "/data' -m immediate -w -t 30 stop");
  } catch (const std::exception&) {
    // Best effort: the temp directory goes anyway.
  }
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

std::string PostgresCluster::url() const {
  return "postgres://" + user_ + ":" + password_ + "@127.0.0.1:" + std::to_string(port_) + "/" + database_;
}

std::string PostgresCluster::run(const std::string& tool, const std::string& arguments) const {
  // As the postgres user when root (initdb and the server refuse to run as root).
  const bool asPostgres = ::geteuid() == 0 && tool != "chown";
  const std::string command = (asPostgres ? "runuser -u postgres -- " : "") + tool + " " + arguments;
  ProcessOptions options;
  options.executable = "sh";
  options.args = {"-c", command};
  auto process = TestProcess::start(std::move(options));
  auto code = process.waitForExit(90s);
  if (!code || *code != 0)
    throw std::runtime_error("PostgreSQL step failed (" + (code ? "exit " + std::to_string(*code) : std::string("timeout")) +
                             "): " + command + "\n" + process.output());
  return process.output();
}

}  // namespace pactmocks::testsupport
