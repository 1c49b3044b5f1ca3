#include "guardrails/pii_scanner.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace switchyard::guardrails {
namespace {

std::vector<TextSpan> Spans(std::string_view text, PiiKinds kinds = kAllPii) {
  std::vector<TextSpan> spans;
  FindPii(text, kinds, spans);
  return spans;
}

// The matched texts of one kind, in order: readable failures.
std::vector<std::string> Found(std::string_view text, PiiKind kind) {
  std::vector<std::string> found;
  for (const TextSpan& span : Spans(text, static_cast<PiiKinds>(kind))) {
    EXPECT_EQ(span.kind, NameOf(kind));
    EXPECT_LT(span.begin, span.end);
    EXPECT_LE(span.end, text.size());
    found.emplace_back(text.substr(span.begin, span.end - span.begin));
  }
  return found;
}

using Texts = std::vector<std::string>;

TEST(PiiKindTest, NamesRoundTrip) {
  for (const PiiKind kind : {PiiKind::kEmail, PiiKind::kPhone, PiiKind::kCreditCard, PiiKind::kIban,
                             PiiKind::kSsn, PiiKind::kIpAddress}) {
    EXPECT_EQ(PiiKindNamed(NameOf(kind)), kind);
  }
  EXPECT_EQ(NameOf(PiiKind::kCreditCard), "credit_card");
  EXPECT_EQ(NameOf(PiiKind::kIpAddress), "ip_address");
  EXPECT_EQ(PiiKindNamed("Email"), std::nullopt);
  EXPECT_EQ(PiiKindNamed(""), std::nullopt);
  EXPECT_EQ(NameOf(static_cast<PiiKind>(3)), "");
}

TEST(PiiScannerTest, OnlyRequestedKinds) {
  const std::string_view text = "mail a@b.io or call (415) 555-0132";
  EXPECT_EQ(Spans(text, 0).size(), 0u);
  const std::vector<TextSpan> emails = Spans(text, static_cast<PiiKinds>(PiiKind::kEmail));
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0], (TextSpan{5, 11, "email"}));
  EXPECT_EQ(Spans(text).size(), 2u);
}

// ---- email ----

TEST(EmailTest, FindsAddressesWithExactOffsets) {
  const std::string_view text = "Contact jane.doe+tag@mail.example.co.uk, or bob@x.org.";
  const std::vector<TextSpan> spans = Spans(text, static_cast<PiiKinds>(PiiKind::kEmail));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0], (TextSpan{8, 39, "email"}));
  EXPECT_EQ(spans[1], (TextSpan{44, 53, "email"}));  // without the sentence's period
}

TEST(EmailTest, AtTextStartAndEnd) {
  EXPECT_EQ(Found("a@b.cd", PiiKind::kEmail), Texts{"a@b.cd"});
  EXPECT_EQ(Found("x_y%z-1@sub-domain.example.com", PiiKind::kEmail),
            Texts{"x_y%z-1@sub-domain.example.com"});
}

TEST(EmailTest, Utf8AroundAddress) {
  const std::string text = "écrivez à «jean@exemple.fr» — merci";
  EXPECT_EQ(Found(text, PiiKind::kEmail), Texts{"jean@exemple.fr"});
}

TEST(EmailTest, RejectsNonAddresses) {
  for (const std::string_view text :
       {"@mention", "user@localhost", "user@example.c", "user@example.123", "user@.com",
        "user@-bad.com", "user@bad-.com", "user@exa..mple.com", "a.@example.com", "@@@", "user@",
        "trailing.@dot.com", "x@1.2.3.4"}) {
    EXPECT_EQ(Found(text, PiiKind::kEmail), Texts{}) << text;
  }
}

TEST(EmailTest, LeadingDotsAreNotPartOfTheLocalPart) {
  EXPECT_EQ(Found("see ...bob@example.com", PiiKind::kEmail), Texts{"bob@example.com"});
}

TEST(EmailTest, SeveralInOneText) {
  EXPECT_EQ(Found("a@b.io,c@d.io;e@f.io", PiiKind::kEmail), (Texts{"a@b.io", "c@d.io", "e@f.io"}));
}

// ---- phone ----

