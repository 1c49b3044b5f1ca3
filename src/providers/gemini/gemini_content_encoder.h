// The conversation part of a Gemini generateContent request, from canonical messages
// (wire-formats.md §4.2, §6.1–6.3):
//
// - System prompts, wherever they stand, become one systemInstruction text part (joined with a
//   blank line, in order). cache_control has no Gemini counterpart and is dropped.
// - Roles user/model; consecutive same-role turns are merged (Gemini wants them alternating) and
//   empty turns vanish (Gemini refuses empty `parts`).
// - Tool results become functionResponse parts of a user turn. Gemini matches them to calls by
//   function name, so the name is that of the nearest earlier assistant call with the result's id;
//   ids are not sent (AI Studio returns none, and does not document echoing foreign ones). The
//   result text becomes `response`: the parsed object when the text is a JSON object, else
//   {"output": text}; a failed call's text always becomes {"error": text}. Images and documents in
//   a result follow as inlineData parts of the same turn (functionResponse takes JSON only).
// - Assistant tool calls become functionCall {name, args} (arguments that are not a JSON object,
//   e.g. a call cut off at max_tokens, are sent as {}).
// - Thought signatures (gemini_format.h): Gemini wants each back on the part it came on, and
//   Gemini 3 refuses a turn whose first functionCall lacks one. The canonical model keeps them as
//   signed thinking parts, which clients may reorder (OpenAI clients put them all first), so: the
//   turn's last Gemini signature goes on its first functionCall; the others go on the part that
//   follows them (or the turn's last part when none does). A turn whose calls have no Gemini
//   signature gets kSkipSignatureValidator on its first call, so that calls made by another model
//   or by a client that dropped the signature are still accepted.
// - Thinking text is not sent (Gemini takes thought summaries as output only), nor are signatures
//   of other providers or redacted thinking: they are listed as dropped.
// - Inline images and documents become inlineData {mimeType, data}. Image URLs are refused with a
//   400 naming the part: Gemini takes inline data only, and the gateway does not fetch URLs.
//
// Pure functions; safe from any thread.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "canonical/chat.h"
#include "canonical/encoded_request.h"
#include "core/result.h"
#include "wire/format.h"

namespace switchyard::providers::gemini {

// The placeholder signature Gemini's thought-signature docs give for function calls it did not
// produce (§4.2 [UNCONFIRMED]: quoted by several client libraries, official text not read).
inline constexpr std::string_view kSkipSignatureValidator = "skip_thought_signature_validator";

struct EncodedContents {
  boost::json::object system_instruction;  // {"parts":[{"text"}]}; empty when there is no system prompt
  boost::json::array contents;             // alternating user/model turns
};

// `dialect` chooses the field names in errors and dropped-field names. Failure: a 400 naming the
// part Gemini cannot take (an image URL, a non-text system part) or a tool result whose call is
// unknown. Harmless leftovers go to `dropped`.
Result<EncodedContents> EncodeContents(const std::vector<canonical::Message>& messages,
                                       std::optional<wire::Format> dialect,
                                       canonical::DroppedParams& dropped);

}  // namespace switchyard::providers::gemini
