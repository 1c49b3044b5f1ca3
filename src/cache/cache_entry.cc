#include "cache/cache_entry.h"

#include <zlib.h>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <limits>
#include <utility>

#include "canonical/field_reader.h"
#include "canonical/usage.h"

namespace switchyard::cache {
namespace json = boost::json;
using canonical::ContentPart;
using canonical::FieldReader;
using canonical::FinishReason;
using canonical::Role;

const char kStoredImplausible[] = "the usage was implausible when the answer was stored";

namespace {

// --- Names of the enums, as the JSON spells them ---

template <class Enum>
struct Named {
  Enum value;
  std::string_view name;
};

constexpr std::array<Named<Role>, 4> kRoles{{
    {Role::kSystem, "system"}, {Role::kUser, "user"}, {Role::kAssistant, "assistant"},
    {Role::kTool, "tool"}}};

constexpr std::array<Named<FinishReason>, 6> kFinishReasons{{
    {FinishReason::kStop, "stop"}, {FinishReason::kLength, "length"},
    {FinishReason::kToolCalls, "tool_calls"}, {FinishReason::kContentFilter, "content_filter"},
    {FinishReason::kError, "error"}, {FinishReason::kUnknown, "unknown"}}};

constexpr std::array<Named<ContentPart::Kind>, 6> kPartKinds{{
    {ContentPart::Kind::kText, "text"}, {ContentPart::Kind::kImageUrl, "image_url"},
    {ContentPart::Kind::kImageBase64, "image_base64"}, {ContentPart::Kind::kThinking, "thinking"},
    {ContentPart::Kind::kRedactedThinking, "redacted_thinking"},
    {ContentPart::Kind::kDocumentBase64, "document_base64"}}};

template <class Enum, std::size_t N>
std::string_view NameOf(const std::array<Named<Enum>, N>& names, Enum value) {
  for (const Named<Enum>& named : names) {
    if (named.value == value) return named.name;
  }
  return names[0].name;  // every enumerator is listed; unreachable
}

template <class Enum, std::size_t N>
std::optional<Enum> ValueOf(const std::array<Named<Enum>, N>& names, std::string_view name) {
  for (const Named<Enum>& named : names) {
    if (named.name == name) return named.value;
  }
  return std::nullopt;
}

// --- Entry → JSON ---

// Sets `key` only when `text` is not empty: most of a part's fields are, and absent reads as "".
void PutText(json::object& out, std::string_view key, const std::string& text) {
  if (!text.empty()) out[key] = text;
}

json::object PartToJson(const ContentPart& part) {
  json::object out{{"kind", NameOf(kPartKinds, part.kind)}};
  PutText(out, "text", part.text);
  PutText(out, "url", part.url);
  PutText(out, "media_type", part.media_type);
  PutText(out, "data", part.data);
  PutText(out, "detail", part.detail);
  PutText(out, "filename", part.filename);
  if (!part.cache_control.is_null()) out["cache_control"] = part.cache_control;
  PutText(out, "path", part.path);
  return out;
}

json::object MessageToJson(const canonical::Message& message) {
  json::array content;
  for (const ContentPart& part : message.content) content.push_back(PartToJson(part));
  json::array calls;
  for (const canonical::ToolCall& call : message.tool_calls) {
    calls.push_back(
        json::object{{"id", call.id}, {"name", call.name}, {"arguments", call.arguments_json}});
  }
  json::object out{{"role", NameOf(kRoles, message.role)},
                   {"content", std::move(content)},
                   {"tool_calls", std::move(calls)}};
  PutText(out, "tool_call_id", message.tool_call_id);
  if (message.is_error) out["is_error"] = true;
  PutText(out, "name", message.name);
  PutText(out, "path", message.path);
  return out;
}

json::object UsageToJson(const canonical::Usage& usage) {
  return json::object{{"input_tokens", usage.input_tokens},
                      {"cached_input_tokens", usage.cached_input_tokens},
                      {"cache_write_tokens", usage.cache_write_tokens},
                      {"cache_write_1h_tokens", usage.cache_write_1h_tokens},
                      {"output_tokens", usage.output_tokens},
                      {"reasoning_tokens", usage.reasoning_tokens},
                      {"reported", usage.reported},
                      {"implausible", usage.implausible != nullptr}};
}

json::object ResponseToJson(const canonical::ChatResponse& response) {
  return json::object{{"id", response.id},
                      {"model", response.model},
                      {"created", response.created},
                      {"message", MessageToJson(response.message)},
                      {"finish_reason", NameOf(kFinishReasons, response.finish_reason)},
                      {"stop_sequence", response.stop_sequence},
                      {"usage", UsageToJson(response.usage)}};
}

std::string EntryJson(const CacheEntry& entry) {
  json::object out{{"response", ResponseToJson(entry.response)},
                   {"provider", entry.provider},
                   {"model", entry.model},
                   {"cost_nanos", entry.cost_nanos ? json::value(*entry.cost_nanos)
                                                   : json::value(nullptr)},
                   {"request_id", entry.request_id},
                   {"stored_ms", entry.stored_ms},
                   {"from_stream", entry.from_stream}};
  return json::serialize(out);
}

// --- Bytes ---

std::string Header(unsigned char flags) {
  std::string header(kEntryMagic);
  header.push_back(static_cast<char>(kEntryVersion));
  header.push_back(static_cast<char>(flags));
  return header;
}

void AppendLength32(std::uint32_t n, std::string& out) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
}

std::uint32_t ReadLength32(std::string_view bytes) {
  std::uint32_t n = 0;
  for (int i = 3; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[i]);
  return n;
}

// One thread's deflate state, made once and reset for each entry. Making it afresh costs more
// than deflating a 2 KB answer does (its ~256 KiB of tables: measured 1 ms against 20 us reused),
// so each thread that writes entries keeps one for its life.
class ThreadDeflater {
 public:
  ThreadDeflater() = default;
  ThreadDeflater(const ThreadDeflater&) = delete;
  ThreadDeflater& operator=(const ThreadDeflater&) = delete;
  ~ThreadDeflater() {
    if (ready_) deflateEnd(&stream_);
  }

