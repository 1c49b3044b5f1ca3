#include "pricing/money.h"

#include <cstdio>
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
  char buffer[48];
  int length = fraction == 0
                   ? std::snprintf(buffer, sizeof buffer, "%s%llu", nanos < 0 ? "-" : "",
                                   static_cast<unsigned long long>(whole))
                   : std::snprintf(buffer, sizeof buffer, "%s%llu.%09llu", nanos < 0 ? "-" : "",
                                   static_cast<unsigned long long>(whole),
                                   static_cast<unsigned long long>(fraction));
  std::string text(buffer, static_cast<std::size_t>(length));
  if (fraction != 0) {
    while (text.back() == '0') text.pop_back();
  }
  return text;
}

}  // namespace switchyard::pricing
