#include "routing/request_features.h"

#include "json/object_scan.h"

namespace switchyard::routing {

Metadata MetadataFromJson(std::string_view json) {
  Metadata out;
  if (json.empty()) return out;
  auto scan = json::ScanObject(json);
  if (!scan) return out;
  for (const json::Member& member : scan->members) {
    switch (member.type) {
      case json::ValueType::kString:
        out[member.key] = json::StringValue(json, member).value_or("");
        break;
      case json::ValueType::kNumber:
      case json::ValueType::kTrue:
      case json::ValueType::kFalse:
        out[member.key] = std::string(json::ValueText(json, member));
        break;
      default:
        break;
    }
  }
  return out;
}

}  // namespace switchyard::routing
