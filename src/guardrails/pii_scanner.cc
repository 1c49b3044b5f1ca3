#include "guardrails/pii_scanner.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace switchyard::guardrails {
namespace {

constexpr std::string_view kEmailName = "email";
constexpr std::string_view kPhoneName = "phone";
constexpr std::string_view kCreditCardName = "credit_card";
constexpr std::string_view kIbanName = "iban";
constexpr std::string_view kSsnName = "ssn";
constexpr std::string_view kIpAddressName = "ip_address";

// ASCII classes only: a byte of a multi-byte UTF-8 character is never part of a match, and acts as
// a boundary like punctuation does.
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAlpha(char c) { return IsUpper(c) || IsLower(c); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
bool IsWordChar(char c) { return IsAlnum(c) || c == '_'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// The byte at `i`, or NUL outside the text: boundary checks read neighbours without range tests
// (i - 1 at the start wraps to a huge index, which is outside too).
char At(std::string_view text, std::size_t i) { return i < text.size() ? text[i] : '\0'; }

// Whether a number may start at `i`: not inside a word, and not the continuation of another number
// ("12.5", "3,000", "2024-01", "10:30", the groups of "DE89 3704 0044 ...").
bool NumberMayStartAt(std::string_view text, std::size_t i) {
  const char prev = At(text, i - 1);
  if (IsWordChar(prev)) return false;
  const bool joins = prev == '.' || prev == ',' || prev == '-' || prev == ':' || prev == ' ';
  return !(joins && IsDigit(At(text, i - 2)));
}

// Whether a number that ended just before `i` really ended there: no word character follows, nor a
// '.' or '-' that continues it with more digits ("1.2.3.4.5", "4111-1111-...-1111-2").
bool NumberEndsAt(std::string_view text, std::size_t i) {
  const char next = At(text, i);
  if (IsWordChar(next)) return false;
  return !((next == '.' || next == '-') && IsDigit(At(text, i + 1)));
}

// ---- e-mail ----

bool IsLocalChar(char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool IsDomainChar(char c) { return IsAlnum(c) || c == '.' || c == '-'; }

// Dot-separated labels of letters, digits and inner hyphens, at least two of them, the last (the
// top-level domain) all letters and at least two long.
bool IsEmailDomain(std::string_view domain) {
  std::size_t labels = 0;
  std::string_view last;
  std::size_t label_begin = 0;
  for (std::size_t i = 0; i <= domain.size(); ++i) {
    if (i < domain.size() && domain[i] != '.') continue;
    last = domain.substr(label_begin, i - label_begin);
    if (last.empty() || last.front() == '-' || last.back() == '-') return false;
    ++labels;
    label_begin = i + 1;
  }
  return labels >= 2 && last.size() >= 2 && std::all_of(last.begin(), last.end(), IsAlpha);
}

// Each '@' is looked at once; its local part and domain stop at the neighbouring '@' at the latest
// (neither class holds '@'), so every byte is read at most twice whatever the text.
void FindEmails(std::string_view text, std::vector<TextSpan>& out) {
  constexpr std::size_t kMaxLocalPart = 64;  // RFC 5321
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    std::size_t begin = at;
    while (begin > 0 && IsLocalChar(text[begin - 1])) --begin;
    while (begin < at && text[begin] == '.') ++begin;  // a sentence's period is not the address's
    if (begin == at || text[at - 1] == '.' || at - begin > kMaxLocalPart) continue;
    std::size_t end = at + 1;
    while (end < text.size() && IsDomainChar(text[end])) ++end;
    // "write to a@b.com." — the final period ends the sentence.
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
    if (At(text, end) == '@' || !IsEmailDomain(text.substr(at + 1, end - at - 1))) continue;
    out.push_back({begin, end, kEmailName});
  }
}

// ---- digit groups (phones, cards) ----

// One group of digits of a number written in groups: "415" of "(415) 555-0132".
// No member initializers: DigitGroups holds an array of them that a scan builds at every possible
// start, and only the first `count` are ever read.
struct DigitGroup {
  std::size_t begin;  // its first byte (the '(' when parenthesised)
  std::size_t end;    // one past its last byte (past the ')')
  std::size_t digits;
  char first_digit;
  bool parenthesised;
  // The byte before it: ' ', '-' or '.'; kAfterParen when it follows a parenthesised group; 0 for
  // the first group.
  char separator;
};
constexpr char kAfterParen = 'P';
constexpr std::size_t kMaxGroups = 8;

struct DigitGroups {
  std::array<DigitGroup, kMaxGroups> group;
  std::size_t count = 0;

  std::size_t Digits(std::size_t groups) const {
    std::size_t digits = 0;
    for (std::size_t i = 0; i < groups; ++i) digits += group[i].digits;
    return digits;
  }
};

// The separator shared by groups [from, to) (those after a parenthesised group do not count);
// 0 when there is none, kMixed when they differ.
constexpr char kMixed = 'M';
char SharedSeparator(const DigitGroups& groups, std::size_t from, std::size_t to) {
  char shared = 0;
  for (std::size_t i = from; i < to; ++i) {
    const char separator = groups.group[i].separator;
    if (separator == kAfterParen) continue;
    if (shared != 0 && separator != shared) return kMixed;
    shared = separator;
  }
  return shared;
}

// ---- phone ----

constexpr std::size_t kMaxPhoneDigits = 15;  // E.164
constexpr std::size_t kMinPhoneDigits = 7;

// Reads one digit group at `pos` (parenthesised when `paren`), adding it to `groups` unless it is
// malformed or would take the number past `max_digits`. Returns the position after it, or npos.
std::size_t ReadGroup(std::string_view text, std::size_t pos, bool paren, char separator,
                      std::size_t max_digits, DigitGroups& groups) {
  DigitGroup group{.begin = pos,
                   .end = 0,
                   .digits = 0,
                   .first_digit = 0,
                   .parenthesised = paren,
                   .separator = separator};
  if (paren) ++pos;
  group.first_digit = At(text, pos);
  const std::size_t room = max_digits - groups.Digits(groups.count);
  while (IsDigit(At(text, pos))) {
    if (++group.digits > room) return std::string_view::npos;
    ++pos;
  }
  if (group.digits == 0) return std::string_view::npos;
  if (paren) {
    if (At(text, pos) != ')' || group.digits > 5) return std::string_view::npos;
    ++pos;
  }
  group.end = pos;
  groups.group[groups.count++] = group;
  return pos;
}

// The groups of a phone-like run from `start` (a '+', '(' or digit). A parenthesised group may be
// the first of a national number or the one after an international country code.
DigitGroups ReadPhoneGroups(std::string_view text, std::size_t start, bool plus) {
  DigitGroups groups;
  std::size_t pos = plus ? start + 1 : start;
  char separator = 0;
  while (groups.count < kMaxGroups) {
    const bool paren_allowed = groups.count == (plus ? 1u : 0u);
    const bool paren = At(text, pos) == '(';
    if (paren && !paren_allowed) break;
    pos = ReadGroup(text, pos, paren, separator, kMaxPhoneDigits, groups);
    if (pos == std::string_view::npos) break;
    const char next = At(text, pos);
    if (paren) {
      if (next == ' ' && IsDigit(At(text, pos + 1)))
        ++pos;
      else if (!IsDigit(next))
        break;
      separator = kAfterParen;
      continue;
    }
    const char after = At(text, pos + 1);
    const bool paren_next = after == '(' && plus && groups.count == 1;
    if ((next != ' ' && next != '-' && next != '.') || !(IsDigit(after) || paren_next)) break;
    separator = next;
    ++pos;
  }
  return groups;
}

bool GroupsBetween(const DigitGroups& groups, std::size_t from, std::size_t to, std::size_t min,
                   std::size_t max) {
  for (std::size_t i = from; i < to; ++i) {
    if (groups.group[i].digits < min || groups.group[i].digits > max) return false;
  }
  return true;
}

bool IsUsShape(const DigitGroups& groups, std::size_t from, std::size_t count) {
  const DigitGroup* g = &groups.group[from];
  return count - from == 3 && g[0].digits == 3 && g[0].first_digit >= '2' && g[1].digits == 3 &&
         g[2].digits == 4;
}

// A national number written with a parenthesised area code: "(415) 555-0132", "(020) 7946 0958".
bool IsParenNationalPhone(const DigitGroups& groups, std::size_t count) {
  const DigitGroup& area = groups.group[0];
  if (area.first_digit != '0') return IsUsShape(groups, 0, count);
  return count >= 2 && area.digits >= 2 && GroupsBetween(groups, 1, count, 2, 8) &&
         SharedSeparator(groups, 2, count) != kMixed;
}

// A national number without parentheses, in the common layouts only: the North American 3-3-4
// (optionally after a "1"), or a trunk-prefixed ('0...') number of 10 or 11 digits in groups —
// which is not thousands grouping ("010 000 000").
bool IsPlainNationalPhone(const DigitGroups& groups, std::size_t count) {
  const char separator = SharedSeparator(groups, 1, count);
  if (separator == 0 || separator == kMixed) return false;
  const DigitGroup& first = groups.group[0];
  if (IsUsShape(groups, 0, count)) return true;
  if (first.digits == 1 && first.first_digit == '1') return IsUsShape(groups, 1, count);
  if (first.first_digit != '0' || first.digits < 2 || first.digits > 5) return false;
  if (!GroupsBetween(groups, 1, count, 2, 8)) return false;
  return !GroupsBetween(groups, 1, count, 3, 3);
}

bool IsNationalPhone(const DigitGroups& groups, std::size_t count) {
  const std::size_t digits = groups.Digits(count);
  if (digits < 10 || digits > 11) return false;
  return groups.group[0].parenthesised ? IsParenNationalPhone(groups, count)
                                       : IsPlainNationalPhone(groups, count);
}

// "+" country code, then groups: "+1 415-555-0132", "+44 20 7946 0958", "+44 (0)20 7946 0958",
// "+14155550132".
bool IsInternationalPhone(const DigitGroups& groups, std::size_t count) {
  const std::size_t digits = groups.Digits(count);
  if (digits < kMinPhoneDigits || digits > kMaxPhoneDigits) return false;
  const DigitGroup& country = groups.group[0];
  if (country.first_digit == '0') return false;
  if (count == 1) return true;
  if (country.digits > 3) return false;
  // One digit is an area or trunk code only right after the country ("+33 1 23 45 67 89").
  for (std::size_t i = 2; i < count; ++i) {
    if (!groups.group[i].parenthesised && groups.group[i].digits < 2) return false;
  }
  return SharedSeparator(groups, 2, count) != kMixed;
}

// The end of the phone number starting at `start`, or npos. The longest run of groups that forms
// one wins; a national one must not be followed by another group in its own separator (it would be
// part of a longer list of numbers).
std::size_t PhoneEnd(std::string_view text, std::size_t start) {
  const bool plus = text[start] == '+';
  const DigitGroups groups = ReadPhoneGroups(text, start, plus);
  for (std::size_t count = groups.count; count > 0; --count) {
    const std::size_t end = groups.group[count - 1].end;
    if (!NumberEndsAt(text, end)) continue;
    if (plus) {
      if (IsInternationalPhone(groups, count)) return end;
      continue;
    }
    if (!IsNationalPhone(groups, count)) continue;
    const char separator = SharedSeparator(groups, 1, count);
    if (At(text, end) == separator && IsDigit(At(text, end + 1))) continue;
    return end;
  }
  return std::string_view::npos;
}

bool PhoneMayStartAt(std::string_view text, std::size_t i) {
  const char c = text[i];
  if (c == '+' || c == '(') {
    if (!IsDigit(At(text, i + 1))) return false;
  } else if (!IsDigit(c)) {
    return false;
  }
  const char prev = At(text, i - 1);
  if (IsWordChar(prev) || prev == '+' || prev == '-' || prev == '.' || prev == '/') return false;
  // Not the second number of a list: "in 12 415 555 0132" is not one phone.
  return !(prev == ' ' && IsDigit(At(text, i - 2)));
}

void FindPhones(std::string_view text, std::vector<TextSpan>& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (!PhoneMayStartAt(text, i)) {
      ++i;
      continue;
    }
    const std::size_t end = PhoneEnd(text, i);
    if (end == std::string_view::npos) {
      ++i;
      continue;
    }
    out.push_back({i, end, kPhoneName});
    i = end;
  }
}

// ---- credit card ----

constexpr std::size_t kMinCardDigits = 13;
constexpr std::size_t kMaxCardDigits = 19;

DigitGroups ReadCardGroups(std::string_view text, std::size_t start) {
  DigitGroups groups;
  std::size_t pos = start;
  char separator = 0;
  while (groups.count < kMaxGroups) {
    pos = ReadGroup(text, pos, false, separator, kMaxCardDigits, groups);
    if (pos == std::string_view::npos) break;
    const char next = At(text, pos);
    if (next != ' ' && next != '-') break;
    if ((separator != 0 && next != separator) || !IsDigit(At(text, pos + 1))) break;
    separator = next;
    ++pos;
  }
  return groups;
}

bool PassesLuhn(std::string_view text, std::size_t begin, std::size_t end) {
  int sum = 0;
  bool double_it = false;
  for (std::size_t i = end; i > begin; --i) {
    const char c = text[i - 1];
    if (!IsDigit(c)) continue;
    int digit = c - '0';
    if (double_it) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

// One run of 13-19 digits, or groups of them — the first of four digits, the others of three to
// six (4-4-4-4, 4-6-5, 4-4-4-4-3) — passing the Luhn check.
bool IsCard(std::string_view text, const DigitGroups& groups, std::size_t count) {
  const std::size_t digits = groups.Digits(count);
  if (digits < kMinCardDigits || digits > kMaxCardDigits) return false;
  if (count > 1 && (groups.group[0].digits != 4 || !GroupsBetween(groups, 1, count, 3, 6))) {
    return false;
  }
  return PassesLuhn(text, groups.group[0].begin, groups.group[count - 1].end);
}

std::size_t CardEnd(std::string_view text, std::size_t start) {
  const DigitGroups groups = ReadCardGroups(text, start);
  for (std::size_t count = groups.count; count > 0; --count) {
    const std::size_t end = groups.group[count - 1].end;
    if (NumberEndsAt(text, end) && IsCard(text, groups, count)) return end;
  }
  return std::string_view::npos;
}

void FindCards(std::string_view text, std::vector<TextSpan>& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i]) || !NumberMayStartAt(text, i)) {
      ++i;
      continue;
    }
    const std::size_t end = CardEnd(text, i);
    if (end == std::string_view::npos) {
      ++i;
      continue;
    }
    out.push_back({i, end, kCreditCardName});
    i = end;
  }
}

