// Configuration from the environment (spec/sweep.md §8): defaults, the exact misconfiguration texts, blank values
// as missing, the first problem per path (the worker never needs the queue URL), local vs cloud differences, and
// the mapping onto the ingress, submit and worker configurations.
#include "ridesweep/sweep/config.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace ridesweep::sweep {
namespace {

using Env = std::map<std::string, std::string, std::less<>>;

SweepConfig Cloud(Env env) { return LoadSweepConfig(DeploymentMode::kCloud, EnvironmentFromMap(std::move(env))); }
SweepConfig Local(Env env) { return LoadSweepConfig(DeploymentMode::kLocal, EnvironmentFromMap(std::move(env))); }

const Env kCloudBase = {{"SWEEP_RESULTS_BUCKET", "results"}, {"SHARD_QUEUE_URL", "https://sqs/q"}};

Env With(Env env, std::string name, std::string value) {
  env[std::move(name)] = std::move(value);
  return env;
}

TEST(SweepConfigTest, LocalDefaults) {
  const SweepConfig c = Local({});
  EXPECT_EQ(c.api_misconfiguration, std::nullopt);
  EXPECT_EQ(c.worker_misconfiguration, std::nullopt);
  EXPECT_EQ(c.results_prefix, "serverless-sweeps/outcomes");
  EXPECT_EQ(c.max_shards_ceiling, 1000u);
  EXPECT_EQ(c.inline_payload_max_bytes, 65'536u);
  EXPECT_EQ(c.dispatch_concurrency, 8u);
  EXPECT_EQ(c.deadline_margin_ms, 20'000u);
  EXPECT_TRUE(c.skip_existing_points);
  EXPECT_EQ(c.point_threads, 1u);
  EXPECT_EQ(c.results_dir, "./sweep-results");
  EXPECT_EQ(c.log_level, LogLevel::kInfo);
  EXPECT_EQ(c.s3_endpoint, std::nullopt);
  EXPECT_EQ(c.results_bucket, "");
}

TEST(SweepConfigTest, CloudReadsEverything) {
  Env env = kCloudBase;
  env.insert({{"SWEEP_RESULTS_PREFIX", "/custom/prefix/"},
              {"MAX_SHARDS", "10"},
              {"SWEEP_INLINE_PAYLOAD_MAX_BYTES", "1024"},
              {"SWEEP_DISPATCH_CONCURRENCY", "64"},
              {"SWEEP_DEADLINE_MARGIN_MS", "300000"},
              {"SWEEP_SKIP_EXISTING_POINTS", "0"},
              {"SWEEP_POINT_THREADS", "4"},
              {"SWEEP_S3_ENDPOINT", "http://127.0.0.1:5000"},
              {"SWEEP_SQS_ENDPOINT", "http://127.0.0.1:5001"},
              {"SWEEP_ATHENA_ENDPOINT", "http://127.0.0.1:5002"},
              {"SWEEP_LOG_LEVEL", "warn"},
              {"AWS_REGION", "eu-central-1"}});
  const SweepConfig c = Cloud(env);
  EXPECT_EQ(c.api_misconfiguration, std::nullopt);
  EXPECT_EQ(c.worker_misconfiguration, std::nullopt);
  EXPECT_EQ(c.results_bucket, "results");
  EXPECT_EQ(c.shard_queue_url, "https://sqs/q");
  EXPECT_EQ(c.results_prefix, "/custom/prefix/");
  EXPECT_EQ(c.max_shards_ceiling, 10u);
  EXPECT_EQ(c.inline_payload_max_bytes, 1024u);
  EXPECT_EQ(c.dispatch_concurrency, 64u);
  EXPECT_EQ(c.deadline_margin_ms, 300'000u);
  EXPECT_FALSE(c.skip_existing_points);
  EXPECT_EQ(c.point_threads, 4u);
  EXPECT_EQ(c.s3_endpoint, "http://127.0.0.1:5000");
  EXPECT_EQ(c.sqs_endpoint, "http://127.0.0.1:5001");
  EXPECT_EQ(c.athena_endpoint, "http://127.0.0.1:5002");
  EXPECT_EQ(c.log_level, LogLevel::kWarn);
  EXPECT_EQ(c.aws_region, "eu-central-1");

  const IngressConfig ingress = c.ingress();
  EXPECT_EQ(ingress.max_shards_ceiling, 10u);
  EXPECT_EQ(ingress.misconfiguration, std::nullopt);
  const SubmitConfig submit = c.submit();
  EXPECT_EQ(submit.results_prefix, "/custom/prefix/");
  EXPECT_EQ(submit.inline_payload_max_bytes, 1024u);
  EXPECT_EQ(submit.ingress.max_shards_ceiling, 10u);
  const WorkerConfig worker = c.worker();
  EXPECT_EQ(worker.results_prefix, "/custom/prefix/");
  EXPECT_FALSE(worker.skip_existing_points);
  EXPECT_EQ(worker.deadline_margin_ms, 300'000u);
  EXPECT_EQ(worker.max_steps_override, std::nullopt);
}

TEST(SweepConfigTest, MissingCloudSettings) {
  // The bucket is needed by both paths; the queue URL only by the API path [fix].
  SweepConfig c = Cloud({});
  EXPECT_EQ(c.api_misconfiguration, "SWEEP_RESULTS_BUCKET must be configured");
  EXPECT_EQ(c.worker_misconfiguration, "SWEEP_RESULTS_BUCKET must be configured");
  EXPECT_EQ(c.ingress().misconfiguration, "SWEEP_RESULTS_BUCKET must be configured");

  c = Cloud({{"SWEEP_RESULTS_BUCKET", "results"}});
  EXPECT_EQ(c.api_misconfiguration, "SHARD_QUEUE_URL must be configured");
  EXPECT_EQ(c.worker_misconfiguration, std::nullopt);

  // Blank counts as missing.
  c = Cloud({{"SWEEP_RESULTS_BUCKET", "  \t"}, {"SHARD_QUEUE_URL", ""}});
  EXPECT_EQ(c.api_misconfiguration, "SWEEP_RESULTS_BUCKET must be configured");
  c = Cloud({{"SWEEP_RESULTS_BUCKET", "results"}, {"SHARD_QUEUE_URL", " "}});
  EXPECT_EQ(c.api_misconfiguration, "SHARD_QUEUE_URL must be configured");

  // Local mode needs neither.
  c = Local({});
  EXPECT_EQ(c.api_misconfiguration, std::nullopt);
}

TEST(SweepConfigTest, IntegerRanges) {
  struct Case {
    std::string variable;
    std::string value;
    std::optional<std::string> api;
    std::optional<std::string> worker;
  };
  const std::string max_shards = "MAX_SHARDS must be an integer between 1 and 200000";
  const std::string inline_max = "SWEEP_INLINE_PAYLOAD_MAX_BYTES must be an integer between 1024 and 262144";
  const std::string concurrency = "SWEEP_DISPATCH_CONCURRENCY must be an integer between 1 and 64";
  const std::string margin = "SWEEP_DEADLINE_MARGIN_MS must be an integer between 1000 and 300000";
  const std::string skip = "SWEEP_SKIP_EXISTING_POINTS must be an integer between 0 and 1";
  const std::string threads = "SWEEP_POINT_THREADS must be an integer between 1 and 64";
  const Case cases[] = {
      {"MAX_SHARDS", "0", max_shards, std::nullopt},
      {"MAX_SHARDS", "200001", max_shards, std::nullopt},
      {"MAX_SHARDS", "abc", max_shards, std::nullopt},
      {"MAX_SHARDS", "-1", max_shards, std::nullopt},
      {"MAX_SHARDS", "+5", max_shards, std::nullopt},
      {"MAX_SHARDS", "1.5", max_shards, std::nullopt},
      {"MAX_SHARDS", "1e3", max_shards, std::nullopt},
      {"MAX_SHARDS", "99999999999999999999999", max_shards, std::nullopt},
      {"MAX_SHARDS", "1 000", max_shards, std::nullopt},
      {"MAX_SHARDS", "200000", std::nullopt, std::nullopt},
      {"MAX_SHARDS", " 10 ", std::nullopt, std::nullopt},
      {"MAX_SHARDS", "", std::nullopt, std::nullopt},  // blank: the default
      {"SWEEP_INLINE_PAYLOAD_MAX_BYTES", "1023", inline_max, std::nullopt},
      {"SWEEP_INLINE_PAYLOAD_MAX_BYTES", "262145", inline_max, std::nullopt},
      {"SWEEP_INLINE_PAYLOAD_MAX_BYTES", "262144", std::nullopt, std::nullopt},
      {"SWEEP_DISPATCH_CONCURRENCY", "0", concurrency, std::nullopt},
      {"SWEEP_DISPATCH_CONCURRENCY", "65", concurrency, std::nullopt},
      {"SWEEP_DEADLINE_MARGIN_MS", "999", std::nullopt, margin},
      {"SWEEP_DEADLINE_MARGIN_MS", "300001", std::nullopt, margin},
      {"SWEEP_DEADLINE_MARGIN_MS", "1000", std::nullopt, std::nullopt},
      {"SWEEP_SKIP_EXISTING_POINTS", "2", std::nullopt, skip},
      {"SWEEP_SKIP_EXISTING_POINTS", "yes", std::nullopt, skip},
      {"SWEEP_POINT_THREADS", "0", std::nullopt, threads},
      {"SWEEP_POINT_THREADS", "65", std::nullopt, threads},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.variable + "=" + c.value);
    const SweepConfig config = Cloud(With(kCloudBase, c.variable, c.value));
    EXPECT_EQ(config.api_misconfiguration, c.api);
    EXPECT_EQ(config.worker_misconfiguration, c.worker);
  }
  EXPECT_EQ(Cloud(With(kCloudBase, "MAX_SHARDS", " 10 ")).max_shards_ceiling, 10u);
  EXPECT_EQ(Cloud(With(kCloudBase, "MAX_SHARDS", "")).max_shards_ceiling, 1000u);
}

TEST(SweepConfigTest, Issue0013BadPrefixLogLevelAndEndpointsAreConfigurationErrors) {
  const struct {
    const char* name;
    const char* value;
    const char* problem;
  } cases[] = {
      {"SWEEP_RESULTS_PREFIX", "a//b", "SWEEP_RESULTS_PREFIX 'a//b' is invalid: has an empty path segment"},
      {"SWEEP_RESULTS_PREFIX", "a/../b", "SWEEP_RESULTS_PREFIX 'a/../b' is invalid: has a '.' or '..' path segment"},
      {"SWEEP_RESULTS_PREFIX", "a\\b", "SWEEP_RESULTS_PREFIX 'a\\b' is invalid: contains a backslash"},
      {"SWEEP_LOG_LEVEL", "verbose", "SWEEP_LOG_LEVEL 'verbose' is invalid: is not one of debug, info, warn, error"},
      {"SWEEP_S3_ENDPOINT", "127.0.0.1:5000",
       "SWEEP_S3_ENDPOINT '127.0.0.1:5000' is invalid: is not an http:// or https:// URL"},
      {"SWEEP_SQS_ENDPOINT", "ftp://x", "SWEEP_SQS_ENDPOINT 'ftp://x' is invalid: is not an http:// or https:// URL"},
  };
  for (const auto& c : cases) {
    for (const SweepConfig& config : {Cloud(With(kCloudBase, c.name, c.value)), Local(Env{{c.name, c.value}})}) {
      EXPECT_EQ(config.api_misconfiguration, std::optional<std::string>(c.problem)) << c.name << "=" << c.value;
      EXPECT_EQ(config.worker_misconfiguration, std::optional<std::string>(c.problem)) << c.name << "=" << c.value;
    }
  }
  // Leading and trailing slashes are trimmed, upper-case levels accepted: no problem.
  EXPECT_EQ(Local({{"SWEEP_RESULTS_PREFIX", "/a/b/"}, {"SWEEP_LOG_LEVEL", "DEBUG"}}).worker_misconfiguration,
            std::nullopt);
}

TEST(SweepConfigTest, FirstProblemWinsInTableOrder) {
  // §1.4 step 13: bucket, then queue URL, then MAX_SHARDS.
  EXPECT_EQ(Cloud({{"MAX_SHARDS", "0"}}).api_misconfiguration, "SWEEP_RESULTS_BUCKET must be configured");
  EXPECT_EQ(Cloud({{"SWEEP_RESULTS_BUCKET", "b"}, {"MAX_SHARDS", "0"}}).api_misconfiguration,
            "SHARD_QUEUE_URL must be configured");
  Env env = With(kCloudBase, "MAX_SHARDS", "0");
  env["SWEEP_DISPATCH_CONCURRENCY"] = "0";
  EXPECT_EQ(Cloud(env).api_misconfiguration, "MAX_SHARDS must be an integer between 1 and 200000");
  env = With(kCloudBase, "SWEEP_POINT_THREADS", "0");
  env["SWEEP_DEADLINE_MARGIN_MS"] = "1";
  EXPECT_EQ(Cloud(env).worker_misconfiguration,
            "SWEEP_DEADLINE_MARGIN_MS must be an integer between 1000 and 300000");
}

// Issue 13: the dead-letter queue the worker settles (optional; must look like an SQS queue ARN).
TEST(SweepConfigTest, DeadLetterQueueArnIsOptionalAndChecked) {
  EXPECT_EQ(Cloud(kCloudBase).worker().dead_letter_queue_arn, "");
  const std::string arn = "arn:aws:sqs:eu-west-1:123456789012:sweep-shards-dlq";
  const SweepConfig c = Cloud(With(kCloudBase, "SWEEP_DEAD_LETTER_QUEUE_ARN", arn));
  EXPECT_EQ(c.worker().dead_letter_queue_arn, arn);
  EXPECT_EQ(c.worker_misconfiguration, std::nullopt);
  EXPECT_EQ(Cloud(With(kCloudBase, "SWEEP_DEAD_LETTER_QUEUE_ARN", "https://sqs/q-dlq")).worker_misconfiguration,
            "SWEEP_DEAD_LETTER_QUEUE_ARN 'https://sqs/q-dlq' is invalid: is not an SQS queue ARN");
  EXPECT_EQ(Cloud(With(kCloudBase, "SWEEP_DEAD_LETTER_QUEUE_ARN", "arn:aws:s3:::bucket")).api_misconfiguration,
            std::nullopt);  // the API path never reads it
}

TEST(SweepConfigTest, LocalModeKeepsTheCloudOnlyDefaults) {
  const SweepConfig c = Local({{"SWEEP_INLINE_PAYLOAD_MAX_BYTES", "5"},
                               {"SWEEP_DISPATCH_CONCURRENCY", "0"},
                               {"SWEEP_RESULTS_DIR", "/data/results"},
                               {"MAX_SHARDS", "7"},
                               {"SWEEP_RESULTS_PREFIX", "   "}});
  EXPECT_EQ(c.api_misconfiguration, std::nullopt);
  EXPECT_EQ(c.inline_payload_max_bytes, 65'536u);
  EXPECT_EQ(c.dispatch_concurrency, 8u);
  EXPECT_EQ(c.results_dir, "/data/results");
  EXPECT_EQ(c.max_shards_ceiling, 7u);
  EXPECT_EQ(c.results_prefix, "serverless-sweeps/outcomes");  // blank: the default

  // MAX_SHARDS is enforced in both modes.
  EXPECT_EQ(Local({{"MAX_SHARDS", "0"}}).ingress().misconfiguration,
            "MAX_SHARDS must be an integer between 1 and 200000");
}

TEST(SweepConfigTest, ProcessEnvironmentReadsTheRealEnvironment) {
  ASSERT_EQ(::setenv("RIDESWEEP_CONFIG_TEST_VARIABLE", "value", 1), 0);
  const EnvironmentLookup lookup = ProcessEnvironment();
  EXPECT_EQ(lookup("RIDESWEEP_CONFIG_TEST_VARIABLE"), "value");
  ::unsetenv("RIDESWEEP_CONFIG_TEST_VARIABLE");
  EXPECT_EQ(lookup("RIDESWEEP_CONFIG_TEST_VARIABLE"), std::nullopt);
}

}  // namespace
}  // namespace ridesweep::sweep
