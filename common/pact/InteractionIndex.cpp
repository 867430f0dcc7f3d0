#include "pact/InteractionIndex.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <re2/re2.h>
#include <re2/set.h>

#include "core/FrozenHashMap.h"
#include "core/Sha256.h"

#include "pact/PathPatternSegments.h"
#include "pact/RequestMatcher.h"

namespace pactmocks::pact {

namespace {

struct Entry {
  const Interaction* interaction = nullptr;
  const Pact* pact = nullptr;
  std::uint32_t order = 0;        // global file order across pacts
  std::uint32_t position = 0;     // within `pact`
  std::uint32_t specificity = 0;  // non-equality rules: fewer is more specific
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// The index's nodes are found by a 64-bit hash of their key (a path, a header or field value), never
// by its text: a lookup then builds and compares no key text, and the index holds none. Two keys
// with one hash share a node, which only adds candidates: each candidate is matched in full.
struct IdentityHash {
  std::size_t operator()(std::uint64_t h) const noexcept { return static_cast<std::size_t>(h); }
};
std::uint64_t valueHash(std::string_view value) { return std::hash<std::string_view>{}(value); }
// The literal paths' key: the upper-case method and the path hashed together.
std::uint64_t literalKey(std::string_view method, std::string_view path) {
  return valueHash(path) ^ (valueHash(method) * 0x9E3779B97F4A7C15ULL);
}

// Candidates sharing (method, literal path), split further by a discriminating literal value: an
// equality-only header (e.g. X-Amz-Target), a top-level string field of a JSON body or a
// single-valued query parameter. Entries without a literal value for the discriminator go to
// `restNode`, which is split again by its own best discriminator (so interactions told apart by
// different fields, e.g. `SecretId` and `Name`, all end up in small leaves); only a small `rest`
// is tried on every request.
//
// Most nodes are leaves of one or two entries (one per AWS `SecretId`, say), so a leaf is only its
// run of entries: at 10,000 interactions the split fields inline in every leaf cost ~1.5 MiB. The
// nodes of one table sit in one FrozenHashMap array, not in a heap node each: 0.1-0.3 MiB less at
// 10,000.
//
// A run of entries, in file order. A run of one (most leaves) holds its entry itself: a list of its
// own cost every such leaf a 32-byte allocation, and every request one more dependent cache miss
// before its candidate. Longer runs are stretches of the index's one entry pool, found by offset.
class EntryRun {
 public:
  EntryRun() = default;
  // A run of one is kept in place; any other length is appended to `pool`.
  EntryRun(const std::vector<const Entry*>& entries, std::vector<const Entry*>& pool)
      : size_(static_cast<std::uint32_t>(entries.size())) {
    if (entries.size() == 1) {
      one_ = entries.front();
    } else {
      offset_ = pool.size();
      pool.insert(pool.end(), entries.begin(), entries.end());
    }
  }
  std::span<const Entry* const> in(const std::vector<const Entry*>& pool) const {
    if (size_ == 1) return {&one_, 1};
    return {pool.data() + offset_, size_};  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic): a stretch of the pool
  }

