#include "redis/redis_url.h"

#include <charconv>
#include <fmt/format.h>
#include <optional>

namespace switchyard::redis {
namespace {

constexpr std::string_view kScheme = "redis://";
constexpr std::string_view kTlsScheme = "rediss://";

Error UrlError(std::string_view what) { return Error::Config(fmt::format("redis URL: {}", what)); }

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX-decoding of the user or password (a password may hold '@', ':' or '/' only when encoded).
std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = HexDigit(text[i + 1]);
    const int low = HexDigit(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

template <class Int>
std::optional<Int> ParseDecimal(std::string_view text, Int max) {
  // from_chars would take a sign for a signed Int.
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  Int value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > max) {
    return std::nullopt;
  }
  return value;
}

// "[user]:password" or "password"-less forms before the '@'. The messages never quote it.
Status ParseUserInfo(std::string_view userinfo, RedisUrl& url) {
  const std::size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos) {
    return UrlError("the part before '@' must be ':password' or 'user:password'");
  }
  std::optional<std::string> user = PercentDecode(userinfo.substr(0, colon));
  std::optional<std::string> password = PercentDecode(userinfo.substr(colon + 1));
  if (!user || !password) return UrlError("the user or password has a malformed %-escape");
  if (password->empty()) return UrlError("the password after ':' is empty");
  url.username = std::move(*user);
  url.password = Secret(std::move(*password));
  return Status();
}

// "host", "host:port", "[v6]" or "[v6]:port".
Status ParseHostPort(std::string_view authority, RedisUrl& url) {
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return UrlError("an IPv6 host lacks its closing ']'");
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return UrlError("unexpected text after ']'");
    if (!rest.empty()) port = rest.substr(1);
    if (rest == ":") return UrlError("the port after ':' is empty");
  } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) return UrlError("the port after ':' is empty");
  }
  if (host.empty()) return UrlError("the host is missing");
  url.host = std::string(host);
  if (port.empty()) return Status();
  const std::optional<std::uint16_t> number = ParseDecimal<std::uint16_t>(port, 65535);
  if (!number || *number == 0) return UrlError("the port must be a number in 1..65535");
  url.port = *number;
  return Status();
}

// "", "/" or "/N".
Status ParseDatabase(std::string_view path, RedisUrl& url) {
  if (path.empty() || path == "/") return Status();
  const std::optional<int> db = ParseDecimal<int>(path.substr(1), 1 << 20);
  if (!db) return UrlError("the database after '/' must be a non-negative number");
  url.db = *db;
  return Status();
}

}  // namespace

Result<RedisUrl> RedisUrl::Parse(std::string_view text) {
  if (text.starts_with(kTlsScheme)) {
    return UrlError(
        "rediss:// (TLS) is not supported: Debian's hiredis 0.14 has no TLS; use redis:// on a "
        "private network or through a local TLS tunnel");
  }
  if (!text.starts_with(kScheme)) return UrlError("it must start with redis://");
  std::string_view rest = text.substr(kScheme.size());
  RedisUrl url;
  // The last '@' ends the userinfo: a password with an unencoded '@', '/' or '#' still parses.
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    Status userinfo = ParseUserInfo(rest.substr(0, at), url);
    if (!userinfo.ok()) return userinfo.error();
    rest = rest.substr(at + 1);
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return UrlError("query parameters and fragments are not supported");
  }
  const std::size_t slash = rest.find('/');
  const std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  const std::string_view authority = rest.substr(0, slash);
  Status host = ParseHostPort(authority, url);
  if (!host.ok()) return host.error();
  Status db = ParseDatabase(path, url);
  if (!db.ok()) return db.error();
  return url;
}

std::string RedisUrl::Endpoint() const {
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

}  // namespace switchyard::redis
