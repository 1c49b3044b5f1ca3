#include "cache/cache_policy.h"

#include <fmt/format.h>

#include <charconv>

namespace switchyard::cache {
namespace {

Error BadHeader(std::string_view header, std::string_view value, std::string_view expected) {
  return Error::InvalidRequest(
      fmt::format("{}: '{}' is not {}", header, value.substr(0, 100), expected),
      std::string(header));
}

// The mode a call runs in: the header's, else the route's. nullopt: off.
Result<std::optional<config::CacheMode>> ModeOf(std::string_view header,
                                                const config::RouteCacheConfig* route,
                                                bool* refresh) {
  if (header.empty()) {
    if (route == nullptr || route->mode == config::CacheMode::kOff) {
      return std::optional<config::CacheMode>();
    }
    return std::optional(route->mode);
  }
  if (header == "off") return std::optional<config::CacheMode>();
  if (header == "on") return std::optional(config::CacheMode::kExact);
  if (header == "semantic") return std::optional(config::CacheMode::kSemantic);
  if (header == "refresh") {
    *refresh = true;
    return std::optional(config::CacheMode::kExact);
  }
  return BadHeader(kCacheHeader, header, "one of on, off, refresh, semantic");
}

}  // namespace

Result<std::optional<CachePolicy>> DecideCachePolicy(const CacheHeaders& headers,
                                                     const config::RouteCacheConfig* route,
                                                     const config::CacheConfig& gateway) {
  CachePolicy policy;
  auto mode = ModeOf(headers.mode, route, &policy.refresh);
  if (!mode) return std::move(mode).error();
  if (!*mode) return std::optional<CachePolicy>();
  policy.read = !policy.refresh;
  policy.semantic = **mode == config::CacheMode::kSemantic &&
                    !gateway.semantic.embedding_model.empty();
  policy.ttl = std::chrono::seconds(route && route->ttl_s ? *route->ttl_s : gateway.ttl_s);
  policy.threshold = route && route->threshold ? *route->threshold : gateway.semantic.threshold;
  policy.scope = route && route->scope ? *route->scope : gateway.scope;
  policy.tools = route != nullptr && route->tools;
  if (!headers.ttl.empty()) {
    std::int64_t seconds = 0;
    const char* end = headers.ttl.data() + headers.ttl.size();
    const auto [ptr, ec] = std::from_chars(headers.ttl.data(), end, seconds);
    if (ec != std::errc() || ptr != end || seconds < 1 || seconds > config::kMaxCacheTtlSeconds) {
      return BadHeader(kCacheTtlHeader, headers.ttl,
                       fmt::format("a number of seconds from 1 to {}",
                                   config::kMaxCacheTtlSeconds));
    }
    policy.ttl = std::chrono::seconds(seconds);
  }
  if (!headers.threshold.empty()) {
    std::optional<double> threshold = config::ParseSimilarityThreshold(headers.threshold);
    if (!threshold) {
      return BadHeader(kCacheThresholdHeader, headers.threshold, "a number from 0 to 1");
    }
    policy.threshold = *threshold;
  }
  return std::optional(policy);
}

}  // namespace switchyard::cache
