#include "http/client/upstream_exchange.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fakes/fake_http_server.h"
#include "fakes/io_test_util.h"

namespace switchyard::http {
namespace {

using ::switchyard::testing::FakeConnection;
using ::switchyard::testing::FakeHttpServer;
using ::switchyard::testing::FakeSignal;

std::string OkResponse(std::string_view body, std::string_view extra_headers = "") {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + std::string(extra_headers) +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

UpstreamRequest ChatRequest(std::string body = R"({"model":"m"})") {
  UpstreamRequest request;
  request.method = "POST";
  request.target = "/v1/chat/completions";
  request.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer sk-test"}};
  request.body = std::move(body);
  return request;
}

class UpstreamExchangeTest : public ::testing::Test {
 protected:
  UpstreamExchangeTest() { endpoint_ = Endpoint(server_.Url("/v1")); }

  ~UpstreamExchangeTest() override {
    // Scripts may still wait on a signal or hold in_flight_ when a test failed half-way.
    in_flight_ = nullptr;
    signal_one_.Notify();
    signal_two_.Notify();
    server_.Stop();
    pool_.Clear();
    ::switchyard::testing::Drain(io_);
  }

  static UpstreamEndpoint Endpoint(const std::string& url) {
    Result<UpstreamEndpoint> endpoint = ParseUpstreamEndpoint(url);
    EXPECT_TRUE(endpoint.ok()) << url;
    return endpoint.ok() ? *endpoint : UpstreamEndpoint{};
  }

  template <class MakeTask>
  void Run(MakeTask&& make_task) {
    ::switchyard::testing::RunTask(io_, make_task);
  }
  template <class Predicate>
  void RunUntil(Predicate done) {
    ::switchyard::testing::RunUntil(io_, done);
  }

  // One whole exchange: send, then read the body; the exchange is gone (its connection returned to
  // the pool or closed) when this returns.
  struct Outcome {
    std::optional<Error> error;
    int status = 0;
    std::string body;
  };
  Outcome Exchange(const UpstreamRequest& request = ChatRequest()) {
    Outcome outcome;
    Run([&]() -> Task<> {
      UpstreamExchange exchange(pool_, endpoint_, deadlines_);
      Status sent = co_await exchange.Send(request);
      if (!sent.ok()) {
        outcome.error = sent.error();
        co_return;
      }
      outcome.status = exchange.status();
      Result<std::string> body = co_await exchange.ReadAll(1 << 20);
      if (!body.ok()) {
        outcome.error = body.error();
        co_return;
      }
      outcome.body = *body;
    });
    return outcome;
  }

  net::io_context io_;
  net::ssl::context tls_{net::ssl::context::tls_client};
  FakeHttpServer server_{io_.get_executor()};
  ConnectionPool pool_{io_.get_executor(), tls_};
  UpstreamEndpoint endpoint_;
  UpstreamDeadlines deadlines_;
  // For scripts that wait for the test (members, so that they outlive every script).
  FakeSignal signal_one_{io_.get_executor()};
  FakeSignal signal_two_{io_.get_executor()};
  UpstreamExchange* in_flight_ = nullptr;  // the exchange a script may cancel
};

TEST_F(UpstreamExchangeTest, RoundTrip) {
  server_.AddScript(
      FakeHttpServer::RespondToEach(OkResponse(R"({"ok":true})", "X-Request-Id: abc-123\r\n")));
  std::optional<Error> error;
  int status = 0;
  std::string content_type, request_id, missing, body;
  bool has_head = false, done = false;
  Run([&]() -> Task<> {
    UpstreamExchange exchange(pool_, endpoint_, deadlines_);
    Status sent = co_await exchange.Send(ChatRequest());
    if (!sent.ok()) {
      error = sent.error();
      co_return;
    }
    has_head = exchange.has_head();
    status = exchange.status();
    content_type = exchange.Header("content-type");  // case-insensitive
    request_id = exchange.Header("X-Request-Id");
    missing = exchange.Header("x-missing");
    Result<std::string> all = co_await exchange.ReadAll(1024);
    if (!all.ok()) {
      error = all.error();
      co_return;
    }
    body = *all;
    done = exchange.done();
  });
  ASSERT_FALSE(error.has_value()) << error->message;
  EXPECT_TRUE(has_head);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(content_type, "application/json");
  EXPECT_EQ(request_id, "abc-123");
  EXPECT_EQ(missing, "");
  EXPECT_EQ(body, R"({"ok":true})");
  EXPECT_TRUE(done);

  // What the server received: the request line, Host and Content-Length added, headers and body.
  ASSERT_EQ(server_.requests().size(), 1u);
  const std::string& request = server_.requests()[0].second;
  EXPECT_TRUE(request.starts_with("POST /v1/chat/completions HTTP/1.1\r\n")) << request;
  EXPECT_NE(request.find("\r\nHost: 127.0.0.1:" + std::to_string(server_.port()) + "\r\n"),
            std::string::npos)
      << request;
  EXPECT_NE(request.find("\r\nContent-Length: 13\r\n"), std::string::npos) << request;
  EXPECT_NE(request.find("\r\nAuthorization: Bearer sk-test\r\n"), std::string::npos) << request;
  EXPECT_TRUE(request.ends_with("\r\n\r\n{\"model\":\"m\"}")) << request;
}

TEST_F(UpstreamExchangeTest, ErrorStatusIsAnAnswerNotAFailure) {
  server_.AddScript(FakeHttpServer::RespondToEach(
      "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 2\r\n\r\n{}"));
  const Outcome outcome = Exchange();
  ASSERT_FALSE(outcome.error.has_value()) << outcome.error->message;
  EXPECT_EQ(outcome.status, 429);
  EXPECT_EQ(outcome.body, "{}");
}

TEST_F(UpstreamExchangeTest, ChunkedBodyIsReadPieceByPieceAsItArrives) {
  FakeSignal& send_second = signal_one_;
  FakeSignal& send_last = signal_two_;
  server_.AddScript([&](FakeConnection& connection) -> Task<> {
    std::optional<std::string> request = co_await connection.ReadRequest();
    if (!request) co_return;
    co_await connection.Write(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
        "f\r\ndata: {\"a\":1}\n\n\r\n");
    co_await send_second.Wait();
    co_await connection.Write("f\r\ndata: {\"b\":2}\n\n\r\n");
    co_await send_last.Wait();
    co_await connection.Write("e\r\ndata: [DONE]\n\n\r\n0\r\n\r\n");
    co_await connection.WaitForPeerClose();
  });

  std::vector<std::string> log;  // what the client saw, in order
  std::optional<Error> error;
  // Reads until `want` bytes arrived (TCP may split them); records them as one entry.
  auto read_exactly = [&](UpstreamExchange& exchange, std::size_t want) -> Task<bool> {
    std::string got;
    while (got.size() < want) {
      Result<std::string_view> piece = co_await exchange.ReadSome();
      if (!piece.ok()) {
        error = piece.error();
        co_return false;
      }
      if (piece->empty()) {
        log.push_back("early end after " + got);
        co_return false;
      }
      got.append(*piece);
    }
    log.push_back(got);
    co_return true;
  };
  Run([&]() -> Task<> {
    UpstreamExchange exchange(pool_, endpoint_, deadlines_);
    Status sent = co_await exchange.Send(ChatRequest());
    if (!sent.ok()) {
      error = sent.error();
      co_return;
    }
    log.push_back("head " + std::string(exchange.Header("Transfer-Encoding")));
    bool ok = false;
    ok = co_await read_exactly(exchange, 15);
    if (!ok) co_return;
    log.push_back(exchange.done() ? "done" : "not done");
    send_second.Notify();
    ok = co_await read_exactly(exchange, 15);
    if (!ok) co_return;
    send_last.Notify();
    ok = co_await read_exactly(exchange, 14);
    if (!ok) co_return;
    Result<std::string_view> end = co_await exchange.ReadSome();
    log.push_back(end.ok() && end->empty() ? "end" : "more?");
    log.push_back(exchange.done() ? "done" : "not done");
  });
  ASSERT_FALSE(error.has_value()) << error->message;
  EXPECT_EQ(log,
            (std::vector<std::string>{"head chunked", "data: {\"a\":1}\n\n", "not done",
                                      "data: {\"b\":2}\n\n", "data: [DONE]\n\n", "end", "done"}));
  // The whole body was read, so the connection went back to the pool.
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 1u);
}

TEST_F(UpstreamExchangeTest, ReadAllPastTheLimitFailsAndDoesNotPoolTheConnection) {
  server_.AddScript(FakeHttpServer::RespondToEach(OkResponse(std::string(100, 'x'))));
  std::optional<Error> error;
  Run([&]() -> Task<> {
    UpstreamExchange exchange(pool_, endpoint_, deadlines_);
    Status sent = co_await exchange.Send(ChatRequest());
    if (!sent.ok()) co_return;
    Result<std::string> body = co_await exchange.ReadAll(10);
    if (!body.ok()) error = body.error();
  });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind, ErrorKind::kUpstreamProtocol);
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 0u);
}

