// LoadAccept, driven directly with a route's reader (route_section.cc calls it at merge).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "config/config_sections.h"

namespace switchyard::config {
namespace {

struct Loaded {
  AcceptConfig accept;
  Problems problems;

  bool Has(int line, std::string_view text) const {
    for (const ConfigProblem& problem : problems) {
      if (problem.line == line && problem.message.find(text) != std::string::npos) return true;
    }
    return false;
  }
  std::string Dump() const {
    std::string out;
    for (const ConfigProblem& p : problems) out += std::to_string(p.line) + ": " + p.message + "\n";
    return out;
  }
};

// `yaml` is one route's map; its first line is line 1.
Loaded Load(const std::string& yaml) {
  Loaded loaded;
  const YAML::Node node = YAML::Load(yaml);
  MapReader route(node, "routes.quick", 1, {"strategy", "targets", "accept"}, &loaded.problems);
  LoadAccept(route, &loaded.accept, &loaded.problems);
  return loaded;
}

TEST(AcceptConfigTest, EveryKeyIsRead) {
  const Loaded loaded = Load(
      "strategy: race\n"
      "accept:\n"
      "  non_empty: true\n"
      "  json: true\n"
      "  json_schema: true\n"
      "  min_length: 12\n"
      "  regex: '^\\{'\n"
      "  tool_call: true\n");
  EXPECT_TRUE(loaded.problems.empty()) << loaded.Dump();
  EXPECT_EQ(loaded.accept.line, 2);
  EXPECT_TRUE(loaded.accept.non_empty);
  EXPECT_TRUE(loaded.accept.json);
  EXPECT_TRUE(loaded.accept.json_schema);
  EXPECT_EQ(loaded.accept.min_length, 12);
  EXPECT_EQ(loaded.accept.regex, std::optional<std::string>("^\\{"));
  EXPECT_TRUE(loaded.accept.tool_call);
}

TEST(AcceptConfigTest, AbsentOrNullMeansTheDefaults) {
  for (const char* yaml : {"strategy: race\n", "strategy: race\naccept:\n",
                           "accept: { regex: null, json: false, min_length: 0 }\n"}) {
    const Loaded loaded = Load(yaml);
    EXPECT_TRUE(loaded.problems.empty()) << loaded.Dump();
    EXPECT_FALSE(loaded.accept.any()) << yaml;
    EXPECT_FALSE(loaded.accept.regex.has_value());
  }
}

TEST(AcceptConfigTest, BadValuesAreProblemsAtTheirLines) {
  const Loaded loaded = Load(
      "accept:\n"
      "  json: yes please\n"
      "  min_length: 2000000\n"
      "  regex: '(a'\n"
      "  colour: blue\n");
  EXPECT_TRUE(loaded.Has(2, "routes.quick.accept.json")) << loaded.Dump();
  EXPECT_TRUE(loaded.Has(3, "routes.quick.accept.min_length")) << loaded.Dump();
  EXPECT_TRUE(loaded.Has(4, "routes.quick.accept.regex: regex '(a' does not compile"))
      << loaded.Dump();
  EXPECT_TRUE(loaded.Has(5, "colour")) << loaded.Dump();
  EXPECT_FALSE(loaded.accept.regex.has_value());
  EXPECT_EQ(loaded.accept.min_length, 0);
}

TEST(AcceptConfigTest, RegexLongerThanTheBoundIsAProblem) {
  std::string yaml = "accept:\n  regex: '";
  yaml.append(1025, 'a').append("'\n");
  const Loaded loaded = Load(yaml);
  EXPECT_TRUE(loaded.Has(2, "at most 1024")) << loaded.Dump();
}

TEST(AcceptConfigTest, AcceptThatIsNotAMapIsAProblem) {
  const Loaded loaded = Load("accept: [json]\n");
  EXPECT_FALSE(loaded.problems.empty());
  EXPECT_FALSE(loaded.accept.any());
}

}  // namespace
}  // namespace switchyard::config
