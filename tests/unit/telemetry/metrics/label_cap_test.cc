#include "telemetry/metrics/label_cap.h"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <thread>

namespace switchyard::telemetry::metrics {
namespace {

TEST(LabelCapTest, ConfiguredNamesHaveIdsUpFront) {
  LabelCap cap({"openai", "anthropic", "openai"}, 0);
  EXPECT_EQ(cap.size(), 3u);  // other, openai, anthropic: the duplicate collapses
  EXPECT_EQ(cap.capacity(), 3u);
  EXPECT_EQ(cap.Name(LabelCap::kOther), "other");
  EXPECT_EQ(cap.Name(cap.Find("openai")), "openai");
  EXPECT_EQ(cap.Name(cap.Intern("anthropic")), "anthropic");
  EXPECT_NE(cap.Find("openai"), cap.Find("anthropic"));
  EXPECT_EQ(cap.Intern("mistral"), LabelCap::kOther);  // no room for more
  EXPECT_EQ(cap.size(), 3u);
}

TEST(LabelCapTest, AdmitsUpToTheCapOnFirstUseThenOther) {
  LabelCap cap({"gpt-4o"}, 2);
  EXPECT_EQ(cap.Find("claude"), LabelCap::kOther);  // Find never admits
  const LabelId claude = cap.Intern("claude");
  const LabelId llama = cap.Intern("llama");
  EXPECT_NE(claude, LabelCap::kOther);
  EXPECT_NE(llama, LabelCap::kOther);
  EXPECT_NE(claude, llama);
  EXPECT_EQ(cap.Intern("mistral"), LabelCap::kOther);
  EXPECT_EQ(cap.Intern("claude"), claude);  // stable once admitted
  EXPECT_EQ(cap.Intern("gpt-4o"), cap.Find("gpt-4o"));
  EXPECT_EQ(cap.size(), cap.capacity());
  EXPECT_EQ(cap.capacity(), 4u);
}

TEST(LabelCapTest, OverLongValuesAreOther) {
  const std::string long_name(LabelCap::kMaxValueBytes + 1, 'x');
  LabelCap cap({long_name}, 5);
  EXPECT_EQ(cap.size(), 1u);
  EXPECT_EQ(cap.Intern(long_name), LabelCap::kOther);
  EXPECT_EQ(cap.Intern("other"), LabelCap::kOther);  // the overflow's own name
}

TEST(LabelCapTest, ConcurrentInternsAgreeAndRespectTheCap) {
  constexpr std::size_t kExtra = 50;
  LabelCap cap({}, kExtra);
  // Each thread interns the same 200 names in its own order (strides prime to 200); the first 50
  // admitted win.
  constexpr std::array<std::size_t, 4> kStrides = {1, 3, 7, 9};
  std::vector<std::vector<LabelId>> seen(4, std::vector<LabelId>(200));
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < 200; ++i) {
        const std::size_t name = (i * kStrides[t]) % 200;
        seen[t][name] = cap.Intern("model-" + std::to_string(name));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(cap.size(), kExtra + 1);
  std::set<LabelId> admitted;
  for (std::size_t name = 0; name < 200; ++name) {
    for (std::size_t t = 1; t < seen.size(); ++t) EXPECT_EQ(seen[t][name], seen[0][name]);
    if (seen[0][name] != LabelCap::kOther) {
      admitted.insert(seen[0][name]);
      EXPECT_EQ(cap.Name(seen[0][name]), "model-" + std::to_string(name));
    }
  }
  EXPECT_EQ(admitted.size(), kExtra);
}

}  // namespace
}  // namespace switchyard::telemetry::metrics
