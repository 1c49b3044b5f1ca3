#include "pricing/money.h"

#include <charconv>
#include <limits>

namespace switchyard::pricing {
namespace {

__extension__ typedef __int128 Int128;

// Each product of two int64 values is below 2^126; keeping the running sum below 2^126 as well
// means no addition can overflow the signed 128-bit accumulator.
constexpr Int128 kSumLimit = Int128{1} << 126;

// numerator / divisor for numerator >= 0 and divisor > 0, ties to the even quotient.
Int128 DivideHalfEven(Int128 numerator, std::int64_t divisor) {
  Int128 quotient = numerator / divisor;
  Int128 twice_remainder = (numerator % divisor) * 2;
  if (twice_remainder > divisor || (twice_remainder == divisor && quotient % 2 != 0)) ++quotient;
  return quotient;
}

}  // namespace

bool CostSum::Add(std::int64_t tokens, Nanos nanos_per_million) {
  if (!ok_) return false;
  if (tokens < 0 || nanos_per_million < 0) {
    ok_ = false;
    return false;
  }
  Int128 product = Int128{tokens} * nanos_per_million;
  if (product > kSumLimit - numerator_) {
    ok_ = false;
    return false;
  }
  numerator_ += product;
  return true;
}

std::optional<Nanos> CostSum::Total() const {
  if (!ok_) return std::nullopt;
  Int128 total = DivideHalfEven(numerator_, kTokensPerMillion);
  if (total > std::numeric_limits<Nanos>::max()) return std::nullopt;
  return static_cast<Nanos>(total);
}

std::optional<Nanos> CostNanos(std::int64_t tokens, Nanos nanos_per_million) {
  CostSum sum;
  if (!sum.Add(tokens, nanos_per_million)) return std::nullopt;
  return sum.Total();
}

std::string FormatUsd(Nanos nanos) {
  // The magnitude as unsigned, so that the most negative value has one too.
  std::uint64_t magnitude =
      nanos < 0 ? 0 - static_cast<std::uint64_t>(nanos) : static_cast<std::uint64_t>(nanos);
  std::uint64_t whole = magnitude / kNanosPerUsd;
  std::uint64_t fraction = magnitude % kNanosPerUsd;
  // By hand, not snprintf: every priced answer carries one (x-switchyard-cost-usd).
  std::string text = nanos < 0 ? "-" : "";
  char digits[24];
  text.append(digits, std::to_chars(digits, digits + sizeof digits, whole).ptr);
  if (fraction != 0) {
    char nine[9];
    for (int i = 8; i >= 0; --i, fraction /= 10) nine[i] = static_cast<char>('0' + fraction % 10);
    int length = 9;
    while (nine[length - 1] == '0') --length;  // trailing zeros of the fraction go
    text.append(".").append(nine, static_cast<std::size_t>(length));
  }
  return text;
}

}  // namespace switchyard::pricing
