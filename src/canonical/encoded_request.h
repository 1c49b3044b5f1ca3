// EncodedBody: what a wire-format encoder made of a canonical request — the JSON body for the
// provider, and the fields it left out because the target cannot take them and leaving them out
// cannot change the answer (the gateway reports them in x-switchyard-dropped-params). Fields that
// would change the answer are never dropped: the encoder fails with a 400 naming the field instead.
//
// Plain values and pure functions; no thread-safety concerns.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace switchyard::canonical {

// An ordered set of dropped field names (in the client's own spelling, e.g. "seed",
// "messages[].name"); each name appears once.
class DroppedParams {
 public:
  void Add(std::string_view name) {
    if (std::find(names_.begin(), names_.end(), name) == names_.end()) names_.emplace_back(name);
  }
  const std::vector<std::string>& names() const { return names_; }
  std::vector<std::string> Take() { return std::move(names_); }

 private:
  std::vector<std::string> names_;
};

struct EncodedBody {
  std::string body;
  std::vector<std::string> dropped_params;
};

// `body` (a JSON object) with a route target's parameters (a JSON object, in the wire format's own
// terms) merged over its top-level members; "model" in the parameters is ignored. An empty
// `params_json` leaves the body as it is. Failure: Internal when either is not a JSON object.
Result<std::string> MergeRouteParams(std::string body, std::string_view params_json);

}  // namespace switchyard::canonical
