#include "canonical/encoded_request.h"

#include "json/object_rewrite.h"
#include "json/object_scan.h"

namespace switchyard::canonical {

Result<std::string> MergeRouteParams(std::string body, std::string_view params_json) {
  if (params_json.empty()) return body;
  auto params = json::ScanObject(params_json);
  auto scan = json::ScanObject(body);
  if (!params || !scan) return Error::Internal("route parameters are not a JSON object");
  std::vector<json::Edit> edits;
  for (const json::Member& member : params->members) {
    if (member.key == "model") continue;
    edits.push_back({member.key, std::string(json::ValueText(params_json, member))});
  }
  return json::RewriteObject(body, *scan, edits);
}

}  // namespace switchyard::canonical