// ---- IBAN ----

constexpr std::size_t kMinIban = 15;  // two letters, two check digits, 11 or more alphanumerics
constexpr std::size_t kMaxIban = 34;

// The countries of the IBAN registry (and the few that use IBANs informally): a pair of capitals
// followed by two digits is otherwise too common ("AB12") to let mod 97 alone decide.
bool IsIbanCountry(char a, char b) {
  static constexpr std::string_view kCountries =
      "AD AE AL AO AT AZ BA BE BF BG BH BI BJ BR BY CF CG CH CI CM CR CV CY CZ DE DJ DK DO DZ EE "
      "EG ES FI FK FO FR GA GB GE GI GL GQ GR GT GW HN HR HU IE IL IQ IR IS IT JO KM KW KZ LB LC "
      "LI "
      "LT LU LV LY MA MC MD ME MG MK ML MN MR MT MU MZ NE NI NL NO OM PK PL PS PT QA RO RS RU SA "
      "SC "
      "SD SE SI SK SM SN SO ST SV TD TG TL TN TR UA VA VG XK YE";
  // One bit per possible pair, so the check is a lookup whatever the text.
  static constexpr auto kTable = [] {
    std::array<std::uint32_t, 26> table{};
    for (std::size_t i = 0; i + 1 < kCountries.size(); i += 3) {
      table[kCountries[i] - 'A'] |= std::uint32_t{1} << (kCountries[i + 1] - 'A');
    }
    return table;
  }();
  return (kTable[a - 'A'] >> (b - 'A') & 1) != 0;
}