 private:
  union {
    const Entry* one_ = nullptr;  // when size_ == 1
    std::size_t offset_;          // otherwise: where the run starts in the pool
  };
  std::uint32_t size_ = 0;
};

struct Split;
struct Node {
  EntryRun all;                  // everything below, in file order; a leaf's candidates
  std::unique_ptr<Split> split;  // null for a leaf
};
// Entries by the valueHash (or literalKey) of their key, while they are grouped; built into nodes.
using EntryGroups = std::unordered_map<std::uint64_t, std::vector<const Entry*>, IdentityHash>;

struct Split {
  enum class Kind { Header, BodyField, Query };
  Kind kind = Kind::Header;
  std::string key;  // header name (lower case), body field or query parameter
  FrozenHashMap<Node> children;    // by valueHash of the literal value
  std::unique_ptr<Node> restNode;  // entries without a literal for `key`, split recursively
  EntryRun rest;                   // a few entries without a literal: always candidates
};

// Interactions with a path rule and one HTTP method.
//
// A single-regex path rule is found by a literal segment its pattern requires (PathPatternSegments):
// of those, the one fewest of the group's patterns share, e.g. the secret's name in
// `^/secrets/bench-secret-00002/[0-9a-f]{32}$`. A request looks up each segment of its path and
// runs only the regexes found. The others (no literal segment, or only ones many patterns share,
// like `/v1/projects/`) go into one RE2::Set, so a request finds the patterns its path satisfies in
// one pass instead of one regex per interaction. Anything else (several matchers, other matcher
// types) is always tried.
//
// Why not the set for all: its program and the DFA cache that traffic grows in it held 12-13 MiB for
// the 715 patterns of a 10,000-interaction Azure set; found by segment, each regex runs on its own
// in ~3 KiB (LazyRegex). A compiled set is shared with the next index when its patterns are the same
// (a reload that changed no path rule), so its DFA cache stays warm.
struct PatternGroup {
  FrozenHashMap<EntryRun> bySegment;          // by valueHash of the literal segment
  std::shared_ptr<const re2::RE2::Set> set;  // null when no pattern could be added
  std::vector<const Entry*> bySetIndex;      // RE2::Set index -> entry
  std::vector<const Entry*> always;          // not found by segment nor expressible in the set
  std::vector<const Entry*> all;             // file order
  Sha256Digest patternsKey{};                // of the single-regex patterns offered to the set, in order
  std::vector<std::size_t> refused;          // of those, the ones the set did not take
};

constexpr std::size_t kSplitThreshold = 8;
// A literal segment shared by more path patterns than this does not find them: they go to the set.
constexpr std::size_t kMaxPatternsPerSegment = 4;
constexpr std::size_t kMaxDepth = 8;
// InteractionList::relayout lays out each interaction's pieces (strings, header lists, body trees)
// in one stretch after its record, ~1.8 KiB for an AWS interaction. Fetching those lines at once,
// before matching walks them pointer by pointer, overlaps cache misses that would otherwise come
// one after another: +8-14 % req/s at 10,000 interactions, where they do not fit in the L2 cache.
// Up to ~1,000 interactions they mostly do, and the fetch measured neutral at 1,000 and cost 2-4 % at
// one, so it is only done when the interactions outsize a typical L2 (2 MiB).
constexpr std::size_t kInteractionPrefetchBytes = 2048;
constexpr std::size_t kPrefetchAboveInteractions = (std::size_t{2} << 20) / kInteractionPrefetchBytes;
void prefetchInteraction(const Interaction* interaction) {
  const char* p = reinterpret_cast<const char*>(interaction);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast): bytes to fetch
  for (std::size_t offset = 0; offset < kInteractionPrefetchBytes; offset += 64) __builtin_prefetch(p + offset);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic): a hint, never dereferenced
}

constexpr std::size_t kMaxNearMissEvaluations = 24;  // full reports are only computed on a miss

}  // namespace

struct InteractionIndex::Impl {
  std::vector<std::shared_ptr<const Pact>> pacts;
  IndexOptions options;
  std::vector<Entry> entries;
  std::vector<const Entry*> runs;                 // the runs of two or more entries of the nodes (EntryRun)
  FrozenHashMap<Node> literal;                    // no path rule; by literalKey(method, path)
  std::vector<const Entry*> patterned;            // interactions with a path matching rule
  std::map<std::string, PatternGroup> patternGroups;  // upper-case method -> patterned interactions
  std::size_t sharedPatternSets = 0;                  // of patternGroups, taken from the previous index
  bool prefetchInteractions = false;                  // see prefetchInteraction

