#include "gateway/experiment_judging.h"

#include <utility>

#include "core/redact.h"
#include "experiments/assignment.h"
#include "experiments/judging/judged_text.h"
#include "experiments/judging/pairwise_judgement.h"
#include "experiments/judging/score_judgement.h"
#include "gateway/judge_attempt.h"

namespace switchyard::gateway {
namespace {

// What the judge reads, at most: the request's last turns, and each answer's beginning.
constexpr std::size_t kRequestTextBytes = 16 * 1024;
constexpr std::size_t kAnswerTextBytes = 16 * 1024;
constexpr std::size_t kReasonBytes = 240;
constexpr int kVerdictTries = 2;  // a malformed verdict is asked once more, then invalid

// One order's (or the score's) verdict: its text as the judgement records it ("1", "2", "tie",
// a score, "invalid" when malformed twice, "failed" when the judge could not be asked).
struct Verdict {
  std::string text;
  std::string reason;
  std::optional<experiments::Preference> preference;
  std::optional<int> score;
  bool failed = false;
};

std::string_view PreferenceText(experiments::Preference preference) {
  switch (preference) {
    case experiments::Preference::kFirst:
      return "1";
    case experiments::Preference::kSecond:
      return "2";
    case experiments::Preference::kTie:
      return "tie";
  }
  return "tie";
}

std::string_view OutcomeText(experiments::Outcome outcome) {
  switch (outcome) {
    case experiments::Outcome::kBWins:
      return "b_wins";
    case experiments::Outcome::kAWins:
      return "a_wins";
    case experiments::Outcome::kTie:
      return "tie";
  }
  return "tie";
}

class Judging {
 public:
  Judging(Worker& worker, JudgingTicket ticket)
      : worker_(worker),
        ticket_(std::move(ticket)),
        judge_(*ticket_.experiment->experiment().judge) {
    late_.request_id = ticket_.request_id;
    late_.time = ticket_.call_time;
    late_.late = true;
  }

  // GCC 12 false positive on coroutine frames (as in call_attempts.cc).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
  Task<> Run() {
    // No co_await inside a conditional expression: GCC 12 miscompiles the temporaries' lifetimes.
    ledger::JudgementRecord judgement;
    if (ticket_.shadow_target != nullptr) {
      judgement = co_await Pairwise();
    } else {
      judgement = co_await Score();
    }
    judgement.cost_nanos = late_.TotalCostNanos();
    judgement.time = std::chrono::system_clock::now();
    const std::optional<std::int64_t> cost = judgement.cost_nanos;
    late_.judgement = std::move(judgement);
    worker_.state.RecordLate(late_);
    worker_.state.experiments->FinishJudging(ticket_.experiment->route->name, cost);
  }

 private:
  Task<ledger::JudgementRecord> Pairwise() {
    ledger::JudgementRecord judgement = Started("pairwise");
    const std::size_t challenger = ticket_.served == 0 ? ticket_.shadow_variant : ticket_.served;
    judgement.variant_a = VariantName(0);
    judgement.variant_b = VariantName(challenger);
    std::optional<canonical::ChatResponse> shadow = co_await Shadow();
    if (!shadow) {
      judgement.outcome = "failed";
      judgement.reason = late_.attempts.back().reason;  // the ledger keeps its first 500 bytes
      co_return judgement;
    }
    const canonical::ChatResponse& a = ticket_.served == 0 ? ticket_.answer : *shadow;
    const canonical::ChatResponse& b = ticket_.served == 0 ? *shadow : ticket_.answer;
    const std::string request = experiments::RequestTranscript(ticket_.request, kRequestTextBytes);
    const std::string a_text = experiments::AnswerTranscript(a, kAnswerTextBytes);
    const std::string b_text = experiments::AnswerTranscript(b, kAnswerTextBytes);
    const Verdict a_first = co_await AskPairwise(request, a_text, b_text);
    // Without the first order's verdict the judgement is invalid or failed whatever the second
    // says: it is not asked (nor paid for).
    Verdict b_first;
    b_first.text = "skipped";
    if (a_first.preference) b_first = co_await AskPairwise(request, b_text, a_text);
    judgement.a_first = a_first.text;
    judgement.b_first = b_first.text;
    judgement.reason = JoinReasons(a_first.reason, b_first.reason);
    if (a_first.failed || b_first.failed) {
      judgement.outcome = "failed";
    } else if (!a_first.preference || !b_first.preference) {
      judgement.outcome = "invalid";
    } else {
      judgement.outcome =
          OutcomeText(experiments::CombineOrders(*a_first.preference, *b_first.preference));
    }
    co_return judgement;
  }

