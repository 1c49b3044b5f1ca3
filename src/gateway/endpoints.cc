#include "gateway/endpoints.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "cache/response_cache.h"
#include "gateway/admin_endpoints.h"
#include "gateway/auth.h"
#include "gateway/call.h"
#include "gateway/experiment_endpoints.h"
#include "gateway/governance_endpoints.h"
#include "gateway/proxied_call.h"
#include "governance/model_allowlist.h"
#include "inbound/inbound_codec.h"

namespace switchyard::gateway {
namespace json = boost::json;
using http::Downstream;
using http::IncomingRequest;

namespace {

Task<> RespondJson(Downstream& downstream, int status, std::string body) {
  http::HeaderList headers = {{"Content-Type", "application/json"},
                              {"x-switchyard-request-id", NewRequestId()}};
  co_await downstream.Respond(status, std::move(headers), std::move(body));
}

// The client API a path belongs to: Anthropic's under /v1/messages, else OpenAI's.
const inbound::InboundCodec& CodecForPath(std::string_view path) {
  const bool anthropic = path == "/v1/messages" || path.starts_with("/v1/messages/");
  return *inbound::CodecFor(anthropic ? wire::Format::kAnthropic : wire::Format::kOpenAI);
}

Task<> RespondError(Downstream& downstream, const Error& error,
                    const inbound::InboundCodec& codec) {
  co_await RespondJson(downstream, error.http_status, codec.FormatError(error));
}

Task<> Metrics(const GatewayState& state, Downstream& downstream) {
  http::HeaderList headers = {{"Content-Type", "text/plain; version=0.0.4"}};
  co_await downstream.Respond(200, std::move(headers),
                              state.metrics.Render() + state.governor->RenderMetrics() +
                                  state.cache->RenderMetrics());
}

Task<> Health(IncomingRequest&, Downstream& downstream) {
  co_await RespondJson(downstream, 200, R"({"status":"ok"})");
}

// One offered model, as provider/model or a route name, with who offers it.
struct OfferedModel {
  std::string id;
  std::string owner;
};

// The models a provider offers: the config's `models:` when it lists them, else the catalog's
// current models for a known provider.
std::vector<std::string> OfferedModels(const GatewayState& state,
                                       const config::ProviderConfig& provider) {
  if (!provider.models.empty() || provider.profile == nullptr) return provider.models;
  return state.catalog->CurrentModelIds(provider.profile->name);
}

// Every model the configured providers offer, as provider/model, and every route — those the
// key's `models` allow (governance/model_allowlist.h; none listed: all).
std::vector<OfferedModel> ListModels(const GatewayState& state,
                                     const std::vector<std::string>& allowed) {
  std::vector<OfferedModel> models;
  auto offer = [&](std::string id, std::string owner) {
    if (allowed.empty() || governance::AnyMatches(allowed, id)) {
      models.push_back({std::move(id), std::move(owner)});
    }
  };
  for (const config::ProviderConfig& provider : state.config.providers) {
    for (const std::string& model : OfferedModels(state, provider)) {
      offer(fmt::format("{}/{}", provider.name, model), provider.name);
    }
  }
  for (const config::RouteConfig& route : state.config.routes) offer(route.name, "switchyard-route");
  return models;
}

// A model in the client's API's shape (wire-formats.md §2.2, §3.6). The gateway knows no creation
// dates: OpenAI's is 0, Anthropic's the epoch.
json::object ModelObject(const OfferedModel& model, bool anthropic) {
  if (anthropic) {
    return {{"type", "model"}, {"id", model.id}, {"display_name", model.id},
            {"created_at", "1970-01-01T00:00:00Z"}};
  }
  return {{"id", model.id}, {"object", "model"}, {"created", 0}, {"owned_by", model.owner}};
}

json::object ModelList(const std::vector<OfferedModel>& models, bool anthropic) {
  json::array data;
  for (const OfferedModel& model : models) data.push_back(ModelObject(model, anthropic));
  if (!anthropic) return {{"object", "list"}, {"data", std::move(data)}};
  const bool empty = models.empty();
  return {{"data", std::move(data)},
          {"has_more", false},
          {"first_id", empty ? json::value(nullptr) : json::value(models.front().id)},
          {"last_id", empty ? json::value(nullptr) : json::value(models.back().id)}};
}

// GET /v1/models[/ID], in Anthropic's shape when the request carries anthropic-version (the
// Anthropic SDK always sends it), else OpenAI's.
Task<> Models(Worker& worker, IncomingRequest& request, Downstream& downstream) {
  const bool anthropic = !request.header("anthropic-version").empty();
  const inbound::InboundCodec& codec =
      *inbound::CodecFor(anthropic ? wire::Format::kAnthropic : wire::Format::kOpenAI);
  auto key = worker.state.governor->Authenticate(PresentedKey(request));
  if (!key) co_return co_await RespondError(downstream, key.error(), codec);
  const std::vector<OfferedModel> models = ListModels(worker.state, (*key)->policy.models);
  constexpr std::string_view kPrefix = "/v1/models/";
  if (request.path.starts_with(kPrefix)) {
    const std::string_view id = request.path.substr(kPrefix.size());
    for (const OfferedModel& model : models) {
      if (model.id == id) {
        co_return co_await RespondJson(downstream, 200,
                                       json::serialize(ModelObject(model, anthropic)));
      }
    }
    co_return co_await RespondError(
        downstream,
        Error::NotFound(fmt::format("model '{}' is not offered here", id), "model_not_found"),
        codec);
  }
  co_await RespondJson(downstream, 200, json::serialize(ModelList(models, anthropic)));
}

Task<> NotFound(IncomingRequest& request, Downstream& downstream, std::string_view allowed) {
  if (!allowed.empty()) {
    const Error error = Error::MethodNotAllowed(
        fmt::format("{} {} is not allowed; use {}", request.method(), request.path, allowed));
    http::HeaderList headers = {{"Content-Type", "application/json"},
                                {"Allow", std::string(allowed)},
                                {"x-switchyard-request-id", NewRequestId()}};
    co_await downstream.Respond(error.http_status, std::move(headers),
                                CodecForPath(request.path).FormatError(error));
    co_return;
  }
  co_await RespondError(downstream,
                        Error::NotFound(fmt::format("unknown endpoint {} {}", request.method(),
                                                    request.path)),
                        CodecForPath(request.path));
}

}  // namespace

http::EndpointTable BuildEndpointTable(Worker& worker) {
  http::EndpointTable table;
  using providers::Operation;
  const auto proxied = [&worker, &table](std::string_view path, Endpoint endpoint) {
    table.Add("POST", std::string(path), [&worker, endpoint](IncomingRequest& request, Downstream& down) {
      return HandleProxiedCall(worker, request, down, endpoint);
    });
  };
  proxied("/v1/chat/completions", {Operation::kChatCompletions, wire::Format::kOpenAI});
  proxied("/v1/embeddings", {Operation::kEmbeddings, wire::Format::kOpenAI});
  proxied("/v1/messages", {Operation::kChatCompletions, wire::Format::kAnthropic});
  proxied("/v1/messages/count_tokens", {Operation::kCountTokens, wire::Format::kAnthropic});
  auto models = [&worker](IncomingRequest& request, Downstream& down) {
    return Models(worker, request, down);
  };
  table.Add("GET", "/v1/models", models);
  table.Add("GET", "/v1/models/*", models);
  table.Add("GET", "/health", Health);
  table.Add("GET", "/metrics", [&worker](IncomingRequest&, Downstream& down) {
    return Metrics(worker.state, down);
  });
  AddAdminEndpoints(table, worker);
  AddGovernanceEndpoints(table, worker);
  AddExperimentEndpoints(table, worker);
  table.SetFallback(NotFound);
  return table;
}

std::function<std::string(std::string_view method, std::string_view path, const Error& error,
                          std::string* content_type)>
SessionErrorHandler(const GatewayState& state) {
  return [&state](std::string_view method, std::string_view path, const Error& error,
                  std::string* content_type) {
    ledger::CallRecord record;
    record.request_id = NewRequestId();
    record.time = std::chrono::system_clock::now();
    record.method = std::string(method);
    record.path = std::string(path);
    const inbound::InboundCodec& codec = CodecForPath(path);
    record.inbound = std::string(codec.name());
    record.status = error.http_status;
    record.error = error.message;
    state.Record(record);
    *content_type = "application/json";
    return codec.FormatError(error);
  };
}

}  // namespace switchyard::gateway