  // The literal value an entry requires for a header (equality-only, single item), if any.
  std::optional<std::string_view> literalHeader(const Entry& e, const std::string& lname) const {
    const RequestSpec& r = e.interaction->request;
    if (r.rules->header.forName(lname, true)) return std::nullopt;
    for (const auto& [n, v] : r.headers) {
      if (lower(n) == lname) {
        if (v.find(',') != std::string::npos) return std::nullopt;
        return trim(v);
      }
    }
    return std::nullopt;
  }

  // The literal string an entry requires for a top-level JSON body field, if any.
  static std::optional<std::string_view> literalBodyField(const Entry& e, const std::string& field) {
    const RequestSpec& r = e.interaction->request;
    if (!r.body.present || !r.body.isJson || !r.body.value.is_object()) return std::nullopt;
    auto it = r.body.value.find(field);
    if (it == r.body.value.end() || !it->is_string()) return std::nullopt;
    const std::vector<BodySegment> path{{false, field, 0, false}};
    for (const auto& rule : r.rules->body.rules)
      if (rule.path.size() <= 2 && pathWeight(rule.path, path, true) > 0) return std::nullopt;
    return std::string_view(it->get_ref<const std::string&>());
  }

  // The single value an entry requires for a query parameter, if compared by plain equality.
  static std::optional<std::string_view> literalQuery(const Entry& e, const std::string& name) {
    const RequestSpec& r = e.interaction->request;
    const QuerySpec& query = *r.query;
    if (query.raw) return std::nullopt;  // V1 compares whole query strings
    if (r.rules->query.forName(name, false)) return std::nullopt;
    const std::vector<std::string>* values = query.find(name);
    if (!values || values->size() != 1) return std::nullopt;
    return std::string_view(values->front());
  }

  std::optional<std::string_view> literalFor(Split::Kind kind, const Entry& e, const std::string& key) const {
    switch (kind) {
      case Split::Kind::Header: return literalHeader(e, key);
      case Split::Kind::BodyField: return literalBodyField(e, key);
      case Split::Kind::Query: return literalQuery(e, key);
    }
    return std::nullopt;
  }

  bool headerUsable(const std::string& lname) const {
    if (lname == "content-type" || lname == "accept") return false;  // compared with parameters
    for (const auto& h : options.ignoredHeaders)
      if (lower(h) == lname) return false;
    return true;
  }

  // The node of `all` (entries in file order), split further while a discriminator tells them apart.
  Node build(const std::vector<const Entry*>& all, std::size_t depth, std::vector<std::string>& used) {
    Node node;
    node.all = EntryRun(all, runs);
    if (all.size() <= kSplitThreshold || depth >= kMaxDepth) return node;  // a leaf
    // Pick the discriminator with the most distinct literal values.
    std::size_t bestDistinct = 1;
    std::optional<Split::Kind> bestKind;
    std::string bestKey;
    auto consider = [&](Split::Kind kind, const std::string& key) {
      const std::string tag = std::to_string(static_cast<int>(kind)) + ":" + key;
      if (std::find(used.begin(), used.end(), tag) != used.end()) return;
      std::unordered_set<std::string_view> values;
      for (const Entry* e : all) {
        if (auto v = literalFor(kind, *e, key)) values.insert(*v);
      }
      if (values.size() > bestDistinct) {
        bestDistinct = values.size();
        bestKind = kind;
        bestKey = key;
      }
    };
    std::unordered_set<std::string> headerNames, fields, params;
    for (const Entry* e : all) {
      const RequestSpec& r = e->interaction->request;
      for (const auto& [n, v] : r.headers) headerNames.insert(lower(n));
      if (params.size() < 64)
        for (const auto& [n, v] : r.query->params) params.insert(n);
      const Body& b = r.body;
      if (b.present && b.isJson && b.value.is_object() && fields.size() < 64)
        for (const auto& [k, v] : b.value.items())
          if (v.is_string()) fields.insert(k);
    }
    for (const auto& h : headerNames)
      if (headerUsable(h)) consider(Split::Kind::Header, h);
    for (const auto& f : fields) consider(Split::Kind::BodyField, f);
    for (const auto& q : params) consider(Split::Kind::Query, q);
    if (!bestKind) return node;  // nothing tells these apart: a leaf
    node.split = std::make_unique<Split>();
    Split& split = *node.split;
    split.kind = *bestKind;
    split.key = bestKey;
    std::vector<const Entry*> without;
    EntryGroups children;
    for (const Entry* e : all) {
      if (auto v = literalFor(split.kind, *e, split.key)) children[valueHash(*v)].push_back(e);
      else without.push_back(e);
    }
    used.push_back(std::to_string(static_cast<int>(split.kind)) + ":" + split.key);
    split.children = buildAll(std::move(children), depth + 1, used);
    used.pop_back();
    if (without.size() > kSplitThreshold) {
      // No literal for this key (e.g. CreateSecret has `Name`, not `SecretId`): split them on their own.
      split.restNode = std::make_unique<Node>(build(without, depth + 1, used));
    } else if (!without.empty()) {
      split.rest = EntryRun(without, runs);
    }
    return node;
  }

