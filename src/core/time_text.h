// Times and durations as providers write them in headers and error bodies, read into std::chrono
// values: the date and duration forms that HTTP (`retry-after`) and the provider adapters'
// rate-limit headers share. Every wait read here is capped at kMaxWait. Pure functions; safe from
// any thread (fuzzed through tests/fuzz/retry_after_fuzz.cc and rate_limit_reset_fuzz.cc).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard {

// A week: longer asks are read as a week, which is already far longer than anything waits for.
inline constexpr std::chrono::milliseconds kMaxWait = std::chrono::hours(24 * 7);

// Unsigned decimal digits only, nothing else (from_chars alone would take a sign: "-999").
std::optional<int> ParseDigits(std::string_view text);

// "Wed, 21 Oct 2015 07:28:00 GMT" (RFC 9110 IMF-fixdate) as a time point; nullopt for anything
// else, or a year outside 1900..2200 (system_clock's nanoseconds could not count to it).
std::optional<std::chrono::system_clock::time_point> ParseImfFixdate(std::string_view text);

// `at` as "Wed, 21 Oct 2015 07:28:00 GMT" (its weekday computed, never copied).
std::string FormatImfFixdate(std::chrono::system_clock::time_point at);

// An RFC 3339 time: "2025-01-02T03:04:05Z", with optional fractional seconds and a "Z" or
// "+HH:MM"/"-HH:MM" offset. Years outside 1900..2200 are not read.
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

// A Go-style duration: one or more <number><unit>, units h, m, s, ms, us (or µs) and ns, numbers
// with an optional fraction ("1h2m3.5s", "20ms", "0s"; also protobuf's JSON Duration "1.5s").
// Rounded up to whole milliseconds and capped at kMaxWait.
std::optional<std::chrono::milliseconds> ParseGoDuration(std::string_view text);

// The wait from `now` until `at`: 0 when `at` is past, rounded up, capped at kMaxWait.
std::chrono::milliseconds WaitUntil(std::chrono::system_clock::time_point at,
                                    std::chrono::system_clock::time_point now);

}  // namespace switchyard