TEST(PhoneTest, FindsCommonFormats) {
  for (const std::string_view phone :
       {"+1 415-555-0132", "(415) 555-0132", "415.555.0132", "+44 20 7946 0958", "+49 30 12345678",
        "415-555-0132", "415 555 0132", "(415)555-0132", "1-800-555-0132", "+1 (415) 555-0132",
        "+44 (0)20 7946 0958", "+14155550132", "020 7946 0958", "(020) 7946 0958", "01 23 45 67 89",
        "+33 1 23 45 67 89"}) {
    const std::string text = "call " + std::string(phone) + " today";
    EXPECT_EQ(Found(text, PiiKind::kPhone), Texts{std::string(phone)}) << phone;
  }
}

TEST(PhoneTest, ExactOffsetsAtStartAndEnd) {
  const std::string_view text = "+1 415-555-0132 or 415.555.0199";
  const std::vector<TextSpan> spans = Spans(text, static_cast<PiiKinds>(PiiKind::kPhone));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0], (TextSpan{0, 15, "phone"}));
  EXPECT_EQ(spans[1], (TextSpan{19, 31, "phone"}));
}

TEST(PhoneTest, SentencePunctuationEndsTheNumber) {
  EXPECT_EQ(Found("Call (415) 555-0132.", PiiKind::kPhone), Texts{"(415) 555-0132"});
  EXPECT_EQ(Found("tel:+14155550132, ok", PiiKind::kPhone), Texts{"+14155550132"});
  EXPECT_EQ(Found("call 415-555-0132 2 times", PiiKind::kPhone), Texts{"415-555-0132"});
}

TEST(PhoneTest, Utf8Around) {
  EXPECT_EQ(Found("電話415-555-0132です", PiiKind::kPhone), Texts{"415-555-0132"});
}

TEST(PhoneTest, IgnoresOrdinaryNumbers) {
  for (const std::string_view text : {"in 2024 we grew",
                                      "pi is 3.14159",
                                      "on 2024-01-15",
                                      "at 10:30:45",
                                      "costs $1,234,567.89",
                                      "1 000 000 000",
                                      "100 000 000 000",
                                      "12345678",
                                      "1234567890",
                                      "v415-555-0132",
                                      "415-555-0132-7788",
                                      "415.555.0132.5",
                                      "4155550132x",
                                      "192.168.100.200",
                                      "10.20.30.40",
                                      "123 456 7890 1234",
                                      "(2019) 123-4567",
                                      "555-0132",
                                      "3 4 5 6 7 8 9 10",
                                      "+0 415 555 0132",
                                      "415-555 0132",
                                      "2024-01-15T10:30:00Z",
                                      "ISBN 978-3-16-148410-0",
                                      "+1234"}) {
    EXPECT_EQ(Found(text, PiiKind::kPhone), Texts{}) << text;
  }
}

TEST(PhoneTest, NotInsideCardsOrLongDigitRuns) {
  for (const std::string_view text :
       {"4111 1111 1111 1111", "4111-1111-1111-1111", "3782 822463 10005", "5555555555554444",
        "12345678901234567890", "+1234567890123456789"}) {
    EXPECT_EQ(Found(text, PiiKind::kPhone), Texts{}) << text;
  }
}

// ---- credit card ----

TEST(CreditCardTest, FindsLuhnValidNumbers) {
  for (const std::string_view card :
       {"4111 1111 1111 1111", "4111-1111-1111-1111", "5555555555554444", "3782 822463 10005",
        "4012888888881881", "6011-1111-1111-1117"}) {
    const std::string text = "card: " + std::string(card) + ".";
    EXPECT_EQ(Found(text, PiiKind::kCreditCard), Texts{std::string(card)}) << card;
  }
}

TEST(CreditCardTest, OneDigitChangedFailsLuhn) {
  EXPECT_EQ(Found("4111 1111 1111 1112", PiiKind::kCreditCard), Texts{});
  EXPECT_EQ(Found("5555555555554445", PiiKind::kCreditCard), Texts{});
  EXPECT_EQ(Found("3782 822463 10006", PiiKind::kCreditCard), Texts{});
}