// ReadAll reads into its result in steps; the limit holds to the byte either way the body is
// framed.
TEST_F(UpstreamExchangeTest, ReadAllTakesABodyOfExactlyTheLimit) {
  const std::string chunked =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "8\r\nabcdefgh\r\n8\r\nijklmnop\r\n0\r\n\r\n";
  const std::vector<std::string> responses = {OkResponse(std::string(10, 'x')), chunked, chunked};
  server_.AddScript([&](FakeConnection& connection) -> Task<> {  // one keep-alive connection
    for (const std::string& response : responses) {
      if (!co_await connection.ReadRequest()) co_return;
      co_await connection.Write(response);
    }
    co_await connection.WaitForPeerClose();
  });
  std::vector<std::string> outcomes;
  Run([&]() -> Task<> {
    for (std::size_t limit : {std::size_t{10}, std::size_t{16}, std::size_t{15}}) {
      UpstreamExchange exchange(pool_, endpoint_, deadlines_);
      Status sent = co_await exchange.Send(ChatRequest());
      if (!sent.ok()) co_return;
      Result<std::string> body = co_await exchange.ReadAll(limit);
      outcomes.push_back(body.ok() ? *body : body.error().message);
    }
  });
  EXPECT_EQ(outcomes, (std::vector<std::string>{
                          std::string(10, 'x'), "abcdefghijklmnop",
                          "the provider's response is larger than 15 bytes"}));
}

