#include "telemetry/metrics/prometheus_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <iterator>

namespace switchyard::telemetry::metrics {
namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// Backslash and newline always; the double quote too inside a label value.
std::string Escape(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

bool IsValidMetricName(std::string_view name) {
  if (name.empty() || !(IsNameStart(name[0]) || name[0] == ':')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return IsNameChar(c) || c == ':'; });
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty() || !IsNameStart(name[0]) || name.starts_with("__")) return false;
  return std::all_of(name.begin(), name.end(), IsNameChar);
}

std::string EscapeLabelValue(std::string_view value) { return Escape(value, true); }
std::string EscapeHelp(std::string_view help) { return Escape(help, false); }

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Exact integers print without a fraction or exponent: counts read as counts.
  if (value == std::trunc(value) && std::fabs(value) <= 9007199254740992.0) {
    return fmt::format("{}", static_cast<std::int64_t>(value));
  }
  return fmt::format("{}", value);  // shortest round-trip form, e.g. 0.01, 1.5e-07
}

void PrometheusText::Counter(std::string_view name, std::string_view help,
                             std::span<const Label> labels, std::uint64_t value) {
  const std::string total = fmt::format("{}_total", name);
  Family(total, help, "counter");
  Sample(total, labels, nullptr, fmt::format("{}", value));
}

void PrometheusText::Gauge(std::string_view name, std::string_view help,
                           std::span<const Label> labels, double value) {
  Family(name, help, "gauge");
  Sample(name, labels, nullptr, FormatValue(value));
}

void PrometheusText::Histogram(std::string_view name, std::string_view help,
                               std::span<const Label> labels, std::span<const double> bounds,
                               std::span<const std::uint64_t> buckets, double sum) {
  assert(buckets.size() == bounds.size() + 1);
  assert(!std::isnan(sum));
  Family(name, help, "histogram");
  const std::string bucket_name = fmt::format("{}_bucket", name);
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    cumulative += buckets[i];
    const std::string le = i < bounds.size() ? FormatValue(bounds[i]) : "+Inf";
    const Label le_label{"le", le};
    Sample(bucket_name, labels, &le_label, fmt::format("{}", cumulative));
  }
  Sample(fmt::format("{}_sum", name), labels, nullptr, FormatValue(sum));
  Sample(fmt::format("{}_count", name), labels, nullptr, fmt::format("{}", cumulative));
}

void PrometheusText::Family(std::string_view name, std::string_view help, std::string_view type) {
  assert(IsValidMetricName(name));
  if (!families_.emplace(name).second) return;
  fmt::format_to(std::back_inserter(out_), "# HELP {0} {1}\n# TYPE {0} {2}\n", name,
                 EscapeHelp(help), type);
}

void PrometheusText::Sample(std::string_view name, std::span<const Label> labels,
                            const Label* extra, std::string_view value) {
  out_ += name;
  auto write = [this, first = true](const Label& label) mutable {
    assert(IsValidLabelName(label.name));
    fmt::format_to(std::back_inserter(out_), "{}{}=\"{}\"", first ? "{" : ",", label.name,
                   EscapeLabelValue(label.value));
    first = false;
  };
  for (const Label& label : labels) write(label);
  if (extra != nullptr) write(*extra);
  if (!labels.empty() || extra != nullptr) out_ += '}';
  fmt::format_to(std::back_inserter(out_), " {}\n", value);
}

}  // namespace switchyard::telemetry::metrics
