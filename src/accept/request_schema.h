// The output schema a client's request asks the model to follow, for the json_schema check:
// OpenAI `response_format: {type: "json_schema", json_schema: {schema}}`; Anthropic
// `output_config.format: {type: "json_schema", schema}` or the older beta's top-level
// `output_format` (output_config wins when both are given, as the Anthropic decoder reads them).
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "wire/format.h"

namespace switchyard::accept {

// The deepest body RequestSchema parses: the same bound the gateway's body scan holds.
inline constexpr int kMaxRequestJsonDepth = 64;

// The schema of `body` (in the `inbound` API's shape), or nullopt when the request asks for none
// (no such field, another output type, or no schema in it). Error kInvalidRequest, naming the
// field, when the field or its schema is there but not an object. Parses the whole body: call it
// only when the route's policy needs_schema().
Result<std::optional<boost::json::value>> RequestSchema(std::string_view body,
                                                        wire::Format inbound);

}  // namespace switchyard::accept
