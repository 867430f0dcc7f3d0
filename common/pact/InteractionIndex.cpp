#include "pact/InteractionIndex.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "pact/RequestMatcher.h"

namespace pactmocks::pact {

namespace {

struct Entry {
  const Interaction* interaction = nullptr;
  const Pact* pact = nullptr;
  std::size_t order = 0;        // global file order across pacts
  std::size_t specificity = 0;  // non-equality rules: fewer is more specific
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

// Candidates sharing (method, literal path), split further by a discriminating literal value: an
// equality-only header (e.g. X-Amz-Target) or a top-level string field of a JSON body. Entries
// without a literal value for the discriminator stay in `rest` and are always tried.
struct Node {
  enum class Kind { Leaf, Header, BodyField };
  Kind kind = Kind::Leaf;
  std::string key;  // header name (lower case) or body field
  std::unordered_map<std::string, std::unique_ptr<Node>> children;
  std::vector<const Entry*> rest;  // Leaf: every candidate
  std::vector<const Entry*> all;   // everything below, in file order (for near-miss reports)
};

constexpr std::size_t kSplitThreshold = 8;
constexpr std::size_t kMaxDepth = 3;
constexpr std::size_t kMaxNearMissEvaluations = 24;  // full reports are only computed on a miss

}  // namespace

struct InteractionIndex::Impl {
  std::vector<Pact> pacts;
  IndexOptions options;
  std::vector<Entry> entries;
  std::unordered_map<std::string, Node> literal;  // "METHOD path"
  std::vector<const Entry*> patterned;            // interactions with a path matching rule

  // The literal value an entry requires for a header (equality-only, single item), if any.
  std::optional<std::string> literalHeader(const Entry& e, const std::string& lname) const {
    const RequestSpec& r = e.interaction->request;
    if (r.rules.header.forName(lname, true)) return std::nullopt;
    for (const auto& [n, v] : r.headers) {
      if (lower(n) == lname) {
        if (v.find(',') != std::string::npos) return std::nullopt;
        return std::string(trim(v));
      }
    }
    return std::nullopt;
  }

  // The literal string an entry requires for a top-level JSON body field, if any.
  static std::optional<std::string> literalBodyField(const Entry& e, const std::string& field) {
    const RequestSpec& r = e.interaction->request;
    if (!r.body.present || !r.body.isJson || !r.body.value.is_object()) return std::nullopt;
    auto it = r.body.value.find(field);
    if (it == r.body.value.end() || !it->is_string()) return std::nullopt;
    const std::vector<BodySegment> path{{false, field, 0, false}};
    for (const auto& rule : r.rules.body.rules)
      if (rule.path.size() <= 2 && pathWeight(rule.path, path, true) > 0) return std::nullopt;
    return it->get<std::string>();
  }

  bool headerUsable(const std::string& lname) const {
    if (lname == "content-type" || lname == "accept") return false;  // compared with parameters
    for (const auto& h : options.ignoredHeaders)
      if (lower(h) == lname) return false;
    return true;
  }

  void build(Node& node, std::size_t depth, std::vector<std::string>& used) {
    if (node.all.size() <= kSplitThreshold || depth >= kMaxDepth) {
      node.rest = node.all;
      return;
    }
    // Pick the discriminator with the most distinct literal values.
    std::size_t bestDistinct = 1;
    Node::Kind bestKind = Node::Kind::Leaf;
    std::string bestKey;
    auto consider = [&](Node::Kind kind, const std::string& key) {
      if (std::find(used.begin(), used.end(), key) != used.end()) return;
      std::unordered_set<std::string> values;
      for (const Entry* e : node.all) {
        auto v = kind == Node::Kind::Header ? literalHeader(*e, key) : literalBodyField(*e, key);
        if (v) values.insert(std::move(*v));
      }
      if (values.size() > bestDistinct) {
        bestDistinct = values.size();
        bestKind = kind;
        bestKey = key;
      }
    };
    std::unordered_set<std::string> headerNames, fields;
    for (const Entry* e : node.all) {
      for (const auto& [n, v] : e->interaction->request.headers) headerNames.insert(lower(n));
      const Body& b = e->interaction->request.body;
      if (b.present && b.isJson && b.value.is_object() && fields.size() < 64)
        for (const auto& [k, v] : b.value.items())
          if (v.is_string()) fields.insert(k);
    }
    for (const auto& h : headerNames)
      if (headerUsable(h)) consider(Node::Kind::Header, h);
    for (const auto& f : fields) consider(Node::Kind::BodyField, f);
    if (bestKind == Node::Kind::Leaf) {
      node.rest = node.all;
      return;
    }
    node.kind = bestKind;
    node.key = bestKey;
    for (const Entry* e : node.all) {
      auto v = bestKind == Node::Kind::Header ? literalHeader(*e, bestKey) : literalBodyField(*e, bestKey);
      if (!v) {
        node.rest.push_back(e);
        continue;
      }
      auto& child = node.children[*v];
      if (!child) child = std::make_unique<Node>();
      child->all.push_back(e);
    }
    used.push_back(bestKey);
    for (auto& [_, child] : node.children) build(*child, depth + 1, used);
    used.pop_back();
  }

