#include "guardrails/webhook_verdict.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "core/redact.h"
#include "guardrails/redaction.h"
#include "guardrails/text_guard.h"

namespace switchyard::guardrails {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxReason = 200;
constexpr std::size_t kMaxKind = 32;

bool IsLead(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

// The byte offset of each code point of `text`, and of its end.
std::vector<std::size_t> CodePointOffsets(std::string_view text) {
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (IsLead(text[i])) offsets.push_back(i);
  }
  offsets.push_back(text.size());
  return offsets;
}

std::string KindOf(const json::value* kind) {
  if (kind == nullptr || !kind->is_string()) return "webhook";
  const std::string_view text = kind->as_string();
  const bool plain = !text.empty() && text.size() <= kMaxKind &&
                     std::all_of(text.begin(), text.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                     });
  return plain ? std::string(text) : "webhook";
}

// A reason from outside goes to the ledger and the client: printable ASCII only, cut short, and
// nothing in it that looks like a provider key.
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxReason)) out += c >= 0x20 && c < 0x7f ? c : ' ';
  return RedactSecrets(out, {});
}

Result<std::vector<WebhookSpan>> ReadSpans(const json::value* spans, std::string_view text) {
  std::vector<WebhookSpan> out;
  if (spans == nullptr || spans->is_null()) return out;
  const json::array* list = spans->if_array();
  if (list == nullptr || list->size() > kMaxVerdictSpans) {
    return Error::UpstreamProtocol("the webhook's spans are not a list of at most 1000 spans");
  }
  const std::vector<std::size_t> offsets = CodePointOffsets(text);
  const std::int64_t points = static_cast<std::int64_t>(offsets.size()) - 1;
  for (const json::value& item : *list) {
    const json::object* span = item.if_object();
    const json::value* start = span ? span->if_contains("start") : nullptr;
    const json::value* end = span ? span->if_contains("end") : nullptr;
    if (start == nullptr || end == nullptr || !start->is_int64() || !end->is_int64() ||
        start->as_int64() < 0 || start->as_int64() >= end->as_int64() ||
        end->as_int64() > points) {
      return Error::UpstreamProtocol(
          "a webhook span is not { start, end } within the text (code point offsets)");
    }
    out.push_back({offsets[static_cast<std::size_t>(start->as_int64())],
                   offsets[static_cast<std::size_t>(end->as_int64())],
                   KindOf(span->if_contains("kind"))});
  }
  return out;
}

}  // namespace

JoinedTexts Join(const std::vector<GuardedText>& texts) {
  JoinedTexts joined;
  for (const GuardedText& text : texts) {
    if (!joined.begins.empty()) joined.text += '\n';
    joined.begins.push_back(joined.text.size());
    joined.text += *text.text;
  }
  return joined;
}

std::string WebhookRequestBody(const Guardrail& guardrail, std::string_view text,
                               const WebhookContext& context) {
  json::value metadata = json::object();
  if (!context.metadata_json.empty()) {
    boost::system::error_code error;
    json::value parsed = json::parse(context.metadata_json, error);
    if (!error && parsed.is_object()) metadata = std::move(parsed);
  }
  const json::object body = {{"guardrail", guardrail.config.name},
                             {"on", config::ToString(guardrail.config.on)},
                             {"text", text},
                             {"model", context.model},
                             {"key_name", context.key_name},
                             {"metadata", std::move(metadata)}};
  return json::serialize(body);
}

Result<WebhookVerdict> ParseWebhookVerdict(std::string_view body, std::string_view text) {
  boost::system::error_code error;
  json::value parsed = body.size() > kMaxVerdictBytes ? json::value() : json::parse(body, error);
  const json::object* object = error ? nullptr : parsed.if_object();
  const json::value* verdict = object ? object->if_contains("verdict") : nullptr;
  const json::string* name = verdict ? verdict->if_string() : nullptr;
  if (name == nullptr || (*name != "allow" && *name != "deny" && *name != "redact")) {
    return Error::UpstreamProtocol(
        "the webhook's answer is not { \"verdict\": \"allow\" | \"deny\" | \"redact\" }");
  }
  WebhookVerdict out;
  out.fired = *name != "allow";
  auto spans = ReadSpans(object->if_contains("spans"), text);
  if (!spans) return std::move(spans).error();
  out.spans = std::move(spans).value();
  const json::value* reason = object->if_contains("reason");
  out.reason = reason && reason->is_string() && !reason->as_string().empty()
                   ? Printable(reason->as_string())
                   : std::string("the webhook said ") + name->c_str();
  return out;
}

void ApplyWebhookVerdict(const Guardrail& guardrail, const WebhookVerdict& verdict,
                         const JoinedTexts& joined, std::vector<GuardedText>& texts,
                         GuardOutcome& outcome) {
  if (!verdict.fired) return;
  const bool redact = guardrail.config.action == config::GuardrailAction::kRedact;
  if (!redact) {
    Act(guardrail, verdict.reason, outcome);
    return;
  }
  if (verdict.spans.empty()) {  // nothing to replace: the call stops, as for a deny
    Act(guardrail, verdict.reason, outcome);
    outcome.stopped = &guardrail;
    outcome.reason = verdict.reason;
    return;
  }
  outcome.Fire(guardrail);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::size_t begin = joined.begins[i];
    const std::size_t end = begin + texts[i].text->size();
    std::vector<TextSpan> own;
    for (const WebhookSpan& span : verdict.spans) {  // clipped to the text, in its own offsets
      const std::size_t from = std::max(span.begin, begin);
      const std::size_t to = std::min(span.end, end);
      if (from < to) own.push_back({from - begin, to - begin, span.kind});
    }
    own = Disjoint(std::move(own));
    if (texts[i].json) own = KeepInJsonStrings(*texts[i].text, own);
    if (own.empty()) continue;
    *texts[i].text = Redact(*texts[i].text, own);
    outcome.changed = true;
  }
}

}  // namespace switchyard::guardrails
