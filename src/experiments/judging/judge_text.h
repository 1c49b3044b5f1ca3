// What the pairwise and score judgements share: the judge's messages, a text fenced so that it
// cannot speak to the judge, the prompt's {rubric} filled in, and the JSON object of an answer
// that may come inside a ```json fence.
#pragma once

#include <string>
#include <string_view>

#include "canonical/chat.h"

namespace switchyard::experiments {

canonical::Message JudgeMessage(canonical::Role role, std::string text);
// `text` inside <tag>…</tag>; a closing tag inside it is written <\/tag>.
std::string Fenced(std::string_view tag, std::string_view text);
std::string WithRubric(std::string_view prompt, std::string_view rubric);
std::string_view JsonObjectIn(std::string_view text);

}  // namespace switchyard::experiments
