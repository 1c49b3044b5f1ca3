// The RESP encoding of a command (an array of bulk strings), by hiredis's redisFormatCommandArgv:
// arguments are binary-safe, so a key or a Lua script may hold any byte.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace switchyard::redis {

// Appends `args` (the command name first) to `out`. Error::Internal when there are no arguments or
// hiredis cannot allocate.
Status AppendCommand(std::string& out, const std::vector<std::string>& args);

}  // namespace switchyard::redis
