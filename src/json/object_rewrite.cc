#include "json/object_rewrite.h"

#include <cstddef>
#include <vector>

#include "json/utf8.h"

namespace switchyard::json {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

std::size_t IndexOf(const ObjectScan& scan, std::string_view key) {
  for (std::size_t i = 0; i < scan.members.size(); ++i) {
    if (scan.members[i].key == key) return i;
  }
  return scan.members.size();
}

}  // namespace

std::string RewriteObject(std::string_view text, const ObjectScan& scan,
                          std::span<const Edit> edits) {
  const std::vector<Member>& members = scan.members;
  const std::size_t n = members.size();

  // Resolve the edits first: per existing member, the last edit naming it; then the appends, in
  // the order of their last edit.
  std::vector<const Edit*> action(n, nullptr);
  std::vector<const Edit*> appends;
  std::size_t extra = 0;
  for (const Edit& edit : edits) {
    const std::size_t index = IndexOf(scan, edit.key);
    if (index < n) {
      action[index] = &edit;
    } else {
      std::erase_if(appends, [&](const Edit* e) { return e->key == edit.key; });
      if (edit.raw_value) appends.push_back(&edit);
    }
    extra += edit.key.size() + 8 + (edit.raw_value ? edit.raw_value->size() : 0);
  }

  std::string out;
  out.reserve(text.size() + extra);
  out.append(text.substr(0, scan.open_brace + 1));
  // Whitespace after '{'; for an empty object, everything up to '}'.
  const std::size_t lead_end = n > 0 ? members.front().key_begin : scan.close_brace;
  out.append(text.substr(scan.open_brace + 1, lead_end - scan.open_brace - 1));

  bool wrote_member = false;
  for (std::size_t i = 0; i < n; ++i) {
    const Member& member = members[i];
    const Edit* edit = action[i];
    if (edit != nullptr && !edit->raw_value) continue;  // removed
    if (wrote_member) {
      // The separator (", " and whatever whitespace) that preceded this member in the original.
      // When the previous member was removed, its own preceding separator went with it.
      const std::size_t sep_begin = members[i - 1].value_end;
      out.append(text.substr(sep_begin, member.key_begin - sep_begin));
    }
    if (edit != nullptr) {
      out.append(text.substr(member.key_begin, member.value_begin - member.key_begin));
      out.append(*edit->raw_value);
    } else {
      out.append(text.substr(member.key_begin, member.value_end - member.key_begin));
    }
    wrote_member = true;
  }
  for (const Edit* edit : appends) {
    if (wrote_member) out += ',';
    AppendQuotedJsonString(edit->key, out);
    out += ':';
    out.append(*edit->raw_value);
    wrote_member = true;
  }
  if (n > 0) {
    // Whitespace between the last original member and '}'.
    const std::size_t trail_begin = members.back().value_end;
    out.append(text.substr(trail_begin, scan.close_brace - trail_begin));
  }
  out.append(text.substr(scan.close_brace));
  return out;
}

std::string QuoteJsonString(std::string_view s) {
  std::string out;
  AppendQuotedJsonString(s, out);
  return out;
}

void AppendQuotedJsonString(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p != end) {
    const auto* run = p;
    while (p != end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') ++p;
    out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
    if (p == end) break;
    const unsigned char c = *p;
    if (c >= 0x80) {
      const std::size_t length = Utf8SequenceLength(p, end);
      if (length == 0) {
        out.append(kReplacementCharacter);
        ++p;
      } else {
        out.append(reinterpret_cast<const char*>(p), length);
        p += length;
      }
      continue;
    }
    ++p;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
        break;
    }
  }
  out += '"';
}

}  // namespace switchyard::json
