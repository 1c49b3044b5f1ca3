// Top-level settings, limits, ledger, cache, files and YAML errors. Providers, keys and routes have
// their own test files.
#include "config/config_loader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "unit/config/config_test_util.h"

namespace switchyard::config {
namespace {

using testing_util::Dump;
using testing_util::FakeEnv;
using testing_util::HasProblem;
using testing_util::Load;

TEST(LoadConfigTextTest, EmptyTextGivesDefaults) {
  LoadResult result = Load("");
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(result.config->listen_host, "127.0.0.1");
  EXPECT_EQ(result.config->listen_port, 8080);
  EXPECT_EQ(result.config->client.max_body, 32ull << 20);
  EXPECT_EQ(result.config->ledger.backend, "sqlite");
  EXPECT_TRUE(result.config->providers.empty());
}

TEST(LoadConfigTextTest, DefaultConfigIsLoopbackWithNoProviders) {
  Config config = DefaultConfig();
  EXPECT_EQ(config.listen_host, "127.0.0.1");
  EXPECT_EQ(config.ledger.path, "./switchyard-data/ledger.db");
  EXPECT_TRUE(config.providers.empty());
  EXPECT_TRUE(config.keys.empty());
}

TEST(LoadConfigTextTest, ReadsTopLevelSettings) {
  LoadResult result = Load(
      "listen: '[::1]:9000'\n"
      "threads: 3\n"
      "admin_key: adm\n"
      "access_log: /var/log/switchyard.log\n"
      "log_level: debug\n"
      "shutdown_grace_ms: 0\n"
      "limits: { max_body: 1MiB, max_header: 500KB, connect_ms: 1000, first_byte_ms: 2000,\n"
      "          idle_ms: 3000, total_ms: 4000, header_read_ms: 5, body_read_ms: 6,\n"
      "          keepalive_ms: 7 }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const Config& config = *result.config;
  EXPECT_EQ(config.listen_host, "::1");
  EXPECT_EQ(config.listen_port, 9000);
  EXPECT_EQ(config.threads, 3);
  EXPECT_EQ(config.admin_key.reveal(), "adm");
  EXPECT_EQ(config.access_log, "/var/log/switchyard.log");
  EXPECT_EQ(config.log_level, "debug");
  EXPECT_EQ(config.shutdown_grace, Millis(0));
  EXPECT_EQ(config.client.max_body, 1048576u);
  EXPECT_EQ(config.client.max_header, 500000u);
  EXPECT_EQ(config.deadlines.connect, Millis(1000));
  EXPECT_EQ(config.deadlines.first_byte, Millis(2000));
  EXPECT_EQ(config.deadlines.idle, Millis(3000));
  EXPECT_EQ(config.deadlines.total, Millis(4000));
  EXPECT_EQ(config.client.header_read, Millis(5));
  EXPECT_EQ(config.client.body_read, Millis(6));
  EXPECT_EQ(config.client.keepalive_idle, Millis(7));
}

TEST(LoadConfigTextTest, ConnectionLimits) {
  const http::ClientLimits defaults;
  EXPECT_EQ(defaults.max_pipelined, 64u * 1024);
  EXPECT_EQ(defaults.linger, Millis(5000));
  EXPECT_EQ(defaults.linger_bytes, 64u << 20);
  EXPECT_EQ(defaults.max_connections, 0u) << "0: serve sets it from the fd limit";
  EXPECT_EQ(defaults.max_connections_per_client, 0u);
  LoadResult result = Load(
      "limits: { max_pipelined: 16KiB, linger_ms: 250, linger_bytes: 1MiB, max_connections: 900,\n"
      "          max_connections_per_client: 20 }\n");
  ASSERT_TRUE(result.config) << Dump(result);
  const http::ClientLimits& limits = result.config->client;
  EXPECT_EQ(limits.max_pipelined, 16u * 1024);
  EXPECT_EQ(limits.linger, Millis(250));
  EXPECT_EQ(limits.linger_bytes, 1u << 20);
  EXPECT_EQ(limits.max_connections, 900u);
  EXPECT_EQ(limits.max_connections_per_client, 20u);
}

// Defect 8 of issue 11 (one item): the whole-answer bound was a hard-coded 256 MiB. It is
// `limits.max_response_body` (32 MiB by default), overridden per provider.
TEST(LoadConfigTextTest, MaxResponseBodyHasADefaultAndAPerProviderOverride) {
  LoadResult defaults = Load("providers: { openai: { api_key: k } }\n");
  ASSERT_TRUE(defaults.config) << Dump(defaults);
  EXPECT_EQ(defaults.config->max_response_body, 32ull << 20);
  EXPECT_EQ(defaults.config->providers.at(0).max_response_body, 32ull << 20);

  LoadResult set = Load(
      "limits: { max_response_body: 2MiB }\n"
      "providers:\n"
      "  openai: { api_key: k }\n"
      "  groq: { api_key: k, limits: { max_response_body: 64KiB } }\n");
  ASSERT_TRUE(set.config) << Dump(set);
  EXPECT_EQ(set.config->FindProvider("openai")->max_response_body, 2u << 20);
  EXPECT_EQ(set.config->FindProvider("groq")->max_response_body, 64u << 10);

  LoadResult bad = Load("limits: { max_response_body: 0 }\n");
  EXPECT_FALSE(bad.config);
  EXPECT_TRUE(HasProblem(bad, 1, "limits.max_response_body must be a positive size")) << Dump(bad);
}

TEST(LoadConfigTextTest, ContractExampleLoads) {
  LoadResult result = Load(R"(listen: 127.0.0.1:8080
threads: 2
admin_key: ${SWITCHYARD_ADMIN_KEY}
ledger: { backend: sqlite, path: ./switchyard-data/ledger.db }
limits: { max_body: 32MiB, connect_ms: 10000, idle_ms: 120000, total_ms: 600000 }
providers:
  openai:    { api_key: ${OPENAI_API_KEY} }
  anthropic: { api_key: ${ANTHROPIC_API_KEY} }
  gemini:    { api_key: ${GEMINI_API_KEY} }
  groq:      { api_key: ${GROQ_API_KEY} }
  local:     { kind: openai, base_url: http://127.0.0.1:11434/v1 }
keys:
  - { key: ${SWITCHYARD_KEY}, name: team-a }
routes:
  fast-cheap:
    strategy: fallback
    targets: [ groq/llama-3.3-70b-versatile, openai/gpt-4o-mini, anthropic/claude-3-5-haiku-latest ]
)",
                           FakeEnv({{"SWITCHYARD_ADMIN_KEY", "a"},
                                    {"OPENAI_API_KEY", "o"},
                                    {"ANTHROPIC_API_KEY", "n"},
                                    {"GEMINI_API_KEY", "g"},
                                    {"GROQ_API_KEY", "q"},
                                    {"SWITCHYARD_KEY", "sy-key-long-enough"}}));
  ASSERT_TRUE(result.config) << Dump(result);
  EXPECT_EQ(result.config->providers.size(), 5u);
  ASSERT_EQ(result.config->routes.size(), 1u);
  EXPECT_EQ(result.config->routes[0].targets.size(), 3u);
}

TEST(LoadConfigTextTest, UnknownKeysAtSeveralLevelsWithLines) {
  LoadResult result = Load(
      "listne: 1\n"               // 1
      "limits:\n"                 // 2
      "  max_bodyy: 5\n"          // 3
      "providers:\n"              // 4
      "  openai:\n"               // 5
      "    foo: 1\n"              // 6
      "    limits: { bar: 2 }\n"  // 7
      "ledger: { baz: 3 }\n");    // 8
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(HasProblem(result, 1, "unknown key 'listne' at the top level")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 3, "unknown key 'max_bodyy' in limits")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 6, "unknown key 'foo' in providers.openai")) << Dump(result);
  EXPECT_TRUE(HasProblem(result, 7, "unknown key 'bar' in providers.openai.limits"))
      << Dump(result);
  EXPECT_TRUE(HasProblem(result, 8, "unknown key 'baz' in ledger")) << Dump(result);
  EXPECT_EQ(result.problems.size(), 5u) << Dump(result);
}

TEST(LoadConfigTextTest, RepeatedKeyIsAProblem) {
  LoadResult result = Load("threads: 2\nthreads: 3\n");
  EXPECT_TRUE(HasProblem(result, 2, "key 'threads' appears twice at the top level"))
      << Dump(result);
}

TEST(LoadConfigTextTest, BadTopLevelValues) {
  struct Case {
    std::string yaml;
    std::string expected;
  };
  const Case cases[] = {
      {"threads: 0", "threads must be an integer from 1 to 256 (got '0')"},
      {"threads: 257", "threads must be an integer from 1 to 256"},
      {"threads: two", "threads must be an integer"},
      {"threads: [1]", "threads must be a single value, not a map or a list"},
      {"listen: localhost", "listen must be HOST:PORT"},
      {"listen: 127.0.0.1:99999", "listen must be HOST:PORT"},
      {"log_level: verbose",
       "log_level must be one of trace|debug|info|warn|error (got 'verbose')"},
      {"access_log: ''", "access_log must be stdout, stderr, off or a file path"},
      {"shutdown_grace_ms: -1", "shutdown_grace_ms must be an integer from 0 to"},
      {"limits: { max_body: 12XB }", "limits.max_body must be a positive size"},
      {"limits: { max_body: -5 }", "limits.max_body must be a positive size"},
      {"limits: { max_header: 0 }", "limits.max_header must be a positive size"},
      {"limits: { connect_ms: -1 }", "limits.connect_ms must be a positive whole number"},
      {"limits: { idle_ms: 0 }", "limits.idle_ms must be a positive whole number"},
      {"limits: { total_ms: fast }", "limits.total_ms must be a positive whole number"},
      {"limits: { keepalive_ms: 1.5 }", "limits.keepalive_ms must be a positive whole number"},
      {"limits: 5", "limits must be a map"},
      {"limits: { max_connections: -1 }", "limits.max_connections must be an integer from 0 to"},
      {"limits: { max_connections_per_client: -1 }",
       "limits.max_connections_per_client must be an integer from 0 to"},
      {"limits: { max_pipelined: 0 }", "limits.max_pipelined must be a positive size"},
      {"limits: { linger_ms: 0 }", "limits.linger_ms must be a positive whole number"},
      {"providers: [openai]", "providers must be a map"},
      {"ledger: { backend: mysql }", "ledger.backend must be one of sqlite|postgres"},
  };
  for (const Case& c : cases) {
    LoadResult result = Load(c.yaml);
    EXPECT_FALSE(result.config) << c.yaml;
    EXPECT_TRUE(HasProblem(result, 1, c.expected)) << c.yaml << "\n" << Dump(result);
  }
}

TEST(LoadConfigTextTest, ReportsAllProblemsTogetherSortedByLine) {
  LoadResult result = Load(
      "threads: 0\n"
      "log_level: loud\n"
      "limits: { connect_ms: -1, max_body: huge }\n"
      "ledger: { backend: postgres }\n"
      "routes: { r: { strategy: fallback, targets: [ nope/model ] } }\n");
  EXPECT_FALSE(result.config);
  EXPECT_EQ(result.problems.size(), 6u) << Dump(result);
  EXPECT_TRUE(std::is_sorted(
      result.problems.begin(), result.problems.end(),
      [](const ConfigProblem& a, const ConfigProblem& b) { return a.line < b.line; }));
  EXPECT_TRUE(HasProblem(result, 5, "names provider 'nope'")) << Dump(result);
}

TEST(LoadConfigTextTest, LedgerBackends) {
  LoadResult postgres_without_url = Load("ledger:\n  backend: postgres\n");
  EXPECT_TRUE(HasProblem(postgres_without_url, 1, "ledger backend postgres needs a url"))
      << Dump(postgres_without_url);
  LoadResult postgres = Load("ledger: { backend: postgres, url: \"${DATABASE_URL}\" }",
                             FakeEnv({{"DATABASE_URL", "postgres://u:p@db/x"}}));
  ASSERT_TRUE(postgres.config) << Dump(postgres);
  EXPECT_EQ(postgres.config->ledger.url.reveal(), "postgres://u:p@db/x");
  LoadResult sqlite = Load("ledger: { backend: sqlite, path: /tmp/l.db }");
  ASSERT_TRUE(sqlite.config) << Dump(sqlite);
  EXPECT_EQ(sqlite.config->ledger.path, "/tmp/l.db");
  EXPECT_TRUE(HasProblem(Load("ledger: { path: '' }"), 1, "ledger.path must not be empty"));
  EXPECT_EQ(sqlite.config->ledger.durability, LedgerDurability::kBatch);
  EXPECT_EQ(sqlite.config->ledger.flush_ms, Millis(50));
  EXPECT_EQ(sqlite.config->ledger.max_queued, 100'000);
  LoadResult strict = Load("ledger: { durability: strict, flush_ms: 5, max_queued: 1000 }");
  ASSERT_TRUE(strict.config) << Dump(strict);
  EXPECT_EQ(strict.config->ledger.durability, LedgerDurability::kStrict);
  EXPECT_EQ(strict.config->ledger.flush_ms, Millis(5));
  EXPECT_EQ(strict.config->ledger.max_queued, 1000);
  EXPECT_TRUE(HasProblem(Load("ledger: { durability: always }"), 1,
                         "ledger.durability must be one of batch|strict"));
  EXPECT_TRUE(HasProblem(Load("ledger: { flush_ms: 0 }"), 1, "ledger.flush_ms must be an integer"));
  EXPECT_TRUE(HasProblem(Load("ledger: { flush_ms: 60001 }"), 1,
                         "ledger.flush_ms must be an integer"));
  EXPECT_TRUE(HasProblem(Load("ledger: { max_queued: 0 }"), 1,
                         "ledger.max_queued must be an integer"));
}

// Sections this version does not serve are refused at their line, not accepted and ignored.
TEST(LoadConfigTextTest, UnbuiltSectionsAreRefused) {
  LoadResult fetch = Load("fetch_image_urls: { allow: [images.example.com] }\n");
  EXPECT_FALSE(fetch.config);
  EXPECT_TRUE(HasProblem(fetch, 1, "fetching image URLs is not in this version")) << Dump(fetch);
}

TEST(LoadConfigTextTest, YamlSyntaxErrorHasItsLine) {
  LoadResult result = Load(
      "listen: 127.0.0.1:8080\nproviders:\n  openai: { api_key: x\n"
      "routes: {}\n");
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.problems.size(), 1u) << Dump(result);
  EXPECT_EQ(result.problems[0].line, 4);
  EXPECT_NE(result.problems[0].message.find("test.yaml is not valid YAML"), std::string::npos);
}

TEST(LoadConfigTextTest, TopLevelMustBeAMap) {
  LoadResult result = Load("- a\n- b\n");
  EXPECT_FALSE(result.config);
  EXPECT_TRUE(HasProblem(result, 1, "the top level of test.yaml must be a map")) << Dump(result);
}

TEST(LoadConfigFileTest, MissingFileIsOneProblemAtLineZero) {
  LoadResult result = LoadConfigFile("/nonexistent/switchyard.yaml", FakeEnv());
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_EQ(result.problems[0].line, 0);
  EXPECT_EQ(result.problems[0].message,
            "cannot read config file /nonexistent/switchyard.yaml: No such file or directory");
}

TEST(LoadConfigFileTest, ReadsAFileAndNamesItInSyntaxErrors) {
  std::string path = ::testing::TempDir() + "/config_loader_test.yaml";
  {
    std::ofstream out(path);
    out << "threads: ${N}\n";
  }
  LoadResult good = LoadConfigFile(path, FakeEnv({{"N", "5"}}));
  ASSERT_TRUE(good.config) << Dump(good);
  EXPECT_EQ(good.config->threads, 5);
  {
    std::ofstream out(path);
    out << "a: 1\nb: [1, 2\n";
  }
  LoadResult bad = LoadConfigFile(path, FakeEnv());
  ASSERT_EQ(bad.problems.size(), 1u) << Dump(bad);
  EXPECT_NE(bad.problems[0].message.find(path), std::string::npos);
  std::remove(path.c_str());
}

TEST(ParseListenAddressTest, AcceptsHostPortForms) {
  std::string host;
  std::uint16_t port = 0;
  ASSERT_TRUE(ParseListenAddress("127.0.0.1:8080", &host, &port));
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 8080);
  ASSERT_TRUE(ParseListenAddress("localhost:80", &host, &port));
  EXPECT_EQ(host, "localhost");
  EXPECT_EQ(port, 80);
  ASSERT_TRUE(ParseListenAddress("[::1]:8080", &host, &port));
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 8080);
  ASSERT_TRUE(ParseListenAddress("0.0.0.0:0", &host, &port));
  EXPECT_EQ(host, "0.0.0.0");
  EXPECT_EQ(port, 0);
  ASSERT_TRUE(ParseListenAddress("host:65535", &host, &port));
  EXPECT_EQ(port, 65535);
}

TEST(ParseListenAddressTest, RejectsMalformed) {
  std::string host = "unchanged";
  std::uint16_t port = 1;
  for (std::string_view text :
       {"127.0.0.1", "127.0.0.1:", ":8080", "host:http", "host:65536", "host:-1", "host:+80",
        "::1:8080", "[::1]8080", "[]:80", "[::1", "a b:80", "host:0080000"}) {
    EXPECT_FALSE(ParseListenAddress(text, &host, &port)) << text;
  }
  EXPECT_EQ(host, "unchanged");
  EXPECT_EQ(port, 1);
}

}  // namespace
}  // namespace switchyard::config
