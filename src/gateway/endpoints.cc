#include "gateway/endpoints.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "gateway/admin_endpoints.h"
#include "gateway/auth.h"
#include "gateway/call.h"
#include "gateway/passthrough_call.h"
#include "inbound/openai/openai_errors.h"

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

Task<> RespondError(Downstream& downstream, const Error& error) {
  co_await RespondJson(downstream, error.http_status, inbound::openai::FormatErrorBody(error));
}

Task<> Metrics(const GatewayState& state, Downstream& downstream) {
  http::HeaderList headers = {{"Content-Type", "text/plain; version=0.0.4"}};
  co_await downstream.Respond(200, std::move(headers), state.metrics.Render());
}

Task<> Health(IncomingRequest&, Downstream& downstream) {
  co_await RespondJson(downstream, 200, R"({"status":"ok"})");
}

json::object ModelObject(std::string id, std::string_view owner) {
  return {{"id", std::move(id)}, {"object", "model"}, {"created", 0}, {"owned_by", owner}};
}

// The models a provider offers: the config's `models:` when it lists them, else the catalog's
// current models for a known provider.
std::vector<std::string> OfferedModels(const GatewayState& state,
                                       const config::ProviderConfig& provider) {
  if (!provider.models.empty() || provider.profile == nullptr) return provider.models;
  return state.catalog->CurrentModelIds(provider.profile->name);
}

// Every model the configured providers offer, as provider/model, and every route.
json::array ListModels(const GatewayState& state) {
  json::array data;
  for (const config::ProviderConfig& provider : state.config.providers) {
    for (const std::string& model : OfferedModels(state, provider)) {
      data.push_back(ModelObject(fmt::format("{}/{}", provider.name, model), provider.name));
    }
  }
  for (const config::RouteConfig& route : state.config.routes) {
    data.push_back(ModelObject(route.name, "switchyard-route"));
  }
  return data;
}

Task<> Models(Worker& worker, IncomingRequest& request, Downstream& downstream) {
  auto key = Authenticate(request, worker.state.config.keys);
  if (!key) co_return co_await RespondError(downstream, key.error());
  json::array data = ListModels(worker.state);
  constexpr std::string_view kPrefix = "/v1/models/";
  if (request.path.starts_with(kPrefix)) {
    const std::string_view id = request.path.substr(kPrefix.size());
    for (const json::value& model : data) {
      if (model.at("id").as_string() == id) {
        co_return co_await RespondJson(downstream, 200, json::serialize(model));
      }
    }
    co_return co_await RespondError(
        downstream, Error::NotFound(fmt::format("model '{}' is not offered here", id),
                                    "model_not_found"));
  }
  json::object list{{"object", "list"}, {"data", std::move(data)}};
  co_await RespondJson(downstream, 200, json::serialize(list));
}

Task<> NotFound(IncomingRequest& request, Downstream& downstream, std::string_view allowed) {
  if (!allowed.empty()) {
    const Error error = Error::MethodNotAllowed(
        fmt::format("{} {} is not allowed; use {}", request.method(), request.path, allowed));
    http::HeaderList headers = {{"Content-Type", "application/json"},
                                {"Allow", std::string(allowed)},
                                {"x-switchyard-request-id", NewRequestId()}};
    co_await downstream.Respond(error.http_status, std::move(headers),
                                inbound::openai::FormatErrorBody(error));
    co_return;
  }
  co_await RespondError(downstream, Error::NotFound(fmt::format(
                                        "unknown endpoint {} {}", request.method(), request.path)));
}

}  // namespace

http::EndpointTable BuildEndpointTable(Worker& worker) {
  http::EndpointTable table;
  table.Add("POST", "/v1/chat/completions", [&worker](IncomingRequest& request, Downstream& down) {
    return HandlePassthroughCall(worker, request, down, providers::Operation::kChatCompletions);
  });
  table.Add("POST", "/v1/embeddings", [&worker](IncomingRequest& request, Downstream& down) {
    return HandlePassthroughCall(worker, request, down, providers::Operation::kEmbeddings);
  });
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
    record.inbound = "openai";
    record.status = error.http_status;
    record.error = error.message;
    state.Record(record);
    *content_type = "application/json";
    return inbound::openai::FormatErrorBody(error);
  };
}

}  // namespace switchyard::gateway
