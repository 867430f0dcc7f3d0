#pragma once
// The mock webhook receiver: accepts any POST, records it, answers {"received":true}.
// Tests read the deliveries at GET /__admin/requests and clear them with DELETE.
#include "http/Message.h"
#include "http/Router.h"
#include "mockserver/RequestJournal.h"

namespace pactmocks::mockserver {

class WebhookService {
 public:
  explicit WebhookService(RequestJournal& journal);
  // The routes refer to this object.
  WebhookService(const WebhookService&) = delete;
  WebhookService& operator=(const WebhookService&) = delete;

  http::Response handle(http::Request& request) { return router_.handle(request); }

 private:
  http::Response deliver(const http::Request& request);

  RequestJournal& journal_;
  http::Router router_;
};

}  // namespace pactmocks::mockserver