  FrozenHashMap<Node> buildAll(EntryGroups groups, std::size_t depth, std::vector<std::string>& used) {
    std::vector<FrozenHashMap<Node>::Item> items;
    items.reserve(groups.size());
    for (auto& [key, all] : groups) {
      items.emplace_back(key, build(all, depth, used));
      std::vector<const Entry*>().swap(all);  // the group is in the node's run now
    }
    return FrozenHashMap<Node>(std::move(items));
  }



  // Visits the candidates of `node` for a request: a leaf's entries, or the split's `rest` and the
  // candidates below the child the request's value selects.
  template <typename F>
  void visit(const Node& node, const RequestView& view, F&& f) const {
    if (!node.split) {
      for (const Entry* e : node.all.in(runs)) f(e);
      return;
    }
    const Split& split = *node.split;
    for (const Entry* e : split.rest.in(runs)) f(e);
    if (split.restNode) visit(*split.restNode, view, f);
    std::optional<std::string_view> value;
    std::optional<std::string> header;  // owns the (joined) header value `value` views
    if (split.kind == Split::Kind::Query) {
      const QueryMap& query = view.query();
      auto it = query.find(split.key);
      if (it != query.end() && !it->second.empty()) value = it->second.front();
    } else if (split.kind == Split::Kind::Header) {
      header = view.header(split.key);
      if (header) value = trim(*header);
    } else if (const nlohmann::json* body = view.json(); body && body->is_object()) {
      auto field = body->find(split.key);
      if (field != body->end() && field->is_string()) value = field->get_ref<const std::string&>();
    }
    if (!value) return;
    if (const Node* child = split.children.find(valueHash(*value))) visit(*child, view, f);
  }

