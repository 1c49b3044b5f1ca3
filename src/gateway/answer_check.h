// AnswerCheck: what makes an attempt's answer acceptable beyond its success status, for a call
// routed by a race or hedge with `accept:` (gateway/acceptance.h builds it from the route's
// checks and the request's own output schema). Asked by the attempt before it claims the call
// (routing/commit_point.h): a rejected answer never reaches the client, and the race goes on.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchyard::gateway {

class AnswerCheck {
 public:
  virtual ~AnswerCheck() = default;
  // Why the answer is not acceptable, in a few words; nullopt when it is.
  virtual std::optional<std::string> Reject(std::string_view text, int tool_calls) const = 0;
  // Whether the check needs the whole answer (a streamed one is then held until it passes).
  virtual bool needs_whole_answer() const = 0;
};

}  // namespace switchyard::gateway
