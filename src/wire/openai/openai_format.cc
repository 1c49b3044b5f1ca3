#include "wire/openai/openai_format.h"

#include "canonical/data_uri.h"
#include "canonical/field_reader.h"

namespace switchyard::wire::openai {
namespace json = boost::json;
using canonical::ContentPart;
using canonical::FinishReason;

canonical::FinishReason FinishReasonFromOpenAI(std::string_view finish_reason) {
  if (finish_reason == "length" || finish_reason == "model_length") return FinishReason::kLength;
  if (finish_reason == "tool_calls" || finish_reason == "function_call") {
    return FinishReason::kToolCalls;
  }
  if (finish_reason == "content_filter") return FinishReason::kContentFilter;
  return FinishReason::kStop;
}

std::string_view FinishReasonToOpenAI(canonical::FinishReason reason) {
  switch (reason) {
    case FinishReason::kLength: return "length";
    case FinishReason::kToolCalls: return "tool_calls";
    case FinishReason::kContentFilter: return "content_filter";
    case FinishReason::kStop:
    case FinishReason::kError:
    case FinishReason::kUnknown: break;
  }
  return "stop";
}

json::object UsageToOpenAI(const canonical::Usage& usage) {
  const std::int64_t prompt = usage.prompt_total();
  json::object details{{"cached_tokens", usage.cached_input_tokens}};
  const std::int64_t writes = usage.cache_write_tokens + usage.cache_write_1h_tokens;
  if (writes > 0) details["cache_write_tokens"] = writes;
  return json::object{
      {"prompt_tokens", prompt},
      {"completion_tokens", usage.output_tokens},
      {"total_tokens", prompt + usage.output_tokens},
      {"prompt_tokens_details", std::move(details)},
      {"completion_tokens_details", json::object{{"reasoning_tokens", usage.reasoning_tokens}}}};
}

json::array ToolCallsToOpenAI(const std::vector<canonical::ToolCall>& calls) {
  json::array out;
  for (const canonical::ToolCall& call : calls) {
    out.push_back(json::object{
        {"id", call.id},
        {"type", "function"},
        {"function", json::object{{"name", call.name}, {"arguments", call.arguments_json}}}});
  }
  return out;
}

std::string JoinText(const std::vector<ContentPart>& parts) {
  std::string text;
  for (const ContentPart& part : parts) {
    if (part.kind == ContentPart::Kind::kText) text += part.text;
  }
  return text;
}

void AddReasoning(const std::vector<ContentPart>& parts, json::object& message) {
  std::string reasoning;
  json::array blocks;
  bool signed_or_redacted = false;
  for (const ContentPart& part : parts) {
    if (part.kind == ContentPart::Kind::kThinking) {
      reasoning += part.text;
      signed_or_redacted |= !part.data.empty();
      blocks.push_back(json::object{
          {"type", "thinking"}, {"thinking", part.text}, {"signature", part.data}});
    } else if (part.kind == ContentPart::Kind::kRedactedThinking) {
      signed_or_redacted = true;
      blocks.push_back(json::object{{"type", "redacted_thinking"}, {"data", part.data}});
    }
  }
  if (blocks.empty()) return;
  message["reasoning_content"] = reasoning;
  if (signed_or_redacted) message["thinking_blocks"] = std::move(blocks);
}

json::object PartToOpenAI(const ContentPart& part) {
  switch (part.kind) {
    case ContentPart::Kind::kImageUrl:
    case ContentPart::Kind::kImageBase64: {
      json::object image{{"url", part.kind == ContentPart::Kind::kImageUrl
                                     ? part.url
                                     : canonical::MakeDataUri(part.media_type, part.data)}};
      if (!part.detail.empty()) image["detail"] = part.detail;
      return {{"type", "image_url"}, {"image_url", std::move(image)}};
    }
    case ContentPart::Kind::kDocumentBase64: {
      json::object file{{"file_data", canonical::MakeDataUri(part.media_type, part.data)}};
      file["filename"] = part.filename.empty() ? "document.pdf" : part.filename;
      return {{"type", "file"}, {"file", std::move(file)}};
    }
    default:
      return {{"type", "text"}, {"text", part.text}};
  }
}

namespace {

Result<ContentPart> ImagePart(canonical::FieldReader& reader) {
  const json::object* image = reader.Object("image_url");
  if (!reader.ok()) return reader.error();
  if (image == nullptr) {
    reader.Require("image_url");
    return reader.error();
  }
  canonical::FieldReader fields(*image, reader.PathOf("image_url"));
  fields.Require("url");
  const std::string url = fields.String("url").value_or("");
  const std::string detail = fields.String("detail").value_or("");
  if (!fields.ok()) return fields.error();
  ContentPart part;
  part.detail = detail;
  if (std::optional<canonical::DataUri> inline_data = canonical::ParseDataUri(url)) {
    part.kind = ContentPart::Kind::kImageBase64;
    part.media_type = std::move(inline_data->media_type);
    part.data = std::move(inline_data->data);
  } else if (url.starts_with("data:")) {
    fields.Fail("url", "a data URI must be base64 with a media type");
    return fields.error();
  } else {
    part.kind = ContentPart::Kind::kImageUrl;
    part.url = url;
  }
  return part;
}

Result<ContentPart> FilePart(canonical::FieldReader& reader) {
  const json::object* file = reader.Object("file");
  if (!reader.ok()) return reader.error();
  if (file == nullptr) {
    reader.Require("file");
    return reader.error();
  }
  canonical::FieldReader fields(*file, reader.PathOf("file"));
  const std::string data = fields.String("file_data").value_or("");
  const std::string filename = fields.String("filename").value_or("");
  if (!fields.ok()) return fields.error();
  std::optional<canonical::DataUri> inline_data = canonical::ParseDataUri(data);
  if (!inline_data) {
    fields.Fail(data.empty() ? "file_id" : "file_data",
                "only inline file_data (a base64 data URI) can be translated");
    return fields.error();
  }
  ContentPart part;
  part.kind = ContentPart::Kind::kDocumentBase64;
  part.media_type = std::move(inline_data->media_type);
  part.data = std::move(inline_data->data);
  part.filename = filename;
  return part;
}

}  // namespace

namespace {

Result<ContentPart> ReadOpenAIPart(const json::object& object, const std::string& path) {
  canonical::FieldReader reader(object, path);
  reader.Require("type");
  const std::string type = reader.String("type").value_or("");
  if (!reader.ok()) return reader.error();
  if (type == "text" || type == "refusal") {
    const std::string_view key = type == "text" ? "text" : "refusal";
    reader.Require(key);
    ContentPart part;
    part.text = reader.String(key).value_or("");
    if (!reader.ok()) return reader.error();
    return part;
  }
  if (type == "image_url") return ImagePart(reader);
  if (type == "file") return FilePart(reader);
  reader.Fail("type", "content part type '" + type +
                          "' cannot be translated to another provider's format");
  return reader.error();
}

}  // namespace

Result<ContentPart> PartFromOpenAI(const json::object& object, const std::string& path) {
  Result<ContentPart> part = ReadOpenAIPart(object, path);
  if (part) part->path = path;
  return part;
}

}  // namespace switchyard::wire::openai