  void buildPatternGroups(const Impl* previous) {
    std::map<std::string, std::vector<const Entry*>> single;  // method -> single-regex entries, in order
    for (const Entry* e : patterned) {
      std::string method = e->interaction->request.method;
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      PatternGroup& g = patternGroups[method];
      g.all.push_back(e);
      if (setPattern(*e))
        single[method].push_back(e);
      else
        g.always.push_back(e);
    }
    std::map<std::string, std::vector<const Entry*>> offered;  // of those, the ones for the set
    for (auto& [method, entries] : single) {
      EntryGroups bySegment;
      offered[method] = indexBySegment(entries, bySegment);
      std::vector<FrozenHashMap<EntryRun>::Item> items;
      items.reserve(bySegment.size());
      for (auto& [key, found] : bySegment) items.emplace_back(key, EntryRun(found, runs));
      patternGroups[method].bySegment = FrozenHashMap<EntryRun>(std::move(items));
    }
    for (auto& [method, entries] : offered) {
      if (entries.empty()) continue;  // all found by segment
      PatternGroup& g = patternGroups[method];
      Sha256 key;
      for (const Entry* e : entries) {
        const std::string& pattern = *setPattern(*e);
        key.update(std::string_view(pattern.c_str(), pattern.size() + 1));  // with its NUL: a separator
      }
      g.patternsKey = key.finish();
      const PatternGroup* same = nullptr;
      if (previous)
        if (auto it = previous->patternGroups.find(method); it != previous->patternGroups.end() && it->second.set &&
                                                            it->second.patternsKey == g.patternsKey)
          same = &it->second;
      if (same) {
        g.set = same->set;
        ++sharedPatternSets;
        g.refused = same->refused;
      } else {
        re2::RE2::Options options;
        options.set_log_errors(false);
        auto set = std::make_shared<re2::RE2::Set>(options, re2::RE2::ANCHOR_BOTH);
        for (std::size_t i = 0; i < entries.size(); ++i)
          if (set->Add(*setPattern(*entries[i]), nullptr) < 0) g.refused.push_back(i);
        if (g.refused.size() < entries.size() && set->Compile()) g.set = std::move(set);
      }
      if (!g.set) {  // nothing added, or it did not compile: every one offered is tried
        g.always.insert(g.always.end(), entries.begin(), entries.end());
        std::sort(g.always.begin(), g.always.end(), [](const Entry* a, const Entry* b) { return a->order < b->order; });
        g.refused.clear();
        continue;
      }
      for (std::size_t i = 0, r = 0; i < entries.size(); ++i) {
        if (r < g.refused.size() && g.refused[r] == i) {
          g.always.push_back(entries[i]);
          ++r;
        } else {
          g.bySetIndex.push_back(entries[i]);
        }
      }
      std::sort(g.always.begin(), g.always.end(), [](const Entry* a, const Entry* b) { return a->order < b->order; });
    }
  }

  // Puts the entries each findable by a literal segment few of them share into `bySegment`;
  // returns the rest, in order.
  static std::vector<const Entry*> indexBySegment(const std::vector<const Entry*>& entries, EntryGroups& bySegment) {
    std::vector<std::vector<std::string>> segments;
    segments.reserve(entries.size());
    std::unordered_map<std::string_view, std::size_t> sharing;  // segment -> patterns requiring it
    for (const Entry* e : entries) {
      segments.push_back(literalPathSegments(*setPattern(*e)));
      for (const auto& s : segments.back()) ++sharing[s];
    }
    std::vector<const Entry*> rest;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const std::string* rarest = nullptr;
      for (const auto& s : segments[i])
        if (!rarest || sharing[s] < sharing[*rarest]) rarest = &s;
      if (rarest && sharing[*rarest] <= kMaxPatternsPerSegment)
        bySegment[valueHash(*rarest)].push_back(entries[i]);
      else
        rest.push_back(entries[i]);
    }
    return rest;
  }

  // The pattern of an entry whose path rule is one regex (what the set can answer for), else null.
  static const std::string* setPattern(const Entry& e) {
    const auto& rules = e.interaction->request.rules->path.rules;
    const Matcher* only =
        rules.size() == 1 && rules.front().rules.matchers.size() == 1 ? &rules.front().rules.matchers.front() : nullptr;
    if (!only || only->type != MatcherType::Regex || !only->regex) return nullptr;
    return &only->regex->pattern();
  }

  // The patterned interactions whose path rule may accept `path`, in file order, as
  // f(entry, pathConfirmed): true when the set has matched the entry's one path regex already.
  // With `skipRegexes`, only those outside the segment index and the set (the caller knows no
  // regex-path one can win).
  template <typename F>
  void visitPatterned(const std::string& method, std::string_view path, bool skipRegexes, F&& f) const {
    auto it = patternGroups.find(method);
    if (it == patternGroups.end()) return;
    const PatternGroup& g = it->second;
    if (skipRegexes) {
      for (const Entry* e : g.always) f(e, false);
      return;
    }
    std::vector<std::pair<const Entry*, bool>> candidates;
    for (const Entry* e : g.always) candidates.emplace_back(e, false);
    if (!g.bySegment.empty()) {
      for (std::size_t start = 0;;) {
        const std::size_t slash = path.find('/', start);
        const std::string_view segment = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
        if (!segment.empty())
          if (const EntryRun* found = g.bySegment.find(valueHash(segment)))
            for (const Entry* e : found->in(runs)) candidates.emplace_back(e, false);
        if (slash == std::string_view::npos) break;
        start = slash + 1;
      }
    }
    if (g.set) {
      std::vector<int> hits;
      re2::RE2::Set::ErrorInfo error{};
      if (!g.set->Match(path, &hits, &error) && error.kind != re2::RE2::Set::kNoError) {
        for (const Entry* e : g.all) f(e, false);  // e.g. DFA out of memory: be correct, if slower
        return;
      }
      for (int i : hits) candidates.emplace_back(g.bySetIndex[static_cast<std::size_t>(i)], true);
    }
    std::sort(candidates.begin(), candidates.end(),
              [](const auto& a, const auto& b) { return a.first->order < b.first->order; });
    // A path naming one segment twice finds its entries twice.
    candidates.erase(std::unique(candidates.begin(), candidates.end(),
                                 [](const auto& a, const auto& b) { return a.first == b.first; }),
                     candidates.end());
    for (const auto& [e, confirmed] : candidates) f(e, confirmed);
  }

  // Same, but the subset closest to the request first (for near-miss reports).
  void collectNear(const Node& node, const RequestView& view, std::vector<const Entry*>& out) const {
    visit(node, view, [&](const Entry* e) {
      if (out.size() < kMaxNearMissEvaluations) out.push_back(e);
    });
    for (const Entry* e : node.all.in(runs)) {
      if (out.size() >= kMaxNearMissEvaluations) break;
      if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
    }
  }
};

