// W3C Trace Context `tracestate` (https://www.w3.org/TR/trace-context/#tracestate-header): the
// gateway adds no entry of its own, it only passes the client's list on (to its spans and, when
// configured, to providers), bounded so that a client cannot make it carry an unbounded header.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace switchyard::telemetry::otlp {

// The spec's limits: at most 32 list-members, and a propagator need keep only 512 bytes in all,
// dropping members over 128 bytes first when it must cut.
inline constexpr std::size_t kMaxTracestateMembers = 32;
inline constexpr std::size_t kMaxTracestateBytes = 512;
inline constexpr std::size_t kLargeTracestateMember = 128;

// The list to pass on, members joined by "," without the optional spaces; empty when the header
// is malformed (a bad key or value, a duplicate key, more than 32 members) — the spec lets a
// receiver that cannot parse tracestate drop it whole rather than forward what it does not
// understand. Over 512 bytes, members over 128 bytes go first, then members from the end (the
// oldest, since vendors prepend) until the rest fits. Only call with a valid traceparent: without
// one the spec has tracestate ignored.
std::string BoundTracestate(std::string_view header);

}  // namespace switchyard::telemetry::otlp