bool IsIbanChar(char c) { return IsUpper(c) || IsDigit(c); }

// ISO 13616: the country and check digits moved to the end, letters read as 10..35, the whole a
// number that is 1 modulo 97. Computed a character at a time into a 64-bit value that is reduced
// only when it grows large (a division per character would dominate the scan), so no big numbers.
std::uint64_t Mod97Step(std::uint64_t value, char c) {
  constexpr std::uint64_t kReduceAbove = std::uint64_t{1} << 56;
  value = IsDigit(c) ? value * 10 + static_cast<std::uint64_t>(c - '0')
                     : value * 100 + static_cast<std::uint64_t>(c - 'A' + 10);
  return value >= kReduceAbove ? value % 97 : value;
}

// Whether the IBAN whose body (all after the check digits) reduces to `body` is valid once its
// four leading characters are appended, as the rearrangement puts them.
bool PassesMod97(std::string_view iban, std::uint64_t body) {
  for (const char c : iban.substr(0, 4)) body = Mod97Step(body, c);
  return body % 97 == 1;
}

// The groups of a grouped IBAN ("DE89 3704 0044 0532 0130 00"): groups of four after the first,
// the last maybe shorter. Each group's end and the body's remainder through it, so that every
// shorter candidate is checked without reading it again.
struct IbanGroups {
  std::array<std::size_t, 9> end{};
  std::array<std::uint64_t, 9> remainder{};
  std::size_t count = 0;
};

