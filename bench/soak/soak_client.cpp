// The soak's load generator and judge (bench/soak/soak.py writes its plan): T threads, each with
// one keep-alive connection per target, cycle through a list of requests until N answers in
// total. Every answer is classified against what its request was built for: the interaction
// header and status of a match, the mismatch marker of a miss, the status of each injected fault,
// a reset or a short body where one was asked for, an admin call's status. Anything else is an
// error, with its first examples printed. Blocking sockets: one request in flight per
// connection, so an answer always belongs to the request just sent.
//
// Usage: bench-soak-client PLAN.json TOTAL THREADS
// Prints "PROGRESS <answers> <errors>" every 50,000 answers, then "SOAK_JSON {...}".
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "RawConnection.h"

using nlohmann::json;

namespace {

// What a request was built for.
struct Planned {
  int target = 0;          // port
  std::string bytes;       // the whole request
  std::string kind;        // match | miss | status | reset | malformed | admin
  std::string name;        // the class counted for a correct answer
  int status = 0;          // expected status (match, status, admin)
  std::string interaction; // match: the X-Pact-Interaction expected
  std::vector<int> outageStatuses;  // admin: statuses that are right while the broker is away
  std::string header;      // status: a header the answer must carry (lower case)
};

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  bool complete = false;      // Content-Length bytes received
  std::size_t received = 0;   // bytes of an incomplete answer received
  int error = 0;              // errno of the failed read (0: orderly close)
};

// One keep-alive connection to a target (the tests' RawConnection: Content-Length framing,
// bounded reads).
class Connection {
 public:
  explicit Connection(int port) {
    try {
      raw_.emplace(static_cast<std::uint16_t>(port), std::chrono::seconds(10));
      raw_->resetOnClose();  // no TIME_WAIT pile-up from a million-request run's reconnects
    } catch (const std::runtime_error&) {
      // connected() says it
    }
  }
  bool connected() const { return raw_.has_value(); }
  bool used() const { return used_; }
  bool send(const std::string& bytes) {
    used_ = true;
    return raw_->send(bytes);
  }
  Reply read() {
    Reply reply;
    auto response = raw_->readResponse();
    if (!response) {
      reply.received = raw_->pendingBytes();
      reply.error = raw_->lastErrno();
      return reply;
    }
    reply.status = response->status;
    reply.headers = std::move(response->headers);
    reply.body = std::move(response->body);
    reply.complete = true;
    return reply;
  }

 private:
  std::optional<pactmocks::testsupport::RawConnection> raw_;
  bool used_ = false;
};

double monotonicSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);  // the clock of Python's time.monotonic()
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Tally {
  std::map<std::string, std::uint64_t> classes;
  std::map<std::string, std::pair<double, double>> windows;  // class → first, last time seen
  std::map<std::string, std::map<std::string, std::uint64_t>> servedSets;  // target → set → answers
  std::uint64_t errors = 0;
  std::vector<std::string> examples;

  void count(const std::string& name, bool timed = false) {
    ++classes[name];
    if (timed) {
      const double now = monotonicSeconds();
      auto [it, fresh] = windows.try_emplace(name, now, now);
      if (!fresh) it->second.second = now;
    }
  }
  void error(const std::string& name, const Planned& p, const std::string& detail) {
    ++errors;
    count("error: " + name, true);
    if (examples.size() < 20) examples.push_back(name + " [" + std::to_string(p.target) + " " + p.name + "] " + detail);
  }
  void merge(const Tally& other) {
    for (const auto& [k, v] : other.classes) classes[k] += v;
    for (const auto& [k, w] : other.windows) {
      auto [it, fresh] = windows.try_emplace(k, w);
      if (!fresh) it->second = {std::min(it->second.first, w.first), std::max(it->second.second, w.second)};
    }
    for (const auto& [t, sets] : other.servedSets)
      for (const auto& [s, n] : sets) servedSets[t][s] += n;
    errors += other.errors;
    for (const auto& e : other.examples)
      if (examples.size() < 20) examples.push_back(e);
  }
};

std::string describe(const Reply& r) {
  std::string text = "status " + std::to_string(r.status) + (r.complete ? "" : " incomplete after " +
                                                                                 std::to_string(r.received) + " bytes, errno " +
                                                                                 std::to_string(r.error));
  if (auto it = r.headers.find("x-pact-interaction"); it != r.headers.end()) text += ", interaction \"" + it->second + "\"";
  if (!r.body.empty()) text += ", body " + r.body.substr(0, 120);
  return text;
}

