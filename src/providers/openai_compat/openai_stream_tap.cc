#include "providers/openai_compat/openai_stream_tap.h"

#include <boost/json/parse.hpp>

#include "providers/openai_compat/openai_error_parser.h"
#include "providers/openai_compat/openai_usage.h"
#include "core/strings.h"

namespace switchyard::providers::openai_compat {
namespace json = boost::json;

StreamTap::Verdict OpenAIStreamTap::OnData(std::string_view raw) {
  const std::string_view data = TrimWhitespace(raw);
  if (data == "[DONE]") {
    saw_end_ = true;
    return Verdict::kForward;
  }
  const auto usage_text = FindUsageObject(data);
  const bool starts_with_error = data.starts_with("{\"error\"");
  if (!usage_text && !starts_with_error) {
    saw_content_ = true;
    return Verdict::kForward;
  }
  boost::system::error_code ec;
  const json::value chunk = json::parse(data, ec);
  const json::object* obj = ec ? nullptr : chunk.if_object();
  if (obj == nullptr) return Verdict::kForward;  // not ours to judge: the client sees it as sent
  if (const json::value* error = obj->if_contains("error"); error && !error->is_null()) {
    stream_error_ = ParseOpenAIError(200, data).message;
    return Verdict::kForward;
  }
  if (const json::value* usage = obj->if_contains("usage"); usage && usage->is_object()) {
    usage_ = UsageFromJson(*usage);
  }
  const json::value* choices = obj->if_contains("choices");
  const bool usage_only = choices && choices->is_array() && choices->get_array().empty();
  if (!usage_only) saw_content_ = true;
  return usage_only && hide_usage_chunk_ ? Verdict::kHide : Verdict::kForward;
}

}  // namespace switchyard::providers::openai_compat
