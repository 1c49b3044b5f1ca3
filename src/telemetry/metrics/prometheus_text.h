// PrometheusText: a writer of the Prometheus text exposition format 0.0.4, the body of GET /metrics
// (Content-Type: text/plain; version=0.0.4). It writes each family's HELP and TYPE once, before its
// first sample, escapes label values and HELP text, names counters *_total and renders histograms
// as cumulative _bucket{le} lines ending in +Inf, then _sum and _count, as `promtool check metrics`
// expects. Names are the caller's constants: they are checked in debug builds only.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <set>
#include <span>
#include <string>
#include <string_view>

namespace switchyard::telemetry::metrics {

struct Label {
  std::string_view name;
  std::string_view value;
};

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool IsValidMetricName(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*, and not starting with "__" (reserved for Prometheus itself).
bool IsValidLabelName(std::string_view name);
// A label value in the exposition: backslash, double quote and newline escaped.
std::string EscapeLabelValue(std::string_view value);
// HELP text: backslash and newline escaped (quotes are legal there).
std::string EscapeHelp(std::string_view help);
// A sample value: integers (to 2^53) as integers, others in the shortest form that reads back the
// same, NaN and infinities as Prometheus spells them (NaN, +Inf, -Inf).
std::string FormatValue(double value);

class PrometheusText {
 public:
  using Labels = std::initializer_list<Label>;

  // A sample of counter `name`_total. Call once per series, a family's series one after another.
  void Counter(std::string_view name, std::string_view help, std::span<const Label> labels,
               std::uint64_t value);
  void Gauge(std::string_view name, std::string_view help, std::span<const Label> labels,
             double value);
  // `buckets` holds one count per bound plus the one above every bound, not cumulative;
  // `sum` must not be NaN (the histograms' values are durations).
  void Histogram(std::string_view name, std::string_view help, std::span<const Label> labels,
                 std::span<const double> bounds, std::span<const std::uint64_t> buckets,
                 double sum);

  // The same with literal labels: Counter("x", "...", {{"route", "chat"}}, 1).
  void Counter(std::string_view name, std::string_view help, Labels labels, std::uint64_t value) {
    Counter(name, help, AsSpan(labels), value);
  }
  void Gauge(std::string_view name, std::string_view help, Labels labels, double value) {
    Gauge(name, help, AsSpan(labels), value);
  }
  void Histogram(std::string_view name, std::string_view help, Labels labels,
                 std::span<const double> bounds, std::span<const std::uint64_t> buckets,
                 double sum) {
    Histogram(name, help, AsSpan(labels), bounds, buckets, sum);
  }

  const std::string& text() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  static std::span<const Label> AsSpan(Labels labels) { return {labels.begin(), labels.size()}; }
  // HELP and TYPE of `name` unless written already.
  void Family(std::string_view name, std::string_view help, std::string_view type);
  // name{labels[,extra]} value\n
  void Sample(std::string_view name, std::span<const Label> labels, const Label* extra,
              std::string_view value);

  std::string out_;
  std::set<std::string, std::less<>> families_;
};

}  // namespace switchyard::telemetry::metrics
