// gcp-mock-server: see mockserver/MockServerApp.h.
#include "mockserver/MockServerApp.h"

int main(int argc, char** argv) {
  return pactmocks::mockserver::runMockServer(pactmocks::mockserver::gcpProfile(), argc, argv);
}
