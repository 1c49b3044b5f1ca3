#include "telemetry/otlp/tracestate.h"

#include <algorithm>
#include <vector>

namespace switchyard::telemetry::otlp {
namespace {

bool IsLcAlpha(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsKeyChar(char c) {
  return IsLcAlpha(c) || IsDigit(c) || c == '_' || c == '-' || c == '*' || c == '/';
}

// key = simple-key / multi-tenant-key
// simple-key = lcalpha 0*255( lcalpha / DIGIT / "_" / "-"/ "*" / "/" )
// multi-tenant-key = tenant-id "@" system-id; tenant-id = ( lcalpha / DIGIT ) 0*240( keychar )
//                    system-id = lcalpha 0*13( keychar )
bool ValidKey(std::string_view key) {
  const std::size_t at = key.find('@');
  if (at == std::string_view::npos) {
    if (key.empty() || key.size() > 256 || !IsLcAlpha(key[0])) return false;
    return std::all_of(key.begin(), key.end(), IsKeyChar);
  }
  const std::string_view tenant = key.substr(0, at);
  const std::string_view system = key.substr(at + 1);
  if (tenant.empty() || tenant.size() > 241 || system.empty() || system.size() > 14) return false;
  if (!(IsLcAlpha(tenant[0]) || IsDigit(tenant[0])) || !IsLcAlpha(system[0])) return false;
  return std::all_of(tenant.begin(), tenant.end(), IsKeyChar) &&
         std::all_of(system.begin(), system.end(), IsKeyChar);
}

// value = 0*255(chr) nblk-chr; chr = %x20 / nblk-chr; nblk-chr = %x21-2B / %x2D-3C / %x3E-7E
bool ValidValue(std::string_view value) {
  if (value.empty() || value.size() > 256 || value.back() == ' ') return false;
  return std::all_of(value.begin(), value.end(),
                     [](char c) { return c >= 0x20 && c <= 0x7e && c != ',' && c != '='; });
}

std::string_view TrimOws(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::size_t JoinedSize(const std::vector<std::string_view>& members) {
  std::size_t size = members.empty() ? 0 : members.size() - 1;  // the commas
  for (std::string_view member : members) size += member.size();
  return size;
}

}  // namespace

std::string BoundTracestate(std::string_view header) {
  std::vector<std::string_view> members;
  std::vector<std::string_view> keys;
  std::string_view rest = header;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view member = TrimOws(rest.substr(0, comma));
    if (!member.empty()) {  // the spec allows empty members; they carry nothing
      const std::size_t equals = member.find('=');
      if (equals == std::string_view::npos) return {};
      const std::string_view key = member.substr(0, equals);
      if (!ValidKey(key) || !ValidValue(member.substr(equals + 1))) return {};
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) return {};
      keys.push_back(key);
      members.push_back(member);
      if (members.size() > kMaxTracestateMembers) return {};
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }

  if (JoinedSize(members) > kMaxTracestateBytes) {
    for (std::size_t i = members.size(); i-- > 0 && JoinedSize(members) > kMaxTracestateBytes;) {
      if (members[i].size() > kLargeTracestateMember) members.erase(members.begin() + i);
    }
    while (JoinedSize(members) > kMaxTracestateBytes) members.pop_back();
  }

  std::string out;
  for (std::string_view member : members) {
    if (!out.empty()) out += ',';
    out += member;
  }
  return out;
}

}  // namespace switchyard::telemetry::otlp
