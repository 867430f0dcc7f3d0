// The stand-in's behaviour, driven through its router (no sockets): what pact_broker 2.113 does.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "BrokerStandin.h"
#include "TestProcess.h"

using namespace pactmocks::testsupport;
using nlohmann::json;
namespace http = pactmocks::http;

namespace {

const char* kAuth = "Basic cGFjdDpwYWN0";  // pact:pact

json pactJson(const std::string& consumer, const std::string& provider, const std::string& path = "/a") {
  return {{"consumer", {{"name", consumer}}},
          {"provider", {{"name", provider}}},
          {"interactions",
           {{{"description", "d " + path}, {"request", {{"method", "GET"}, {"path", path}}}, {"response", {{"status", 200}}}}}},
          {"metadata", {{"pactSpecification", {{"version", "3.0.0"}}}}}};
}

struct Client {
  http::Router router;
  http::Response call(const std::string& method, const std::string& path, const std::string& body = {},
                      bool auth = true, const char* contentType = "application/json") {
    http::Request req;
    req.method = method;
    req.target = req.path = path;
    req.body = body;
    req.headers.set("Host", "broker.test:9292");
    if (auth) req.headers.set("Authorization", kAuth);
    if (contentType) req.headers.set("Content-Type", contentType);
    return router.handle(req);
  }
  http::Response putPact(const std::string& c, const std::string& p, const std::string& v, const json& pact) {
    return call("PUT", "/pacts/provider/" + p + "/consumer/" + c + "/version/" + v, pact.dump());
  }
};

}  // namespace

TEST_CASE("Stand-in: heartbeat and unknown documents", "[standin]") {
  BrokerStandin standin({"pact", "pact", ""});
  Client client{standin.router()};
  auto hb = client.call("GET", "/diagnostic/status/heartbeat", "", false, nullptr);
  CHECK(hb.status == 200);
  CHECK(json::parse(hb.body)["ok"] == true);
  auto missing = client.call("GET", "/pacts/provider/P/consumer/C/latest", "", false, nullptr);
  CHECK(missing.status == 404);
  CHECK(json::parse(missing.body)["error"] == "The requested document was not found on this server.");
}

TEST_CASE("Stand-in: publishing, idempotency and 409 on changed content", "[standin]") {
  BrokerStandin standin({"pact", "pact", ""});
  Client client{standin.router()};
  auto first = client.putPact("C", "P", "1.0", pactJson("C", "P"));
  CHECK(first.status == 201);
  CHECK(json::parse(first.body).contains("createdAt"));
  CHECK(client.putPact("C", "P", "1.0", pactJson("C", "P")).status == 200);

  // Metadata-only change: not a content change for the broker.
  auto meta = pactJson("C", "P");
  meta["metadata"]["client"] = {{"name", "x"}};
  CHECK(client.putPact("C", "P", "1.0", meta).status == 200);

  auto conflict = client.putPact("C", "P", "1.0", pactJson("C", "P", "/b"));
  CHECK(conflict.status == 409);
  CHECK_THAT(json::parse(conflict.body)["error"].get<std::string>(),
             Catch::StartsWith("Cannot change the content of the pact for C version 1.0 and provider P"));

  CHECK(client.putPact("C", "P", "1.1", pactJson("C", "P", "/b")).status == 201);
  auto latest = client.call("GET", "/pacts/provider/P/consumer/C/latest", "", false, nullptr);
  CHECK(latest.status == 200);
  CHECK(latest.headers.get("X-Pact-Consumer-Version").value_or("") == "1.1");
  auto body = json::parse(latest.body);
  CHECK(body["interactions"][0]["request"]["path"] == "/b");
  CHECK(body["interactions"][0].contains("_id"));
}

TEST_CASE("Stand-in: request validation and auth", "[standin]") {
  BrokerStandin standin({"pact", "pact", ""});
  Client client{standin.router()};
  auto noAuth = client.call("PUT", "/pacts/provider/P/consumer/C/version/1", pactJson("C", "P").dump(), false);
  CHECK(noAuth.status == 401);
  CHECK(noAuth.headers.get("WWW-Authenticate").value_or("") == "Basic realm=\"Restricted area\"");
  CHECK(client.call("PUT", "/pacts/provider/P/consumer/C/version/1", pactJson("C", "P").dump(), true, "text/plain")
            .status == 415);
  CHECK(client.call("PUT", "/pacts/provider/P/consumer/C/version/1", "{oops").status == 400);
  auto wrongProvider = client.putPact("C", "Q", "1", pactJson("C", "P"));
  CHECK(wrongProvider.status == 400);
  CHECK(json::parse(wrongProvider.body)["errors"]["provider.name"][0] ==
        "name in pact 'P' does not match name in URL path 'Q'.");
  CHECK(client.putPact("X", "P", "1", pactJson("C", "P")).status == 400);
  CHECK(standin.pactCount() == 0);
  // A pact without names takes them from the path.
  auto nameless = pactJson("C", "P");
  nameless.erase("consumer");
  CHECK(client.putPact("C", "P", "1", nameless).status == 201);
}

