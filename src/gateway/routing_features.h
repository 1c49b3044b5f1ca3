// The facts routing strategies may know about a call (routing/request_features.h), read from the
// client's body through its top-level scan — without decoding it: member lookups and one byte search.
#pragma once

#include <string_view>

#include "canonical/chat.h"
#include "json/object_scan.h"
#include "routing/request_features.h"
#include "wire/format.h"

namespace switchyard::gateway {

struct FeatureSource {
  std::string_view body;
  const json::ObjectScan* scan = nullptr;
  wire::Format dialect = wire::Format::kOpenAI;
  std::string_view model;
  bool stream = false;
  std::string_view metadata_json;  // x-switchyard-metadata; may be empty
};

routing::RequestFeatures ReadRoutingFeatures(const FeatureSource& source);

}  // namespace switchyard::gateway
