// The body shared by the stream-tap fuzz targets: what a pass-through relay does with a provider's
// stream — SSE framing, the format's tap on every event, each event's own bytes relayed — checked
// for the properties the relay relies on. No input may crash, leak or hang them; the relayed bytes
// must frame exactly the events the provider's did (the client sees what the provider sent); every
// usage count the tap reads must lie in [0, 2^31] (no absurd count reaches a price or a sum).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "canonical/usage.h"
#include "providers/provider_adapter.h"
#include "sse/event_bytes.h"
#include "sse/sse_parser.h"

namespace switchyard::fuzz {

struct SeenEvent {
  std::string event, data, id;
  bool is_comment;
  bool operator==(const SeenEvent&) const = default;
};

inline bool CountInRange(std::int64_t count) {
  return count >= 0 && count <= canonical::kMaxPlausibleTokens;
}

inline bool UsageInRange(const canonical::Usage& u) {
  return CountInRange(u.input_tokens) && CountInRange(u.cached_input_tokens) &&
         CountInRange(u.cache_write_tokens) && CountInRange(u.cache_write_1h_tokens) &&
         CountInRange(u.output_tokens) && CountInRange(u.reasoning_tokens);
}

// Parses `bytes` (fed in two pieces, split at `split`) into `seen`, calling `each` per event.
template <class Each>
inline void ParseInto(std::string_view bytes, std::size_t split, std::vector<SeenEvent>& seen,
                      Each each) {
  sse::SseParser parser(1 << 16);
  auto on_event = [&](const sse::Event& event) {
    seen.push_back({std::string(event.event), std::string(event.data), std::string(event.id),
                    event.is_comment});
    each(event);
  };
  if (parser.Feed(bytes.substr(0, split), on_event).ok() &&
      parser.Feed(bytes.substr(split), on_event).ok()) {
    parser.Finish(on_event);
  }
}

inline int RunStreamTap(providers::StreamTap& tap, const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = size > 1 ? data[0] % size : 0;
  std::vector<SeenEvent> sent;
  std::string relayed;
  ParseInto(input, split, sent, [&](const sse::Event& event) {
    if (!event.is_comment) (void)tap.OnData(event.data);
    sse::AppendEventBytes(event, relayed);
  });
  if (!UsageInRange(tap.usage())) __builtin_trap();
  if (!UsageInRange(tap.EstimatedUsage(size))) __builtin_trap();
  (void)tap.saw_content();
  (void)tap.saw_end();
  (void)tap.saw_finish();
  // The parser stops at an oversized event: what was relayed before it must still frame the same.
  std::vector<SeenEvent> received;
  ParseInto(relayed, relayed.size() / 2, received, [](const sse::Event&) {});
  if (received != sent) __builtin_trap();
  return 0;
}

}  // namespace switchyard::fuzz
