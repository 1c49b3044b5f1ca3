// Secret scanner: finds credentials in a text — provider API keys, AWS access key ids, PEM private
// keys, JSON Web Tokens and other random-looking tokens — so a guardrail can keep a key a user
// pasted into a prompt from reaching a provider, or a key a model repeats from reaching a log.
//
// Kinds of the spans it reports:
//   "api_key"         a known provider prefix and a body of the length that provider issues:
//                     sk- / sk-proj- / sk-ant- (OpenAI, Anthropic), gsk_ (Groq), xai- (xAI),
//                     AIza (Google, 39 characters), ghp_ gho_ ghs_ ghu_ ghr_ github_pat_ (GitHub),
//                     xoxa- xoxb- xoxp- xoxr- (Slack), glpat- (GitLab), hf_ (Hugging Face),
//                     r8_ (Replicate). The body must mix two of lower case, upper case and digits,
//                     so words such as "sk-learn-pipeline" stay.
//   "aws_access_key"  AKIA or ASIA and 16 capitals or digits.
//   "private_key"     a "-----BEGIN ... PRIVATE KEY-----" block through its END line; a header
//                     without a complete END line (a key cut off, or still streaming in) is a
//                     block through the end of the text.
//   "jwt"             three base64url segments separated by dots, the first starting "eyJ".
//   "token"           any other run of [A-Za-z0-9_-+/=] of 20 to 256 characters with Shannon
//                     entropy of at least 4.2 bits per character, holding lower case, upper case
//                     and digits, not mostly letters of one case, and not made of word-like runs
//                     ("CamelCaseIdentifier42"). Hex (git hashes, 40 characters) and UUIDs cannot
//                     reach 4.2 bits over 16 symbols and are never tokens. Longer runs (base64 file
//                     contents) are not reported: they are data, not credentials.
// A run that holds a known-prefix match is not reported as a token as well.
//
// Every byte is read a bounded number of times whatever the text (no backtracking, no regular
// expressions), and nothing is allocated per byte. Pure function, safe from any thread.
#pragma once

#include <string_view>
#include <vector>

#include "guardrails/text_span.h"

namespace switchyard::guardrails {

// Appends every secret found in `text` to `out`, in order of position; the spans do not overlap.
void FindSecrets(std::string_view text, std::vector<TextSpan>& out);

}  // namespace switchyard::guardrails
