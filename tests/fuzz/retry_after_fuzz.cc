// libFuzzer target for the provider's `retry-after` (http/retry_after.h): ParseRetryAfter never
// crashes and never asks for more than a week; what RetryAfterForClient writes for the client is a
// clean header value of digits or an IMF-fixdate, reads back as a wait no shorter than the
// provider's, and is written the same again (idempotent).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/header_value.h"
#include "http/retry_after.h"

namespace {

using std::chrono::milliseconds;
using namespace switchyard;

// 2015-10-21 07:28:00 UTC: a fixed clock, so that a run is reproducible.
const std::chrono::system_clock::time_point kNow =
    std::chrono::sys_days(std::chrono::year(2015) / 10 / 21) + std::chrono::hours(7) +
    std::chrono::minutes(28);
constexpr milliseconds kWeek = std::chrono::hours(24 * 7);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  const auto wait = http::ParseRetryAfter(value, kNow);
  if (wait && (*wait < milliseconds(0) || *wait > kWeek)) std::abort();
  const auto written = http::RetryAfterForClient(value);
  if (!written) return 0;
  if (!wait) std::abort();  // written only what could be read
  if (!http::IsHeaderValue(*written) || written->empty()) std::abort();
  for (const char c : *written) {
    const bool allowed = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                         (c >= 'A' && c <= 'Z') || c == ' ' || c == ',' || c == ':';
    if (!allowed) std::abort();
  }
  const auto reread = http::ParseRetryAfter(*written, kNow);
  if (!reread || *reread < *wait) std::abort();
  if (http::RetryAfterForClient(*written) != written) std::abort();
  return 0;
}