TEST_CASE("Stand-in: content negotiation as pact_broker does it", "[standin]") {
  BrokerStandin standin({"pact", "pact", ""});
  Client client{standin.router()};
  auto call = [&](const std::string& method, const std::string& path, const std::string& accept,
                  const std::string& body = {}) {
    http::Request req;
    req.method = method;
    req.target = req.path = path;
    req.body = body;
    req.headers.set("Host", "broker.test:9292");
    req.headers.set("Authorization", kAuth);
    if (!body.empty()) req.headers.set("Content-Type", "application/json");
    if (!accept.empty()) req.headers.set("Accept", accept);
    return client.router.handle(req).status;
  };
  const std::string heartbeat = "/diagnostic/status/heartbeat";
  CHECK(call("GET", heartbeat, "application/json") == 406);
  CHECK(call("GET", heartbeat, "text/plain") == 406);
  CHECK(call("GET", heartbeat, "") == 200);
  CHECK(call("GET", heartbeat, "*/*") == 200);
  CHECK(call("GET", heartbeat, "application/*") == 200);
  CHECK(call("GET", heartbeat, "application/hal+json, application/json") == 200);
  CHECK(call("GET", heartbeat, "application/json, application/hal+json;q=0.9") == 200);

  // The pact document also serves application/json; the HAL resources do not.
  CHECK(call("PUT", "/pacts/provider/P/consumer/C/version/1", "text/plain", pactJson("C", "P").dump()) == 406);
  CHECK(standin.pactCount() == 0);  // refused before anything is stored
  CHECK(call("PUT", "/pacts/provider/P/consumer/C/version/1", "application/json", pactJson("C", "P").dump()) == 201);
  CHECK(call("GET", "/pacts/provider/P/consumer/C/latest", "application/json") == 200);
  CHECK(call("GET", "/pacts/provider/P/consumer/C/version/1", "application/json") == 200);
  CHECK(call("GET", "/pacts/provider/P/consumer/C/latest", "text/plain") == 406);
  CHECK(call("GET", "/pacts/provider/P/latest", "application/json") == 406);
  CHECK(call("GET", "/pacts/provider/P/latest", "application/hal+json") == 200);
  CHECK(call("PUT", "/pacticipants/C/branches/main/versions/1", "application/json", "{}") == 406);
  CHECK(call("PUT", "/pacticipants/C/branches/main/versions/1", "application/hal+json, application/json", "{}") == 201);
}

TEST_CASE("Stand-in: provider pact links and branches", "[standin]") {
  BrokerStandin standin({"", "", ""});
  Client client{standin.router()};
  REQUIRE(client.putPact("C1", "P", "1", pactJson("C1", "P")).status == 201);
  REQUIRE(client.putPact("C2", "P", "7", pactJson("C2", "P")).status == 201);
  REQUIRE(client.putPact("C2", "P", "8", pactJson("C2", "P", "/z")).status == 201);
  auto list = client.call("GET", "/pacts/provider/P/latest", "", false, nullptr);
  REQUIRE(list.status == 200);
  auto links = json::parse(list.body)["_links"];
  REQUIRE(links["pb:pacts"].size() == 2);
  CHECK(links["pb:pacts"][0]["name"] == "C1");
  CHECK(links["pb:pacts"][1]["href"] == "http://broker.test:9292/pacts/provider/P/consumer/C2/version/8");
  REQUIRE(links["pacts"].size() == 2);
  CHECK(links["pacts"][1]["href"] == links["pb:pacts"][1]["href"]);
  CHECK(client.call("GET", "/pacts/provider/Unknown/latest", "", false, nullptr).status == 404);
  // A known pacticipant that is no provider: an empty list, as pact_broker answers.
  auto consumerAsProvider = client.call("GET", "/pacts/provider/C1/latest", "", false, nullptr);
  CHECK(consumerAsProvider.status == 200);
  CHECK(json::parse(consumerAsProvider.body)["_links"]["pb:pacts"].empty());

  CHECK(client.call("PUT", "/pacticipants/C1/branches/main/versions/1", "{}").status == 201);
  CHECK(client.call("PUT", "/pacticipants/C1/branches/main/versions/1", "{}").status == 200);
}

TEST_CASE("Stand-in: data survives a restart with a data file", "[standin]") {
  TempDir dir;
  {
    BrokerStandin standin({"", "", dir / "broker.json"});
    Client client{standin.router()};
    REQUIRE(client.putPact("C", "P", "1", pactJson("C", "P")).status == 201);
  }
  BrokerStandin restarted({"", "", dir / "broker.json"});
  CHECK(restarted.pactCount() == 1);
  Client client{restarted.router()};
  CHECK(client.putPact("C", "P", "1", pactJson("C", "P", "/changed")).status == 409);
}