TEST(CreditCardTest, ExactOffsetsAndSeveral) {
  const std::string_view text = "4111111111111111 and 5555 5555 5555 4444";
  const std::vector<TextSpan> spans = Spans(text, static_cast<PiiKinds>(PiiKind::kCreditCard));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0], (TextSpan{0, 16, "credit_card"}));
  EXPECT_EQ(spans[1], (TextSpan{21, 40, "credit_card"}));
}

TEST(CreditCardTest, NotPartOfLongerRuns) {
  for (const std::string_view text :
       {"14111111111111111", "41111111111111110", "x4111111111111111", "4111111111111111x",
        "4111-1111-1111-1111-1", "1.4111111111111111", "4111111111111111.5", "4111 1111-1111 1111",
        "411 1111 1111 1111 1", "41111 11111 11111 1"}) {
    EXPECT_EQ(Found(text, PiiKind::kCreditCard), Texts{}) << text;
  }
}

TEST(CreditCardTest, Utf8Around) {
  EXPECT_EQ(Found("карта 4111 1111 1111 1111 — да", PiiKind::kCreditCard),
            Texts{"4111 1111 1111 1111"});
}

// ---- IBAN ----

TEST(IbanTest, FindsValidIbans) {
  for (const std::string_view iban :
       {"DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32",
        "FR14 2004 1010 0505 0001 3M02 606", "NL91ABNA0417164300", "DE89370400440532013000"}) {
    const std::string text = "IBAN: " + std::string(iban) + ", thanks";
    EXPECT_EQ(Found(text, PiiKind::kIban), Texts{std::string(iban)}) << iban;
  }
}

TEST(IbanTest, OneDigitChangedFailsMod97) {
  EXPECT_EQ(Found("DE89 3704 0044 0532 0130 01", PiiKind::kIban), Texts{});
  EXPECT_EQ(Found("DE88370400440532013000", PiiKind::kIban), Texts{});
  EXPECT_EQ(Found("GB82 WEST 1234 5698 7654 33", PiiKind::kIban), Texts{});
}

TEST(IbanTest, ExactOffsetsAtStartAndEnd) {
  const std::string_view text = "NL91ABNA0417164300 DE89 3704 0044 0532 0130 00";
  const std::vector<TextSpan> spans = Spans(text, static_cast<PiiKinds>(PiiKind::kIban));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0], (TextSpan{0, 18, "iban"}));
  EXPECT_EQ(spans[1], (TextSpan{19, 46, "iban"}));
}

TEST(IbanTest, TrailingWordIsNotAGroup) {
  EXPECT_EQ(Found("BE68 5390 0754 7034 EUR", PiiKind::kIban), Texts{"BE68 5390 0754 7034"});
}

TEST(IbanTest, RejectsNonIbans) {
  for (const std::string_view text :
       {"XX89370400440532013000", "de89370400440532013000", "DE8937040044",
        "xDE89370400440532013000", "DE89370400440532013000x", "DE89 37040044 0532 0130 00",
        "DE89  3704 0044 0532 0130 00", "AB12 CDEF GHIJ KLMN"}) {
    EXPECT_EQ(Found(text, PiiKind::kIban), Texts{}) << text;
  }
}

// ---- SSN ----

TEST(SsnTest, FindsValidNumbers) {
  const std::string_view text = "SSN 123-45-6789; spouse 078-05-1120";
  const std::vector<TextSpan> spans = Spans(text, static_cast<PiiKinds>(PiiKind::kSsn));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0], (TextSpan{4, 15, "ssn"}));
  EXPECT_EQ(spans[1], (TextSpan{24, 35, "ssn"}));
  EXPECT_EQ(Found("123-45-6789", PiiKind::kSsn), Texts{"123-45-6789"});
}

TEST(SsnTest, RejectsInvalidAndUndashed) {
  for (const std::string_view text :
       {"000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "123-00-4567", "123-45-0000",
        "123456789", "123 45 6789", "1123-45-6789", "123-45-67890", "123-45-6789-1", "a123-45-6789",
        "12-345-6789", "2024-01-15"}) {
    EXPECT_EQ(Found(text, PiiKind::kSsn), Texts{}) << text;
  }
}

// ---- IP addresses ----