  // Visits the candidates of `node` for a request: the matching child's candidates and `rest`.
  template <typename F>
  static void visit(const Node& node, const RequestView& view, F&& f) {
    for (const Entry* e : node.rest) f(e);
    if (node.kind == Node::Kind::Leaf) return;
    const Node* child = nullptr;
    if (node.kind == Node::Kind::Header) {
      if (auto v = view.header(node.key)) {
        auto it = node.children.find(std::string(trim(*v)));
        if (it != node.children.end()) child = it->second.get();
      }
    } else if (const nlohmann::json* body = view.json(); body && body->is_object()) {
      auto field = body->find(node.key);
      if (field != body->end() && field->is_string()) {
        auto it = node.children.find(field->get_ref<const std::string&>());
        if (it != node.children.end()) child = it->second.get();
      }
    }
    if (child) visit(*child, view, f);
  }

  // Same, but the subset closest to the request first (for near-miss reports).
  static void collectNear(const Node& node, const RequestView& view, std::vector<const Entry*>& out) {
    visit(node, view, [&](const Entry* e) {
      if (out.size() < kMaxNearMissEvaluations) out.push_back(e);
    });
    for (const Entry* e : node.all) {
      if (out.size() >= kMaxNearMissEvaluations) break;
      if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
    }
  }
};

InteractionIndex::InteractionIndex(std::vector<Pact> pacts, IndexOptions options) {
  auto impl = std::make_shared<Impl>();
  impl->pacts = std::move(pacts);
  impl->options = std::move(options);
  std::size_t total = 0;
  for (const auto& p : impl->pacts) total += p.interactions.size();
  impl->entries.reserve(total);
  std::size_t order = 0;
  for (const auto& p : impl->pacts) {
    for (const auto& i : p.interactions) {
      impl->entries.push_back(Entry{&i, &p, order++, i.request.rules.nonEqualityCount()});
    }
  }
  for (const auto& e : impl->entries) {
    const RequestSpec& r = e.interaction->request;
    if (!r.rules.path.empty()) {
      impl->patterned.push_back(&e);
    } else {
      impl->literal[r.method + " " + r.path].all.push_back(&e);
    }
  }
  for (auto& [_, node] : impl->literal) {
    std::vector<std::string> used;
    impl->build(node, 0, used);
  }
  impl_ = std::move(impl);
}

MatchOutcome InteractionIndex::match(const http::Request& request) const {
  const Impl& impl = *impl_;
  MatchOutcome outcome;
  RequestView view = RequestView::from(request);
  std::string method(request.method);
  for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string key = method + " " + view.path();
  const auto literal = impl.literal.find(key);

  const auto state = view.firstHeader(impl.options.providerStateHeader);
  MatchOptions opts;
  opts.ignoredHeaders = impl.options.ignoredHeaders;
  opts.stopAtFirst = true;

  const Entry* best = nullptr;
  bool bestState = false;
  auto consider = [&](const Entry* e) {
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
    if (!matchRequest(e->interaction->request, view, opts, nullptr)) return;
    best = e;
    bestState = stateMatches;
  };
  if (literal != impl.literal.end()) Impl::visit(literal->second, view, consider);
  for (const Entry* e : impl.patterned)
    if (http::iequals(e->interaction->request.method, method)) consider(e);

  if (best) {
    outcome.matched = best->interaction;
    outcome.pact = best->pact;
    return outcome;
  }

  // Nothing matched: explain with the nearest interactions (same method and path first).
  std::vector<const Entry*> near;
  if (literal != impl.literal.end()) Impl::collectNear(literal->second, view, near);
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
  for (const Entry* e : near) {
    NearMiss miss;
    miss.interaction = e->interaction;
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

const std::vector<Pact>& InteractionIndex::pacts() const { return impl_->pacts; }

}  // namespace pactmocks::pact
