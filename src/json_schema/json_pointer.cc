#include "json_schema/json_pointer.h"

#include <charconv>

namespace switchyard::json_schema {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One pointer token with ~1 and ~0 undone; nullopt for a '~' followed by anything else.
std::optional<std::string> UnescapeToken(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] != '~') {
      out += token[i];
    } else if (i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[++i] == '0' ? '~' : '/';
    } else {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

std::string EscapePointerToken(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> DecodeFragment(std::string_view fragment) {
  std::string out;
  for (std::size_t i = 0; i < fragment.size(); ++i) {
    if (fragment[i] != '%') {
      out += fragment[i];
      continue;
    }
    if (i + 2 >= fragment.size()) return std::nullopt;
    const int high = HexDigit(fragment[i + 1]), low = HexDigit(fragment[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  if (!out.empty() && out[0] != '/') return std::nullopt;
  return out;
}

const boost::json::value* FindPointer(const boost::json::value& root, std::string_view pointer) {
  const boost::json::value* at = &root;
  while (!pointer.empty()) {
    pointer.remove_prefix(1);  // the '/'
    const std::size_t end = std::min(pointer.find('/'), pointer.size());
    std::optional<std::string> token = UnescapeToken(pointer.substr(0, end));
    pointer.remove_prefix(end);
    if (!token) return nullptr;
    if (const boost::json::object* object = at->if_object()) {
      at = object->if_contains(*token);
    } else if (const boost::json::array* array = at->if_array()) {
      std::size_t index = 0;
      const char* last = token->data() + token->size();
      const auto [ptr, ec] = std::from_chars(token->data(), last, index);
      if (token->empty() || ec != std::errc() || ptr != last || index >= array->size()) {
        return nullptr;
      }
      at = &(*array)[index];
    } else {
      return nullptr;
    }
    if (at == nullptr) return nullptr;
  }
  return at;
}

}  // namespace switchyard::json_schema
