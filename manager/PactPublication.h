#pragma once
// Publishing one pact as a sequence of broker calls, each decided from the answers so far, and
// the check that the broker still serves a published pact. Pure: the Publisher makes the calls
// and feeds their answers back.
#include <optional>
#include <string>

#include "PactValidation.h"
#include "VersionPolicy.h"
#include "core/Result.h"

namespace pactmocks::manager {

// A broker's answer, as far as the decisions need it.
struct BrokerAnswer {
  int status = 0;             // 0: no answer (connection failed, timeout)
  std::string description;    // one line for logs and /ready
  std::string servedVersion;  // a pact GET: the consumer version the broker serves (may be empty)
  bool ok() const { return status >= 200 && status < 300; }
};

struct PublishCall {
  enum class Kind { PutPact, CheckLatest, RecordBranch };
  Kind kind = Kind::PutPact;
  std::string version;  // the consumer version the call is about
};

struct PublishFailure {
  PublishCall call;     // the call that failed
  int status = 0;       // its answer's status (409: the broker refuses to change that version)
  std::string reason;   // for /ready
};

// PUT the pact under the version VersionPolicy chooses; a 409 under the base version (content
// published before this process started) switches to the suffixed version at once; then GET the
// latest: while the broker serves another version (this content was published earlier under
// the same version) PUT again as `.2` … `.5`; then record `branch`. Records the outcome in
// `versions`.
class PactPublication {
 public:
  PactPublication(const ValidPact& pact, VersionPolicy& versions, std::string branch);
  // The next call, or nullopt once the publication is finished.
  std::optional<PublishCall> next() const;
  void answer(const BrokerAnswer& answer);
  // Once finished: the version published, or why not.
  Result<std::string, PublishFailure> result() const;
  // Why the last answer changed the version (for the log), or empty.
  const std::string& note() const { return note_; }

 private:
  void finish(Result<std::string, PublishFailure> outcome) { outcome_.emplace(std::move(outcome)); }
  void answerPut(const BrokerAnswer& answer);
  void answerLatest(const BrokerAnswer& answer);
  void answerBranch(const BrokerAnswer& answer);

  const PactKey key_;  // (provider, consumer)
  const std::string sha256_;
  VersionPolicy& versions_;
  const std::string branch_;
  PublishCall call_;
  bool firstPut_ = true;
  int attempt_ = 2;  // `.N` versions tried, plus 2
  std::string note_;
  std::optional<Result<std::string, PublishFailure>> outcome_;
};

struct VerifyFailure {
  bool unreachable = false;  // no answer or 5xx: cannot tell, retry; otherwise the pact is gone
  std::string reason;
};

// From the broker's answer to GET .../latest: does it still serve `publishedVersion`?
Result<void, VerifyFailure> checkStillServed(const BrokerAnswer& latest, const std::string& publishedVersion);

}  // namespace pactmocks::manager
