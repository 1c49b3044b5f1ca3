// Answer: what the accept checks look at in one attempt's answer, whatever its API format —
// the caller gathers it from a whole response or a held stream. Views only: the caller keeps the
// text alive while the checks run.
#pragma once

#include <string_view>

namespace switchyard::accept {

struct Answer {
  std::string_view text;  // all text parts, concatenated, without reasoning
  int tool_calls = 0;
};

}  // namespace switchyard::accept