TEST_F(UpstreamExchangeTest, EmptyBodyIsDoneAtOnce) {
  server_.AddScript(FakeHttpServer::RespondToEach("HTTP/1.1 204 No Content\r\n\r\n"));
  const Outcome outcome = Exchange();
  ASSERT_FALSE(outcome.error.has_value()) << outcome.error->message;
  EXPECT_EQ(outcome.status, 204);
  EXPECT_EQ(outcome.body, "");
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 1u);
}

TEST_F(UpstreamExchangeTest, KeepAliveReusesOneConnection) {
  server_.AddScript(FakeHttpServer::RespondToEach(OkResponse("{}")));
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 0u);
  const Outcome first = Exchange();
  ASSERT_FALSE(first.error.has_value()) << first.error->message;
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 1u);
  const Outcome second = Exchange();
  ASSERT_FALSE(second.error.has_value()) << second.error->message;
  EXPECT_EQ(second.body, "{}");
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 1u);
  EXPECT_EQ(server_.accepted(), 1);
  EXPECT_EQ(server_.events(),
            (std::vector<std::string>{"accept 1", "request 1 POST /v1/chat/completions",
                                      "request 1 POST /v1/chat/completions"}));
}

TEST_F(UpstreamExchangeTest, UnreadBodyDoesNotPoolTheConnection) {
  server_.AddScript(FakeHttpServer::RespondToEach(OkResponse("{\"a\":1}")));
  Run([&]() -> Task<> {
    UpstreamExchange exchange(pool_, endpoint_, deadlines_);
    Status sent = co_await exchange.Send(ChatRequest());
    EXPECT_TRUE(sent.ok());
    // The body is never read: the connection cannot be reused.
  });
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 0u);
  // Closed at once (a FIN, or a reset when body bytes were still unread in the socket).
  RunUntil([&] { return server_.HasEvent("peer-closed 1") || server_.HasEvent("peer-reset 1"); });
}

