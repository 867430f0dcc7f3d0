#include "PactPublication.h"

#include <utility>

namespace pactmocks::manager {

namespace {
constexpr int kLastAttempt = 5;  // `.N` versions tried in one publication: then the latest is taken as it is
}

PactPublication::PactPublication(const ValidPact& pact, VersionPolicy& versions, std::string branch)
    : key_{pact.provider, pact.consumer},
      sha256_(pact.sha256),
      versions_(versions),
      branch_(std::move(branch)),
      call_{PublishCall::Kind::PutPact, versions.versionFor(key_, sha256_)} {}

std::optional<PublishCall> PactPublication::next() const {
  if (outcome_) return std::nullopt;
  return call_;
}

Result<std::string, PublishFailure> PactPublication::result() const {
  if (!outcome_) return fail(PublishFailure{call_, 0, "not finished"});
  return *outcome_;
}

void PactPublication::answer(const BrokerAnswer& answer) {
  note_.clear();
  if (outcome_) return;
  switch (call_.kind) {
    case PublishCall::Kind::PutPact: return answerPut(answer);
    case PublishCall::Kind::CheckLatest: return answerLatest(answer);
    case PublishCall::Kind::RecordBranch: return answerBranch(answer);
  }
}

void PactPublication::answerPut(const BrokerAnswer& answer) {
  const bool first = std::exchange(firstPut_, false);
  if (answer.status == 409 && first && call_.version == versions_.baseVersion()) {
    versions_.markConflict(key_);
    note_ = "broker has other content for " + key_.second + " -> " + key_.first + " under " + call_.version +
            "; using a content-hash version";
    call_.version = versions_.versionFor(key_, sha256_);
    return;
  }
  if (answer.ok()) {
    call_.kind = PublishCall::Kind::CheckLatest;
    return;
  }
  std::string reason = answer.status == 409 ? "the broker refuses to change the content of version " + call_.version +
                                                  ": " + answer.description
                                            : answer.description;
  finish(fail(PublishFailure{call_, answer.status, std::move(reason)}));
}

void PactPublication::answerLatest(const BrokerAnswer& answer) {
  // Returning to content already published under a suffixed version does not make that version
  // the latest again; a fresh version does. An unanswered check is no reason to fail.
  if (!answer.ok() || answer.servedVersion == call_.version || attempt_ > kLastAttempt) {
    call_.kind = PublishCall::Kind::RecordBranch;
    return;
  }
  ++attempt_;
  call_ = {PublishCall::Kind::PutPact, versions_.retryVersion(key_, sha256_)};
}

void PactPublication::answerBranch(const BrokerAnswer& answer) {
  if (!answer.ok()) {
    finish(fail(PublishFailure{call_, answer.status, "recording branch " + branch_ + " for version " + call_.version +
                                                         " failed: " + answer.description}));
    return;
  }
  versions_.recordPublished(key_, sha256_, call_.version);
  finish(call_.version);
}

Result<void, VerifyFailure> checkStillServed(const BrokerAnswer& latest, const std::string& publishedVersion) {
  if (latest.status == 0 || latest.status >= 500)
    return fail(VerifyFailure{true, "cannot verify: " + latest.description});
  if (latest.status == 404) return fail(VerifyFailure{false, "404 not found"});
  if (!latest.ok()) return fail(VerifyFailure{false, latest.description});
  if (!latest.servedVersion.empty() && latest.servedVersion != publishedVersion)
    return fail(VerifyFailure{false, "latest is version " + latest.servedVersion});
  return {};
}

}  // namespace pactmocks::manager
