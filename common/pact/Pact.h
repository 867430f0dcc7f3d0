#pragma once
// The internal model of a pact file: every specification version (V1–V4) parses into this.
// Pure data; no I/O. See PactParser.h for reading and InteractionIndex.h for matching.
#include <array>
#include <compare>
#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/OutOfLine.h"
#include "core/SharedValue.h"
#include "pact/MatchingRules.h"

namespace pactmocks::pact {

struct XmlElement;

enum class SpecVersion { V1, V1_1, V2, V3, V4 };
std::string toString(SpecVersion v);

struct ProviderState {
  std::string name;
  // null when the state has none: an empty object would cost an allocation per state.
  nlohmann::json params;
};

// The parts of a body that few contracts have. Out of line: inline they cost 48 bytes in every
// request and response record.
struct BodyExtras {
  // A V4 `contentType` that differs from the Content-Type header; empty otherwise: a copy of the
  // header for every request and response body was ~100 bytes per AWS interaction. The content
  // type of a body is this, else its Content-Type header (contentTypeOf).
  std::string contentType;
  // An XML body parsed once at load time, so matching never re-parses the contract.
  std::shared_ptr<const XmlElement> xml;
  bool empty() const { return contentType.empty() && !xml; }
};

// A body as written in the contract. `present == false` means "not specified" (matches any body).
struct Body {
  bool present = false;
  bool isJson = false;          // value is structured JSON (not a string of text/XML)
  nlohmann::json value;         // JSON bodies: parsed value; others: the string content
  OutOfLine<BodyExtras> extras;
  // The V4 `contentType` when it differs from the header, else empty.
  const std::string& contentType() const { return extras->contentType; }
  // The contract's XML body, parsed; null for other bodies.
  const XmlElement* xml() const { return extras->xml.get(); }
};

// The content type of a body with these headers: its own V4 `contentType`, else the Content-Type
// header, else empty.
std::string_view contentTypeOf(const Body& body, const std::vector<std::pair<std::string, std::string>>& headers);

// A request's query as written. Out of line in the request: inline it is 88 bytes, and most
// requests of a large contract set have no query.
struct QuerySpec {
  // Parameters by name, sorted and distinct, each with its values in order. V1/V2 strings are parsed
  // into this form too. A sorted list, not a map: a map node was 96 bytes for Azure's `api-version`.
  std::vector<std::pair<std::string, std::vector<std::string>>> params;
  // The V1 string, kept for the V1 plain-string comparison; absent for other versions.
  std::optional<std::string> raw;
  bool empty() const { return params.empty() && !raw; }
  // The values of parameter `name`, or null when the query has none.
  const std::vector<std::string>* find(std::string_view name) const;
};

struct RequestSpec {
  std::string method = "GET";
  std::string path = "/";
  OutOfLine<QuerySpec> query;  // absent in most interactions
  std::vector<std::pair<std::string, std::string>> headers;  // as written; names compared case-insensitively
  Body body;
  // Categories: path, query, header, body (absent in most interactions). Shared by the requests of
  // one pact whose rules are the same: AWS's 1,000 identical `ClientRequestToken` rules were ~340
  // bytes each.
  SharedValue<MatchingRules> rules;
  // No generators: request generators are for provider verification; a mock never applies them
  // (the parser still validates them).
};

struct ResponseSpec {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  Body body;
  // A JSON body serialized once at load time; `body.value` is then released (null). Without
  // `generatedSlots` serving copies it. With them, their values are generated and spliced in at
  // their offsets: the body generators replace whole values at fixed places, so no tree is needed.
  std::optional<std::string> serializedJsonBody;
  OutOfLine<std::vector<GeneratedSlot>> generatedSlots;  // by offset; absent in most interactions
  // No matching rules: a response's rules are for provider verification and never used to serve
  // (the parser still validates them); leaving them out saves ~120 bytes per interaction.
  // Categories: status, header, body (absent in most interactions). Shared by the responses of one
  // pact whose generators are the same: contract sets repeat a few (a DateTime for every
  // `createTime`), and a copy each was ~500 bytes.
  SharedValue<Generators> generators;
};

struct Interaction {
  std::string description;
  std::vector<ProviderState> providerStates;
  RequestSpec request;
  ResponseSpec response;
  // The first 16 bytes of the SHA-256 of the interaction's text in its pact file, so that a reload
  // can keep an unchanged interaction; all zero when it was not parsed from text.
  std::array<unsigned char, 16> textDigest{};
};

// A pact's interactions, in file order. Each is held by a shared pointer so that a reload of an
// edited pact keeps the interactions that did not change instead of holding them twice (see
// parsePact's `previous`). Reads see `const Interaction&`. Writing through a non-const list (tests,
// the parser) first copies an interaction that another list shares, so a shared one never changes.
class InteractionList {
  using Items = std::vector<std::shared_ptr<const Interaction>>;

