#include "telemetry/metrics/prometheus_text.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "telemetry/metrics/buckets.h"
#include "telemetry/metrics/label_cap.h"
#include "telemetry/metrics/sharded_histogram.h"

namespace switchyard::telemetry::metrics {
namespace {

constexpr const char* kPromtool = "/usr/bin/promtool";

TEST(PrometheusTextTest, EscapesLabelValuesAndHelp) {
  EXPECT_EQ(EscapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(EscapeHelp("say \"hi\"\\\n"), "say \"hi\"\\\\\\n");
}

TEST(PrometheusTextTest, FormatsIntegersAsIntegers) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(42), "42");
  EXPECT_EQ(FormatValue(-7), "-7");
  EXPECT_EQ(FormatValue(0.01), "0.01");
  EXPECT_EQ(FormatValue(81.92), "81.92");
  EXPECT_EQ(FormatValue(1e300), "1e+300");
  EXPECT_EQ(FormatValue(std::nan("")), "NaN");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
}

TEST(PrometheusTextTest, ChecksNames) {
  EXPECT_TRUE(IsValidMetricName("switchyard:requests_total"));
  EXPECT_FALSE(IsValidMetricName("2xx"));
  EXPECT_FALSE(IsValidMetricName("a-b"));
  EXPECT_TRUE(IsValidLabelName("status_class"));
  EXPECT_FALSE(IsValidLabelName("__name__"));
  EXPECT_FALSE(IsValidLabelName("a:b"));
}

TEST(PrometheusTextTest, WritesHelpAndTypeOncePerCounterFamily) {
  PrometheusText text;
  text.Counter("switchyard_calls", "Calls.", {{"route", "chat"}}, 3);
  text.Counter("switchyard_calls", "Calls.", {{"route", "a\"b"}}, 1);
  text.Gauge("switchyard_open_streams", "Open streams.", {}, 2);
  EXPECT_EQ(text.text(),
            "# HELP switchyard_calls_total Calls.\n"
            "# TYPE switchyard_calls_total counter\n"
            "switchyard_calls_total{route=\"chat\"} 3\n"
            "switchyard_calls_total{route=\"a\\\"b\"} 1\n"
            "# HELP switchyard_open_streams Open streams.\n"
            "# TYPE switchyard_open_streams gauge\n"
            "switchyard_open_streams 2\n");
}

TEST(PrometheusTextTest, WritesHistogramsCumulativeWithInfSumAndCount) {
  PrometheusText text;
  const std::array<double, 2> bounds = {0.5, 1.0};
  const std::array<std::uint64_t, 3> buckets = {2, 0, 1};
  text.Histogram("switchyard_duration_seconds", "Duration.", {{"provider", "openai"}}, bounds,
                 buckets, 4.25);
  EXPECT_EQ(text.text(),
            "# HELP switchyard_duration_seconds Duration.\n"
            "# TYPE switchyard_duration_seconds histogram\n"
            "switchyard_duration_seconds_bucket{provider=\"openai\",le=\"0.5\"} 2\n"
            "switchyard_duration_seconds_bucket{provider=\"openai\",le=\"1\"} 2\n"
            "switchyard_duration_seconds_bucket{provider=\"openai\",le=\"+Inf\"} 3\n"
            "switchyard_duration_seconds_sum{provider=\"openai\"} 4.25\n"
            "switchyard_duration_seconds_count{provider=\"openai\"} 3\n");
}

// What a scrape will look like: merged shards rendered with names from the label caps.
std::string RenderSample() {
  LabelCap providers({"openai", "anthropic"}, 0);
  LabelCap models({}, 1);
  ShardedHistogram duration(kDurationBucketsSeconds, 2, 16);
  duration.Observe(0, PackKey<2>({providers.Intern("openai"), models.Intern("gpt-4o")}),
                   std::chrono::milliseconds(250));
  duration.Observe(1, PackKey<2>({providers.Intern("anthropic"), models.Intern("weird\"\n\\")}),
                   std::chrono::seconds(100));
  PrometheusText text;
  for (const auto& [key, counts] : duration.Merge()) {
    const std::array<Label, 2> labels = {Label{"provider", providers.Name(KeyLabel(key, 0))},
                                         Label{"model", models.Name(KeyLabel(key, 1))}};
    text.Histogram("switchyard_request_duration_seconds", "Duration of calls, in seconds.", labels,
                   duration.bounds(), counts.buckets, counts.sum_seconds());
  }
  text.Counter("switchyard_calls", "Calls by \"route\".", {{"route", "a\\b\nc\"d"}}, 7);
  text.Gauge("switchyard_ledger_queued", "Calls waiting.", {}, 0.5);
  return text.Take();
}

TEST(PrometheusTextTest, RenderedTextPassesPromtool) {
  if (!std::filesystem::exists(kPromtool)) GTEST_SKIP() << kPromtool << " is absent";
  const std::filesystem::path dir = std::filesystem::temp_directory_path();
  const std::filesystem::path input = dir / fmt::format("switchyard_metrics_{}.txt", getpid());
  const std::filesystem::path output = dir / fmt::format("switchyard_promtool_{}.txt", getpid());
  std::ofstream(input) << RenderSample();
  const std::string command =
      fmt::format("{} check metrics < {} > {} 2>&1", kPromtool, input.string(), output.string());
  const int status = std::system(command.c_str());
  std::stringstream said;
  said << std::ifstream(output).rdbuf();
  EXPECT_EQ(status, 0) << said.str() << "\n" << RenderSample();
  std::filesystem::remove(input);
  std::filesystem::remove(output);
}

}  // namespace
}  // namespace switchyard::telemetry::metrics
