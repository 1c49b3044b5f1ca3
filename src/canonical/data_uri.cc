#include "canonical/data_uri.h"

#include <algorithm>
#include <cctype>

namespace switchyard::canonical {

namespace {

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

}  // namespace

std::optional<DataUri> ParseDataUri(std::string_view uri) {
  if (!StartsWithNoCase(uri, "data:")) return std::nullopt;
  uri.remove_prefix(5);
  const std::size_t comma = uri.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  std::string_view head = uri.substr(0, comma);
  // The parameters may hold more than ";base64" (e.g. ";charset=..."); base64 must come last.
  constexpr std::string_view kBase64 = ";base64";
  if (head.size() < kBase64.size() || !StartsWithNoCase(head.substr(head.size() - kBase64.size()),
                                                        kBase64)) {
    return std::nullopt;
  }
  head.remove_suffix(kBase64.size());
  head = head.substr(0, head.find(';'));
  if (head.empty() || head.find('/') == std::string_view::npos) return std::nullopt;
  DataUri out;
  out.media_type.reserve(head.size());
  for (char c : head) out.media_type += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  out.data = std::string(uri.substr(comma + 1));
  return out;
}

std::string MakeDataUri(std::string_view media_type, std::string_view data) {
  std::string out;
  out.reserve(media_type.size() + data.size() + 13);
  out.append("data:").append(media_type).append(";base64,").append(data);
  return out;
}

}  // namespace switchyard::canonical
