#include "redis/reply.h"

#include <fmt/format.h>
#include <utility>

namespace switchyard::redis {

Reply Reply::FromInteger(long long value) {
  Reply reply;
  reply.kind_ = Kind::kInteger;
  reply.integer_ = value;
  return reply;
}

Reply Reply::FromStatus(std::string text) {
  Reply reply;
  reply.kind_ = Kind::kStatus;
  reply.text_ = std::move(text);
  return reply;
}

Reply Reply::FromString(std::string bytes) {
  Reply reply;
  reply.kind_ = Kind::kString;
  reply.text_ = std::move(bytes);
  return reply;
}

Reply Reply::FromArray(std::vector<Reply> elements) {
  Reply reply;
  reply.kind_ = Kind::kArray;
  reply.elements_ = std::move(elements);
  return reply;
}

Reply Reply::FromError(std::string text) {
  Reply reply;
  reply.kind_ = Kind::kError;
  reply.text_ = std::move(text);
  return reply;
}

std::string_view Reply::KindName(Kind kind) {
  switch (kind) {
    case Kind::kNil: return "nil";
    case Kind::kInteger: return "integer";
    case Kind::kStatus: return "status";
    case Kind::kString: return "string";
    case Kind::kArray: return "array";
    case Kind::kError: return "error";
  }
  return "unknown";
}

// An error reply's text comes from the server (e.g. "WRONGTYPE ..."), never from our arguments,
// so it is safe to quote.
Error Reply::Unexpected(std::string_view expected) const {
  if (kind_ == Kind::kError) {
    return Error::Unavailable(fmt::format("redis answered an error: {}", text_));
  }
  return Error::Internal(
      fmt::format("redis answered {} where {} was expected", KindName(kind_), expected));
}

Result<long long> Reply::AsInteger() const {
  if (kind_ != Kind::kInteger) return Unexpected("an integer");
  return integer_;
}

Result<std::string_view> Reply::AsString() const {
  if (kind_ != Kind::kString && kind_ != Kind::kStatus) return Unexpected("a string");
  return std::string_view(text_);
}

Result<std::span<const Reply>> Reply::AsArray() const {
  if (kind_ != Kind::kArray) return Unexpected("an array");
  return std::span<const Reply>(elements_);
}

}  // namespace switchyard::redis
