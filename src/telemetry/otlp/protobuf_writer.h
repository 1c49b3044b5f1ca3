// ProtobufWriter: the few protobuf wire-format primitives OTLP/protobuf needs, written by hand
// because Debian ships no OpenTelemetry proto bindings and generating them for five messages
// would bring protoc into the build (https://protobuf.dev/programming-guides/encoding/).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace switchyard::telemetry::otlp {

class ProtobufWriter {
 public:
  // Wire types.
  static constexpr std::uint32_t kVarint = 0;
  static constexpr std::uint32_t kFixed64 = 1;
  static constexpr std::uint32_t kLengthDelimited = 2;
  static constexpr std::uint32_t kFixed32 = 5;

  void Varint(std::uint32_t field, std::uint64_t value) {
    Tag(field, kVarint);
    RawVarint(value);
  }
  // int64 and enums go as their two's complement (ten bytes when negative), not zigzag: that is
  // what `int64`, unlike `sint64`, means.
  void Int64(std::uint32_t field, std::int64_t value) {
    Varint(field, static_cast<std::uint64_t>(value));
  }
  void Bool(std::uint32_t field, bool value) { Varint(field, value ? 1 : 0); }
  void Fixed64(std::uint32_t field, std::uint64_t value) {
    Tag(field, kFixed64);
    RawLittleEndian(value, 8);
  }
  void Fixed32(std::uint32_t field, std::uint32_t value) {
    Tag(field, kFixed32);
    RawLittleEndian(value, 4);
  }
  void Double(std::uint32_t field, double value) {
    std::uint64_t bits = 0;
    static_assert(sizeof bits == sizeof value);
    std::memcpy(&bits, &value, sizeof bits);
    Fixed64(field, bits);
  }
  void Bytes(std::uint32_t field, std::string_view bytes) {
    Tag(field, kLengthDelimited);
    RawVarint(bytes.size());
    out_.append(bytes);
  }
  void Bytes(std::uint32_t field, std::span<const std::uint8_t> bytes) {
    Bytes(field, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }
  // A nested message, already encoded by its own writer (its length must be known first).
  void Message(std::uint32_t field, const ProtobufWriter& message) { Bytes(field, message.out_); }

  const std::string& bytes() const { return out_; }
  std::string Take() && { return std::move(out_); }

 private:
  void Tag(std::uint32_t field, std::uint32_t wire_type) { RawVarint(field << 3 | wire_type); }
  void RawVarint(std::uint64_t value) {
    while (value >= 0x80) {
      out_.push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    out_.push_back(static_cast<char>(value));
  }
  void RawLittleEndian(std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out_.push_back(static_cast<char>(value >> (8 * i)));
  }

  std::string out_;
};

}  // namespace switchyard::telemetry::otlp