namespace {
std::vector<std::shared_ptr<const Pact>> shared(std::vector<Pact> pacts) {
  std::vector<std::shared_ptr<const Pact>> out;
  out.reserve(pacts.size());
  for (auto& p : pacts) out.push_back(std::make_shared<const Pact>(std::move(p)));
  return out;
}
}  // namespace

InteractionIndex::InteractionIndex(std::vector<Pact> pacts, IndexOptions options, const InteractionIndex* previous)
    : InteractionIndex(shared(std::move(pacts)), std::move(options), previous) {}

InteractionIndex::InteractionIndex(std::vector<std::shared_ptr<const Pact>> pacts, IndexOptions options,
                                   const InteractionIndex* previous) {
  auto impl = std::make_shared<Impl>();
  impl->pacts = std::move(pacts);
  impl->options = std::move(options);
  std::size_t total = 0;
  for (const auto& p : impl->pacts) total += p->interactions.size();
  impl->entries.reserve(total);
  impl->prefetchInteractions = total > kPrefetchAboveInteractions;
  std::uint32_t order = 0;
  for (const auto& p : impl->pacts) {
    std::uint32_t position = 0;
    for (const auto& i : p->interactions) {
      impl->entries.push_back(
          Entry{&i, p.get(), order++, position++, static_cast<std::uint32_t>(i.request.rules->nonEqualityCount())});
    }
  }
  EntryGroups literal;
  for (const auto& e : impl->entries) {
    const RequestSpec& r = e.interaction->request;
    if (!r.rules->path.empty()) {
      impl->patterned.push_back(&e);
    } else {
      literal[literalKey(r.method, r.path)].push_back(&e);
    }
  }
  std::vector<std::string> used;
  impl->literal = impl->buildAll(std::move(literal), 0, used);
  impl->buildPatternGroups(previous ? previous->impl_.get() : nullptr);
  impl->runs.shrink_to_fit();
  impl_ = std::move(impl);
}