  // Appends the zlib stream of `text` to `out`; false when zlib fails (out of memory).
  // REQUIRES: text.size() fits in 32 bits.
  bool Deflate(std::string_view text, std::string& out) {
    if (!Ready()) return false;
    const std::size_t prefix = out.size();
    const uLong bound = deflateBound(&stream_, static_cast<uLong>(text.size()));
    out.resize(prefix + bound);
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    stream_.avail_in = static_cast<uInt>(text.size());
    stream_.next_out = reinterpret_cast<Bytef*>(out.data() + prefix);
    stream_.avail_out = static_cast<uInt>(bound);
    const bool done = deflate(&stream_, Z_FINISH) == Z_STREAM_END;
    out.resize(prefix + (done ? stream_.total_out : 0));
    return done;
  }

 private:
  bool Ready() {
    if (ready_) return deflateReset(&stream_) == Z_OK;
    // The fastest level: on 50 KB of prose it deflates 2.3x in a quarter of the time level 6
    // takes for 2.6x (cache_entry_test prints the figures).
    ready_ = deflateInit(&stream_, Z_BEST_SPEED) == Z_OK;
    return ready_;
  }

  z_stream stream_{};
  bool ready_ = false;
};

// The deflated entry, or nullopt when deflating does not save a tenth of the JSON.
std::optional<std::string> Deflated(const std::string& text) {
  if (text.size() > std::numeric_limits<std::uint32_t>::max() / 2) return std::nullopt;
  thread_local ThreadDeflater deflater;
  std::string out = Header(kEntryDeflated);
  AppendLength32(static_cast<std::uint32_t>(text.size()), out);
  const std::size_t prefix = out.size();
  if (!deflater.Deflate(text, out)) return std::nullopt;
  if (out.size() - prefix > text.size() - text.size() / 10) return std::nullopt;
  return out;
}

Error Corrupt(std::string_view problem) {
  return Error::Internal("the cache entry cannot be read: " + std::string(problem));
}

// The JSON text of the entry `bytes` hold, inflated when it was deflated.
Result<std::string> EntryText(std::string_view bytes, std::size_t max_decoded_bytes) {
  if (bytes.size() < kEntryHeaderBytes) return Corrupt("shorter than its header");
  if (bytes.substr(0, kEntryMagic.size()) != kEntryMagic) return Corrupt("not a cache entry");
  if (static_cast<unsigned char>(bytes[4]) != kEntryVersion) return Corrupt("an unknown version");
  const auto flags = static_cast<unsigned char>(bytes[5]);
  if ((flags & ~kEntryDeflated) != 0) return Corrupt("unknown flags");
  bytes.remove_prefix(kEntryHeaderBytes);
  if ((flags & kEntryDeflated) == 0) {
    if (bytes.size() > max_decoded_bytes) return Corrupt("larger than the bound");
    return std::string(bytes);
  }
  if (bytes.size() < 4) return Corrupt("truncated before its length");
  const std::uint32_t length = ReadLength32(bytes);
  bytes.remove_prefix(4);
  // The length is the writer's word, and the writer may be hostile: it bounds the buffer inflate
  // may fill, so a stream that inflates to more fails instead of growing (a zip bomb).
  if (length > max_decoded_bytes) return Corrupt("inflates beyond the bound");
  std::string text(length, '\0');
  uLongf inflated = length;
  uLong consumed = static_cast<uLong>(bytes.size());
  const int rc = uncompress2(reinterpret_cast<Bytef*>(text.data()), &inflated,
                             reinterpret_cast<const Bytef*>(bytes.data()), &consumed);
  if (rc != Z_OK) return Corrupt("a bad zlib stream");
  if (inflated != length) return Corrupt("inflates to another length than it says");
  if (consumed != bytes.size()) return Corrupt("bytes after its zlib stream");
  return text;
}

// --- JSON → entry ---

// Reads the members of one object into canonical values; the first problem wins and names its
// path ("response.message.content[1].kind").
class EntryReader {
 public:
  Status ReadEntry(const json::object& root, CacheEntry& entry);

