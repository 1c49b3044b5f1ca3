#include "guardrails/secret_scanner.h"

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace switchyard::guardrails {
namespace {

constexpr std::string_view kApiKey = "api_key";
constexpr std::string_view kAwsAccessKey = "aws_access_key";
constexpr std::string_view kPrivateKey = "private_key";
constexpr std::string_view kJwt = "jwt";
constexpr std::string_view kToken = "token";
constexpr std::size_t kNone = std::string_view::npos;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAlnum(char c) { return IsDigit(c) || IsUpper(c) || IsLower(c); }
bool IsBase64Url(char c) { return IsAlnum(c) || c == '_' || c == '-'; }
// What a credential can be made of (base64, base64url and the provider alphabets): the runs the
// scanner looks at. Anything else — spaces, quotes, ':', '.', non-ASCII bytes — separates them.
bool IsTokenChar(char c) { return IsBase64Url(c) || c == '+' || c == '/' || c == '='; }

char At(std::string_view text, std::size_t i) { return i < text.size() ? text[i] : '\0'; }

// ---- PEM private keys ----

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";
constexpr std::size_t kMaxPemLabel = 64;  // "ENCRYPTED PRIVATE KEY", "PGP PRIVATE KEY BLOCK", ...

// The end of a PEM boundary line's label and closing dashes starting at `pos`, or kNone. The label
// is short, so a hostile line of dashes costs a bounded amount per "-----BEGIN ".
std::size_t PemLabelEnd(std::string_view text, std::size_t pos, std::string_view* label) {
  std::size_t end = pos;
  while (end - pos < kMaxPemLabel &&
         (IsUpper(At(text, end)) || IsDigit(At(text, end)) || At(text, end) == ' ')) {
    ++end;
  }
  if (text.substr(end, kDashes.size()) != kDashes) return kNone;
  *label = text.substr(pos, end - pos);
  return end + kDashes.size();
}

// Finds the private-key blocks left to right. Where the next "-----END " is, is remembered: many
// BEGIN headers without an END (hostile, or a key cut off) then cost one search, not one each.
class PrivateKeyFinder {
 public:
  explicit PrivateKeyFinder(std::string_view text) : text_(text) {}

  // The next block at or after `from`: through its END line, or through the end of the text when
  // there is no complete END line after it — a key cut off is still a key, and a key still
  // streaming is held whole by the stream guard's window until its END arrives.
  std::optional<TextSpan> Next(std::size_t from) {
    for (std::size_t begin = text_.find(kBegin, from); begin != kNone;
         begin = text_.find(kBegin, begin + 1)) {
      std::string_view label;
      const std::size_t header_end = PemLabelEnd(text_, begin + kBegin.size(), &label);
      if (header_end == kNone || label.find("PRIVATE KEY") == std::string_view::npos) continue;
      return TextSpan{begin, BlockEnd(header_end), kPrivateKey};
    }
    return std::nullopt;
  }

 private:
  std::size_t BlockEnd(std::size_t header_end) {
    const std::size_t end_line = EndLineAfter(header_end);
    if (end_line == kNone) return text_.size();
    std::string_view label;
    const std::size_t end = PemLabelEnd(text_, end_line + kEnd.size(), &label);
    return end == kNone ? text_.size() : end;
  }

  std::size_t EndLineAfter(std::size_t from) {
    if (next_end_ == kNone) return kNone;  // searched before: there is none
    if (next_end_ < from || !searched_) {
      next_end_ = text_.find(kEnd, from);
      searched_ = true;
    }
    return next_end_;
  }

  std::string_view text_;
  std::size_t next_end_ = 0;
  bool searched_ = false;
};

// ---- known prefixes ----

// The alphabets of key bodies: [A-Za-z0-9_-], [A-Za-z0-9] and [A-Za-z0-9_].
enum BodySet : std::uint8_t { kBase64UrlSet, kAlnumSet, kWordSet };

bool InSet(BodySet set, char c) {
  switch (set) {
    case kBase64UrlSet: return IsBase64Url(c);
    case kAlnumSet: return IsAlnum(c);
    case kWordSet: return IsAlnum(c) || c == '_';
  }
  return false;
}

struct Provider {
  std::string_view prefix;
  BodySet body;
  std::size_t min_body;  // characters after the prefix
  bool exact = false;    // exactly min_body of them
};

// Longest prefix first among those that share a start: the first prefix that matches decides.
constexpr Provider kProviders[] = {
    {"sk-ant-", kBase64UrlSet, 20}, {"sk-proj-", kBase64UrlSet, 20},
    {"sk-", kBase64UrlSet, 20},     {"gsk_", kAlnumSet, 20},
    {"xai-", kAlnumSet, 20},        {"AIza", kBase64UrlSet, 35, true},
    {"github_pat_", kWordSet, 40},  {"ghp_", kAlnumSet, 30},
    {"gho_", kAlnumSet, 30},        {"ghs_", kAlnumSet, 30},
    {"ghu_", kAlnumSet, 30},        {"ghr_", kAlnumSet, 30},
    {"xoxa-", kBase64UrlSet, 20},   {"xoxb-", kBase64UrlSet, 20},
    {"xoxp-", kBase64UrlSet, 20},   {"xoxr-", kBase64UrlSet, 20},
    {"glpat-", kBase64UrlSet, 20},  {"hf_", kAlnumSet, 30},
    {"r8_", kAlnumSet, 30},
};

// Whether a known match can start with `c`: the first letters of the prefixes, of "eyJ" and AKIA.
bool MayStartKnown(char c) {
  switch (c) {
    case 'A':
    case 'e':
    case 'g':
    case 'h':
    case 'r':
    case 's':
    case 'x': return true;
    default: return false;
  }
}

// A maximal run of one body set and where each character class last occurs in it, so that the
// body of any prefix starting inside the run is known without reading the run again. That keeps
// the scan linear when a hostile text repeats a prefix whose body never qualifies ("sk-sk-sk-...").
struct BodyRun {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t last_lower = kNone;
  std::size_t last_upper = kNone;
  std::size_t last_digit = kNone;

  // How many of lower case, upper case and digits occur in [from, end).
  int ClassesFrom(std::size_t from) const {
    auto in = [from](std::size_t last) { return last != kNone && last >= from ? 1 : 0; };
    return in(last_lower) + in(last_upper) + in(last_digit);
  }
};

class BodyRuns {
 public:
  explicit BodyRuns(std::string_view text) : text_(text) {}

  // The run of `set` that `pos` starts or is inside of (empty at `pos` when text[pos] is not in
  // it).
  const BodyRun& From(BodySet set, std::size_t pos) {
    BodyRun& run = runs_[set];
    if (pos >= run.begin && pos < run.end) return run;
    run = BodyRun{.begin = pos, .end = pos};
    while (run.end < text_.size() && InSet(set, text_[run.end])) {
      const char c = text_[run.end];
      if (IsLower(c)) run.last_lower = run.end;
      if (IsUpper(c)) run.last_upper = run.end;
      if (IsDigit(c)) run.last_digit = run.end;
      ++run.end;
    }
    return run;
  }

 private:
  std::string_view text_;
  std::array<BodyRun, 3> runs_{};
};

// ---- generic tokens ----

constexpr std::size_t kMinToken = 20;
constexpr std::size_t kMaxToken = 256;
constexpr double kMinEntropy = 4.2;

int ClassOf(char c) { return IsLower(c) ? 0 : IsUpper(c) ? 1 : IsDigit(c) ? 2 : 3; }

// Bits per character of the token's own character distribution.
double EntropyOf(std::string_view token) {
  std::array<std::uint16_t, 128> counts{};
  for (const char c : token) ++counts[static_cast<unsigned char>(c) & 0x7f];
  const double n = static_cast<double>(token.size());
  double sum = 0;  // of count * log2(count), once per distinct character
  for (const char c : token) {
    std::uint16_t& count = counts[static_cast<unsigned char>(c) & 0x7f];
    if (count == 0) continue;
    sum += count * std::log2(static_cast<double>(count));
    count = 0;
  }
  return std::log2(n) - sum / n;
}

// Identifiers and prose squeezed together ("HelloWorld1234567890Test") come in runs of one class
// of four or more characters; a random token rarely has half of itself in such runs.
bool IsWordLike(std::string_view token) {
  std::size_t in_long_runs = 0;
  std::size_t run = 0;
  for (std::size_t i = 0; i <= token.size(); ++i) {
    if (i < token.size() && i > 0 && ClassOf(token[i]) == ClassOf(token[i - 1])) {
      ++run;
      continue;
    }
    if (run >= 4) in_long_runs += run;
    run = 1;
  }
  return in_long_runs * 2 >= token.size();
}

bool IsRandomToken(std::string_view token) {
  if (token.size() < kMinToken || token.size() > kMaxToken) return false;
  std::size_t lower = 0, upper = 0, digits = 0;
  for (const char c : token) {
    lower += IsLower(c);
    upper += IsUpper(c);
    digits += IsDigit(c);
  }
  if (lower == 0 || upper == 0 || digits == 0) return false;
  const std::size_t one_case = lower > upper ? lower : upper;
  if (one_case * 10 > token.size() * 7) return false;  // mostly letters of one case
  return !IsWordLike(token) && EntropyOf(token) >= kMinEntropy;
}

// Whether a key body starts with words ("sk-learn-classification-v2"): half of the letters of
// its first kWindow characters are in runs of one case four or longer. Issued keys are random
// there. Only a window is read, so a hostile run of prefixes costs a bounded amount per prefix.
bool HasWords(std::string_view body) {
  constexpr std::size_t kWindow = 32;
  body = body.substr(0, kWindow);
  std::size_t letters = 0;
  std::size_t in_long_runs = 0;
  std::size_t run = 0;
  int run_class = -1;
  for (std::size_t i = 0; i <= body.size(); ++i) {
    const int klass = i < body.size() ? ClassOf(body[i]) : -1;
    if (klass == run_class) {
      ++run;
      continue;
    }
    if (run_class <= 1 && run >= 4) in_long_runs += run;  // a run of lower or upper case
    if (klass == 0 || klass == 1) ++letters;
    run_class = klass;
    run = 1;
  }
  return in_long_runs * 2 >= letters + 1 && in_long_runs > 0;
}

// ---- the scan ----

class TokenScanner {
 public:
  TokenScanner(std::string_view text, std::vector<TextSpan>& out)
      : text_(text), out_(out), bodies_(text) {}

  void Scan(std::size_t from) {
    std::size_t i = from;
    while (i < text_.size()) {
      i = IsTokenChar(text_[i]) ? ScanRun(i) : i + 1;
    }
  }

 private:
  // One run of token characters starting at `begin`: its known-prefix matches (a prefix may start
  // after any non-alphanumeric, as in "OPENAI_API_KEY=sk-..."), else its random-looking tokens.
  // Returns where the scan goes on (past the run, or past a JWT that spans several runs).
  std::size_t ScanRun(std::size_t begin) {
    std::size_t end = begin;
    while (end < text_.size() && IsTokenChar(text_[end])) ++end;
    bool known = false;
    std::size_t p = begin;
    while (p < end) {
      std::string_view kind;
      const bool may_start = p == begin || !IsAlnum(text_[p - 1]);
      const std::size_t match_end = may_start ? KnownEnd(p, &kind) : kNone;
      if (match_end == kNone) {
        ++p;
        continue;
      }
      out_.push_back({p, match_end, kind});
      known = true;
      if (match_end >= end) return match_end;
      p = match_end;
    }
    if (!known) ReportTokens(begin, end);
    return end;
  }

  std::size_t KnownEnd(std::size_t p, std::string_view* kind) {
    if (!MayStartKnown(text_[p])) return kNone;
    if (const std::size_t end = JwtEnd(p); end != kNone) {
      *kind = kJwt;
      return end;
    }
    if (const std::size_t end = AwsKeyEnd(p); end != kNone) {
      *kind = kAwsAccessKey;
      return end;
    }
    *kind = kApiKey;
    return ProviderKeyEnd(p);
  }

  std::size_t Base64UrlEnd(std::size_t pos) const {
    while (pos < text_.size() && IsBase64Url(text_[pos])) ++pos;
    return pos;
  }

  // header.payload.signature. A failure at `p` fails for every later start inside the same first
  // segment (same segments, shorter header), so those are skipped: linear on "eyJeyJeyJ...".
  std::size_t JwtEnd(std::size_t p) {
    if (text_[p] != 'e' || p < jwt_failed_until_ || text_.substr(p, 3) != "eyJ") return kNone;
    const std::size_t header_end = Base64UrlEnd(p);
    jwt_failed_until_ = header_end;
    if (header_end - p < 10 || At(text_, header_end) != '.') return kNone;
    const std::size_t payload_end = Base64UrlEnd(header_end + 1);
    if (payload_end - header_end - 1 < 2 || At(text_, payload_end) != '.') return kNone;
    const std::size_t signature_end = Base64UrlEnd(payload_end + 1);
    if (signature_end - payload_end - 1 < 16) return kNone;
    return signature_end;
  }

  std::size_t AwsKeyEnd(std::size_t p) const {
    if (text_[p] != 'A') return kNone;
    const std::string_view prefix = text_.substr(p, 4);
    if (prefix != "AKIA" && prefix != "ASIA") return kNone;
    constexpr std::size_t kLength = 20;
    for (std::size_t i = p + 4; i < p + kLength; ++i) {
      if (!IsUpper(At(text_, i)) && !IsDigit(At(text_, i))) return kNone;
    }
    return IsAlnum(At(text_, p + kLength)) ? kNone : p + kLength;
  }

  std::size_t ProviderKeyEnd(std::size_t p) {
    for (const Provider& provider : kProviders) {
      if (text_[p] != provider.prefix[0]) continue;
      if (text_.substr(p, provider.prefix.size()) != provider.prefix) continue;
      const std::size_t body = p + provider.prefix.size();
      const BodyRun& run = bodies_.From(provider.body, body);
      const std::size_t length = run.end - body;
      const bool fits = provider.exact ? length == provider.min_body : length >= provider.min_body;
      if (!fits || run.ClassesFrom(body) < 2 || HasWords(text_.substr(body, length))) return kNone;
      return run.end;
    }
    return kNone;
  }

  // The run split at '=' ("api_key=Zx..."), except for trailing '=' padding, which stays with the
  // last piece.
  void ReportTokens(std::size_t begin, std::size_t end) {
    std::size_t padding = end;
    while (padding > begin && text_[padding - 1] == '=') --padding;
    std::size_t piece = begin;
    for (std::size_t i = begin; i <= padding; ++i) {
      if (i < padding && text_[i] != '=') continue;
      const std::size_t piece_end = i == padding ? end : i;
      if (IsRandomToken(text_.substr(piece, piece_end - piece))) {
        out_.push_back({piece, piece_end, kToken});
      }
      piece = i + 1;
    }
  }

  std::string_view text_;
  std::vector<TextSpan>& out_;
  BodyRuns bodies_;
  std::size_t jwt_failed_until_ = 0;
};

}  // namespace

void FindSecrets(std::string_view text, std::vector<TextSpan>& out) {
  PrivateKeyFinder keys(text);
  std::size_t from = 0;
  while (from < text.size()) {
    const std::optional<TextSpan> key = keys.Next(from);
    // Tokens are looked for only up to the next key block, whose base64 body is the key itself.
    TokenScanner(text.substr(0, key ? key->begin : text.size()), out).Scan(from);
    if (!key) return;
    out.push_back(*key);
    from = key->end;
  }
}

}  // namespace switchyard::guardrails
