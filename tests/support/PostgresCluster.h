#pragma once
// A throwaway PostgreSQL cluster for tests (Debian's postgresql package): initdb into a temp
// directory, started on a loopback port, one database with its owner, stopped and removed on
// destruction. Runs the server as the `postgres` user when the test runs as root (initdb refuses root).
#include <cstdint>
#include <optional>
#include <string>

namespace pactmocks::testsupport {

class PostgresCluster {
 public:
  // The directory of initdb/pg_ctl/psql (/usr/lib/postgresql/<version>/bin), if installed.
  static std::optional<std::string> binDir();
  // Throws std::runtime_error with the tool's output when a step fails.
  PostgresCluster(std::string database, std::string user, std::string password);
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  std::uint16_t port() const { return port_; }
  // postgres://user:password@127.0.0.1:port/database
  std::string url() const;

 private:
  std::string run(const std::string& tool, const std::string& arguments) const;
  std::string bin_, dir_, database_, user_, password_;
  std::uint16_t port_ = 0;
  bool started_ = false;
};

}  // namespace pactmocks::testsupport
