#include "http/client/upstream_endpoint.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::http {
namespace {

UpstreamEndpoint ParseOk(std::string_view url) {
  Result<UpstreamEndpoint> endpoint = ParseUpstreamEndpoint(url);
  EXPECT_TRUE(endpoint.ok()) << url << ": " << (endpoint.ok() ? "" : endpoint.error().message);
  return endpoint.ok() ? *endpoint : UpstreamEndpoint{};
}

Error ParseFails(std::string_view url) {
  Result<UpstreamEndpoint> endpoint = ParseUpstreamEndpoint(url);
  EXPECT_FALSE(endpoint.ok()) << url << " parsed as host " << (endpoint.ok() ? endpoint->host : "");
  return endpoint.ok() ? Error{} : endpoint.error();
}

TEST(ParseUpstreamEndpointTest, HttpsWithDefaultPort) {
  const UpstreamEndpoint endpoint = ParseOk("https://api.openai.com/v1");
  EXPECT_TRUE(endpoint.tls);
  EXPECT_EQ(endpoint.host, "api.openai.com");
  EXPECT_EQ(endpoint.port, 443);
  EXPECT_EQ(endpoint.base_path, "/v1");
  EXPECT_EQ(endpoint.pool_key, "https://api.openai.com:443");
  EXPECT_EQ(endpoint.HostHeader(), "api.openai.com");
  EXPECT_EQ(endpoint.Target("/chat/completions"), "/v1/chat/completions");
}

TEST(ParseUpstreamEndpointTest, HttpWithDefaultPortAndNoPath) {
  const UpstreamEndpoint endpoint = ParseOk("http://localhost");
  EXPECT_FALSE(endpoint.tls);
  EXPECT_EQ(endpoint.host, "localhost");
  EXPECT_EQ(endpoint.port, 80);
  EXPECT_EQ(endpoint.base_path, "");
  EXPECT_EQ(endpoint.pool_key, "http://localhost:80");
  EXPECT_EQ(endpoint.HostHeader(), "localhost");
  EXPECT_EQ(endpoint.Target("/embeddings"), "/embeddings");
}

TEST(ParseUpstreamEndpointTest, ExplicitPortIsKeptAndNamedInHostHeader) {
  const UpstreamEndpoint endpoint = ParseOk("http://127.0.0.1:11434/v1");
  EXPECT_FALSE(endpoint.tls);
  EXPECT_EQ(endpoint.host, "127.0.0.1");
  EXPECT_EQ(endpoint.port, 11434);
  EXPECT_EQ(endpoint.pool_key, "http://127.0.0.1:11434");
  EXPECT_EQ(endpoint.HostHeader(), "127.0.0.1:11434");

  const UpstreamEndpoint tls = ParseOk("https://llm.internal:8443/openai/v1");
  EXPECT_TRUE(tls.tls);
  EXPECT_EQ(tls.port, 8443);
  EXPECT_EQ(tls.base_path, "/openai/v1");
  EXPECT_EQ(tls.HostHeader(), "llm.internal:8443");
}

TEST(ParseUpstreamEndpointTest, DefaultPortOfTheOtherSchemeIsNamed) {
  EXPECT_EQ(ParseOk("http://h:443").HostHeader(), "h:443");
  EXPECT_EQ(ParseOk("https://h:80").HostHeader(), "h:80");
  // Writing the scheme's own default port explicitly leaves it out of the Host header.
  EXPECT_EQ(ParseOk("https://h:443/v1").HostHeader(), "h");
  EXPECT_EQ(ParseOk("http://h:80/v1").HostHeader(), "h");
}

TEST(ParseUpstreamEndpointTest, TrailingSlashesAreDroppedFromBasePath) {
  EXPECT_EQ(ParseOk("https://api.groq.com/openai/v1/").base_path, "/openai/v1");
  EXPECT_EQ(ParseOk("https://api.groq.com/openai/v1//").base_path, "/openai/v1");
  EXPECT_EQ(ParseOk("http://localhost:8000/").base_path, "");
  EXPECT_EQ(ParseOk("http://localhost:8000/v1/").Target("/chat/completions"),
            "/v1/chat/completions");
}

TEST(ParseUpstreamEndpointTest, Ipv6LiteralWithPort) {
  const UpstreamEndpoint endpoint = ParseOk("http://[::1]:8080/v1");
  EXPECT_FALSE(endpoint.tls);
  EXPECT_EQ(endpoint.host, "::1");  // no brackets: this is what the resolver takes
  EXPECT_EQ(endpoint.port, 8080);
  EXPECT_EQ(endpoint.base_path, "/v1");
  EXPECT_EQ(endpoint.HostHeader(), "[::1]:8080");
}

TEST(ParseUpstreamEndpointTest, Ipv6LiteralWithDefaultPort) {
  const UpstreamEndpoint endpoint = ParseOk("https://[2001:db8::1]/v1");
  EXPECT_EQ(endpoint.host, "2001:db8::1");
  EXPECT_EQ(endpoint.port, 443);
  EXPECT_EQ(endpoint.HostHeader(), "[2001:db8::1]");
}

TEST(ParseUpstreamEndpointTest, RejectsOtherSchemes) {
  for (const char* url : {"ftp://example.com/v1", "ws://example.com", "file:///etc/passwd"}) {
    const Error error = ParseFails(url);
    EXPECT_EQ(error.kind, ErrorKind::kConfig) << url;
    EXPECT_NE(error.message.find("http"), std::string::npos) << error.message;
  }
}

TEST(ParseUpstreamEndpointTest, RejectsRelativeUrls) {
  EXPECT_EQ(ParseFails("api.openai.com/v1").kind, ErrorKind::kConfig);
  EXPECT_EQ(ParseFails("/v1/chat").kind, ErrorKind::kConfig);
  EXPECT_EQ(ParseFails("").kind, ErrorKind::kConfig);
}

TEST(ParseUpstreamEndpointTest, RejectsMissingHost) {
  for (const char* url : {"http://", "http:///v1", "https://:8080/v1", "http:/v1"}) {
    const Error error = ParseFails(url);
    EXPECT_EQ(error.kind, ErrorKind::kConfig) << url;
  }
  EXPECT_NE(ParseFails("http:///v1").message.find("no host"), std::string::npos);
}

TEST(ParseUpstreamEndpointTest, RejectsBadPorts) {
  EXPECT_EQ(ParseFails("http://h:0/v1").kind, ErrorKind::kConfig);
  EXPECT_EQ(ParseFails("http://h:70000/v1").kind, ErrorKind::kConfig);
}

TEST(ParseUpstreamEndpointTest, ErrorsNeverQuoteTheQueryString) {
  const Error error = ParseFails("ftp://example.com/v1?key=sk-secret-123");
  EXPECT_EQ(error.message.find("sk-secret-123"), std::string::npos) << error.message;
  const Error no_host = ParseFails("http:///v1?key=sk-secret-456");
  EXPECT_EQ(no_host.message.find("sk-secret-456"), std::string::npos) << no_host.message;
}

}  // namespace
}  // namespace switchyard::http
