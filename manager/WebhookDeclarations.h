#pragma once
// Broker webhooks declared in the contracts ConfigMap (key `webhooks.json`), and the pure plan
// that turns the declarations and the broker's current webhooks into calls. The manager owns
// the webhooks whose UUID carries its prefix (`pactmocks-<scope>-`, scope = a hash of the
// ConfigMap's namespace and name): it creates or updates them under a UUID derived from each
// declaration's `id` (so a restart updates instead of duplicating) and deletes those of its own
// that are no longer declared. Webhooks created by anyone else are never touched.
#include <map>
#include <set>
#include <string>
#include <vector>

namespace pactmocks::manager {

inline constexpr const char* kWebhooksFile = "webhooks.json";

struct WebhookDeclaration {
  std::string id;           // stable identity, [A-Za-z0-9_-]{1,64}
  std::string uuid;         // the broker webhook's UUID: prefix + id
  std::string description;  // defaults to id
  std::string consumer, provider;  // optional filters (pacticipant names)
  std::string body;         // the broker's webhook JSON (PUT /webhooks/{uuid})
  std::string sha256;       // of body: unchanged declarations are not re-sent
};

struct WebhookProblem {
  std::string id;      // the declaration's id or its index ("#2") when it has none
  std::string reason;
};

struct WebhookDeclarations {
  std::vector<WebhookDeclaration> webhooks;  // the valid ones, in file order
  std::vector<WebhookProblem> problems;      // the invalid ones: reported and skipped
};

// The UUID prefix for one ConfigMap.
std::string webhookUuidPrefix(const std::string& kubernetesNamespace, const std::string& configMapName);

// Parses `webhooks.json`: {"webhooks": [ {...}, ... ]} or a bare array of declarations. A file
// that is not JSON at all is one problem; each bad declaration is a problem of its own.
WebhookDeclarations parseWebhookDeclarations(const std::string& content, const std::string& uuidPrefix);

struct WebhookPlan {
  std::vector<WebhookDeclaration> toPut;  // new or changed (or all, when re-applying)
  std::vector<std::string> toDelete;      // UUIDs of ours no longer declared
};

// `applied`: UUID → sha256 last applied successfully; `existing`: UUIDs the broker lists (only
// those with `uuidPrefix` are considered ours). `reapply`: send every declaration again (after
// a broker outage, whose database may be new).
WebhookPlan planWebhooks(const std::vector<WebhookDeclaration>& declared,
                         const std::map<std::string, std::string>& applied,
                         const std::set<std::string>& existing, const std::string& uuidPrefix, bool reapply);

}  // namespace pactmocks::manager
