// Writing an upstream SSE event back out unchanged: the pass-through relay sends each event's own
// bytes (sse::Event::raw), so that multi-line data, `id:`, `retry:`, comments and CRLF reach the
// client byte for byte, and only completes an event the upstream left without its blank line (a
// stream that closed right after its last line), so that what the gateway appends after it — its
// cost comment — stays a separate event.
// Pure functions; safe from any thread.
#pragma once

#include <string>

#include "sse/sse_parser.h"

namespace switchyard::sse {

// Appends `event.raw` to `out`, plus the line ends it lacks to end with a blank line.
void AppendEventBytes(const Event& event, std::string& out);

// The same for text that was changed from event.raw (e.g. redacted): `bytes` as the event.
void AppendEventBytes(std::string_view bytes, std::string& out);

}  // namespace switchyard::sse
