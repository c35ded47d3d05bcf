// RunStatements: list order, the concurrency bound, capped backoff between polling rounds, the deadline, and
// stopping every query in flight on the first failure (spec/sweep.md §12). WaitingQueryEngine fetches rows.
#include "ridesweep/analytics/statement_runner.h"

#include <gtest/gtest.h>

#include "tests/fake_async_engine.h"

namespace ridesweep::analytics {
namespace {

using std::chrono::milliseconds;
using testing::FakeAsyncEngine;

struct FakeClock {
  StatementRunOptions::Clock::time_point now{};
  std::vector<std::chrono::nanoseconds> sleeps;
  StatementRunOptions Options(size_t max_concurrent) {
    StatementRunOptions options;
    options.max_concurrent = max_concurrent;
    options.poll_interval = milliseconds(800);
    options.now = [this] { return now; };
    options.sleep = [this](std::chrono::nanoseconds d) {
      sleeps.push_back(d);
      now += d;
    };
    return options;
  }
};

std::vector<NamedStatement> Statements(int n) {
  std::vector<NamedStatement> list;
  for (int i = 1; i <= n; ++i) list.push_back({"s" + std::to_string(i) + ".sql", "SELECT " + std::to_string(i)});
  return list;
}

struct Recorder final : StatementObserver {
  std::vector<std::string> events;
  void OnLaunch(size_t i, size_t total, const NamedStatement& s) override {
    events.push_back("launch " + std::to_string(i) + "/" + std::to_string(total) + " " + s.name);
  }
  void OnStarted(size_t, const NamedStatement& s, std::string_view id) override {
    events.push_back("started " + s.name + " " + std::string(id));
  }
  void OnSucceeded(size_t, const NamedStatement& s, std::string_view id) override {
    events.push_back("done " + s.name + " " + std::string(id));
  }
};

TEST(StatementRunnerTest, SequentialRunsInListOrderOneAtATime) {
  FakeAsyncEngine engine;
  engine.On("SELECT 2", FakeAsyncEngine::Runs(3));
  FakeClock clock;
  Recorder recorder;
  const StatementRunOutcome outcome = RunStatements(engine, Statements(3), clock.Options(1), &recorder);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(engine.started, (std::vector<std::string>{"SELECT 1", "SELECT 2", "SELECT 3"}));
  EXPECT_EQ(recorder.events, (std::vector<std::string>{"launch 0/3 s1.sql", "started s1.sql q1", "done s1.sql q1",
                                                       "launch 1/3 s2.sql", "started s2.sql q2", "done s2.sql q2",
                                                       "launch 2/3 s3.sql", "started s3.sql q3", "done s3.sql q3"}));
  EXPECT_EQ(outcome.query_ids, (std::vector<std::string>{"q1", "q2", "q3"}));
  // Backoff while s2 runs: a quarter of the interval, doubling, capped at the interval.
  EXPECT_EQ(clock.sleeps, (std::vector<std::chrono::nanoseconds>{milliseconds(200), milliseconds(400),
                                                                 milliseconds(800)}));
}

TEST(StatementRunnerTest, AtMostMaxConcurrentInFlight) {
  FakeAsyncEngine engine;
  for (int i = 1; i <= 5; ++i) engine.On("SELECT " + std::to_string(i), FakeAsyncEngine::Runs(6 - i));
  FakeClock clock;
  struct Bound final : StatementObserver {
    int in_flight = 0;
    int peak = 0;
    void OnStarted(size_t, const NamedStatement&, std::string_view) override { peak = std::max(peak, ++in_flight); }
    void OnSucceeded(size_t, const NamedStatement&, std::string_view) override { --in_flight; }
  } bound;
  const StatementRunOutcome outcome = RunStatements(engine, Statements(5), clock.Options(2), &bound);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(bound.peak, 2);
  EXPECT_EQ(engine.started.size(), 5u);
  EXPECT_EQ(outcome.query_ids.size(), 5u);
  EXPECT_EQ(outcome.query_ids.front(), "q2");  // s2 needs fewer polls than s1: completion order, not list order
}

TEST(StatementRunnerTest, FailedQueryStopsEveryQueryInFlight) {
  FakeAsyncEngine engine;
  engine.On("SELECT 1", FakeAsyncEngine::Runs(10));
  engine.On("SELECT 2", FakeAsyncEngine::Runs(10));
  engine.On("SELECT 3", FakeAsyncEngine::Ends(AsyncQueryState::kFailed, "bad table", 1));
  FakeClock clock;
  const StatementRunOutcome outcome = RunStatements(engine, Statements(5), clock.Options(3));
  EXPECT_EQ(outcome.failure, StatementFailure::kQuery);
  EXPECT_EQ(outcome.name, "s3.sql");
  EXPECT_EQ(outcome.query_id, "q3");
  EXPECT_EQ(outcome.state_name, "FAILED");
  EXPECT_EQ(outcome.detail, "bad table");
  EXPECT_EQ(engine.stopped, (std::vector<std::string>{"q1", "q2"}));
  EXPECT_EQ(engine.started.size(), 3u);  // s4 and s5 never started
  EXPECT_EQ(DescribeStatementFailure(outcome, "athena"), "athena query failed (FAILED): bad table");
}

TEST(StatementRunnerTest, StartErrorStopsTheOthersAndNamesTheStatement) {
  FakeAsyncEngine engine;
  engine.On("SELECT 1", FakeAsyncEngine::Runs(10));
  engine.FailStart("SELECT 2", "400 InvalidRequestException: syntax");
  FakeClock clock;
  const StatementRunOutcome outcome = RunStatements(engine, Statements(3), clock.Options(2));
  EXPECT_EQ(outcome.failure, StatementFailure::kStart);
  EXPECT_EQ(outcome.name, "s2.sql");
  EXPECT_EQ(outcome.detail, "400 InvalidRequestException: syntax");
  EXPECT_EQ(engine.stopped, (std::vector<std::string>{"q1"}));
}

TEST(StatementRunnerTest, DeadlineStopsTheRunningQuery) {
  FakeAsyncEngine engine;
  engine.On("SELECT 1", FakeAsyncEngine::Runs(1000));
  FakeClock clock;
  StatementRunOptions options = clock.Options(1);
  options.deadline = clock.now + std::chrono::seconds(5);
  const StatementRunOutcome outcome = RunStatements(engine, Statements(2), options);
  EXPECT_EQ(outcome.failure, StatementFailure::kTimeout);
  EXPECT_EQ(engine.stopped, (std::vector<std::string>{"q1"}));
  EXPECT_EQ(engine.started.size(), 1u);
  EXPECT_EQ(clock.now, StatementRunOptions::Clock::time_point{} + std::chrono::seconds(5));  // never sleeps past it
}

TEST(StatementRunnerTest, WaitingEngineReturnsTheRowsOrTheFailure) {
  FakeAsyncEngine engine;
  QueryResult rows;
  rows.columns = {"n"};
  rows.rows = {{std::string("7")}};
  engine.Rows("SELECT 7", rows);
  engine.On("SELECT 8", FakeAsyncEngine::Ends(AsyncQueryState::kFailed, "TABLE_NOT_FOUND"));
  FakeClock clock;
  WaitingQueryEngine waiting(engine, clock.Options(1), "athena");
  Result<QueryResult> ok = waiting.Run("SELECT 7");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(*ok, rows);
  Result<QueryResult> failed = waiting.Run("SELECT 8");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(), "athena query failed (FAILED): TABLE_NOT_FOUND");
}

}  // namespace
}  // namespace ridesweep::analytics
