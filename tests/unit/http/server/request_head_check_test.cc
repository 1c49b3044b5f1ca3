#include "http/server/request_head_check.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::http {
namespace {

namespace bhttp = boost::beast::http;

RequestHead Head(std::initializer_list<std::pair<std::string, std::string>> fields,
                 unsigned version = 11) {
  RequestHead head;
  head.method(bhttp::verb::post);
  head.target("/v1/chat/completions");
  head.version(version);
  for (const auto& [name, value] : fields) head.insert(name, value);
  return head;
}

TEST(RequestHeadCheckTest, AcceptsOneValidHost) {
  for (const char* host : {"127.0.0.1", "127.0.0.1:8080", "gateway.example.com", "[::1]:8080",
                           "my-host_1.internal", ""}) {
    EXPECT_TRUE(CheckRequestHead(Head({{"Host", host}})).ok()) << host;
  }
}

// RFC 9112 §3.2: a request with more than one Host, or an invalid one, gets 400 — which host was
// meant would be a guess, and a proxy behind the gateway might guess otherwise.
TEST(RequestHeadCheckTest, RefusesTwoHostHeaders) {
  const Status status = CheckRequestHead(Head({{"Host", "a.example"}, {"Host", "b.example"}}));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().http_status, 400);
  EXPECT_NE(status.error().message.find("at most one Host"), std::string::npos);
  EXPECT_FALSE(CheckRequestHead(Head({{"Host", "a.example"}, {"host", "a.example"}})).ok());
}

TEST(RequestHeadCheckTest, RefusesAHostThatIsNotHostPort) {
  for (const char* host : {"a b", "a\tb", "a/b", "a@b", "a\"b", "a\\b", "a{b}", "h\x7f"}) {
    const Status status = CheckRequestHead(Head({{"Host", host}}));
    ASSERT_FALSE(status.ok()) << host;
    EXPECT_EQ(status.error().http_status, 400) << host;
  }
}

TEST(RequestHeadCheckTest, HostIsRequiredOnlyFromHttp11) {
  EXPECT_FALSE(CheckRequestHead(Head({})).ok());
  EXPECT_TRUE(CheckRequestHead(Head({}, /*version=*/10)).ok());
  EXPECT_FALSE(CheckRequestHead(Head({{"Host", "a"}, {"Host", "b"}}, /*version=*/10)).ok());
}

TEST(RequestHeadCheckTest, TransferEncodingMustBeChunkedAlone) {
  EXPECT_TRUE(CheckRequestHead(Head({{"Host", "h"}, {"Transfer-Encoding", "chunked"}})).ok());
  EXPECT_FALSE(CheckRequestHead(Head({{"Host", "h"}, {"Transfer-Encoding", "gzip, chunked"}})).ok());
  EXPECT_FALSE(CheckRequestHead(Head({{"Host", "h"}, {"Transfer-Encoding", "identity"}})).ok());
}

}  // namespace
}  // namespace switchyard::http
