// Reply: one Redis reply as a value: nil, integer, status ("+OK"), bulk string, array (nested) or
// error ("-ERR ..."). An error reply is an answer, not a transport failure: the command reached the
// server and the server said no, so it is a Reply of kind kError and the connection goes on.
//
// The As* readers are the safe way to take a value out: a reply of another kind (or an error reply)
// becomes an Error with a sentence that says what was expected, so callers can co_return it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace switchyard::redis {

class Reply {
 public:
  enum class Kind { kNil, kInteger, kStatus, kString, kArray, kError };

  Reply() = default;  // nil
  static Reply Nil() { return Reply(); }
  static Reply FromInteger(long long value);
  static Reply FromStatus(std::string text);
  static Reply FromString(std::string bytes);
  static Reply FromArray(std::vector<Reply> elements);
  static Reply FromError(std::string text);

  Kind kind() const { return kind_; }
  bool is_nil() const { return kind_ == Kind::kNil; }
  bool is_error() const { return kind_ == Kind::kError; }
  // The bytes of a status, bulk string or error; empty for the other kinds.
  const std::string& text() const { return text_; }
  // 0 unless kind() is kInteger.
  long long integer() const { return integer_; }
  // Empty unless kind() is kArray.
  const std::vector<Reply>& elements() const { return elements_; }
  std::vector<Reply>& mutable_elements() { return elements_; }

  // The integer; Error::Internal for another kind, Error::Unavailable for an error reply.
  Result<long long> AsInteger() const;
  // A bulk string's or status's bytes (a view into this Reply); errors as for AsInteger, and a nil
  // is an error too (callers that expect "no such key" test is_nil() first).
  Result<std::string_view> AsString() const;
  // An array's elements (a view into this Reply); errors as for AsInteger.
  Result<std::span<const Reply>> AsArray() const;

  // "nil", "integer", "status", "string", "array" or "error", for messages.
  static std::string_view KindName(Kind kind);

 private:
  Error Unexpected(std::string_view expected) const;

  Kind kind_ = Kind::kNil;
  long long integer_ = 0;
  std::string text_;
  std::vector<Reply> elements_;
};

}  // namespace switchyard::redis
