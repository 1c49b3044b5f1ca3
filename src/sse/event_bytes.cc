#include "sse/event_bytes.h"

namespace switchyard::sse {
namespace {

// How many line ends (LF, CR or CRLF) `bytes` ends with, up to two.
int TrailingLineEnds(std::string_view bytes) {
  int ends = 0;
  std::size_t i = bytes.size();
  while (ends < 2 && i > 0) {
    if (bytes[i - 1] == '\n') {
      --i;
      if (i > 0 && bytes[i - 1] == '\r') --i;
    } else if (bytes[i - 1] == '\r') {
      --i;
    } else {
      break;
    }
    ++ends;
  }
  return ends;
}

}  // namespace

void AppendEventBytes(std::string_view bytes, std::string& out) {
  out.append(bytes);
  // After a lone CR an LF would only complete it (CRLF is one line end): add CRs then.
  const char line_end = !bytes.empty() && bytes.back() == '\r' ? '\r' : '\n';
  for (int ends = TrailingLineEnds(bytes); ends < 2; ++ends) out.push_back(line_end);
}

void AppendEventBytes(const Event& event, std::string& out) { AppendEventBytes(event.raw, out); }

}  // namespace switchyard::sse