MatchOutcome InteractionIndex::match(const http::Request& request) const {
  const Impl& impl = *impl_;
  MatchOutcome outcome;
  RequestView view = RequestView::from(request);
  std::string method(request.method);
  for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const Node* const literal = impl.literal.find(literalKey(method, view.path()));

  const auto state = view.firstHeader(impl.options.providerStateHeader);
  MatchOptions opts;
  opts.ignoredHeaders = impl.options.ignoredHeaders;
  opts.stopAtFirst = true;

  const Entry* best = nullptr;
  bool bestState = false;
  auto consider = [&](const Entry* e, bool pathConfirmed) {
    if (impl.prefetchInteractions) prefetchInteraction(e->interaction);
    const bool stateMatches =
        state && std::any_of(e->interaction->providerStates.begin(), e->interaction->providerStates.end(),
                             [&](const ProviderState& s) { return s.name == *state; });
    if (best) {
      // Only a better candidate is worth matching.
      if (bestState && !stateMatches) return;
      if (bestState == stateMatches &&
          (e->specificity > best->specificity || (e->specificity == best->specificity && e->order > best->order)))
        return;
    }
    opts.pathRuleConfirmed = pathConfirmed;
    if (!matchRequest(e->interaction->request, view, opts, nullptr)) return;
    best = e;
    bestState = stateMatches;
  };
  if (literal) impl.visit(*literal, view, [&](const Entry* e) { consider(e, false); });
  // A regex path rule counts as one non-equality rule: it cannot beat an exact match with none,
  // unless the provider state header prefers it. Then the RE2::Set pass is not needed.
  const bool regexCannotWin = best && best->specificity == 0 && (bestState || !state);
  impl.visitPatterned(method, view.path(), regexCannotWin, consider);

  if (best) {
    outcome.matched = best->interaction;
    outcome.pact = best->pact;
    outcome.position = best->position;
    return outcome;
  }

  // Nothing matched: explain with the nearest interactions (same method and path first).
  std::vector<const Entry*> near;
  if (literal) impl.collectNear(*literal, view, near);
  for (const Entry* e : impl.patterned)
    if (near.size() < kMaxNearMissEvaluations) near.push_back(e);
  for (const auto& e : impl.entries) {
    if (near.size() >= kMaxNearMissEvaluations) break;
    if (http::iequals(e.interaction->request.method, method) && std::find(near.begin(), near.end(), &e) == near.end())
      near.push_back(&e);
  }
  for (const auto& e : impl.entries) {
    if (near.size() >= kMaxNearMissEvaluations) break;
    if (std::find(near.begin(), near.end(), &e) == near.end()) near.push_back(&e);
  }
  if (near.size() > kMaxNearMissEvaluations) near.resize(kMaxNearMissEvaluations);
  struct Scored {
    NearMiss miss;
    int rank;
    std::size_t order;
  };
  std::vector<Scored> scored;
  opts.stopAtFirst = false;
  opts.pathRuleConfirmed = false;
  for (const Entry* e : near) {
    NearMiss miss;
    miss.interaction = e->interaction;
    miss.pact = e->pact;
    matchRequest(e->interaction->request, view, opts, &miss.mismatches);
    // Method or path mismatches weigh more than anything else.
    int rank = 0;
    for (const auto& m : miss.mismatches)
      rank += (m.kind == Mismatch::Kind::Method || m.kind == Mismatch::Kind::Path) ? 100 : 1;
    scored.push_back({std::move(miss), rank, e->order});
  }
  std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.order < b.order;
  });
  for (std::size_t i = 0; i < scored.size() && i < impl.options.maxClosest; ++i)
    outcome.closest.push_back(std::move(scored[i].miss));
  return outcome;
}

std::size_t InteractionIndex::size() const { return impl_->entries.size(); }

std::size_t InteractionIndex::sharedPatternSets() const { return impl_->sharedPatternSets; }

const std::vector<std::shared_ptr<const Pact>>& InteractionIndex::pacts() const { return impl_->pacts; }

}  // namespace pactmocks::pact
