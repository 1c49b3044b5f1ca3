// RedisUrl: where a Redis server is and how to log in, parsed from
//   redis://[:password@|user:password@]host[:port][/db]
// (default port 6379, database 0; user and password may be percent-encoded). `rediss://` is
// refused: Debian's hiredis 0.14 has no TLS, so a TLS URL would silently mean plain text or
// nothing.
//
// The password is a Secret: no error message here or in the client quotes the URL or the password;
// they name the server as "redis at HOST:PORT" (Endpoint()).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/secret.h"

namespace switchyard::redis {

struct RedisUrl {
  std::string host;      // a name or an address; IPv6 without its brackets
  std::uint16_t port = 6379;
  std::string username;  // empty: AUTH with the password alone (the `default` user)
  Secret password;       // empty: no AUTH
  int db = 0;            // SELECT when not 0

  // Parses `url`; Error::Config (never quoting `url`) when it is not a redis:// URL we can use.
  static Result<RedisUrl> Parse(std::string_view url);

  // "HOST:PORT" ("[::1]:6379" for IPv6), for messages and logs: it carries no credential.
  std::string Endpoint() const;
};

}  // namespace switchyard::redis
