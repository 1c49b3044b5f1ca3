#include "gateway/auth.h"

#include <gtest/gtest.h>

#include "config/config.h"
#include "governance/governor.h"
#include "governance/memory_counter_store.h"

#include <string>
#include <vector>

namespace switchyard::gateway {
namespace {

constexpr std::string_view kKeyA = "sk-gw-team-a-7f3a9c";
constexpr std::string_view kKeyB = "sk-gw-team-b-11d0e2";

std::vector<config::GatewayKey> TwoKeys() {
  return {config::GatewayKey{Secret(std::string(kKeyA)), "team-a", {}},
          config::GatewayKey{Secret(std::string(kKeyB)), "team-b", {}}};
}

// `prefix` + `key` + `suffix`, built out of line (GCC 12 reports a false -Warray-bounds when the
// concatenation is inlined into a braced header list).
[[gnu::noinline]] std::string Cat(std::string_view prefix, std::string_view key,
                                  std::string_view suffix = "") {
  std::string out(prefix);
  out.append(key).append(suffix);
  return out;
}

// The key's name as the governance authenticates what the request presents.
Result<std::string> Authenticate(const http::IncomingRequest& request,
                                 std::vector<config::GatewayKey> keys) {
  config::Config config;
  config.keys = std::move(keys);
  governance::KeyRegistry registry(config, nullptr);
  governance::MemoryCounterStore counters;
  governance::Governor governor(config, registry, counters);
  auto key = governor.Authenticate(PresentedKey(request));
  if (!key) return key.error();
  return (*key)->name;
}

http::IncomingRequest RequestWith(std::vector<std::pair<std::string, std::string>> headers) {
  http::IncomingRequest request;
  request.message.method(boost::beast::http::verb::post);
  request.message.target("/v1/chat/completions");
  for (const auto& [name, value] : headers) request.message.set(name, value);
  return request;
}

TEST(AuthenticateTest, NoKeysConfiguredIsAnonymous) {
  Result<std::string> name = Authenticate(RequestWith({}), {});
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(*name, "anonymous");
  // Whatever the client sends.
  Result<std::string> with_key =
      Authenticate(RequestWith({{"Authorization", "Bearer whatever"}}), {});
  ASSERT_TRUE(with_key.ok());
  EXPECT_EQ(*with_key, "anonymous");
}

TEST(AuthenticateTest, BearerKey) {
  Result<std::string> name =
      Authenticate(RequestWith({{"Authorization", Cat("Bearer ", kKeyB)}}), TwoKeys());
  ASSERT_TRUE(name.ok()) << name.error().message;
  EXPECT_EQ(*name, "team-b");
}

TEST(AuthenticateTest, BearerSchemeLowercaseAndPadding) {
  Result<std::string> name =
      Authenticate(RequestWith({{"authorization", Cat("  bearer   ", kKeyA, "  ")}}), TwoKeys());
  ASSERT_TRUE(name.ok()) << name.error().message;
  EXPECT_EQ(*name, "team-a");
}

TEST(AuthenticateTest, BearerSchemeIsCaseInsensitive) {
  Result<std::string> name =
      Authenticate(RequestWith({{"Authorization", Cat("BEARER ", kKeyA)}}), TwoKeys());
  ASSERT_TRUE(name.ok()) << name.error().message;
  EXPECT_EQ(*name, "team-a");
}

TEST(AuthenticateTest, XApiKey) {
  Result<std::string> name =
      Authenticate(RequestWith({{"x-api-key", std::string(kKeyA)}}), TwoKeys());
  ASSERT_TRUE(name.ok()) << name.error().message;
  EXPECT_EQ(*name, "team-a");
}

TEST(AuthenticateTest, XApiKeyHeaderNameIsCaseInsensitive) {
  Result<std::string> name =
      Authenticate(RequestWith({{"X-Api-Key", std::string(kKeyB)}}), TwoKeys());
  ASSERT_TRUE(name.ok()) << name.error().message;
  EXPECT_EQ(*name, "team-b");
}

TEST(AuthenticateTest, WrongKeyIsUnauthorizedWithoutEchoingIt) {
  const std::string wrong = "sk-gw-WRONG-5eb8a0";
  for (auto headers :
       {std::vector<std::pair<std::string, std::string>>{{"Authorization", Cat("Bearer ", wrong)}},
        std::vector<std::pair<std::string, std::string>>{{"x-api-key", wrong}}}) {
    Result<std::string> name = Authenticate(RequestWith(headers), TwoKeys());
    ASSERT_FALSE(name.ok());
    EXPECT_EQ(name.error().kind, ErrorKind::kUnauthorized);
    EXPECT_EQ(name.error().http_status, 401);
    EXPECT_EQ(name.error().message.find(wrong), std::string::npos) << name.error().message;
    EXPECT_EQ(name.error().message.find("WRONG"), std::string::npos) << name.error().message;
    EXPECT_EQ(name.error().message.find(kKeyA), std::string::npos);
    EXPECT_EQ(name.error().message.find(kKeyB), std::string::npos);
  }
}

TEST(AuthenticateTest, PrefixOfAKeyIsNotTheKey) {
  Result<std::string> name =
      Authenticate(RequestWith({{"x-api-key", std::string(kKeyA.substr(0, 10))}}), TwoKeys());
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.error().kind, ErrorKind::kUnauthorized);
  Result<std::string> longer =
      Authenticate(RequestWith({{"x-api-key", Cat("", kKeyA, "x")}}), TwoKeys());
  ASSERT_FALSE(longer.ok());
}

TEST(AuthenticateTest, MissingKeyIsUnauthorizedAndSaysHowToSendOne) {
  Result<std::string> name = Authenticate(RequestWith({}), TwoKeys());
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.error().kind, ErrorKind::kUnauthorized);
  EXPECT_NE(name.error().message.find("missing"), std::string::npos) << name.error().message;
}

TEST(AuthenticateTest, AuthorizationWithoutBearerSchemeIsMissing) {
  for (const char* value :
       {"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer    ", kKeyA.data()}) {
    Result<std::string> name = Authenticate(RequestWith({{"Authorization", value}}), TwoKeys());
    ASSERT_FALSE(name.ok()) << value;
    EXPECT_EQ(name.error().kind, ErrorKind::kUnauthorized) << value;
  }
}

TEST(AuthenticateTest, EmptyXApiKeyFallsBackToAuthorization) {
  Result<std::string> name = Authenticate(
      RequestWith({{"x-api-key", ""}, {"Authorization", Cat("Bearer ", kKeyB)}}), TwoKeys());
  ASSERT_TRUE(name.ok()) << name.error().message;
  EXPECT_EQ(*name, "team-b");
}

}  // namespace
}  // namespace switchyard::gateway
