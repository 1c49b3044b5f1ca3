// FieldReader: typed, lenient-about-null reads of one JSON object's members for the request
// decoders, recording the first type error as a 400 that names the offending field by its path
// (e.g. "messages[2].content[0].image_url.url"). Absent and null members read as "not given".
//
// Decoders call several getters in a row and check ok() once; after the first error every getter
// returns "not given" and the error stays the first one.
//
// Ownership: holds a reference to the object it reads (which must outlive the reader) and owns its
// path and error. Thread-safety: none; one reader per object being decoded.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/result.h"

namespace switchyard::canonical {

class FieldReader {
 public:
  // `path` names the object itself ("" for the top level, "messages[2]" for a message).
  FieldReader(const boost::json::object& object, std::string path);

  // The member's value, or nullptr when it is absent or null. Never records an error.
  const boost::json::value* Find(std::string_view key) const;

  // Typed reads: nullopt/nullptr when absent or null; a member of the wrong type records an error.
  std::optional<std::string> String(std::string_view key);
  std::optional<double> Number(std::string_view key);
  std::optional<std::int64_t> Int(std::string_view key);  // integral numbers only
  std::optional<bool> Bool(std::string_view key);
  const boost::json::object* Object(std::string_view key);
  const boost::json::array* Array(std::string_view key);

  // Records "<path>: is required" unless the member is present and not null.
  bool Require(std::string_view key);

  // Records an error about the member `key` (or about the object itself when `key` is empty).
  void Fail(std::string_view key, std::string_view problem);

  // The path of a member: "messages[2].content" for key "content" at path "messages[2]".
  std::string PathOf(std::string_view key) const;
  const std::string& path() const { return path_; }

  bool ok() const { return !error_.has_value(); }
  // REQUIRES: !ok().
  const Error& error() const { return *error_; }

 private:
  const boost::json::value* Typed(std::string_view key, bool type_ok, std::string_view expected);

  const boost::json::object& object_;
  std::string path_;
  std::optional<Error> error_;
};

// "<path>[<index>]".
std::string IndexPath(std::string_view path, std::size_t index);

// Parses `body` as a JSON object, for a request decoder. Failure: a 400 saying what is wrong.
Result<boost::json::object> ParseRequestObject(std::string_view body);

}  // namespace switchyard::canonical
