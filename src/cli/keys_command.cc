#include "cli/keys_command.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

#include <cstdio>

#include "config/config_loader.h"
#include "core/asio.h"
#include "governance/key_admin.h"
#include "governance/key_registry.h"
#include "governance/policy_json.h"
#include "ledger/ledger_factory.h"

namespace switchyard::cli {
namespace {

namespace json = boost::json;
namespace http = boost::beast::http;

// What an action answered: the admin API's status and JSON body, whichever way it ran.
struct Reply {
  int status = 200;
  json::value body;
};

Reply ErrorReply(const Error& error) {
  return {error.http_status, json::object{{"error", json::object{{"message", error.message}}}}};
}

json::object CreateFields(const KeysOptions& o) {
  json::object fields;
  if (!o.name.empty()) fields["name"] = o.name;
  if (!o.team.empty()) fields["team"] = o.team;
  if (!o.tags.empty()) {
    json::object tags;
    for (const std::string& tag : o.tags) {
      const std::size_t equals = tag.find('=');
      if (equals == std::string::npos) continue;
      tags[tag.substr(0, equals)] = tag.substr(equals + 1);
    }
    fields["tags"] = std::move(tags);
  }
  if (!o.models.empty()) {
    json::array models;
    for (const std::string& model : o.models) models.push_back(json::value(model));
    fields["models"] = std::move(models);
  }
  if (!o.budget_usd.empty()) {
    json::object budget = {{"usd", o.budget_usd}};
    if (!o.budget_period.empty()) budget["period"] = o.budget_period;
    if (!o.budget_mode.empty()) budget["mode"] = o.budget_mode;
    fields["budget"] = std::move(budget);
  }
  json::object limits;
  if (o.rpm) limits["rpm"] = *o.rpm;
  if (o.input_tpm) limits["input_tpm"] = *o.input_tpm;
  if (o.output_tpm) limits["output_tpm"] = *o.output_tpm;
  if (!limits.empty()) fields["limits"] = std::move(limits);
  if (!o.expires_at.empty()) fields["expires_at"] = o.expires_at;
  return fields;
}

// Where the gateway's admin API is: `url` ("http://HOST:PORT"), else the config's listen address.
struct GatewayAddress {
  std::string host;
  std::uint16_t port = 0;
};

std::optional<GatewayAddress> AddressOf(const config::Config& config, const std::string& url) {
  GatewayAddress address{config.listen_host, config.listen_port};
  if (!url.empty()) {
    std::string rest = url.starts_with("http://") ? url.substr(7) : url;
    while (!rest.empty() && rest.back() == '/') rest.pop_back();
    if (!config::ParseListenAddress(rest, &address.host, &address.port)) return std::nullopt;
  }
  if (address.host == "localhost") address.host = "127.0.0.1";
  if (address.host == "0.0.0.0") address.host = "127.0.0.1";
  return address;
}

// The admin API of a gateway at `address`, or nothing when none answers there.
std::optional<Reply> ViaAdminApi(const config::Config& config, const GatewayAddress& where,
                                 const std::string& method, const std::string& target,
                                 const std::string& body) {
  net::io_context io;
  net::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  const auto address = net::ip::make_address(where.host, ec);
  if (ec) return std::nullopt;
  socket.connect({address, where.port}, ec);
  if (ec) return std::nullopt;  // no gateway runs there: the caller writes the database
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, where.host);
  request.set(http::field::authorization, "Bearer " + std::string(config.admin_key.reveal()));
  request.set(http::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  http::write(socket, request, ec);
  if (ec) return ErrorReply(Error::Unavailable("the gateway closed the connection: " + ec.message()));
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(16u << 20);
  http::read(socket, buffer, parser, ec);
  if (ec) return ErrorReply(Error::Unavailable("the gateway's answer was cut: " + ec.message()));
  Reply reply;
  reply.status = static_cast<int>(parser.get().result_int());
  json::value parsed = json::parse(parser.get().body(), ec);
  reply.body = ec ? json::value(parser.get().body()) : parsed;
  return reply;
}

Reply Direct(const config::Config& config, const KeysOptions& o) {
  auto store = ledger::OpenGovernanceStore(config.ledger);
  if (!store) return ErrorReply(store.error());
  governance::KeyAdmin admin(**store, "cli");
  auto created_view = [](const governance::CreatedKey& created) {
    json::object view = governance::KeyView(created.record);
    view["key"] = created.secret;
    return view;
  };
  if (o.action == "create") {
    auto created = admin.Create(CreateFields(o));
    if (!created) return ErrorReply(created.error());
    return {201, created_view(*created)};
  }
  if (o.action == "rotate") {
    auto rotated = admin.Rotate(o.id);
    if (!rotated) return ErrorReply(rotated.error());
    return {200, created_view(*rotated)};
  }
  if (o.action == "revoke") {
    auto revoked = admin.Revoke(o.id);
    if (!revoked) return ErrorReply(revoked.error());
    return {200, governance::KeyView(*revoked)};
  }
  if (o.action == "show") {
    auto found = admin.Find(o.id);
    if (!found) return ErrorReply(found.error());
    return {200, governance::KeyView(*found)};
  }
  auto keys = admin.List();
  if (!keys) return ErrorReply(keys.error());
  json::array data;
  for (const config::GatewayKey& key : config.keys) {
    governance::KeyRecord record;
    record.id = "config:" + key.name;
    record.name = key.name;
    record.from_config = true;
    record.policy = key.policy;
    data.push_back(governance::KeyView(record));
  }
  for (const governance::KeyRecord& key : *keys) data.push_back(governance::KeyView(key));
  return {200, json::object{{"object", "list"}, {"data", std::move(data)}}};
}

std::optional<Reply> ViaGateway(const config::Config& config, const KeysOptions& o) {
  if (config.admin_key.empty()) return std::nullopt;
  std::optional<GatewayAddress> where = AddressOf(config, o.url);
  if (!where) return ErrorReply(Error::InvalidRequest("--url must be http://HOST:PORT"));
  const std::string base = "/admin/keys";
  auto call = [&](const char* method, const std::string& target, const std::string& body) {
    return ViaAdminApi(config, *where, method, target, body);
  };
  if (o.action == "create") return call("POST", base, json::serialize(CreateFields(o)));
  if (o.action == "list") return call("GET", base, "");
  if (o.action == "show") return call("GET", base + "/" + o.id, "");
  if (o.action == "rotate") return call("POST", base + "/" + o.id + "/rotate", "");
  return call("DELETE", base + "/" + o.id, "");
}

std::string Text(const json::object& object, std::string_view field) {
  const json::value* value = object.if_contains(field);
  if (value == nullptr || value->is_null()) return "";
  if (value->is_string()) return std::string(value->as_string());
  return governance::SerializeView(*value);
}

void PrintKeyLine(const json::object& key) {
  std::printf("%-22s %-20s %-12s %-10s %-9s %s\n", Text(key, "id").c_str(), Text(key, "name").c_str(),
              Text(key, "team").c_str(), Text(key, "prefix").c_str(),
              key.if_contains("revoked_at") && !key.at("revoked_at").is_null() ? "revoked" : "active",
              Text(key, "budget").c_str());
}

int Print(const Reply& reply, const KeysOptions& o) {
  if (reply.status >= 300) {
    std::string message = governance::SerializeView(reply.body);
    if (reply.body.is_object()) {
      if (const json::value* error = reply.body.as_object().if_contains("error");
          error != nullptr && error->is_object() && error->as_object().contains("message")) {
        message = Text(error->as_object(), "message");
      }
    }
    std::fprintf(stderr, "%s\n", message.c_str());
    return reply.status == 400 || reply.status == 404 || reply.status == 409 ? 2 : 1;
  }
  if (o.format == "json") {
    std::printf("%s\n", governance::SerializeView(reply.body).c_str());
    return 0;
  }
  const json::object* body = reply.body.if_object();
  if (body == nullptr) return 0;
  if (o.action == "list") {
    std::printf("%-22s %-20s %-12s %-10s %-9s %s\n", "ID", "NAME", "TEAM", "PREFIX", "STATE", "BUDGET");
    if (const json::value* data = body->if_contains("data"); data != nullptr && data->is_array()) {
      for (const json::value& key : data->as_array()) {
        if (key.is_object()) PrintKeyLine(key.as_object());
      }
    }
    return 0;
  }
  if (body->contains("key")) {
    std::printf("%s\n", Text(*body, "key").c_str());
    std::fprintf(stderr, "key %s (%s): the secret above is shown once; store it now\n",
                 Text(*body, "id").c_str(), Text(*body, "name").c_str());
    return 0;
  }
  std::printf("%s\n", governance::SerializeView(reply.body).c_str());
  return 0;
}

}  // namespace

int Keys(const KeysOptions& options) {
  if ((options.action == "show" || options.action == "rotate" || options.action == "revoke") &&
      options.id.empty()) {
    std::fprintf(stderr, "switchyard keys %s needs the key's id\n", options.action.c_str());
    return 2;
  }
  if (options.action == "create" && options.name.empty()) {
    std::fprintf(stderr, "switchyard keys create needs --name\n");
    return 2;
  }
  for (const std::string& tag : options.tags) {
    if (tag.find('=') == std::string::npos) {
      std::fprintf(stderr, "--tag takes KEY=VALUE (got '%s')\n", tag.substr(0, 80).c_str());
      return 2;
    }
  }
  config::LoadResult loaded = options.config_path.empty()
                                  ? config::LoadResult{config::DefaultConfig(), {}, {}}
                                  : config::LoadConfigFile(options.config_path);
  if (!loaded.config) {
    for (const config::ConfigProblem& problem : loaded.problems) {
      std::fprintf(stderr, "%s:%d: %s\n", options.config_path.c_str(), problem.line,
                   problem.message.c_str());
    }
    return 2;
  }
  std::optional<Reply> reply = ViaGateway(*loaded.config, options);
  if (!reply && !options.url.empty()) {
    std::fprintf(stderr, "no gateway answers at %s\n", options.url.c_str());
    return 1;
  }
  return Print(reply ? *reply : Direct(*loaded.config, options), options);
}

}  // namespace switchyard::cli