TEST_F(UpstreamExchangeTest, IdleConnectionClosedByServerIsReplaced) {
  server_.AddScript(FakeHttpServer::RespondOnceThenClose(OkResponse("\"first\"")));
  server_.AddScript(FakeHttpServer::RespondToEach(OkResponse("\"second\"")));
  const Outcome first = Exchange();
  ASSERT_FALSE(first.error.has_value()) << first.error->message;
  EXPECT_EQ(first.body, "\"first\"");
  // The response did not say Connection: close, so the client kept the connection...
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 1u);
  // ... which the server then closed while it sat idle.
  RunUntil([&] { return server_.HasEvent("server-closed 1"); });

  const Outcome second = Exchange();
  ASSERT_FALSE(second.error.has_value()) << second.error->message;
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "\"second\"");
  EXPECT_EQ(server_.accepted(), 2);
  ASSERT_EQ(server_.requests().size(), 2u);
  EXPECT_EQ(server_.requests()[1].first, 2);
}

TEST_F(UpstreamExchangeTest, StaleConnectionDiscoveredOnSendIsRetriedOnAFreshOne) {
  // The pooled connection looks alive, but the server closes it when the next request arrives:
  // the exchange must retry once on a new connection, invisibly to the caller.
  server_.AddScript(FakeHttpServer::RespondOnceThenCloseOnNextRequest(OkResponse("\"first\"")));
  server_.AddScript(FakeHttpServer::RespondToEach(OkResponse("\"second\"")));
  ASSERT_FALSE(Exchange().error.has_value());
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 1u);

  const Outcome second = Exchange();
  ASSERT_FALSE(second.error.has_value()) << second.error->message;
  EXPECT_EQ(second.body, "\"second\"");
  EXPECT_EQ(server_.accepted(), 2);
  EXPECT_EQ(server_.events(),
            (std::vector<std::string>{"accept 1", "request 1 POST /v1/chat/completions",
                                      "request 1 POST /v1/chat/completions", "server-closed 1",
                                      "accept 2", "request 2 POST /v1/chat/completions"}));
}

TEST_F(UpstreamExchangeTest, FreshConnectionClosedWithoutAnswerIsNotRetried) {
  server_.AddScript(FakeHttpServer::CloseAfterRequest());
  const Outcome outcome = Exchange();
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->kind, ErrorKind::kUpstreamConnect) << outcome.error->message;
  EXPECT_EQ(server_.accepted(), 1);
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(UpstreamExchangeTest, ResponseThatIsNotHttpIsAProtocolError) {
  server_.AddScript(FakeHttpServer::RespondToEach("SMTP READY\r\n\r\n"));
  const Outcome outcome = Exchange();
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->kind, ErrorKind::kUpstreamProtocol) << outcome.error->message;
}

