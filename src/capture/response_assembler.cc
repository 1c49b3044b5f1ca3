#include "capture/response_assembler.h"

#include <utility>

namespace switchyard::capture {

using EventKind = canonical::StreamEvent::Kind;

bool ResponseAssembler::Keep(std::size_t bytes) {
  if (overflowed_) return false;
  if (bytes > max_bytes_ - kept_) {
    overflowed_ = true;
    response_ = {};  // no longer an answer to store: let its memory go now
    tool_calls_.clear();
    return false;
  }
  kept_ += bytes;
  return true;
}

void ResponseAssembler::Append(std::string& to, std::string_view bytes) {
  if (Keep(bytes.size())) to.append(bytes);
}

void ResponseAssembler::Observe(const canonical::StreamEvent& event) {
  if (failed_) return;
  // Past the bound only the stream's outcome is still followed (finished, failed): Keep refuses
  // everything else.
  switch (event.kind) {
    case EventKind::kStart: OnStart(event); return;
    case EventKind::kUsage: response_.usage = event.usage; return;
    case EventKind::kError: failed_ = true; return;
    case EventKind::kEnd: return;
    case EventKind::kFinish:
      if (finished_) return;  // the first finish is the one the client saw
      finished_ = true;
      response_.finish_reason = event.finish_reason;
      Append(response_.stop_sequence, event.text);
      return;
    default: break;
  }
  if (!finished_ && !overflowed_) OnContent(event);
}

void ResponseAssembler::OnStart(const canonical::StreamEvent& event) {
  if (started_) return;
  started_ = true;
  response_.message.role = canonical::Role::kAssistant;
  Append(response_.id, event.response_id);
  Append(response_.model, event.model);
  response_.created = event.created;
  if (event.usage.reported) response_.usage = event.usage;
}

canonical::ContentPart* ResponseAssembler::NewPart(Kind kind) {
  if (!Keep(kEntryOverheadBytes)) return nullptr;
  response_.message.content.emplace_back();
  response_.message.content.back().kind = kind;
  return &response_.message.content.back();
}

canonical::ContentPart* ResponseAssembler::OpenPart(Kind kind) {
  std::vector<canonical::ContentPart>& parts = response_.message.content;
  const bool reuse = !parts.empty() && parts.back().kind == kind &&
                     (kind != Kind::kThinking || thinking_open_);
  thinking_open_ = kind == Kind::kThinking;
  return reuse ? &parts.back() : NewPart(kind);
}

void ResponseAssembler::OnContent(const canonical::StreamEvent& event) {
  switch (event.kind) {
    case EventKind::kTextDelta:
      if (event.text.empty()) break;
      if (canonical::ContentPart* part = OpenPart(Kind::kText)) Append(part->text, event.text);
      break;
    case EventKind::kThinkingDelta:
      if (event.text.empty()) break;
      if (canonical::ContentPart* part = OpenPart(Kind::kThinking)) Append(part->text, event.text);
      break;
    case EventKind::kThinkingSignature:
      // Signs the open thinking part; a signature with no thinking before it is a block of its
      // own (one whose thinking the provider left out of the stream).
      if (canonical::ContentPart* part = OpenPart(Kind::kThinking)) Append(part->data, event.text);
      thinking_open_ = false;
      break;
    case EventKind::kRedactedThinking:
      // Each redacted block is a part of its own, even right after another.
      thinking_open_ = false;
      if (canonical::ContentPart* part = NewPart(Kind::kRedactedThinking)) {
        Append(part->data, event.text);
      }
      break;
    case EventKind::kToolCallStart: OnToolStart(event); break;
    case EventKind::kToolCallDelta: OnToolDelta(event); break;
    default: break;
  }
}

void ResponseAssembler::OnToolStart(const canonical::StreamEvent& event) {
  thinking_open_ = false;
  if (tool_calls_.contains(event.index)) return;  // a repeated start: the first one named the call
  const canonical::ToolCall& call = event.tool_call;
  if (!Keep(kEntryOverheadBytes + call.id.size() + call.name.size() + call.arguments_json.size())) {
    return;
  }
  tool_calls_.emplace(event.index, call);
}

void ResponseAssembler::OnToolDelta(const canonical::StreamEvent& event) {
  auto call = tool_calls_.find(event.index);
  if (call == tool_calls_.end()) return;  // never started: the client never saw it either
  Append(call->second.arguments_json, event.text);
}

std::optional<canonical::ChatResponse> ResponseAssembler::Take() && {
  if (!finished_ || failed_ || overflowed_) return std::nullopt;
  canonical::ChatResponse response = std::move(response_);
  response.message.role = canonical::Role::kAssistant;
  response.message.tool_calls.reserve(tool_calls_.size());
  for (auto& [ordinal, call] : tool_calls_) response.message.tool_calls.push_back(std::move(call));
  return response;
}

}  // namespace switchyard::capture