IbanGroups ReadIbanGroups(std::string_view text, std::size_t pos) {
  IbanGroups groups;
  std::size_t chars = 4;
  std::uint64_t remainder = 0;
  while (groups.count < groups.end.size() && At(text, pos) == ' ' &&
         IsIbanChar(At(text, pos + 1))) {
    std::size_t length = 0;
    ++pos;
    while (length < 4 && IsIbanChar(At(text, pos))) {
      remainder = Mod97Step(remainder, text[pos]);
      ++pos;
      ++length;
    }
    if (length == 4 && IsIbanChar(At(text, pos))) break;  // a longer word: not a group
    chars += length;
    groups.end[groups.count] = pos;
    groups.remainder[groups.count++] = remainder;
    if (length < 4 || chars >= kMaxIban) break;
  }
  return groups;
}

std::size_t IbanEnd(std::string_view text, std::size_t start) {
  std::size_t pos = start + 4;
  if (IsIbanChar(At(text, pos))) {  // the electronic form: no spaces
    std::uint64_t remainder = 0;
    while (IsIbanChar(At(text, pos)) && pos - start <= kMaxIban) {
      remainder = Mod97Step(remainder, text[pos]);
      ++pos;
    }
    const std::size_t length = pos - start;
    if (length < kMinIban || length > kMaxIban || IsWordChar(At(text, pos))) {
      return std::string_view::npos;
    }
    return PassesMod97(text.substr(start), remainder) ? pos : std::string_view::npos;
  }
  const IbanGroups groups = ReadIbanGroups(text, pos);
  for (std::size_t count = groups.count; count > 0; --count) {
    const std::size_t end = groups.end[count - 1];
    const std::size_t chars = end - start - count;  // less one space per group
    if (chars < kMinIban || chars > kMaxIban || IsWordChar(At(text, end))) continue;
    if (PassesMod97(text.substr(start), groups.remainder[count - 1])) return end;
  }
  return std::string_view::npos;
}