TEST_F(UpstreamExchangeTest, FirstByteDeadline) {
  // The server reads the request and never answers: the only possible outcome is the timeout.
  server_.AddScript(FakeHttpServer::NeverRespond());
  deadlines_.first_byte = std::chrono::milliseconds(50);
  std::optional<Error> error;
  bool has_head = true;
  Run([&]() -> Task<> {
    UpstreamExchange exchange(pool_, endpoint_, deadlines_);
    Status sent = co_await exchange.Send(ChatRequest());
    if (!sent.ok()) error = sent.error();
    has_head = exchange.has_head();
  });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind, ErrorKind::kUpstreamTimeout) << error->message;
  EXPECT_EQ(error->http_status, 504);
  EXPECT_NE(error->message.find("first_byte"), std::string::npos) << error->message;
  EXPECT_FALSE(has_head);
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 0u);
  // The timed-out connection is closed, not left hanging.
  RunUntil([&] { return server_.HasEvent("peer-closed 1"); });
  EXPECT_EQ(server_.accepted(), 1);
}

TEST_F(UpstreamExchangeTest, ConnectionRefused) {
  const ::switchyard::testing::RefusingPort refusing(io_.get_executor());
  endpoint_ = Endpoint(refusing.Url("/v1"));
  const Outcome outcome = Exchange();
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->kind, ErrorKind::kUpstreamConnect) << outcome.error->message;
  EXPECT_EQ(outcome.error->http_status, 502);
  EXPECT_EQ(server_.accepted(), 0);
}

TEST_F(UpstreamExchangeTest, CancelWhileWaitingForTheHead) {
  server_.AddScript([this](FakeConnection& connection) -> Task<> {
    std::optional<std::string> request = co_await connection.ReadRequest();
    if (!request) co_return;
    // The request has arrived and the client is waiting for the answer: abandon it.
    server_.Record("cancel");
    if (in_flight_ != nullptr) in_flight_->Cancel();
    co_await connection.WaitForPeerClose();
  });
  std::optional<Error> error;
  bool cancelled = false;
  Run([&]() -> Task<> {
    UpstreamExchange exchange(pool_, endpoint_, deadlines_);
    in_flight_ = &exchange;
    Status sent = co_await exchange.Send(ChatRequest());
    in_flight_ = nullptr;
    if (!sent.ok()) error = sent.error();
    cancelled = exchange.cancelled();
  });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind, ErrorKind::kCancelled) << error->message;
  EXPECT_TRUE(cancelled);
  RunUntil([&] { return server_.HasEvent("peer-closed 1"); });
  EXPECT_EQ(server_.events(),
            (std::vector<std::string>{"accept 1", "request 1 POST /v1/chat/completions", "cancel",
                                      "peer-closed 1"}));
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 0u);
}

TEST_F(UpstreamExchangeTest, CancelWhileReadingTheBody) {
  FakeSignal& client_reading = signal_one_;
  server_.AddScript([this, &client_reading](FakeConnection& connection) -> Task<> {
    std::optional<std::string> request = co_await connection.ReadRequest();
    if (!request) co_return;
    co_await connection.Write(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
    co_await client_reading.Wait();
    server_.Record("cancel");
    if (in_flight_ != nullptr) in_flight_->Cancel();
    co_await connection.WaitForPeerClose();
  });
  std::string first;
  std::optional<Error> error;
  Run([&]() -> Task<> {
    UpstreamExchange exchange(pool_, endpoint_, deadlines_);
    in_flight_ = &exchange;
    Status sent = co_await exchange.Send(ChatRequest());
    if (!sent.ok()) {
      in_flight_ = nullptr;
      co_return;
    }
    while (first.size() < 5) {
      Result<std::string_view> piece = co_await exchange.ReadSome();
      if (!piece.ok() || piece->empty()) {
        in_flight_ = nullptr;
        co_return;
      }
      first.append(*piece);
    }
    client_reading.Notify();  // the server cancels once this read is pending
    Result<std::string_view> next = co_await exchange.ReadSome();
    if (!next.ok()) error = next.error();
    // Later reads fail the same way.
    Result<std::string_view> after = co_await exchange.ReadSome();
    if (after.ok() || after.error().kind != ErrorKind::kCancelled) {
      error = Error::Internal("a read after the cancel did not fail as cancelled");
    }
    in_flight_ = nullptr;
  });
  EXPECT_EQ(first, "hello");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind, ErrorKind::kCancelled) << error->message;
  RunUntil([&] { return server_.HasEvent("peer-closed 1"); });
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 0u);
}

