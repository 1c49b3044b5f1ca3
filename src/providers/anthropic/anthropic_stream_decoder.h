// AnthropicStreamDecoder: an Anthropic Messages SSE stream (wire-formats.md §3.4) as canonical
// stream events, event by event.
//
// - Dispatches on the `event:` name (falling back to the data's "type"), ignores ping and unknown
//   events, and tolerates the padding Anthropic puts after the JSON.
// - Content blocks are tracked by their index: text and thinking deltas pass through, a
//   signature_delta ends a thinking block, tool_use blocks get tool-call ordinals 0, 1, ... in
//   order of appearance (never the block index), and their input_json_delta fragments become
//   argument fragments ("" skipped; the "{}" of content_block_start is never sent). Blocks of other
//   types (server_tool_use and results) are ignored, their input deltas included. The reserved
//   json_object tool's input comes out as text.
// - Usage: message_start's counters, overwritten by each message_delta's (they are cumulative).
// - `event: error` becomes a kError event.
//
// Ownership: owns its state. Thread-safety: none; one decoder per stream.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "providers/provider_adapter.h"

namespace switchyard::providers::anthropic {

class AnthropicStreamDecoder : public StreamDecoder {
 public:
  void Decode(std::string_view event_name, std::string_view data,
              std::vector<canonical::StreamEvent>& out) override;
  const canonical::Usage& usage() const override { return usage_; }
  bool saw_end() const override { return saw_end_; }

 private:
  enum class BlockKind { kText, kThinking, kTool, kJsonTool, kIgnored };
  struct Block {
    BlockKind kind = BlockKind::kIgnored;
    int ordinal = 0;  // kTool
  };

  void OnMessageStart(const boost::json::object& event, std::vector<canonical::StreamEvent>& out);
  void OnBlockStart(const boost::json::object& event, std::vector<canonical::StreamEvent>& out);
  void OnBlockDelta(const boost::json::object& event, std::vector<canonical::StreamEvent>& out);
  void OnMessageDelta(const boost::json::object& event, std::vector<canonical::StreamEvent>& out);
  void OnError(const boost::json::object& event, std::vector<canonical::StreamEvent>& out);

  std::map<std::int64_t, Block> blocks_;  // by the provider's block index
  int next_tool_ordinal_ = 0;
  bool json_tool_seen_ = false;
  canonical::Usage usage_;
  bool saw_end_ = false;
};

}  // namespace switchyard::providers::anthropic
