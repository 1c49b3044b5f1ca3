// CacheEntry: one stored answer of the response cache — the whole canonical answer and what the
// gateway must know to replay it (who produced it, what it cost, when) — and its bytes, the value
// a CacheStore keeps. One entry replays in any client format and either mode: a JSON answer as a
// stream (canonical/response_events.h) and a streamed one as JSON (capture/response_assembler.h
// built it).
//
// The bytes: a 6-byte header — the magic "SWYC", a version byte, a flags byte — then the entry
// as JSON; when the flags say deflated, a 4-byte little-endian inflated length and a zlib stream
// instead. Bytes come back from a store other gateways share (Redis): DecodeEntry treats them as
// hostile, and anything it cannot read whole is an error, never a crash nor a partial entry.
//
// Plain values; pure functions, safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "canonical/chat.h"
#include "core/result.h"

namespace switchyard::cache {

struct CacheEntry {
  canonical::ChatResponse response;        // the answer
  std::string provider;                    // the target that produced it, as configured
  std::string model;                       // as sent upstream
  std::optional<std::int64_t> cost_nanos;  // what producing it cost (unknown stays unknown)
  std::string request_id;                  // the call that wrote it
  std::int64_t stored_ms = 0;              // unix ms
  bool from_stream = false;                // written from a streamed answer
};

inline constexpr std::string_view kEntryMagic = "SWYC";
inline constexpr unsigned char kEntryVersion = 1;
inline constexpr unsigned char kEntryDeflated = 0x01;  // flags: the JSON is a zlib stream
inline constexpr std::size_t kEntryHeaderBytes = 6;
// JSON at or below this is stored as it is: deflating it saves too little to pay for itself.
// Inflating costs a fixed few microseconds whatever the size (zlib sets up its state and 32 KiB
// window per call): perf of the bench's memory-hit row showed uncompress2 at 6% of the gateway's
// CPU for a 0.7 KiB entry, to save a few hundred bytes.
inline constexpr std::size_t kEntryDeflateAbove = 2048;

// Usage::implausible is a static string, not stored: an entry keeps only whether it was set, and
// comes back with this message in its place (one array, so that its address is the same
// everywhere: a string literal's need not be).
extern const char kStoredImplausible[];

// The entry's bytes: deflated when the JSON is above kEntryDeflateAbove bytes and deflating saves
// at least a tenth of it. Every field of the answer is kept (request-side fields of its parts
// included, when set), so DecodeEntry gives back an equal entry.
std::string EncodeEntry(const CacheEntry& entry);

// The entry `bytes` hold. `max_decoded_bytes` bounds the JSON (inflated, when deflated): a
// larger one is refused before it is inflated. Failure (Error::Internal; to the caller a miss, to
// no client ever shown): the wrong magic or version, unknown flags, truncated or trailing bytes, a
// bad zlib stream, invalid JSON, a field of the wrong type or out of range.
Result<CacheEntry> DecodeEntry(std::string_view bytes, std::size_t max_decoded_bytes);

}  // namespace switchyard::cache
