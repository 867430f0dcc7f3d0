#include "mockserver/ProviderPacts.h"

#include <nlohmann/json.hpp>

#include "core/Sha256.h"
#include "core/TextSource.h"
#include "http/Message.h"
#include "pact/PactParser.h"

namespace pactmocks::mockserver {

namespace {

// The earlier parse of a pact among `reusable`: the one of the same source, else the one of the same
// consumer and provider (a broker names each pact version by its own URL).
const pact::Pact* previousOf(const ParsedPacts& reusable, const std::string& source,
                             const pactdir::PactParticipants& names) {
  const pact::Pact* sameNames = nullptr;
  for (const auto& [key, pact] : reusable) {
    if (pact->source == source) return pact.get();
    if (!sameNames && pact->consumer == names.consumer && pact->provider == names.provider) sameNames = pact.get();
  }
  return sameNames;
}

// Nothing could be loaded: the skipped files or pacts are the reason, so they are in the error.
Failure<std::string> nothingUsable(std::string error, const std::vector<std::string>& problems) {
  for (const auto& p : problems) error += "; " + p;
  return fail(std::move(error));
}

}  // namespace

std::optional<pact::Pact> acceptPact(const TextSource& text, const std::string& source, const PactFilter& filter,
                                     std::vector<std::string>& problems, bool reportOthers, const ParsedPacts& reusable) {
  auto names = pactdir::pactParticipants(text);
  if (!names && (names.error() == "not a JSON object" || names.error().starts_with("cannot read: "))) {
    problems.push_back(source + ": " + names.error());
    return std::nullopt;
  }
  if (!names) {
    if (reportOthers) problems.push_back(source + ": not a pact: " + names.error());
    return std::nullopt;
  }
  if (!http::iequals(names->provider, filter.provider)) {
    if (reportOthers)
      problems.push_back(source + ": pact is for provider \"" + names->provider + "\", not \"" + filter.provider + "\"");
    return std::nullopt;
  }
  if (filter.consumer && !http::iequals(names->consumer, *filter.consumer)) return std::nullopt;
  try {
    return pact::parsePact(text, source, previousOf(reusable, source, *names));  // streamed: no document of the whole pact
  } catch (const std::exception& e) {
    problems.push_back(e.what());
    return std::nullopt;
  }
}

std::optional<pact::Pact> acceptPact(std::string_view text, const std::string& source, const PactFilter& filter,
                                     std::vector<std::string>& problems, bool reportOthers, const ParsedPacts& reusable) {
  return acceptPact(TextSource::inMemory(text), source, filter, problems, reportOthers, reusable);
}

namespace {

Result<std::string> digestOf(const TextSource& text) {
  Sha256 hash;
  TextReader reader(text);
  for (auto chunk = reader.next(); !chunk.empty(); chunk = reader.next()) hash.update(chunk);
  if (!reader.error().empty()) return fail("cannot read: " + reader.error());
  return toHex(hash.finish());
}

// Adds the pact of `text` to `result`: the reusable one when its digest is known, else parsed,
// keeping the unchanged interactions of the previous parse of the same source. The text is read in
// passes (digest, participants, the parse's two), never whole.
void addPact(LoadResult& result, const TextSource& text, const std::string& source, const PactFilter& filter,
             const ParsedPacts& reusable, bool reportOthers) {
  auto textDigest = digestOf(text);
  if (!textDigest) {
    result.problems.push_back(source + ": " + textDigest.error());
    return;
  }
  std::string digest = std::move(*textDigest) + ' ' + source;
  if (auto it = reusable.find(digest); it != reusable.end()) {
    result.pacts.push_back(it->second);
    result.byDigest.emplace(std::move(digest), it->second);
    return;
  }
  auto pact = acceptPact(text, source, filter, result.problems, reportOthers, reusable);
  if (pact && text.changedSinceOpen()) {  // each pass may have read other bytes
    result.problems.push_back(source + ": changed while it was read; it is read again at its next change");
    return;
  }
  if (pact) {
    auto shared = std::make_shared<const pact::Pact>(std::move(*pact));
    result.pacts.push_back(shared);
    result.byDigest.emplace(std::move(digest), std::move(shared));
  }
}
}  // namespace

Result<LoadResult> loadPactsFromDirectory(const pactdir::PactDirectory& directory, const PactFilter& filter,
                                          const ParsedPacts& reusable) {
  const pactdir::OpenedPacts opened = directory.open();
  if (!opened.directoryExists) return fail("cannot read directory " + directory.path() + ": it does not exist");
  LoadResult result;
  for (const auto& problem : opened.unreadable) result.problems.push_back(problem.file + ": " + problem.reason);
  for (const auto& file : opened.files) addPact(result, file.text, file.name, filter, reusable, false);
  if (result.pacts.empty())
    return nothingUsable("no usable pact for provider \"" + filter.provider + "\" in " + directory.path(),
                         result.problems);
  return result;
}

Result<LoadResult> loadPactsFromBroker(broker::BrokerClient& client, const PactFilter& filter,
                                       const ParsedPacts& reusable) {
  LoadResult result;
  auto fetchOne = [&](const std::string& source, const http::ClientResult& response) {
    if (!response.ok()) {
      result.problems.push_back(source + ": " +
                                (response.response ? "HTTP " + std::to_string(response.status()) : response.error));
      return;
    }
    addPact(result, TextSource::inMemory(response.response->body), source, filter, reusable, true);
  };
  if (filter.consumer) {
    fetchOne("broker latest pact " + *filter.consumer + " → " + filter.provider,
             client.latestPact(filter.provider, *filter.consumer));
  } else {
    auto refs = client.latestPactsForProvider(filter.provider);
    if (!refs) return fail("listing pacts for provider \"" + filter.provider + "\" failed: " + refs.error());
    for (const auto& ref : *refs) fetchOne(ref.href, client.fetch(ref.href));
  }
  if (result.pacts.empty())
    return nothingUsable("the broker has no usable pact for provider \"" + filter.provider + "\"", result.problems);
  return result;
}

}  // namespace pactmocks::mockserver
