// The per-call decision: headers over the route's `cache:` over the gateway's `cache:`.
#include "cache/cache_policy.h"

#include <gtest/gtest.h>

namespace switchyard::cache {
namespace {

config::CacheConfig Gateway(std::string embedding_model = {}) {
  config::CacheConfig gateway;
  gateway.ttl_s = 3600;
  gateway.semantic.embedding_model = std::move(embedding_model);
  return gateway;
}

TEST(CachePolicyTest, OffUnlessTheCallOrItsRouteOptsIn) {
  auto none = DecideCachePolicy({}, nullptr, Gateway());
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  config::RouteCacheConfig off;
  EXPECT_FALSE(*DecideCachePolicy({}, &off, Gateway()));
  config::RouteCacheConfig route;
  route.mode = config::CacheMode::kExact;
  route.ttl_s = 60;
  auto routed = DecideCachePolicy({}, &route, Gateway());
  ASSERT_TRUE(routed && *routed);
  EXPECT_TRUE((*routed)->read);
  EXPECT_EQ((*routed)->ttl, std::chrono::seconds(60));
  // The call's own "off" wins over its route.
  EXPECT_FALSE(*DecideCachePolicy({"off", "", ""}, &route, Gateway()));
}

TEST(CachePolicyTest, HeaderModes) {
  auto on = DecideCachePolicy({"on", "", ""}, nullptr, Gateway());
  ASSERT_TRUE(on && *on);
  EXPECT_TRUE((*on)->read);
  EXPECT_FALSE((*on)->semantic);
  EXPECT_EQ((*on)->ttl, std::chrono::seconds(3600));
  auto refresh = DecideCachePolicy({"refresh", "", ""}, nullptr, Gateway());
  ASSERT_TRUE(refresh && *refresh);
  EXPECT_FALSE((*refresh)->read);
  EXPECT_TRUE((*refresh)->refresh);
  // semantic without an embedding model: exact only.
  auto exact_only = DecideCachePolicy({"semantic", "", ""}, nullptr, Gateway());
  EXPECT_FALSE((*exact_only)->semantic);
  auto semantic = DecideCachePolicy({"semantic", "", "0.8"}, nullptr, Gateway("openai/emb"));
  ASSERT_TRUE(semantic && *semantic);
  EXPECT_TRUE((*semantic)->semantic);
  EXPECT_DOUBLE_EQ((*semantic)->threshold, 0.8);
}

TEST(CachePolicyTest, TtlHeaderOverridesTheRoute) {
  config::RouteCacheConfig route;
  route.mode = config::CacheMode::kExact;
  route.ttl_s = 60;
  auto policy = DecideCachePolicy({"", "5", ""}, &route, Gateway());
  ASSERT_TRUE(policy && *policy);
  EXPECT_EQ((*policy)->ttl, std::chrono::seconds(5));
}

TEST(CachePolicyTest, BadHeadersAreA400NamingThem) {
  auto mode = DecideCachePolicy({"yes", "", ""}, nullptr, Gateway());
  ASSERT_FALSE(mode);
  EXPECT_EQ(mode.error().http_status, 400);
  EXPECT_NE(mode.error().message.find("x-switchyard-cache"), std::string::npos);
  for (std::string_view ttl : {"0", "-1", "abc", "99999999999", "1.5"}) {
    auto bad = DecideCachePolicy({"on", ttl, ""}, nullptr, Gateway());
    ASSERT_FALSE(bad) << ttl;
    EXPECT_NE(bad.error().message.find("x-switchyard-cache-ttl"), std::string::npos);
  }
  auto threshold = DecideCachePolicy({"semantic", "", "2"}, nullptr, Gateway("openai/emb"));
  ASSERT_FALSE(threshold);
  EXPECT_NE(threshold.error().message.find("x-switchyard-cache-threshold"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::cache
