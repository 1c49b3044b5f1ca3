#include "canonical/response_events.h"

#include <string_view>

#include "canonical/stream_event_maker.h"

namespace switchyard::canonical {
namespace {

using Kind = StreamEvent::Kind;

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Where the next piece of `text` ends: at most kReplayPieceBytes in, moved back so that no UTF-8
// sequence is split. Text that is not UTF-8 (a run of continuation bytes) is cut at the limit
// rather than not at all, so every piece makes progress.
std::size_t PieceEnd(std::string_view text) {
  if (text.size() <= kReplayPieceBytes) return text.size();
  std::size_t end = kReplayPieceBytes;
  while (end > 0 && IsContinuationByte(text[end])) --end;
  return end == 0 ? kReplayPieceBytes : end;
}

// `text` as delta events of `kind`, in pieces; none for empty text.
void AppendPieces(Kind kind, std::string_view text, int index, std::vector<StreamEvent>& out) {
  while (!text.empty()) {
    const std::size_t end = PieceEnd(text);
    out.push_back(Event(kind, std::string(text.substr(0, end)), index));
    text.remove_prefix(end);
  }
}

void AppendPart(const ContentPart& part, std::vector<StreamEvent>& out) {
  switch (part.kind) {
    case ContentPart::Kind::kText:
      AppendPieces(Kind::kTextDelta, part.text, 0, out);
      break;
    case ContentPart::Kind::kThinking:
      AppendPieces(Kind::kThinkingDelta, part.text, 0, out);
      // A thinking block without a signature (an OpenAI-compatible host's reasoning) has no
      // signature event: a live stream of it has none either.
      if (!part.data.empty()) out.push_back(Event(Kind::kThinkingSignature, part.data));
      break;
    case ContentPart::Kind::kRedactedThinking:
      out.push_back(Event(Kind::kRedactedThinking, part.data));
      break;
    case ContentPart::Kind::kImageUrl:
    case ContentPart::Kind::kImageBase64:
    case ContentPart::Kind::kDocumentBase64:
      break;  // request-side parts: no stream event carries them
  }
}

// The usage a stream's start reports: the prompt's classes, before any output.
Usage InputUsage(const Usage& usage) {
  Usage input;
  input.input_tokens = usage.input_tokens;
  input.cached_input_tokens = usage.cached_input_tokens;
  input.cache_write_tokens = usage.cache_write_tokens;
  input.cache_write_1h_tokens = usage.cache_write_1h_tokens;
  input.reported = usage.reported;
  input.implausible = usage.implausible;
  return input;
}

}  // namespace

std::vector<StreamEvent> EventsOf(const ChatResponse& response) {
  std::vector<StreamEvent> out;
  StreamEvent start = Event(Kind::kStart);
  start.response_id = response.id;
  start.model = response.model;
  start.created = response.created;
  if (response.usage.reported) start.usage = InputUsage(response.usage);
  out.push_back(std::move(start));

  for (const ContentPart& part : response.message.content) AppendPart(part, out);

  const std::vector<ToolCall>& calls = response.message.tool_calls;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const int ordinal = static_cast<int>(i);
    StreamEvent call_start = Event(Kind::kToolCallStart, {}, ordinal);
    call_start.tool_call.id = calls[i].id;
    call_start.tool_call.name = calls[i].name;
    out.push_back(std::move(call_start));
    AppendPieces(Kind::kToolCallDelta, calls[i].arguments_json, ordinal, out);
  }

  StreamEvent finish = Event(Kind::kFinish, response.stop_sequence);
  finish.finish_reason = response.finish_reason;
  out.push_back(std::move(finish));
  if (response.usage.reported) {
    StreamEvent usage = Event(Kind::kUsage);
    usage.usage = response.usage;
    out.push_back(std::move(usage));
  }
  out.push_back(Event(Kind::kEnd));
  return out;
}

}  // namespace switchyard::canonical