 private:
  void ReadResponse(const json::object& object, canonical::ChatResponse& response);
  void ReadMessage(const json::object& object, const std::string& path, canonical::Message& out);
  void ReadPart(const json::object& object, const std::string& path, ContentPart& part);
  void ReadToolCall(const json::object& object, const std::string& path,
                    canonical::ToolCall& call);
  void ReadUsage(const json::object& object, const std::string& path, canonical::Usage& usage);
  // Reads `key` into `out` when present; its absence keeps `out`.
  void Text(FieldReader& reader, std::string_view key, std::string& out);
  // A count in [0, max]; its absence keeps `out`.
  void Count(FieldReader& reader, std::string_view key, std::int64_t max, std::int64_t& out);
  // `key` as one of `names`; required.
  template <class Enum, std::size_t N>
  void EnumField(FieldReader& reader, std::string_view key, const std::array<Named<Enum>, N>& names,
                 Enum& out);
  // Keeps the first problem of `reader`; false once there is one.
  bool Check(const FieldReader& reader);
  void Fail(FieldReader& reader, std::string_view key, std::string_view problem);

  std::optional<Error> error_;
};

bool EntryReader::Check(const FieldReader& reader) {
  if (!error_ && !reader.ok()) error_ = Corrupt(reader.error().message);
  return !error_;
}

void EntryReader::Fail(FieldReader& reader, std::string_view key, std::string_view problem) {
  reader.Fail(key, problem);
  Check(reader);
}

void EntryReader::Text(FieldReader& reader, std::string_view key, std::string& out) {
  if (std::optional<std::string> text = reader.String(key)) out = std::move(*text);
  Check(reader);
}

void EntryReader::Count(FieldReader& reader, std::string_view key, std::int64_t max,
                        std::int64_t& out) {
  std::optional<std::int64_t> n = reader.Int(key);
  if (!Check(reader) || !n) return;
  if (*n < 0 || *n > max) return Fail(reader, key, "out of range");
  out = *n;
}

template <class Enum, std::size_t N>
void EntryReader::EnumField(FieldReader& reader, std::string_view key,
                            const std::array<Named<Enum>, N>& names, Enum& out) {
  reader.Require(key);
  std::optional<std::string> name = reader.String(key);
  if (!Check(reader) || !name) return;
  std::optional<Enum> value = ValueOf(names, *name);
  if (!value) return Fail(reader, key, "an unknown value");
  out = *value;
}

void EntryReader::ReadPart(const json::object& object, const std::string& path,
                           ContentPart& part) {
  FieldReader reader(object, path);
  EnumField(reader, "kind", kPartKinds, part.kind);
  Text(reader, "text", part.text);
  Text(reader, "url", part.url);
  Text(reader, "media_type", part.media_type);
  Text(reader, "data", part.data);
  Text(reader, "detail", part.detail);
  Text(reader, "filename", part.filename);
  Text(reader, "path", part.path);
  if (const json::value* cache_control = reader.Find("cache_control")) {
    part.cache_control = *cache_control;
  }
}

void EntryReader::ReadToolCall(const json::object& object, const std::string& path,
                               canonical::ToolCall& call) {
  FieldReader reader(object, path);
  Text(reader, "id", call.id);
  Text(reader, "name", call.name);
  Text(reader, "arguments", call.arguments_json);
}

void EntryReader::ReadMessage(const json::object& object, const std::string& path,
                              canonical::Message& message) {
  FieldReader reader(object, path);
  EnumField(reader, "role", kRoles, message.role);
  const json::array* content = reader.Array("content");
  const json::array* calls = reader.Array("tool_calls");
  Text(reader, "tool_call_id", message.tool_call_id);
  message.is_error = reader.Bool("is_error").value_or(false);
  Text(reader, "name", message.name);
  Text(reader, "path", message.path);
  if (!Check(reader)) return;
  for (std::size_t i = 0; content != nullptr && i < content->size() && !error_; ++i) {
    const std::string part_path = canonical::IndexPath(reader.PathOf("content"), i);
    if (!(*content)[i].is_object()) return Fail(reader, "content", "holds a non-object");
    ReadPart((*content)[i].get_object(), part_path, message.content.emplace_back());
  }
  for (std::size_t i = 0; calls != nullptr && i < calls->size() && !error_; ++i) {
    const std::string call_path = canonical::IndexPath(reader.PathOf("tool_calls"), i);
    if (!(*calls)[i].is_object()) return Fail(reader, "tool_calls", "holds a non-object");
    ReadToolCall((*calls)[i].get_object(), call_path, message.tool_calls.emplace_back());
  }
}

void EntryReader::ReadUsage(const json::object& object, const std::string& path,
                            canonical::Usage& usage) {
  FieldReader reader(object, path);
  const std::int64_t max = canonical::kMaxPlausibleTokens;
  Count(reader, "input_tokens", max, usage.input_tokens);
  Count(reader, "cached_input_tokens", max, usage.cached_input_tokens);
  Count(reader, "cache_write_tokens", max, usage.cache_write_tokens);
  Count(reader, "cache_write_1h_tokens", max, usage.cache_write_1h_tokens);
  Count(reader, "output_tokens", max, usage.output_tokens);
  Count(reader, "reasoning_tokens", max, usage.reasoning_tokens);
  usage.reported = reader.Bool("reported").value_or(false);
  if (reader.Bool("implausible").value_or(false)) usage.implausible = kStoredImplausible;
  Check(reader);
}

void EntryReader::ReadResponse(const json::object& object, canonical::ChatResponse& response) {
  FieldReader reader(object, "response");
  Text(reader, "id", response.id);
  Text(reader, "model", response.model);
  Count(reader, "created", std::numeric_limits<std::int64_t>::max(), response.created);
  EnumField(reader, "finish_reason", kFinishReasons, response.finish_reason);
  Text(reader, "stop_sequence", response.stop_sequence);
  reader.Require("message");
  reader.Require("usage");
  const json::object* message = reader.Object("message");
  const json::object* usage = reader.Object("usage");
  if (!Check(reader)) return;
  ReadMessage(*message, reader.PathOf("message"), response.message);
  if (!error_) ReadUsage(*usage, reader.PathOf("usage"), response.usage);
}

Status EntryReader::ReadEntry(const json::object& root, CacheEntry& entry) {
  FieldReader reader(root, "");
  reader.Require("response");
  const json::object* response = reader.Object("response");
  Text(reader, "provider", entry.provider);
  Text(reader, "model", entry.model);
  if (reader.Find("cost_nanos") != nullptr) {
    std::int64_t cost = 0;
    Count(reader, "cost_nanos", std::numeric_limits<std::int64_t>::max(), cost);
    entry.cost_nanos = cost;
  }
  Text(reader, "request_id", entry.request_id);
  Count(reader, "stored_ms", std::numeric_limits<std::int64_t>::max(), entry.stored_ms);
  entry.from_stream = reader.Bool("from_stream").value_or(false);
  if (Check(reader)) ReadResponse(*response, entry.response);
  if (error_) return *error_;
  return {};
}

}  // namespace

std::string EncodeEntry(const CacheEntry& entry) {
  std::string text = EntryJson(entry);
  if (text.size() > kEntryDeflateAbove) {
    if (std::optional<std::string> deflated = Deflated(text)) return std::move(*deflated);
  }
  return Header(0) + text;
}

Result<CacheEntry> DecodeEntry(std::string_view bytes, std::size_t max_decoded_bytes) {
  Result<std::string> text = EntryText(bytes, max_decoded_bytes);
  if (!text) return std::move(text).error();
  boost::system::error_code ec;
  json::value root = json::parse(*text, ec);  // Boost.JSON's default depth limit (32) holds
  if (ec) return Corrupt("not valid JSON: " + ec.message());
  if (!root.is_object()) return Corrupt("not a JSON object");
  CacheEntry entry;
  EntryReader reader;
  if (Status read = reader.ReadEntry(root.get_object(), entry); !read) return read.error();
  return entry;
}

}  // namespace switchyard::cache
