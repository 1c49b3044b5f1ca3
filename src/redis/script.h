// Script: a Lua script for EVALSHA, with its SHA-1 computed once. RedisClient::Eval sends the SHA
// first and the source only when the server has not seen it (NOSCRIPT), so the governance's
// rate-limit and budget scripts cost one small command per call and run atomically on the server.
//
// Immutable after construction: safe to share between threads (e.g. a static per script).
#pragma once

#include <string>

namespace switchyard::redis {

class Script {
 public:
  explicit Script(std::string source);

  const std::string& source() const { return source_; }
  // The lowercase hex SHA-1 of source(), as SCRIPT LOAD and EVALSHA name the script.
  const std::string& sha1() const { return sha1_; }

 private:
  std::string source_;
  std::string sha1_;
};

}  // namespace switchyard::redis
