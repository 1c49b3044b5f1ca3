// HeaderLookup: a response header's value by name, for readers that must not know how the headers
// are stored (the provider adapters' rate-limit tables, their fuzz targets and tests).
#pragma once

#include <functional>
#include <string_view>

namespace switchyard::http {

// A response header's value by (lower-case) name; empty when absent.
using HeaderLookup = std::function<std::string_view(std::string_view name)>;

}  // namespace switchyard::http