TEST_F(UpstreamExchangeTest, ConnectionCloseResponseIsNotPooled) {
  server_.AddScript(
      FakeHttpServer::RespondOnceThenClose(OkResponse("\"first\"", "Connection: close\r\n")));
  server_.AddScript(FakeHttpServer::RespondToEach(OkResponse("\"second\"")));
  const Outcome first = Exchange();
  ASSERT_FALSE(first.error.has_value()) << first.error->message;
  EXPECT_EQ(first.body, "\"first\"");
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 0u);

  const Outcome second = Exchange();
  ASSERT_FALSE(second.error.has_value()) << second.error->message;
  EXPECT_EQ(second.body, "\"second\"");
  EXPECT_EQ(server_.accepted(), 2);
}

TEST_F(UpstreamExchangeTest, Http10ResponseWithoutKeepAliveIsNotPooled) {
  server_.AddScript(
      FakeHttpServer::RespondOnceThenClose("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}"));
  const Outcome outcome = Exchange();
  ASSERT_FALSE(outcome.error.has_value()) << outcome.error->message;
  EXPECT_EQ(outcome.body, "{}");
  EXPECT_EQ(pool_.IdleCountForTest(endpoint_.pool_key), 0u);
}

TEST_F(UpstreamExchangeTest, GetWithoutBodySendsNoContentLength) {
  server_.AddScript(FakeHttpServer::RespondToEach(OkResponse(R"({"data":[]})")));
  UpstreamRequest request;
  request.method = "GET";
  request.target = "/v1/models";
  const Outcome outcome = Exchange(request);
  ASSERT_FALSE(outcome.error.has_value()) << outcome.error->message;
  ASSERT_EQ(server_.requests().size(), 1u);
  const std::string& sent = server_.requests()[0].second;
  EXPECT_TRUE(sent.starts_with("GET /v1/models HTTP/1.1\r\n")) << sent;
  EXPECT_EQ(sent.find("Content-Length"), std::string::npos) << sent;
}

// Issue 11 defect 2, upstream: a per-call key, a configured header or a model in the path cannot
// add a header to the provider's request or end its head.
TEST_F(UpstreamExchangeTest, ControlCharactersCannotInjectIntoTheRequestHead) {
  server_.AddScript(FakeHttpServer::RespondToEach(OkResponse("{}")));
  UpstreamRequest request = ChatRequest();
  request.target = "/v1beta/models/m\r\nX-Injected: 1 HTTP/1.1:generateContent";
  request.headers = {{"Authorization", "Bearer sk-test\r\nX-Injected: 1"},
                     {"X-Bad\r\nX-Injected", "1"},
                     {"X-Title", "my\r\n\r\nGET / HTTP/1.1"}};
  const Outcome outcome = Exchange(request);
  ASSERT_FALSE(outcome.error.has_value()) << outcome.error->message;
  ASSERT_EQ(server_.requests().size(), 1u);
  const std::string& sent = server_.requests()[0].second;
  EXPECT_TRUE(sent.starts_with(
      "POST /v1beta/models/m%0D%0AX-Injected:%201%20HTTP/1.1:generateContent HTTP/1.1\r\n"))
      << sent;
  EXPECT_EQ(sent.find("\r\nX-Injected"), std::string::npos) << sent;
  EXPECT_NE(sent.find("\r\nAuthorization: Bearer sk-testX-Injected: 1\r\n"), std::string::npos)
      << sent;
  EXPECT_NE(sent.find("\r\nX-Title: myGET / HTTP/1.1\r\n"), std::string::npos) << sent;
  EXPECT_EQ(sent.find("\r\n\r\n"), sent.find("\r\n\r\n{")) << sent;  // one head
}

}  // namespace
}  // namespace switchyard::http
