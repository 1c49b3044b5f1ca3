#include "accept/answer_json.h"

#include <boost/json/stream_parser.hpp>
#include <fmt/format.h>

namespace switchyard::accept {

std::variant<boost::json::value, std::string> ParseAnswerJson(std::string_view text) {
  boost::json::parse_options options;
  options.max_depth = kMaxAnswerJsonDepth;
  boost::json::stream_parser parser(boost::json::storage_ptr(), options);
  boost::system::error_code ec;
  const std::size_t used = parser.write_some(text.data(), text.size(), ec);
  if (!ec && used < text.size()) ec = boost::json::error::extra_data;
  if (!ec) parser.finish(ec);
  if (ec == boost::json::error::too_deep) {
    return fmt::format("JSON nested deeper than {} levels", kMaxAnswerJsonDepth);
  }
  if (ec) return fmt::format("not valid JSON (at offset {})", used);
  return parser.release();
}

}  // namespace switchyard::accept
