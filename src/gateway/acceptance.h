// Acceptance: a race's accept checks for one call — the route's compiled checks
// (accept::AcceptPolicy, on the plan) with the request's own output schema, compiled once per call
// when a check needs it — as the attempts ask them (gateway/answer_check.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "accept/accept_policy.h"
#include "core/result.h"
#include "gateway/answer_check.h"
#include "json_schema/schema.h"
#include "wire/format.h"

namespace switchyard::gateway {

class Acceptance final : public AnswerCheck {
 public:
  // Errors: the request's output schema cannot be read or compiled (the client's 400).
  static Result<std::unique_ptr<Acceptance>> Make(const accept::AcceptPolicy& policy,
                                                  std::string_view body, wire::Format inbound);

  std::optional<std::string> Reject(std::string_view text, int tool_calls) const override;
  bool needs_whole_answer() const override { return policy_.NeedsWholeAnswer(); }

 private:
  Acceptance(const accept::AcceptPolicy& policy, std::optional<json_schema::Schema> schema)
      : policy_(policy), schema_(std::move(schema)) {}

  const accept::AcceptPolicy& policy_;
  std::optional<json_schema::Schema> schema_;
};

}  // namespace switchyard::gateway
