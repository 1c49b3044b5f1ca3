#include "demo/simulated_provider.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "demo/simulated_embedder.h"
#include "demo/simulated_models.h"
#include "demo/wait_unless_closed.h"

namespace switchyard::demo {
namespace json = boost::json;
using http::Downstream;
using http::IncomingRequest;

namespace {

std::string LastUserText(const json::object& body) {
  const json::value* messages = body.if_contains("messages");
  if (messages == nullptr || !messages->is_array()) return {};
  for (auto it = messages->get_array().rbegin(); it != messages->get_array().rend(); ++it) {
    const json::object* message = it->if_object();
    if (message == nullptr || !message->contains("content")) continue;
    const json::value& content = message->at("content");
    if (content.is_string()) return std::string(content.get_string());
    if (!content.is_array()) continue;
    std::string text;  // text parts, joined
    for (const json::value& part : content.get_array()) {
      const json::object* object = part.if_object();
      const json::value* part_text = object ? object->if_contains("text") : nullptr;
      if (part_text != nullptr && part_text->is_string()) text += part_text->get_string();
    }
    return text;
  }
  return {};
}

std::string ReplyText(const SimulatedModel& model, const std::string& prompt) {
  if (model.reply == ReplyShape::kJudge) return JudgeVerdict(prompt);
  std::string text = fmt::format(
      "[simulated] This is {} answering through switchyard. You said: \"{}\". No provider was "
      "called and no key was used.", model.name, prompt.substr(0, 200));
  if (model.reply == ReplyShape::kText) return text;
  const json::object answer{{"answer", std::move(text)},
                            {"model", json::string_view(model.name.data(), model.name.size())}};
  return json::serialize(answer);
}

// The reply cut into words (each with its trailing space), a stream's chunks.
std::vector<std::string> ReplyWords(const SimulatedModel& model, const std::string& prompt) {
  const std::string reply = ReplyText(model, prompt);
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < reply.size()) {
    std::size_t end = reply.find(' ', start);
    end = end == std::string::npos ? reply.size() : end + 1;
    words.push_back(reply.substr(start, end - start));
    start = end;
  }
  return words;
}

json::object Usage(std::size_t prompt_chars, std::size_t words) {
  const std::int64_t prompt_tokens = static_cast<std::int64_t>(prompt_chars / 4 + 8);
  const std::int64_t completion_tokens = static_cast<std::int64_t>(words);
  return {{"prompt_tokens", prompt_tokens},
          {"completion_tokens", completion_tokens},
          {"total_tokens", prompt_tokens + completion_tokens}};
}

Task<> RespondJson(Downstream& downstream, int status, const json::value& body) {
  http::HeaderList headers = {{"Content-Type", "application/json"}};
  co_await downstream.Respond(status, std::move(headers), json::serialize(body));
}

json::object Chunk(const std::string& model, json::object delta, json::value finish) {
  json::object choice{{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", finish}};
  return {{"id", "chatcmpl-simulated"}, {"object", "chat.completion.chunk"}, {"created", 0},
          {"model", model}, {"choices", json::array{std::move(choice)}}};
}

Task<> StreamReply(Downstream& downstream, net::steady_timer& timer, const std::string& model,
                   const std::vector<std::string>& words, const json::object& usage,
                   bool include_usage, std::chrono::milliseconds per_chunk) {
  http::HeaderList headers = {{"Content-Type", "text/event-stream"}};
  if (!co_await downstream.BeginStream(200, std::move(headers))) co_return;
  auto send = [&](const json::object& chunk) -> Task<bool> {
    const std::string event = "data: " + json::serialize(chunk) + "\n\n";
    const std::string_view piece = event;
    co_return co_await downstream.WriteChunk(std::span(&piece, 1));
  };
  json::object first_delta{{"role", "assistant"}, {"content", ""}};
  if (!co_await send(Chunk(model, std::move(first_delta), nullptr))) co_return;
  for (const std::string& word : words) {
    if (!co_await WaitUnlessClosed(downstream, timer, per_chunk)) co_return;
    json::object delta{{"content", word}};
    if (!co_await send(Chunk(model, std::move(delta), nullptr))) co_return;
  }
  if (!co_await send(Chunk(model, {}, "stop"))) co_return;
  if (include_usage) {
    json::object last{{"id", "chatcmpl-simulated"}, {"object", "chat.completion.chunk"},
                      {"created", 0}, {"model", model}, {"choices", json::array{}},
                      {"usage", usage}};
    if (!co_await send(last)) co_return;
  }
  const std::string_view done = "data: [DONE]\n\n";
  const std::span<const std::string_view> last(&done, 1);
  co_await downstream.EndStream(last);
}

json::object ErrorBody(std::string message, std::string_view type = "invalid_request_error") {
  return {{"error", {{"message", std::move(message)}, {"type", type},
                     {"param", nullptr}, {"code", nullptr}}}};
}

// The answer to `body` (after the first-byte delay): plain, or streamed at the model's pace.
Task<> Answer(IncomingRequest& request, Downstream& downstream, net::steady_timer& timer,
              const json::object& body, const SimulatedModel& simulated) {
  const std::string model(simulated.name);
  const std::string prompt = LastUserText(body);
  const std::vector<std::string> words = ReplyWords(simulated, prompt);
  const json::object usage = Usage(request.body().size(), words.size());
  const bool stream = body.contains("stream") && body.at("stream") == json::value(true);
  if (stream) {
    const json::value* options = body.if_contains("stream_options");
    const bool include_usage = options && options->is_object() &&
                               options->get_object().contains("include_usage") &&
                               options->get_object().at("include_usage") == json::value(true);
    co_return co_await StreamReply(downstream, timer, model, words, usage, include_usage,
                                   simulated.per_chunk);
  }
  std::string text;
  for (const std::string& word : words) text += word;
  json::object message{{"role", "assistant"}, {"content", text}};
  json::object choice{{"index", 0}, {"message", std::move(message)}, {"finish_reason", "stop"}};
  json::object response{{"id", "chatcmpl-simulated"}, {"object", "chat.completion"},
                        {"created", 0}, {"model", model},
                        {"choices", json::array{std::move(choice)}}, {"usage", usage}};
  co_await RespondJson(downstream, 200, response);
}

Task<> ChatCompletions(IncomingRequest& request, Downstream& downstream,
                       DelaySchedule& schedule) {
  boost::system::error_code ec;
  json::value parsed = json::parse(request.body(), ec);
  if (ec || !parsed.is_object()) {
    co_return co_await RespondJson(downstream, 400, ErrorBody("body is not a JSON object"));
  }
  const json::object& body = parsed.get_object();
  const std::string model = body.contains("model") && body.at("model").is_string()
                                ? std::string(body.at("model").get_string()) : "";
  const std::size_t index = FindSimulatedModel(model);
  if (index == SimulatedModels().size()) {
    co_return co_await RespondJson(downstream, 404,
                                   ErrorBody(fmt::format("simulated model '{}' not found", model)));
  }
  const SimulatedModel& simulated = SimulatedModels()[index];
  // The first byte, plain or streamed, comes after the model's seeded delay.
  net::steady_timer timer(co_await net::this_coro::executor);
  const std::chrono::milliseconds delay =
      FirstByteDelay(simulated.first_byte, simulated.seed, schedule.NextIndex(index));
  if (!co_await WaitUnlessClosed(downstream, timer, delay)) co_return;
  if (simulated.reply == ReplyShape::kOutage) {
    co_return co_await RespondJson(
        downstream, 503,
        ErrorBody(fmt::format("[simulated] {} is always down", model), "server_error"));
  }
  co_await Answer(request, downstream, timer, body, simulated);
}

// OpenAI's /v1/embeddings, answered with demo::SimulatedEmbedding (simulated_embedder.h).
Task<> Embeddings(IncomingRequest& request, Downstream& downstream) {
  const EmbeddingsAnswer answer = AnswerEmbeddingsRequest(request.body());
  co_await RespondJson(downstream, answer.status, answer.body);
}

Task<> ListModels(IncomingRequest&, Downstream& downstream) {
  json::array data;
  for (const SimulatedModel& model : SimulatedModels()) {
    data.push_back({{"id", json::string_view(model.name.data(), model.name.size())},
                    {"object", "model"}, {"created", 0},
                    {"owned_by", "switchyard-demo"}});
  }
  const json::object list{{"object", "list"}, {"data", std::move(data)}};
  co_await RespondJson(downstream, 200, list);
}

}  // namespace

SimulatedProvider::SimulatedProvider() : schedule_(SimulatedModels().size()) {
  endpoints_.Add("POST", "/v1/chat/completions",
                 [this](IncomingRequest& request, Downstream& downstream) {
                   return ChatCompletions(request, downstream, schedule_);
                 });
  endpoints_.Add("POST", "/v1/embeddings", Embeddings);
  endpoints_.Add("GET", "/v1/models", ListModels);
}

SimulatedProvider::~SimulatedProvider() {
  if (listener_) net::post(io_, [this] { listener_->Close(); registry_.Drain(); });
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

Status SimulatedProvider::Start() {
  auto listener = http::Listener::Bind(io_, "127.0.0.1", 0);
  if (!listener) return listener.error();
  listener_ = std::move(listener).value();
  http::SessionOptions options;
  options.endpoints = &endpoints_;
  options.registry = &registry_;
  listener_->Start(options);
  thread_ = std::thread([this] { io_.run(); });
  return Status();
}

std::string SimulatedProvider::base_url() const {
  return fmt::format("http://127.0.0.1:{}/v1", listener_ ? listener_->port() : 0);
}

const std::vector<std::string>& SimulatedProvider::Models() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const SimulatedModel& model : SimulatedModels()) out.emplace_back(model.name);
    return out;
  }();
  return names;
}

}  // namespace switchyard::demo
