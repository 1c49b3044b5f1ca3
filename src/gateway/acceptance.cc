#include "gateway/acceptance.h"

#include "accept/request_schema.h"

namespace switchyard::gateway {

Result<std::unique_ptr<Acceptance>> Acceptance::Make(const accept::AcceptPolicy& policy,
                                                     std::string_view body,
                                                     wire::Format inbound) {
  std::optional<json_schema::Schema> schema;
  if (policy.needs_schema()) {
    auto requested = accept::RequestSchema(body, inbound);
    if (!requested) return std::move(requested).error();
    if (*requested) {
      auto compiled = json_schema::Schema::Compile(**requested);
      if (!compiled) return std::move(compiled).error();
      schema = std::move(compiled).value();
    }
  }
  return std::unique_ptr<Acceptance>(new Acceptance(policy, std::move(schema)));
}

std::optional<std::string> Acceptance::Reject(std::string_view text, int tool_calls) const {
  return policy_.Check(accept::Answer{text, tool_calls}, schema_ ? &*schema_ : nullptr);
}

}  // namespace switchyard::gateway
