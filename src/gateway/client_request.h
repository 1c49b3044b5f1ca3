// What the gateway reads from a client's request before routing it: the few body fields it needs
// (everything else is forwarded untouched or decoded only for translation), the headers a wire
// format may pass on, the call's metadata tags, and the provider key for a target.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "canonical/chat.h"
#include "core/result.h"
#include "http/server/incoming_request.h"
#include "json/object_scan.h"
#include "ledger/call_record.h"
#include "providers/provider_adapter.h"
#include "routing/model_resolver.h"

namespace switchyard::gateway {

// The fields the gateway reads from the client's body; everything else it forwards untouched.
struct RequestFields {
  std::string model;
  bool stream = false;
  bool client_wants_stream_usage = false;
};

// `model` (a non-empty string without control characters) and, by operation, `input` or `messages` (an array), `stream` and
// `stream_options.include_usage`. Failure: a 400 naming the missing or malformed field.
Result<RequestFields> ReadFields(std::string_view body, const json::ObjectScan& scan,
                                 providers::Operation operation);

// The client headers a wire format may pass on (Anthropic's version and beta flags).
std::vector<std::pair<std::string, std::string>> ForwardableHeaders(
    const http::IncomingRequest& request);

// x-switchyard-metadata (a JSON object of tags) into the record. Failure: a 400 naming the header.
Status ReadMetadata(const http::IncomingRequest& request, ledger::CallRecord& record);

// The key for a target: a per-call x-switchyard-provider-key-NAME header wins over the configured
// key.
std::string_view ApiKeyFor(const http::IncomingRequest& request,
                           const routing::PlannedTarget& target);

}  // namespace switchyard::gateway
