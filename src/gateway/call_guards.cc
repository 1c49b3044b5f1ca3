#include "gateway/call_guards.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/strings.h"
#include "gateway/external_guardrails.h"
#include "guardrails/input_guard.h"

namespace switchyard::gateway {
namespace {

using providers::Operation;

bool IsEmbeddings(const CallRequest& call_request) {
  return call_request.passthrough.operation == Operation::kEmbeddings;
}

canonical::Message UserText(std::string text) {
  canonical::Message message;
  canonical::ContentPart part;
  part.text = std::move(text);
  message.content.push_back(std::move(part));
  return message;
}

}  // namespace

Status CallGuards::Prepare(std::span<const std::string> route_names,
                           const governance::KeyRecord& key, CallRequest& call_request) {
  const guardrails::GuardrailSet* set = worker_.state.guardrails.get();
  if (set == nullptr || set->empty() ||
      call_request.passthrough.operation == Operation::kCountTokens) {
    return Status();
  }
  auto call_guards = set->ForCall(route_names, key.policy.guardrails);
  if (!call_guards) return std::move(call_guards).error();
  guards_ = std::move(call_guards).value();
  if (guards_.empty()) return Status();
  call_request.guardrails = &guards_;
  if (!IsEmbeddings(call_request) && !guards_.output.empty()) {
    call_request.through_canonical = true;
    if (AsksSeveralChoices(call_request)) {
      return Error::InvalidRequest(
          "n above 1 is not served with output guardrails: each answer is checked in the "
          "canonical model, which holds one choice",
          "n");
    }
  }
  if (guards_.input.empty()) return Status();
  return Guard(call_request);
}

// The input's built-in checks: request checks, then span and text checks over the texts.
Status CallGuards::Guard(CallRequest& call_request) {
  Status decoded = IsEmbeddings(call_request) ? TakeEmbeddingsInput(call_request)
                                              : DecodeCanonical(call_request);
  if (!decoded.ok() || !call_request.has_canonical()) return decoded;
  std::vector<std::string> fields;
  for (const json::Member& member : call_request.passthrough.scan->members) {
    fields.push_back(member.key);
  }
  const guardrails::GuardOutcome outcome =
      guardrails::GuardInput(guards_.input, *call_request.mutable_canonical(),
                             {fields, call_.record().metadata_json});
  return Conclude(outcome, call_request);
}

// GCC 12 false positive on coroutine frames (as in call_attempts.cc).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
bool CallGuards::asks_outside() const { return HasExternal(guards_.input); }

Task<Status> CallGuards::AskExternal(CallRequest& call_request, ClientWatch& watch) {
  if (!asks_outside() || !call_request.has_canonical()) co_return Status();
  std::vector<guardrails::GuardedText> texts =
      guardrails::TextsOf(*call_request.mutable_canonical());
  const ledger::CallRecord& record = call_.record();
  guardrails::GuardOutcome outcome;
  co_await AskExternalGuardrails(worker_, call_, &watch, guards_.input, texts,
                                 {record.requested_model, record.key_name, record.metadata_json},
                                 outcome);
  co_await watch.Stop();       // no write to the client while it watches
  call_.MergeSideAttempts();  // the judges', before the router numbers its attempts
  co_return Conclude(outcome, call_request);
}
#pragma GCC diagnostic pop

// What fired is the call's; a deny is the client's error; a rewritten request goes re-encoded.
Status CallGuards::Conclude(const guardrails::GuardOutcome& outcome, CallRequest& call_request) {
  guardrails::AppendFired(outcome.fired, call_.record().guardrails);
  if (outcome.stopped != nullptr) {
    return guardrails::InputDeniedError(*outcome.stopped, outcome.reason);
  }
  if (!outcome.changed) return Status();
  if (IsEmbeddings(call_request)) return RewriteEmbeddingsInput(call_request);
  call_request.through_canonical = true;
  return Status();
}

Status CallGuards::DecodeCanonical(CallRequest& call_request) {
  if (call_request.has_canonical()) return Status();
  auto canonical = call_.codec().DecodeRequest(call_request.passthrough.body);
  if (!canonical) return std::move(canonical).error();
  const auto& headers = call_request.passthrough.client_headers;
  canonical->headers.assign(headers.begin(), headers.end());
  call_request.set_canonical(std::move(canonical).value());
  return Status();
}

// An embeddings call's `input` strings as the messages of a request the guards can read (token
// arrays are not text, and are not read). Embeddings never translate, so this canonical form
// serves only the guardrails.
Status CallGuards::TakeEmbeddingsInput(CallRequest& call_request) {
  boost::system::error_code error;
  const boost::json::value body = boost::json::parse(call_request.passthrough.body, error);
  const boost::json::value* input = error ? nullptr : body.as_object().if_contains("input");
  if (input == nullptr) return Status();  // ReadFields has refused such a body already
  canonical::ChatRequest request;
  if (input->is_string()) request.messages.push_back(UserText(std::string(input->as_string())));
  if (const boost::json::array* list = input->if_array()) {
    for (const boost::json::value& item : *list) {
      if (item.is_string()) request.messages.push_back(UserText(std::string(item.as_string())));
    }
  }
  call_request.set_canonical(std::move(request));
  return Status();
}

// The redacted strings back into the body the provider gets (the same members, re-serialized).
Status CallGuards::RewriteEmbeddingsInput(CallRequest& call_request) {
  boost::system::error_code error;
  boost::json::value body = boost::json::parse(call_request.passthrough.body, error);
  if (error) return Error::Internal("the embeddings body no longer parses");
  boost::json::value& input = body.as_object()["input"];
  const std::vector<canonical::Message>& texts = (*call_request.Canonical())->messages;
  std::size_t next = 0;
  auto take = [&] { return next < texts.size() ? texts[next++].content[0].text : std::string(); };
  if (input.is_string()) input = take();
  if (boost::json::array* list = input.if_array()) {
    for (boost::json::value& item : *list) {
      if (item.is_string()) item = take();
    }
  }
  body_ = boost::json::serialize(body);
  auto scan = json::ScanObject(body_);
  if (!scan) return std::move(scan).error();
  scan_ = std::move(scan).value();
  call_request.passthrough.body = body_;
  call_request.passthrough.scan = &*scan_;
  return Status();
}

// Whether the request asks for several choices (OpenAI `n` above 1).
bool CallGuards::AsksSeveralChoices(const CallRequest& call_request) const {
  const json::Member* n = json::FindMember(*call_request.passthrough.scan, "n");
  if (n == nullptr || n->type != json::ValueType::kNumber) return false;
  return TrimWhitespace(json::ValueText(call_request.passthrough.body, *n)) != "1";
}

}  // namespace switchyard::gateway