bool IbanMayStartAt(std::string_view text, std::size_t i) {
  return IsUpper(text[i]) && IsUpper(At(text, i + 1)) && IsDigit(At(text, i + 2)) &&
         IsDigit(At(text, i + 3)) && !IsWordChar(At(text, i - 1)) &&
         IsIbanCountry(text[i], text[i + 1]);
}

void FindIbans(std::string_view text, std::vector<TextSpan>& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t end = IbanMayStartAt(text, i) ? IbanEnd(text, i) : std::string_view::npos;
    if (end == std::string_view::npos) {
      ++i;
      continue;
    }
    out.push_back({i, end, kIbanName});
    i = end;
  }
}

// ---- SSN ----

int NumberAt(std::string_view text, std::size_t pos, std::size_t digits) {
  int value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const char c = At(text, pos + i);
    if (!IsDigit(c)) return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

// NNN-NN-NNNN, with the numbers the Social Security Administration never issues left out: area 000,
// 666 and 900-999, group 00, serial 0000.
bool IsSsnAt(std::string_view text, std::size_t i) {
  if (!NumberMayStartAt(text, i) || At(text, i + 3) != '-' || At(text, i + 6) != '-') return false;
  const int area = NumberAt(text, i, 3);
  const int group = NumberAt(text, i + 4, 2);
  const int serial = NumberAt(text, i + 7, 4);
  if (area <= 0 || area == 666 || area >= 900 || group <= 0 || serial <= 0) return false;
  return NumberEndsAt(text, i + 11);
}

void FindSsns(std::string_view text, std::vector<TextSpan>& out) {
  for (std::size_t i = 0; i + 11 <= text.size(); ++i) {
    if (!IsDigit(text[i]) || !IsSsnAt(text, i)) continue;
    out.push_back({i, i + 11, kSsnName});
    i += 10;
  }
}

// ---- IP addresses ----

// One decimal octet at `pos`: 0-255 without leading zeros. Returns the position after it, or npos.
std::size_t OctetEnd(std::string_view text, std::size_t pos) {
  std::size_t digits = 0;
  int value = 0;
  while (IsDigit(At(text, pos + digits))) {
    if (++digits > 3) return std::string_view::npos;
    value = value * 10 + (text[pos + digits - 1] - '0');
  }
  if (digits == 0 || value > 255 || (digits > 1 && text[pos] == '0')) {
    return std::string_view::npos;
  }
  return pos + digits;
}

// A dotted quad that is a whole token: not a piece of "1.2.3.4.5", "v1.2.3.4" or "1.2.3.4.example".
std::size_t Ipv4End(std::string_view text, std::size_t start) {
  const char prev = At(text, start - 1);
  if (IsWordChar(prev) || prev == '.') return std::string_view::npos;
  std::size_t pos = start;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (At(text, pos) != '.') return std::string_view::npos;
      ++pos;
    }
    pos = OctetEnd(text, pos);
    if (pos == std::string_view::npos) return pos;
  }
  const char next = At(text, pos);
  if (IsWordChar(next) || (next == '.' && IsWordChar(At(text, pos + 1)))) {
    return std::string_view::npos;
  }
  return pos;
}

