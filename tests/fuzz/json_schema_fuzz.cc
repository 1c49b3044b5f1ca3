// libFuzzer target for json_schema::Schema: the first half of the input is a schema, the rest an
// instance (each parsed by Boost.JSON; text that does not parse is skipped). Compile, then
// Validate, must never crash, overflow the stack or hang, whatever either half holds — both come
// from a client (the request's output schema, the model's answer).
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "json_schema/schema.h"

namespace {

bool Parse(std::string_view text, boost::json::value* out) {
  boost::json::parse_options options;
  options.max_depth = 256;  // deeper than the schema's own bounds, so those are exercised
  boost::system::error_code ec;
  *out = boost::json::parse(text, ec, boost::json::storage_ptr(), options);
  return !ec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view schema_text = input.substr(0, size / 2);
  const std::string_view instance_text = input.substr(size / 2);
  boost::json::value schema, instance;
  if (!Parse(schema_text, &schema)) return 0;
  switchyard::Result<switchyard::json_schema::Schema> compiled =
      switchyard::json_schema::Schema::Compile(schema);
  if (!compiled.ok()) return 0;
  if (!Parse(instance_text, &instance)) instance = boost::json::string(instance_text);
  (void)compiled->Validate(instance);
  return 0;
}
