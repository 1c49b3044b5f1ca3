// libFuzzer target for ScanObject, ObjectSkim and RewriteObject. Checks, for any input:
// - ScanObject agrees with Boost.JSON (strict options, same depth limit) on validity, except for
//   Boost's "exponent_overflow" (see object_scan_differential_test.cc);
// - on success, the recorded members are consistent with the text, and a rewrite that removes the
//   first member, replaces the last and appends a new one re-scans, with the expected members;
// - a skim of a valid object yields the scan's members with the same bytes.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "json/object_rewrite.h"
#include "json/object_scan.h"
#include "json/object_skim.h"

namespace {

using switchyard::Result;
using switchyard::json::Edit;
using switchyard::json::FindMember;
using switchyard::json::kMaxJsonDepth;
using switchyard::json::Member;
using switchyard::json::ObjectScan;
using switchyard::json::QuoteJsonString;
using switchyard::json::RewriteObject;
using switchyard::json::ScanObject;
using switchyard::json::StringValue;
using switchyard::json::ValueText;
using switchyard::json::ValueType;

// Aborts, naming the failed check, so that a crash report says which property broke.
#define CHECK(condition)                                                           \
  do {                                                                             \
    if (!(condition)) {                                                            \
      std::fprintf(stderr, "check failed at line %d: %s\n", __LINE__, #condition); \
      std::abort();                                                                \
    }                                                                              \
  } while (false)

void CheckAgainstBoost(std::string_view text, const Result<ObjectScan>& scan) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec, {}, options);
  if (ec == boost::json::error::exponent_overflow) return;
  if (scan.ok()) {
    CHECK(!ec && value.is_object() && value.get_object().size() == scan->members.size());
    return;
  }
  const std::string& message = scan.error().message;
  if (message.find("duplicate key") != std::string::npos) {
    CHECK(!ec && value.is_object());
  } else if (message == "request body must be a JSON object") {
    CHECK(!ec && !value.is_object());
  } else {
    CHECK(static_cast<bool>(ec));
  }
}

}  // namespace

// A skim of a valid object finds exactly the members the strict scan found, with the same bytes.
void CheckSkimAgrees(std::string_view text, const ObjectScan& scan) {
  switchyard::json::ObjectSkim skim(text);
  for (const Member& m : scan.members) {
    auto skimmed = skim.Next();
    CHECK(skimmed.has_value());
    CHECK(skimmed->raw_key.data() == text.data() + m.key_begin + 1);
    CHECK(skimmed->value == ValueText(text, m));
  }
  CHECK(!skim.Next().has_value());
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Result<ObjectScan> scan = ScanObject(text);
  CheckAgainstBoost(text, scan);
  // Any bytes: the skim stays inside them (ASan checks) and ends.
  for (switchyard::json::ObjectSkim skim(text); skim.Next();) {
  }
  if (!scan.ok()) return 0;
  CheckSkimAgrees(text, *scan);

  const std::vector<Member>& members = scan->members;
  CHECK(text[scan->open_brace] == '{' && text[scan->close_brace] == '}');
  std::size_t previous_end = scan->open_brace;
  for (const Member& m : members) {
    CHECK(previous_end < m.key_begin && m.key_begin < m.value_begin &&
          m.value_begin < m.value_end && m.value_end <= scan->close_brace);
    CHECK(text[m.key_begin] == '"');
    CHECK(FindMember(*scan, m.key) == &m);
    // Each value is valid JSON by itself.
    CHECK(ScanObject("{\"v\":" + std::string(ValueText(text, m)) + "}").ok());
    if (m.type == ValueType::kString) {
      // Unescaping and re-quoting gives an equivalent string.
      std::optional<std::string> value = StringValue(text, m);
      CHECK(value.has_value());
      const std::string doc = "{\"v\":" + QuoteJsonString(*value) + "}";
      Result<ObjectScan> again = ScanObject(doc);
      CHECK(again.ok() && StringValue(doc, again->members[0]) == value);
    }
    previous_end = m.value_end;
  }

  std::vector<Edit> edits;
  std::size_t expected = members.size();
  if (!members.empty()) {
    edits.push_back(Edit{members.front().key, std::nullopt});
    --expected;
    if (members.size() > 1) edits.push_back(Edit{members.back().key, std::string("[0]")});
  }
  const std::string appended_key = members.empty() ? "added" : members.front().key + "\x01";
  if (FindMember(*scan, appended_key) == nullptr) {
    edits.push_back(Edit{appended_key, std::string("{\"x\":null}")});
    ++expected;
  }
  const std::string out = RewriteObject(text, *scan, edits);
  Result<ObjectScan> rescan = ScanObject(out);
  CHECK(rescan.ok());
  CHECK(rescan->members.size() == expected);
  if (members.size() > 1) CHECK(ValueText(out, *FindMember(*rescan, members.back().key)) == "[0]");
  return 0;
}