TEST(IpAddressTest, FindsIpv4) {
  const std::string_view text = "hosts 10.0.0.1, 192.168.1.254:8080 and 255.255.255.255.";
  EXPECT_EQ(Found(text, PiiKind::kIpAddress),
            (Texts{"10.0.0.1", "192.168.1.254", "255.255.255.255"}));
  const std::vector<TextSpan> spans = Spans("0.0.0.0", static_cast<PiiKinds>(PiiKind::kIpAddress));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0], (TextSpan{0, 7, "ip_address"}));
}

TEST(IpAddressTest, RejectsNonIpv4) {
  for (const std::string_view text :
       {"256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "v1.2.3.4", "1.2.3.4a",
        "1.2.3.4.example", "version 1.2.3.4.5-beta", "1.2.3.1000", "3.14159"}) {
    EXPECT_EQ(Found(text, PiiKind::kIpAddress), Texts{}) << text;
  }
}

TEST(IpAddressTest, FindsIpv6) {
  for (const std::string_view address :
       {"2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8::1", "::1", "fe80::1ff:fe23:4567:890a",
        "2001:DB8:0:0:8:800:200C:417A"}) {
    const std::string text = "addr " + std::string(address) + ". done";
    EXPECT_EQ(Found(text, PiiKind::kIpAddress), Texts{std::string(address)}) << address;
  }
  EXPECT_EQ(Found("[2001:db8::1]:443", PiiKind::kIpAddress), Texts{"2001:db8::1"});
  // An embedded IPv4 is also an IPv4 match; Disjoint merges the two.
  EXPECT_EQ(Found("::ffff:192.0.2.1", PiiKind::kIpAddress),
            (Texts{"192.0.2.1", "::ffff:192.0.2.1"}));
  EXPECT_EQ(Found("at 2001:db8::1: refused", PiiKind::kIpAddress), Texts{"2001:db8::1"});
}

TEST(IpAddressTest, RejectsNonIpv6) {
  for (const std::string_view text :
       {"std::cout", "Add::Bad", "10:30:45", "00:1a:2b:3c:4d:5e", "2001:db8:::1", "x2001:db8::1",
        "2001:db8::1g", "::", "dead::beef", "1:2:3:4:5:6:7:8:9"}) {
    EXPECT_EQ(Found(text, PiiKind::kIpAddress), Texts{}) << text;
  }
}

// ---- everything together ----

TEST(PiiScannerTest, MixedTextFindsEachOnce) {
  const std::string text =
      "Hi, I'm Jane (jane@example.com, +1 415-555-0132). Card 4111 1111 1111 1111, IBAN "
      "DE89 3704 0044 0532 0130 00, SSN 123-45-6789, from 203.0.113.7 — thanks! Version 1.2.3, "
      "in 2024 we paid 3.14159 per unit on 2024-01-15.";
  std::vector<std::string> kinds;
  for (const TextSpan& span : Spans(text)) kinds.emplace_back(span.kind);
  EXPECT_EQ(kinds, (Texts{"email", "phone", "credit_card", "iban", "ssn", "ip_address"}));
}

TEST(PiiScannerTest, HostileInputsCompleteSanely) {
  constexpr std::size_t kSize = std::size_t{1} << 20;
  for (const char fill : {'1', '@', 'a', '.', '-', '(', ':', 'A', ' '}) {
    const std::string text(kSize, fill);
    const std::vector<TextSpan> spans = Spans(text);
    EXPECT_TRUE(spans.empty()) << fill;
  }
  auto repeat = [kSize](std::string_view unit) {
    std::string text;
    while (text.size() < kSize) text += unit;
    return text;
  };
  for (const std::string_view unit :
       {"a@", "1.", "1-", "1 ", "a@b.", "DE89 ", "12:", "(1) ", "+1 "}) {
    const std::string text = repeat(unit);
    for (const TextSpan& span : Spans(text)) {
      ASSERT_LT(span.begin, span.end);
      ASSERT_LE(span.end, text.size());
    }
  }
  // Many real matches: each is found.
  const std::string emails = repeat("x@y.io ");
  EXPECT_EQ(Spans(emails, static_cast<PiiKinds>(PiiKind::kEmail)).size(), (kSize + 6) / 7);
}

}  // namespace
}  // namespace switchyard::guardrails
