// EventsOf: a whole canonical answer as the stream of canonical events that would have carried it,
// in the order chat.h documents — so a stored JSON answer can be replayed to a client that asked
// for a stream, through the same stream encoder a live stream goes through.
//
// Consecutive text parts come back from a stream as one part (ResponseAssembler merges them), and
// an empty text part is no event at all: the only two ways EventsOf → assembler differs from its
// input. Pure function; the events own their bytes; safe from any thread.
#pragma once

#include <cstddef>
#include <vector>

#include "canonical/chat.h"

namespace switchyard::canonical {

// The longest text, thinking or arguments piece one delta event carries: a long answer replays as
// many deltas, the way a provider streams it (clients render it progressively, and no SSE event
// grows with the answer). Pieces end on UTF-8 boundaries.
inline constexpr std::size_t kReplayPieceBytes = 1024;

// kStart (id, model, created; usage with the input counts when the answer reported usage); each
// content part in order — text and thinking as deltas of at most kReplayPieceBytes, a thinking
// part's signature as kThinkingSignature after its deltas, a redacted thinking part as one
// kRedactedThinking —; each tool call in order (kToolCallStart with its id and name, then its
// arguments as kToolCallDelta pieces, ordinals 0, 1, ...); kFinish (with the stop sequence);
// kUsage when the answer reported usage; kEnd. Image and document parts (never in an answer) are
// left out.
std::vector<StreamEvent> EventsOf(const ChatResponse& response);

}  // namespace switchyard::canonical
