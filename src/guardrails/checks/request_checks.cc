// The request checks: denied_params (the request sets none of the listed top-level fields, e.g.
// logprobs or tools) and required_metadata (x-switchyard-metadata has every listed key).
#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>

#include "guardrails/check.h"

namespace switchyard::guardrails {
namespace {

class DeniedParamsCheck final : public Check {
 public:
  explicit DeniedParamsCheck(std::vector<std::string> params) : params_(std::move(params)) {}

  std::optional<std::string> JudgeRequest(const RequestFacts& facts) const override {
    for (const std::string& field : facts.fields) {
      if (std::find(params_.begin(), params_.end(), field) != params_.end()) {
        return fmt::format("the request sets '{}', which is not allowed", field);
      }
    }
    return std::nullopt;
  }

 private:
  std::vector<std::string> params_;
};

class RequiredMetadataCheck final : public Check {
 public:
  explicit RequiredMetadataCheck(std::vector<std::string> keys) : keys_(std::move(keys)) {}

  std::optional<std::string> JudgeRequest(const RequestFacts& facts) const override {
    boost::system::error_code error;
    boost::json::value metadata =
        facts.metadata_json.empty() ? boost::json::value()
                                    : boost::json::parse(facts.metadata_json, error);
    const boost::json::object* object = error ? nullptr : metadata.if_object();
    for (const std::string& key : keys_) {
      if (object == nullptr || !object->contains(key)) {
        return fmt::format("x-switchyard-metadata needs the key '{}'", key);
      }
    }
    return std::nullopt;
  }

 private:
  std::vector<std::string> keys_;
};

}  // namespace

Result<CheckPtr> MakeDeniedParamsCheck(const config::GuardrailConfig& config) {
  return CheckPtr(std::make_shared<const DeniedParamsCheck>(config.params));
}

Result<CheckPtr> MakeRequiredMetadataCheck(const config::GuardrailConfig& config) {
  return CheckPtr(std::make_shared<const RequiredMetadataCheck>(config.keys));
}

}  // namespace switchyard::guardrails
