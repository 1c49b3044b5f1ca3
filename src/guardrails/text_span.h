// TextSpan: a run of bytes a check found in a text — [begin, end) — and what it is (the kind a
// redaction names: "email", "api_key", ...). Kinds are static strings owned by the check.
#pragma once

#include <cstddef>
#include <string_view>

namespace switchyard::guardrails {

struct TextSpan {
  std::size_t begin = 0;
  std::size_t end = 0;  // one past the last byte
  std::string_view kind;

  bool operator==(const TextSpan&) const = default;
};

}  // namespace switchyard::guardrails