 public:
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = Interaction;
    using difference_type = std::ptrdiff_t;
    using pointer = const Interaction*;
    using reference = const Interaction&;
    const_iterator() = default;
    explicit const_iterator(Items::const_iterator it) : it_(it) {}
    reference operator*() const { return **it_; }
    pointer operator->() const { return it_->get(); }
    const_iterator& operator++() { ++it_; return *this; }
    const_iterator operator++(int) { auto old = *this; ++it_; return old; }
    const_iterator& operator--() { --it_; return *this; }
    const_iterator& operator+=(difference_type n) { it_ += n; return *this; }
    const_iterator operator+(difference_type n) const { return const_iterator(it_ + n); }
    difference_type operator-(const const_iterator& other) const { return it_ - other.it_; }
    reference operator[](difference_type n) const { return *it_[n]; }
    bool operator==(const const_iterator& other) const { return it_ == other.it_; }
    auto operator<=>(const const_iterator& other) const { return it_ <=> other.it_; }

   private:
    Items::const_iterator it_;
  };

  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  const Interaction& operator[](std::size_t i) const { return *items_[i]; }
  Interaction& operator[](std::size_t i) { return editable(items_[i]); }
  const Interaction& back() const { return *items_.back(); }
  Interaction& back() { return editable(items_.back()); }
  const_iterator begin() const { return const_iterator(items_.begin()); }
  const_iterator end() const { return const_iterator(items_.end()); }
  // The shared pointer itself: what another list may keep.
  const std::shared_ptr<const Interaction>& shared(std::size_t i) const { return items_[i]; }

  void push_back(Interaction interaction) { items_.push_back(std::make_shared<Interaction>(std::move(interaction))); }
  void push_back(std::shared_ptr<const Interaction> kept) { items_.push_back(std::move(kept)); }
  void reserve(std::size_t n) { items_.reserve(n); }
  void shrink_to_fit() { items_.shrink_to_fit(); }
  void clear() { items_.clear(); }
  // Copies the interactions in [from, size()) that this list alone holds, in order, and drops the
  // originals: each copy then lies in one stretch of the heap and is sized exactly. An interaction
  // parsed from a tree leaves its pieces among the tree's freed nodes, and serving one touches them
  // all. Interactions shared with another list are left as they are.
  void relayout(std::size_t from);

 private:
  // Every element is made by make_shared<Interaction> (never a const object), so writing through
  // the pointer once it is not shared is defined.
  static Interaction& editable(std::shared_ptr<const Interaction>& item) {
    if (item.use_count() > 1) item = std::make_shared<Interaction>(*item);
    return const_cast<Interaction&>(*item);  // NOLINT(cppcoreguidelines-pro-type-const-cast): see above
  }
  Items items_;
};

struct Pact {
  std::string consumer;
  std::string provider;
  SpecVersion specVersion = SpecVersion::V2;
  InteractionList interactions;
  // Things the parser skipped on purpose (e.g. V4 message interactions), for logs.
  std::vector<std::string> notes;
  std::string source;  // file name or URL the pact came from
};

}  // namespace pactmocks::pact
