// libFuzzer target for SseParser: the parse must not depend on how the stream is split. The first
// input byte picks a split point; the rest is the stream. Whole, split-in-two and byte-by-byte
// feeds must produce the same events and the same success, with a small event limit so that the
// oversize path is exercised too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "sse/sse_parser.h"

namespace {

using switchyard::sse::Event;
using switchyard::sse::SseParser;

struct Outcome {
  std::vector<std::string> events;  // event, data, id and the comment flag, flattened
  bool ok = true;
  bool operator==(const Outcome&) const = default;
};

constexpr std::size_t kMaxEventBytes = 512;

Outcome Run(const std::vector<std::string_view>& chunks) {
  SseParser parser(kMaxEventBytes);
  Outcome outcome;
  auto collect = [&](const Event& e) {
    outcome.events.push_back(std::string(e.event) + '\0' + std::string(e.data) + '\0' +
                             std::string(e.id) + (e.is_comment ? "\1" : "\2"));
  };
  for (std::string_view chunk : chunks) {
    if (!parser.Feed(chunk, collect).ok()) {
      outcome.ok = false;
      parser.Finish(collect);  // must be safe after an error, and dispatch nothing
      return outcome;
    }
  }
  parser.Finish(collect);
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t split = stream.empty() ? 0 : data[0] % (stream.size() + 1);

  const Outcome whole = Run({stream});
  const Outcome halves = Run({stream.substr(0, split), stream.substr(split)});
  if (!(whole == halves)) std::abort();
  if (stream.size() <= 1024) {
    std::vector<std::string_view> bytes;
    for (std::size_t i = 0; i < stream.size(); ++i) bytes.push_back(stream.substr(i, 1));
    if (!(whole == Run(bytes))) std::abort();
  }
  return 0;
}
