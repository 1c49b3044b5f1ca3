#include "http/server/http_response.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::http {
namespace {

TEST(FormatResponseHeadTest, ContentLengthBodyKeepAlive) {
  const HeaderList headers = {{"Content-Type", "application/json"}, {"x-request-id", "r1"}};
  EXPECT_EQ(FormatResponseHead(200, headers, 42, /*keep_alive=*/true),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/json\r\n"
            "x-request-id: r1\r\n"
            "Content-Length: 42\r\n"
            "\r\n");
}

// An empty body is still framed: a 200 with nothing in it says Content-Length: 0.
TEST(FormatResponseHeadTest, ZeroLengthBodyStillSendsContentLength) {
  EXPECT_EQ(FormatResponseHead(200, {}, 0, true),
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
}

// RFC 9110 (8.6, 15.3.5) and RFC 9112 (6.3): a 204, a 304 and a 1xx have no body, and a 204 or 1xx
// must not carry Content-Length (nor Transfer-Encoding); whatever length the caller passes.
TEST(FormatResponseHeadTest, BodilessStatusesHaveNoFraming) {
  for (int status : {204, 304, 100}) {
    for (long long length : {0LL, 5LL, -1LL}) {
      const std::string head = FormatResponseHead(status, {{"x-a", "1"}}, length, true);
      EXPECT_EQ(head.find("Content-Length"), std::string::npos) << status << " " << length;
      EXPECT_EQ(head.find("Transfer-Encoding"), std::string::npos) << status << " " << length;
      EXPECT_TRUE(head.ends_with("x-a: 1\r\n\r\n")) << head;
    }
  }
  EXPECT_EQ(FormatResponseHead(204, {}, 0, true), "HTTP/1.1 204 No Content\r\n\r\n");
  EXPECT_EQ(FormatResponseHead(204, {}, 0, false),
            "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
}

TEST(FormatResponseHeadTest, NegativeLengthMeansChunked) {
  const std::string head =
      FormatResponseHead(200, {{"Content-Type", "text/event-stream"}}, -1, true);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: text/event-stream\r\n"
            "Transfer-Encoding: chunked\r\n"
            "\r\n");
  EXPECT_EQ(head.find("Content-Length"), std::string::npos);
}

TEST(FormatResponseHeadTest, ConnectionCloseWhenNotKeepAlive) {
  EXPECT_EQ(FormatResponseHead(503, {}, 5, /*keep_alive=*/false),
            "HTTP/1.1 503 Service Unavailable\r\n"
            "Content-Length: 5\r\n"
            "Connection: close\r\n"
            "\r\n");
  EXPECT_EQ(FormatResponseHead(200, {}, -1, /*keep_alive=*/false),
            "HTTP/1.1 200 OK\r\n"
            "Transfer-Encoding: chunked\r\n"
            "Connection: close\r\n"
            "\r\n");
}

TEST(FormatResponseHeadTest, KeepAliveHasNoConnectionHeader) {
  EXPECT_EQ(FormatResponseHead(200, {}, 1, true).find("Connection"), std::string::npos);
}

TEST(FormatResponseHeadTest, UnknownStatusGetsUnknownReason) {
  EXPECT_TRUE(FormatResponseHead(599, {}, 0, true).starts_with("HTTP/1.1 599 Unknown\r\n"));
  EXPECT_EQ(ReasonPhrase(429), "Too Many Requests");
  EXPECT_EQ(ReasonPhrase(404), "Not Found");
  EXPECT_EQ(ReasonPhrase(1), "Unknown");
}

TEST(ChunkPrefixTest, SizeInLowercaseHexWithCrlf) {
  EXPECT_EQ(ChunkPrefix(0), "0\r\n");
  EXPECT_EQ(ChunkPrefix(5), "5\r\n");
  EXPECT_EQ(ChunkPrefix(10), "a\r\n");
  EXPECT_EQ(ChunkPrefix(255), "ff\r\n");
  EXPECT_EQ(ChunkPrefix(4096), "1000\r\n");
  EXPECT_EQ(ChunkPrefix(0x1abcdef), "1abcdef\r\n");
}

TEST(ChunkPrefixTest, FramesAWholeChunkedBody) {
  const std::string body = ChunkPrefix(5) + "hello" + std::string(kChunkSuffix) + ChunkPrefix(11) +
                           "hello world" + std::string(kChunkSuffix) + std::string(kLastChunk);
  EXPECT_EQ(body, "5\r\nhello\r\nb\r\nhello world\r\n0\r\n\r\n");
}

// Issue 11 defect 2: a value from a client (a model name, a body field's name) or a provider must
// not end its field or the head: no second header, no second response.
TEST(FormatResponseHeadTest, ControlCharactersInAValueCannotInjectAHeader) {
  const HeaderList headers = {{"x-switchyard-model", "openai/gpt-4o-mini\r\nX-Injected: 1"},
                              {"x-switchyard-dropped-params", "a\r\n\r\nHTTP/1.1 200 OK\r\n"},
                              {"x-nul", std::string("a\0b\nc", 5)}};
  EXPECT_EQ(FormatResponseHead(200, headers, 0, true),
            "HTTP/1.1 200 OK\r\n"
            "x-switchyard-model: openai/gpt-4o-miniX-Injected: 1\r\n"
            "x-switchyard-dropped-params: aHTTP/1.1 200 OK\r\n"
            "x-nul: abc\r\n"
            "Content-Length: 0\r\n"
            "\r\n");
}

TEST(FormatResponseHeadTest, AHeaderWhoseNameIsNotATokenIsLeftOut) {
  const HeaderList headers = {{"x-ok", "1"}, {"x-bad\r\nX-Injected", "1"}, {"x bad", "1"},
                              {"", "1"}, {"x-bad:", "1"}};
  EXPECT_EQ(FormatResponseHead(200, headers, 0, true),
            "HTTP/1.1 200 OK\r\nx-ok: 1\r\nContent-Length: 0\r\n\r\n");
}

}  // namespace
}  // namespace switchyard::http