  Task<ledger::JudgementRecord> Score() {
    ledger::JudgementRecord judgement = Started("score");
    judgement.variant_b = VariantName(ticket_.served);
    const std::string prompt =
        judge_.prompt.empty() ? std::string(experiments::kDefaultScorePrompt) : judge_.prompt;
    canonical::ChatRequest question = experiments::ScoreQuestion(
        prompt, judge_.rubric, experiments::RequestTranscript(ticket_.request, kRequestTextBytes),
        experiments::AnswerTranscript(ticket_.answer, kAnswerTextBytes));
    Verdict verdict;
    for (int tries = 0; tries < kVerdictTries; ++tries) {
      std::optional<std::string> text = co_await Ask(question);
      if (!text) {
        verdict.failed = true;
        break;
      }
      verdict.reason = experiments::VerdictReason(*text, kReasonBytes);
      if (auto score = experiments::ParseScoreVerdict(*text)) {
        verdict.score = *score;
        break;
      }
    }
    judgement.score = verdict.score;
    judgement.a_first =
        verdict.score ? std::to_string(*verdict.score) : (verdict.failed ? "failed" : "invalid");
    judgement.reason = verdict.reason;
    judgement.outcome = verdict.failed ? "failed" : (verdict.score ? "scored" : "invalid");
    co_return judgement;
  }

  // One order: Answer 1 and Answer 2 as given.
  Task<Verdict> AskPairwise(const std::string& request, const std::string& answer_1,
                            const std::string& answer_2) {
    const std::string prompt =
        judge_.prompt.empty() ? std::string(experiments::kDefaultPairwisePrompt) : judge_.prompt;
    canonical::ChatRequest question =
        experiments::PairwiseQuestion(prompt, judge_.rubric, request, answer_1, answer_2);
    Verdict verdict;
    verdict.text = "invalid";
    for (int tries = 0; tries < kVerdictTries; ++tries) {
      std::optional<std::string> text = co_await Ask(question);
      if (!text) {
        verdict.failed = true;
        verdict.text = "failed";
        break;
      }
      verdict.reason = experiments::VerdictReason(*text, kReasonBytes);
      if (auto preference = experiments::ParsePairwiseVerdict(*text)) {
        verdict.preference = *preference;
        verdict.text = PreferenceText(*preference);
        break;
      }
    }
    co_return verdict;
  }

  // The judge's answer text; nullopt when the exchange failed (its attempt says why).
  Task<std::optional<std::string>> Ask(canonical::ChatRequest question) {
    question.model = ticket_.judge_target->model;
    question.max_tokens = judge_.max_tokens;
    const SideExchange side{*ticket_.judge_target, ticket_.judge_key, ledger::AttemptKind::kJudge,
                            std::chrono::milliseconds(judge_.timeout_ms), ticket_.call_time};
    JudgeOutcome outcome = co_await RunJudgeAttempt(worker_, side, &worker_.background, question);
    Add(std::move(outcome.record));
    if (!outcome.answer) co_return std::nullopt;
    co_return experiments::AnswerTranscript(*outcome.answer, kAnswerTextBytes);
  }

  // The same request at the other variant; nullopt when it failed (its attempt says why).
  Task<std::optional<canonical::ChatResponse>> Shadow() {
    canonical::ChatRequest request = ticket_.request;
    request.stream = false;
    request.model = ticket_.shadow_target->model;
    const SideExchange side{*ticket_.shadow_target, ticket_.shadow_key,
                            ledger::AttemptKind::kShadow,
                            std::chrono::milliseconds(judge_.timeout_ms), ticket_.call_time};
    JudgeOutcome outcome = co_await RunJudgeAttempt(worker_, side, &worker_.background, request);
    Add(std::move(outcome.record));
    co_return std::move(outcome.answer);
  }
#pragma GCC diagnostic pop

  ledger::JudgementRecord Started(std::string mode) const {
    ledger::JudgementRecord judgement;
    judgement.route = ticket_.experiment->route->name;
    judgement.epoch = ticket_.experiment->epoch;
    judgement.mode = std::move(mode);
    judgement.served = VariantName(ticket_.served);
    return judgement;
  }

  void Add(ledger::AttemptRecord attempt) {
    attempt.n = ticket_.next_attempt++;
    // Each exchange redacted its own key; neither key may reach the other's record either.
    attempt.reason =
        RedactSecrets(RedactSecrets(attempt.reason, ticket_.shadow_key), ticket_.judge_key);
    late_.attempts.push_back(std::move(attempt));
  }

  std::string JoinReasons(const std::string& first, const std::string& second) const {
    std::string joined = first;
    if (!second.empty() && second != first) joined += (joined.empty() ? "" : " | ") + second;
    return RedactSecrets(RedactSecrets(joined, ticket_.shadow_key), ticket_.judge_key);
  }

  const std::string& VariantName(std::size_t index) const {
    return ticket_.experiment->experiment().variants[index].name;
  }

  Worker& worker_;
  JudgingTicket ticket_;
  const config::ExperimentJudge& judge_;
  ledger::CallRecord late_;
};

}  // namespace

std::size_t ShadowVariant(std::size_t variants, std::size_t served, std::string_view epoch,
                          std::string_view request_id) {
  if (served != 0 || variants < 2) return 0;
  const double point = experiments::UnitHash(epoch, request_id);
  const auto challengers = static_cast<double>(variants - 1);
  return 1 + std::min(variants - 2, static_cast<std::size_t>(point * challengers));
}

// GCC 12 false positive on coroutine frames (as in call_attempts.cc).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
Task<> JudgeInBackground(Worker& worker, JudgingTicket ticket) {
  Judging judging(worker, std::move(ticket));
  co_await judging.Run();
}
#pragma GCC diagnostic pop

}  // namespace switchyard::gateway
