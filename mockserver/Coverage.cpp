#include "mockserver/Coverage.h"

#include <algorithm>
#include <array>
#include <functional>

#include "core/JUnitXml.h"
#include "core/SafeText.h"
#include "core/Sha256.h"
#include "core/Time.h"

namespace pactmocks::mockserver {

using nlohmann::json;

namespace {

// The counters of one interaction; shared between generations while the interaction is unchanged.
struct Counters {
  std::atomic<std::uint64_t> hits{0};
  std::atomic<std::int64_t> firstNs{0}, lastNs{0};
  // Faults are rare: the map exists once one is injected, and CoverageTracker::faultMutex_ guards
  // it. An inline mutex and map cost 88 bytes per interaction, ~1 MiB at 10,000.
  std::unique_ptr<std::map<std::string, std::uint64_t>> faults;
};

// Identity across reloads: the first 16 bytes of the SHA-256 of consumer, provider, description,
// provider states and the interaction's fingerprint (as Interaction::textDigest: 10,000 interactions
// collide with odds below 1 in 10^30; the other 16 bytes were 160 KiB). Fixed size, so a slot
// allocates nothing but its counters.
using SlotKey = std::array<unsigned char, 16>;

// Points into the installed pacts (CoverageSlots::pacts keeps them alive) rather than copying
// their names: at 10,000 interactions the copies cost ~5 MiB.
struct Slot {
  SlotKey key{};
  const pact::Pact* pact = nullptr;
  const pact::Interaction* interaction = nullptr;
  std::shared_ptr<Counters> counters;
};

SlotKey slotKey(const pact::Pact& p, const pact::Interaction& i) {
  json states = json::array();
  for (const auto& s : i.providerStates) states.push_back({s.name, s.params});
  const Sha256Digest digest = sha256(dumpSafeJson({p.consumer, p.provider, i.description, states, interactionFingerprint(i)}));
  SlotKey key{};
  std::copy_n(digest.begin(), key.size(), key.begin());
  return key;
}

json rulesJson(const pact::RuleList& list);

json categoryJson(const pact::RuleCategory& category) {
  json out = json::array();
  for (const auto& rule : category.rules) out.push_back({rule.expression, rulesJson(rule.rules)});
  return out;
}

json rulesJson(const pact::RuleList& list) {
  json matchers = json::array();
  for (const auto& m : list.matchers) {
    json variants = json::array();
    for (const auto& v : m.variants) variants.push_back({v.index, v.rules ? categoryJson(*v.rules) : json()});
    matchers.push_back({static_cast<int>(m.type), m.text, m.min ? json(*m.min) : json(), m.max ? json(*m.max) : json(),
                        m.value, m.nested ? rulesJson(*m.nested) : json(), variants});
  }
  return {list.combine == pact::Combine::And ? "and" : "or", matchers};
}

json matchingRulesJson(const pact::MatchingRules& r) {
  return {categoryJson(r.path), categoryJson(r.query), categoryJson(r.header), categoryJson(r.body),
          categoryJson(r.status)};
}

json generatorsJson(const pact::Generators& g) {
  json out = json::array();
  for (const auto* list : {&g.body, &g.header, &g.path, &g.query, &g.status}) {
    json entries = json::array();
    for (const auto& e : *list) entries.push_back({e.expression, e.generator.type, e.generator.config});
    out.push_back(entries);
  }
  return out;
}

// The example values cut out of a serialized body are part of what the mock serves (a generator
// that cannot produce a value keeps its example).
json slotsJson(const std::vector<pact::GeneratedSlot>& slots) {
  json out = json::array();
  for (const auto& slot : slots) out.push_back({slot.offset, slot.generator, slot.example});
  return out;
}

json bodyJson(const pact::Body& b) { return {b.present, b.value, b.contentType(), b.isJson}; }

std::int64_t toNs(CoverageClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
std::optional<CoverageClock::time_point> fromNs(std::int64_t ns) {
  if (ns == 0) return std::nullopt;  // 0 means "never"
  return CoverageClock::time_point(std::chrono::duration_cast<CoverageClock::duration>(std::chrono::nanoseconds(ns)));
}

std::vector<std::string> stateNames(const pact::Interaction& i) {
  std::vector<std::string> names;
  for (const auto& s : i.providerStates) names.push_back(s.name);
  return names;
}

std::string cut(std::string_view text, std::size_t maxBytes) { return std::string(text.substr(0, maxBytes)); }

// A Prometheus label value: valid UTF-8, bounded, with backslash, quote and newline escaped.
std::string labelValue(std::string_view text) {
  std::string out;
  for (char c : validUtf8(text.substr(0, 200))) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

json timeOrNull(const std::optional<CoverageClock::time_point>& t) { return t ? json(rfc3339(*t)) : json(); }

json nearestJson(const UnmatchedGroup& g) {
  if (g.nearestDescription.empty() && g.nearestConsumer.empty()) return nullptr;
  return {{"consumer", g.nearestConsumer}, {"description", g.nearestDescription}, {"provider_states", g.nearestStates}};
}

json groupJson(const UnmatchedGroup& g) {
  return {{"nearest", nearestJson(g)},
          {"count", g.count},
          {"example", {{"method", g.exampleMethod}, {"path", g.examplePath}}},
          {"mismatches", g.mismatches},
          {"last_seen", rfc3339(g.lastSeen)}};
}

json interactionJson(const InteractionCoverage& c) {
  return {{"consumer", c.consumer},       {"provider", c.provider},
          {"description", c.description}, {"provider_states", c.providerStates},
          {"hits", c.hits},               {"first_hit", timeOrNull(c.firstHit)},
          {"last_hit", timeOrNull(c.lastHit)}, {"faults", c.faults}};
}

}  // namespace

std::string interactionFingerprint(const pact::Interaction& i) {
  const auto& q = i.request;
  const auto& r = i.response;
  const json model = {
      {"request",
       {q.method, q.path, q.query->params, q.query->raw ? json(*q.query->raw) : json(), q.headers, bodyJson(q.body),
        matchingRulesJson(*q.rules)}},
      {"response",
       {r.status, r.headers, bodyJson(r.body), r.serializedJsonBody ? json(*r.serializedJsonBody) : json(),
        slotsJson(*r.generatedSlots), generatorsJson(*r.generators)}}};
  return sha256Hex(dumpSafeJson(model));
}

std::size_t CoverageSnapshot::exercised() const {
  return static_cast<std::size_t>(
      std::count_if(interactions.begin(), interactions.end(), [](const auto& c) { return c.hits > 0; }));
}

// One installed set of interactions. Immutable once published; the counters inside are atomics.
struct CoverageSlots {
  // The installed pacts, sorted by address, each with its first slot: a hit finds its pact by
  // binary search. Holding the pacts keeps the addresses valid while these slots are in use.
  struct PactEntry {
    const pact::Pact* pact = nullptr;
    std::size_t firstSlot = 0;
  };
  std::vector<std::shared_ptr<const pact::Pact>> pacts;  // in installed order
  std::vector<PactEntry> byAddress;
  std::vector<Slot> slots;  // in installed order

  // The slot at `position` of `pact`, or null when there is none.
  const Slot* at(const pact::Pact* pact, std::size_t position) const {
    const std::less<const void*> before;
    const auto it = std::lower_bound(byAddress.begin(), byAddress.end(), pact,
                                     [&](const PactEntry& e, const pact::Pact* p) { return before(e.pact, p); });
    if (it == byAddress.end() || it->pact != pact || position >= pact->interactions.size()) return nullptr;
    const std::size_t index = it->firstSlot + position;
    return index < slots.size() ? &slots[index] : nullptr;
  }

  // The slot of `interaction` of `pact`, or null when it is not one of these.
  const Slot* find(const pact::Pact* pact, std::size_t position, const pact::Interaction* interaction) const {
    const Slot* slot = at(pact, position);
    return slot && slot->interaction == interaction ? slot : nullptr;
  }
};

struct CoverageTracker::Unmatched {
  std::mutex mutex;
  std::vector<UnmatchedGroup> groups;
  std::map<std::string, std::size_t> byKey;
  std::uint64_t total = 0, overflow = 0;
  CoverageClock::time_point since{};
};

CoverageTracker::CoverageTracker(CoverageLimits limits, CoverageClock::time_point start)
    : limits_(limits), current_(std::make_shared<const CoverageSlots>()), unmatched_(std::make_unique<Unmatched>()) {
  unmatched_->since = start;
}

CoverageTracker::~CoverageTracker() = default;

std::shared_ptr<const CoverageSlots> CoverageTracker::current() const { return current_.load(); }

std::shared_ptr<const CoverageSlots> CoverageTracker::install(const std::vector<std::shared_ptr<const pact::Pact>>& pacts) {
  std::lock_guard lock(installMutex_);
  const auto old = current();
  // Counters of the old set by identity; duplicates (identical interactions) are handed out in order.
  std::map<SlotKey, std::vector<std::shared_ptr<Counters>>> carried;
  for (const auto& slot : old->slots) carried[slot.key].push_back(slot.counters);
  for (auto& [key, list] : carried) std::reverse(list.begin(), list.end());

  auto next = std::make_shared<CoverageSlots>();
  next->pacts = pacts;
  std::size_t total = 0;
  for (const auto& shared : pacts) total += shared->interactions.size();
  next->slots.reserve(total);  // exact: grown by doubling it would hold up to twice the slots
  for (const auto& shared : pacts) {
    const pact::Pact& p = *shared;
    next->byAddress.push_back({&p, next->slots.size()});
    for (const auto& i : p.interactions) {
      Slot slot{.key = slotKey(p, i), .pact = &p, .interaction = &i, .counters = nullptr};
      auto found = carried.find(slot.key);
      if (found != carried.end() && !found->second.empty()) {
        slot.counters = found->second.back();
        found->second.pop_back();
      } else {
        slot.counters = std::make_shared<Counters>();
      }
      next->slots.push_back(std::move(slot));
    }
  }
  std::sort(next->byAddress.begin(), next->byAddress.end(),
            [](const auto& a, const auto& b) { return std::less<const void*>()(a.pact, b.pact); });
  std::shared_ptr<const CoverageSlots> installed = std::move(next);
  current_.store(installed);
  return installed;
}

bool CoverageTracker::recordHit(const CoverageSlots& slots, const pact::Pact* pact, std::size_t position,
                                const pact::Interaction* interaction, std::string_view fault,
                                CoverageClock::time_point now) {
  if (!pact || !interaction) return false;
  const Slot* slot = slots.find(pact, position, interaction);
  if (!slot) return false;
  Counters& c = *slot->counters;
  const std::int64_t ns = toNs(now);
  c.hits.fetch_add(1, std::memory_order_relaxed);
  // Read before writing: after the first hit these are plain loads, no cache-line ownership taken.
  if (std::int64_t never = 0; c.firstNs.load(std::memory_order_relaxed) == 0)
    c.firstNs.compare_exchange_strong(never, ns, std::memory_order_relaxed);
  std::int64_t last = c.lastNs.load(std::memory_order_relaxed);
  while (last < ns && !c.lastNs.compare_exchange_weak(last, ns, std::memory_order_relaxed)) {
  }
  if (!fault.empty()) {
    std::lock_guard lock(faultMutex_);
    if (!c.faults) c.faults = std::make_unique<std::map<std::string, std::uint64_t>>();
    auto& faults = *c.faults;
    // Fault names come from request headers: bounded, so a client cannot grow the map at will.
    auto it = faults.find(std::string(fault));
    if (it == faults.end() && faults.size() >= limits_.maxFaultNames) it = faults.try_emplace("other", 0).first;
    else if (it == faults.end()) it = faults.try_emplace(cut(fault, limits_.maxLineBytes), 0).first;
    ++it->second;
  }
  return true;
}

void CoverageTracker::prefetchHit(const CoverageSlots& slots, const pact::Pact* pact, std::size_t position) const {
  if (const Slot* slot = slots.at(pact, position)) {
    __builtin_prefetch(slot);
    __builtin_prefetch(slot->counters.get(), 1);
  }
}

void CoverageTracker::recordUnmatched(const UnmatchedRequest& request, CoverageClock::time_point now) {
  UnmatchedGroup group;
  if (request.nearest) {
    group.nearestConsumer = request.nearestPact ? request.nearestPact->consumer : "";
    group.nearestDescription = request.nearest->description;
    group.nearestStates = stateNames(*request.nearest);
  }
  const std::string key = dumpSafeJson({group.nearestConsumer, group.nearestDescription, group.nearestStates});

  std::lock_guard lock(unmatched_->mutex);
  auto& u = *unmatched_;
  ++u.total;
  if (auto it = u.byKey.find(key); it != u.byKey.end()) {
    auto& existing = u.groups[it->second];
    ++existing.count;
    existing.lastSeen = now;
    return;
  }
  if (u.groups.size() >= limits_.maxUnmatchedGroups) {
    ++u.overflow;
    return;
  }
  group.count = 1;
  group.lastSeen = now;
  group.exampleMethod = cut(request.method, limits_.maxLineBytes);
  group.examplePath = cut(request.path, limits_.maxLineBytes);
  for (std::size_t i = 0; i < request.mismatches.size() && i < limits_.maxMismatchLines; ++i)
    group.mismatches.push_back(cut(request.mismatches[i], limits_.maxLineBytes));
  u.byKey.emplace(key, u.groups.size());
  u.groups.push_back(std::move(group));
}

void CoverageTracker::reset(CoverageClock::time_point now) {
  std::lock_guard lock(installMutex_);
  for (const auto& slot : current()->slots) {
    auto& c = *slot.counters;
    c.hits.store(0);
    c.firstNs.store(0);
    c.lastNs.store(0);
    std::lock_guard faultLock(faultMutex_);
    c.faults.reset();
  }
  std::lock_guard unmatchedLock(unmatched_->mutex);
  unmatched_->groups.clear();
  unmatched_->byKey.clear();
  unmatched_->total = unmatched_->overflow = 0;
  unmatched_->since = now;
}

CoverageSnapshot CoverageTracker::snapshot() const {
  CoverageSnapshot out;
  for (const auto& slot : current()->slots) {
    auto& c = *slot.counters;
    InteractionCoverage ic{.consumer = slot.pact->consumer, .provider = slot.pact->provider,
                           .description = slot.interaction->description,
                           .providerStates = stateNames(*slot.interaction), .hits = c.hits.load(), .firstHit = fromNs(c.firstNs.load()),
                           .lastHit = fromNs(c.lastNs.load()), .faults = {}};
    {
      std::lock_guard lock(faultMutex_);
      if (c.faults) ic.faults = *c.faults;
    }
    out.interactions.push_back(std::move(ic));
  }
  std::lock_guard lock(unmatched_->mutex);
  out.unmatched = unmatched_->groups;
  out.unmatchedRequests = unmatched_->total;
  out.unmatchedOverflow = unmatched_->overflow;
  out.since = unmatched_->since;
  return out;
}

json coverageJson(const CoverageSnapshot& s) {
  json interactions = json::array(), unmatched = json::array();
  for (const auto& c : s.interactions) interactions.push_back(interactionJson(c));
  for (const auto& g : s.unmatched) unmatched.push_back(groupJson(g));
  const auto exercised = s.exercised();
  return {{"since", rfc3339(s.since)},
          {"interactions", interactions},
          {"unmatched", unmatched},
          {"unmatched_overflow", s.unmatchedOverflow},
          {"totals",
           {{"interactions", s.interactions.size()},
            {"exercised", exercised},
            {"unexercised", s.interactions.size() - exercised},
            {"unmatched_requests", s.unmatchedRequests}}}};
}

std::string coverageJsonText(const CoverageSnapshot& snapshot) { return dumpSafeJson(coverageJson(snapshot)); }

VerifyResult verify(const CoverageSnapshot& s, const VerifyFilters& f) {
  const auto selected = [&](const std::string& consumer, const std::vector<std::string>& states) {
    if (f.consumer && consumer != *f.consumer) return false;
    return !f.state || std::find(states.begin(), states.end(), *f.state) != states.end();
  };
  VerifyResult out;
  for (const auto& c : s.interactions) {
    if (!selected(c.consumer, c.providerStates)) continue;
    ++out.interactions;
    if (c.hits == 0) out.unexercised.push_back(c);
  }
  const bool filtered = f.consumer || f.state;
  for (const auto& g : s.unmatched) {
    const bool nearNone = g.nearestConsumer.empty() && g.nearestDescription.empty();
    if (nearNone ? !filtered : selected(g.nearestConsumer, g.nearestStates)) out.unmatched.push_back(g);
  }
  if (!filtered) out.unmatchedOverflow = s.unmatchedOverflow;
  out.ok = out.unexercised.empty() && out.unmatched.empty() && out.unmatchedOverflow == 0;
  return out;
}

int verifyStatus(const VerifyResult& result) { return result.ok ? 200 : 409; }

std::string verifyJsonText(const VerifyResult& r) {
  json unexercised = json::array(), unmatched = json::array();
  for (const auto& c : r.unexercised)
    unexercised.push_back({{"consumer", c.consumer}, {"provider", c.provider}, {"description", c.description},
                           {"provider_states", c.providerStates}});
  for (const auto& g : r.unmatched) unmatched.push_back(groupJson(g));
  return dumpSafeJson({{"ok", r.ok},
                       {"interactions", r.interactions},
                       {"unexercised", unexercised},
                       {"unmatched", unmatched},
                       {"unmatched_overflow", r.unmatchedOverflow}});
}

std::string coverageJunitXml(const CoverageSnapshot& s) {
  std::vector<junit::TestSuite> suites;
  for (const auto& c : s.interactions) {
    auto suite = std::find_if(suites.begin(), suites.end(), [&](const auto& x) { return x.name == c.provider; });
    if (suite == suites.end()) suite = suites.insert(suites.end(), junit::TestSuite{c.provider, {}});
    junit::TestCase tc{.className = c.consumer, .name = c.description, .failure = std::nullopt, .details = ""};
    if (c.hits == 0) {
      tc.failure = "not exercised";
      for (const auto& state : c.providerStates) tc.details += "given " + state + "\n";
    }
    suite->cases.push_back(std::move(tc));
  }
  if (!s.unmatched.empty() || s.unmatchedOverflow > 0) {
    junit::TestSuite suite{"unmatched requests", {}};
    for (const auto& g : s.unmatched) {
      const bool nearNone = g.nearestConsumer.empty() && g.nearestDescription.empty();
      junit::TestCase tc{.className = nearNone ? "(no interaction)" : g.nearestConsumer,
                         .name = nearNone ? "requests near no interaction" : "requests near: " + g.nearestDescription,
                         .failure = std::to_string(g.count) + " request(s) matched no interaction, e.g. " +
                                    g.exampleMethod + " " + g.examplePath,
                         .details = ""};
      for (const auto& line : g.mismatches) tc.details += line + "\n";
      suite.cases.push_back(std::move(tc));
    }
    if (s.unmatchedOverflow > 0)
      suite.cases.push_back({.className = "(overflow)", .name = "requests beyond the group cap",
                             .failure = std::to_string(s.unmatchedOverflow) + " more unmatched request(s), not grouped",
                             .details = ""});
    suites.push_back(std::move(suite));
  }
  return junit::toXml(suites);
}

std::string coverageMetricsText(const CoverageSnapshot& s, std::size_t maxSeries) {
  // Interactions that differ only by provider state share a label set: sum them, in installed order.
  std::vector<std::pair<std::string, std::uint64_t>> series;
  std::map<std::string, std::size_t> position;
  std::uint64_t other = 0;
  bool overflowed = false;
  for (const auto& c : s.interactions) {
    const std::string labels =
        "consumer=\"" + labelValue(c.consumer) + "\",interaction=\"" + labelValue(c.description) + "\"";
    if (auto it = position.find(labels); it != position.end()) {
      series[it->second].second += c.hits;
    } else if (series.size() < maxSeries) {
      position.emplace(labels, series.size());
      series.emplace_back(labels, c.hits);
    } else {
      overflowed = true;
      other += c.hits;
    }
  }
  std::string out =
      "# HELP pactmocks_interaction_requests_total Requests served from each interaction since the last coverage reset.\n"
      "# TYPE pactmocks_interaction_requests_total counter\n";
  for (const auto& [labels, hits] : series)
    out += "pactmocks_interaction_requests_total{" + labels + "} " + std::to_string(hits) + "\n";
  if (overflowed)
    out += "pactmocks_interaction_requests_total{consumer=\"(other)\",interaction=\"(other)\"} " +
           std::to_string(other) + "\n";
  out += "# HELP pactmocks_unmatched_requests_total Requests no interaction matched since the last coverage reset.\n"
         "# TYPE pactmocks_unmatched_requests_total counter\n"
         "pactmocks_unmatched_requests_total " + std::to_string(s.unmatchedRequests) + "\n";
  return out;
}

}  // namespace pactmocks::mockserver
