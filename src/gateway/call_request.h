// CallRequest: the client's request as every attempt of one call sees it — its raw bytes with
// their top-level scan (for same-format targets, which forward the bytes), and its canonical form
// (for targets of another wire format, which translate), decoded once per call and only when a
// target of the plan needs it.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "canonical/chat.h"
#include "providers/provider_adapter.h"
#include "providers/wire_format.h"

namespace switchyard::gateway {

struct CallRequest {
  providers::PassthroughRequest passthrough;   // views into the client's request
  providers::WireFormat inbound_format = providers::WireFormat::kOpenAI;
  std::optional<canonical::ChatRequest> canonical;  // set when some target translates
  std::string requested_model;                 // as the client wrote it
  std::int64_t created = 0;                    // the call's unix time, for translated answers

  // Whether a target of this wire format is reached by forwarding the client's bytes.
  bool SameFormat(providers::WireFormat target) const { return target == inbound_format; }
};

}  // namespace switchyard::gateway
