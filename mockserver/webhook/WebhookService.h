#pragma once
// The mock webhook receiver: accepts any POST, records it, answers {"received":true}.
// Tests read the deliveries at GET /__admin/requests and clear them with DELETE.
#include "http/Message.h"
#include "mockserver/RequestJournal.h"

namespace pactmocks::mockserver {

class WebhookService {
 public:
  explicit WebhookService(RequestJournal& journal) : journal_(journal) {}
  http::Response handle(http::Request& request);

 private:
  RequestJournal& journal_;
};

}  // namespace pactmocks::mockserver