void FindIpv4(std::string_view text, std::vector<TextSpan>& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t end = IsDigit(text[i]) ? Ipv4End(text, i) : std::string_view::npos;
    if (end == std::string_view::npos) {
      ++i;
      continue;
    }
    out.push_back({i, end, kIpAddressName});
    i = end;
  }
}

bool IsIpv6Char(char c) { return IsHex(c) || c == ':' || c == '.'; }

bool IsIpv6(std::string_view candidate) {
  constexpr std::size_t kMaxText = 45;  // INET6_ADDRSTRLEN less its NUL
  if (candidate.size() > kMaxText) return false;
  std::array<char, kMaxText + 1> buffer{};
  std::memcpy(buffer.data(), candidate.data(), candidate.size());
  in6_addr address{};
  return inet_pton(AF_INET6, buffer.data(), &address) == 1;
}

// A run of hex digits, ':' and '.' that stands alone (not the tail of a word like "std::cout"),
// holds two ':' or more and a decimal digit (so C++ names like "Add::Bad" are left alone), and
// inet_pton reads as IPv6 — less a sentence's trailing '.' or a trailing ':' when needed.
std::size_t Ipv6Length(std::string_view text, std::size_t begin, std::size_t end) {
  if (IsWordChar(At(text, begin - 1)) || IsWordChar(At(text, end))) return 0;
  std::string_view run = text.substr(begin, end - begin);
  while (!run.empty() && run.back() == '.') run.remove_suffix(1);
  if (std::count(run.begin(), run.end(), ':') < 2 ||
      std::none_of(run.begin(), run.end(), IsDigit)) {
    return 0;
  }
  if (IsIpv6(run)) return run.size();
  if (run.back() == ':' && IsIpv6(run.substr(0, run.size() - 1))) return run.size() - 1;
  return 0;
}

void FindIpv6(std::string_view text, std::vector<TextSpan>& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (!IsIpv6Char(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && IsIpv6Char(text[end])) ++end;
    if (const std::size_t length = Ipv6Length(text, i, end); length > 0) {
      out.push_back({i, i + length, kIpAddressName});
    }
    i = end;
  }
}

}  // namespace

std::optional<PiiKind> PiiKindNamed(std::string_view name) {
  for (const PiiKind kind : {PiiKind::kEmail, PiiKind::kPhone, PiiKind::kCreditCard, PiiKind::kIban,
                             PiiKind::kSsn, PiiKind::kIpAddress}) {
    if (NameOf(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string_view NameOf(PiiKind kind) {
  switch (kind) {
    case PiiKind::kEmail: return kEmailName;
    case PiiKind::kPhone: return kPhoneName;
    case PiiKind::kCreditCard: return kCreditCardName;
    case PiiKind::kIban: return kIbanName;
    case PiiKind::kSsn: return kSsnName;
    case PiiKind::kIpAddress: return kIpAddressName;
  }
  return {};
}

void FindPii(std::string_view text, PiiKinds kinds, std::vector<TextSpan>& out) {
  auto wanted = [kinds](PiiKind kind) { return (kinds & static_cast<PiiKinds>(kind)) != 0; };
  if (wanted(PiiKind::kEmail)) FindEmails(text, out);
  if (wanted(PiiKind::kPhone)) FindPhones(text, out);
  if (wanted(PiiKind::kCreditCard)) FindCards(text, out);
  if (wanted(PiiKind::kIban)) FindIbans(text, out);
  if (wanted(PiiKind::kSsn)) FindSsns(text, out);
  if (wanted(PiiKind::kIpAddress)) {
    FindIpv4(text, out);
    FindIpv6(text, out);
  }
}

}  // namespace switchyard::guardrails
