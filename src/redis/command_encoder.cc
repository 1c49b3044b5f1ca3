#include "redis/command_encoder.h"

#include <hiredis/hiredis.h>

#include <climits>

namespace switchyard::redis {

Status AppendCommand(std::string& out, const std::vector<std::string>& args) {
  if (args.empty() || args.size() > INT_MAX) {
    return Error::Internal("a redis command needs 1 to INT_MAX arguments");
  }
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  char* encoded = nullptr;
  const int length =
      redisFormatCommandArgv(&encoded, static_cast<int>(args.size()), argv.data(), lengths.data());
  if (length < 0 || encoded == nullptr) return Error::Internal("cannot encode a redis command");
  out.append(encoded, static_cast<std::size_t>(length));
  redisFreeCommand(encoded);
  return Status();
}

}  // namespace switchyard::redis
