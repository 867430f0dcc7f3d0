#pragma once
// Starts a mock server binary in directory mode (PACTS_DIR) on a free loopback port and waits
// until it serves /health, for the abuse and security tests.
#include <cstdint>
#include <map>
#include <string>

#include "TestProcess.h"

namespace pactmocks::hardening {

struct MockUnderTest {
  testsupport::TestProcess process;
  std::uint16_t port = 0;
};

// `binary` e.g. "aws-mock-server"; `env` is added to PORT, PACTS_DIR and LOG_LEVEL.
MockUnderTest startMock(const std::string& binary, const std::string& pactsDir,
                        std::map<std::string, std::string> env = {});

// The example pacts shipped in examples/pacts (from PACTMOCKS_SOURCE_DIR).
std::string examplePactsDir();

}  // namespace pactmocks::hardening
