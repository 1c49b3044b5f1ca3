// AcceptPolicy: a route's `accept:` compiled into its checks (accept_check.h), once per route,
// then asked per answer whether it is acceptable beyond its success status. Immutable and cheap
// to copy (the checks are shared); Check may run on any thread at once. A default policy has no
// checks: every success is acceptable.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accept/accept_check.h"
#include "accept/answer.h"
#include "config/config.h"
#include "core/result.h"
#include "json_schema/schema.h"

namespace switchyard::accept {

class AcceptPolicy {
 public:
  AcceptPolicy() = default;

  // The checks `config` turns on, in the registry's order. Errors are kConfig (a regex that does
  // not compile; the config loader reports it at its line first).
  static Result<AcceptPolicy> Compile(const config::AcceptConfig& config);

  // Whether any check is on.
  bool any() const { return !checks_.empty(); }
  // Whether a check needs the complete answer (a streamed answer is held until it has run).
  bool NeedsWholeAnswer() const { return needs_whole_answer_; }
  // Whether Check reads the request's output schema (request_schema.h finds it).
  bool needs_schema() const { return needs_schema_; }

  // nullopt when `answer` passes every check; else the first failing check's reason, prefixed by
  // its name: "json: not valid JSON (at offset 12)", "regex: no match". `request_schema` is the
  // compiled output schema of the request, or nullptr when it asked for none.
  std::optional<std::string> Check(const Answer& answer,
                                   const json_schema::Schema* request_schema) const;

 private:
  struct Entry {
    std::string_view name;
    CheckPtr check;
  };
  std::vector<Entry> checks_;
  bool needs_whole_answer_ = false;
  bool needs_schema_ = false;
};

}  // namespace switchyard::accept