// Judges one exchange. Returns whether the connection can be reused.
bool judge(const Planned& p, const Reply& r, Tally& tally) {
  const bool closes = [&] {
    auto it = r.headers.find("connection");
    return it != r.headers.end() && it->second == "close";
  }();
  if (p.kind == "reset") {
    if (r.received == 0 && (r.error == ECONNRESET || r.error == 0)) tally.count(p.name);
    else tally.error("reset asked, an answer came", p, describe(r));
    return false;
  }
  if (p.kind == "malformed") {
    // The fault promises more body than it sends, then closes.
    if (!r.complete && r.received > 0) tally.count(p.name);
    else tally.error("malformed asked, got something else", p, describe(r));
    return false;
  }
  if (!r.complete) {
    tally.error(r.received ? "truncated answer" : (r.error == EAGAIN ? "no answer (timeout)" : "connection closed, no answer"),
                p, describe(r));
    return false;
  }
  if (p.kind == "match") {
    auto it = r.headers.find("x-pact-interaction");
    if (r.status != p.status || it == r.headers.end() || it->second != p.interaction) {
      tally.error("wrong answer to a match", p, describe(r) + " (expected \"" + p.interaction + "\")");
    } else {
      tally.count(p.name);
      const json body = json::parse(r.body, nullptr, false);
      if (body.is_object() && body.contains("set")) ++tally.servedSets[std::to_string(p.target)][body["set"].get<std::string>()];
      else tally.error("match without its set marker", p, describe(r));
    }
  } else if (p.kind == "miss") {
    auto it = r.headers.find("x-pact");
    if (r.status == p.status && it != r.headers.end() && it->second == "Request-Mismatch") tally.count(p.name);
    else tally.error("wrong answer to a miss", p, describe(r));
  } else if (p.kind == "status") {
    if (r.status == p.status && (p.header.empty() || r.headers.count(p.header))) tally.count(p.name);
    else tally.error("wrong answer to a fault", p, describe(r));
  } else {  // admin
    if (r.status == p.status) {
      tally.count(p.name);
    } else if (std::find(p.outageStatuses.begin(), p.outageStatuses.end(), r.status) != p.outageStatuses.end()) {
      tally.count(p.name + " refused (" + std::to_string(r.status) + ")", true);
    } else {
      tally.error("wrong answer to an admin call", p, describe(r));
    }
  }
  return !closes;
}

std::vector<Planned> loadPlan(const std::string& path) {
  std::ifstream in(path);
  const json plan = json::parse(in);
  std::vector<Planned> list;
  for (const auto& r : plan["requests"]) {
    Planned p;
    p.target = r["target"];
    p.bytes = r["bytes"];
    p.kind = r["kind"];
    p.name = r["name"];
    p.status = r.value("status", 0);
    p.interaction = r.value("interaction", "");
    p.header = r.value("header", "");
    if (r.contains("outage_statuses")) p.outageStatuses = r["outage_statuses"].get<std::vector<int>>();
    list.push_back(std::move(p));
  }
  return list;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: bench-soak-client PLAN.json TOTAL THREADS\n";
    return 2;
  }
  const auto plan = loadPlan(argv[1]);
  const std::uint64_t total = std::stoull(argv[2]);
  const unsigned threadCount = static_cast<unsigned>(std::stoul(argv[3]));
  if (plan.empty() || threadCount == 0) return 2;

  std::atomic<std::uint64_t> issued{0}, answered{0}, errors{0};
  std::mutex outputMutex;
  std::vector<Tally> tallies(threadCount);
  const double started = monotonicSeconds();
  {
    std::vector<std::jthread> threads;
    for (unsigned t = 0; t < threadCount; ++t) {
      threads.emplace_back([&, t] {
        Tally& tally = tallies[t];
        std::map<int, std::unique_ptr<Connection>> connections;
        std::size_t next = (plan.size() / threadCount) * t;
        while (issued.fetch_add(1) < total) {
          const Planned& p = plan[next++ % plan.size()];
          auto& connection = connections[p.target];
          Reply reply;
          // A keep-alive connection the server closed while idle (its idle timeout) yields no byte:
          // HTTP/1.1 clients retry on a fresh connection then; counted, so it cannot hide anything.
          for (int attempt = 0; attempt < 2; ++attempt) {
            if (!connection) connection = std::make_unique<Connection>(p.target);
            if (!connection->connected()) {
              reply = Reply{};
              reply.error = ECONNREFUSED;
              break;
            }
            const bool reused = connection->used();
            const bool sent = connection->send(p.bytes);
            reply = sent ? connection->read() : Reply{};
            if (!sent) reply.error = EPIPE;
            const bool staleKeepAlive = reused && reply.received == 0 && p.kind != "reset" && !reply.complete;
            if (!staleKeepAlive || attempt == 1) break;
            tally.count("retried: keep-alive connection closed by the server while idle", true);
            connection.reset();
          }
          const auto errorsBefore = tally.errors;
          if (!judge(p, reply, tally)) connection.reset();
          if (tally.errors != errorsBefore) errors.fetch_add(1);
          const auto done = answered.fetch_add(1) + 1;
          if (done % 50000 == 0) {
            std::lock_guard lock(outputMutex);
            std::printf("PROGRESS %llu %llu %.3f\n", static_cast<unsigned long long>(done),
                        static_cast<unsigned long long>(errors.load()), monotonicSeconds());
            std::fflush(stdout);
          }
        }
      });
    }
  }
  const double elapsed = monotonicSeconds() - started;
  Tally all;
  for (const auto& t : tallies) all.merge(t);
  json windows = json::object();
  for (const auto& [k, w] : all.windows) windows[k] = {w.first, w.second};
  json out = {{"answers", answered.load()}, {"seconds", elapsed}, {"rps", answered.load() / elapsed},
              {"errors", all.errors},       {"classes", all.classes},  {"windows", windows},
              {"served_sets", all.servedSets}, {"error_examples", all.examples}};
  std::printf("SOAK_JSON %s\n", out.dump().c_str());
  return 0;
}
