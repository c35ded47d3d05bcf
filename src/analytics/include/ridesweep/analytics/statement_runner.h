// Running a list of statements on an AsyncQueryEngine (spec/sweep.md §12, §13): started in list order with at most
// max_concurrent in flight, polled with a capped exponential backoff (a quarter of the poll interval doubling up
// to the interval), bounded by one deadline for the whole list. The first failure ends the run: every statement
// still in flight is stopped (StopQueryExecution on Athena) and the failure is returned with its kind, so callers
// print the §12 lines or the §13 ingest error. Progress reaches an optional observer. WaitingQueryEngine turns an
// AsyncQueryEngine into a QueryEngine (start, wait, fetch) for the readiness queries. Single-threaded; the engine
// is only called from the caller's thread.
#ifndef RIDESWEEP_ANALYTICS_STATEMENT_RUNNER_H_
#define RIDESWEEP_ANALYTICS_STATEMENT_RUNNER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ridesweep/analytics/async_query_engine.h"
#include "ridesweep/analytics/query_engine.h"

namespace ridesweep::analytics {

struct NamedStatement {
  std::string name;  // printed: a file name (create_table.sql) or a generated label
  std::string sql;
};

struct StatementRunOptions {
  using Clock = std::chrono::steady_clock;
  size_t max_concurrent = 1;                           // >= 1
  std::chrono::nanoseconds poll_interval = std::chrono::seconds(2);
  Clock::time_point deadline = Clock::time_point::max();
  // Test seams: the clock and the sleep between polling rounds.
  std::function<Clock::time_point()> now = [] { return Clock::now(); };
  std::function<void(std::chrono::nanoseconds)> sleep;  // empty: std::this_thread::sleep_for
};

// What the runner reports while it works; index is 0-based, total the list size.
class StatementObserver {
 public:
  virtual ~StatementObserver() = default;
  virtual void OnLaunch(size_t /*index*/, size_t /*total*/, const NamedStatement& /*statement*/) {}
  virtual void OnStarted(size_t /*index*/, const NamedStatement& /*statement*/, std::string_view /*query_id*/) {}
  virtual void OnSucceeded(size_t /*index*/, const NamedStatement& /*statement*/, std::string_view /*query_id*/) {}
};

enum class StatementFailure : uint8_t {
  kNone,
  kStart,    // Start failed: detail is the engine's API error text
  kQuery,    // the statement ended FAILED or CANCELLED: state_name, detail = reason
  kPoll,     // Poll failed: detail is the error text
  kTimeout,  // the deadline passed with statements unfinished or unstarted
};

struct StatementRunOutcome {
  StatementFailure failure = StatementFailure::kNone;
  std::string name;        // the failing statement (empty for a timeout)
  std::string query_id;    // its id when it had one
  std::string state_name;  // kQuery: FAILED or CANCELLED
  std::string detail;
  std::vector<std::string> query_ids;  // ids of the statements that succeeded, in completion order
  std::vector<std::string> stopped;    // ids stopped because of the failure

  bool ok() const { return failure == StatementFailure::kNone; }
};

StatementRunOutcome RunStatements(AsyncQueryEngine& engine, const std::vector<NamedStatement>& statements,
                                  const StatementRunOptions& options, StatementObserver* observer = nullptr);

// One line for an ingest error (§13 `Ingest error: <text>`): `<engine> query failed (<STATE>): <reason>`,
// `<engine> request failed for <name>: <detail>`, `<engine> status check failed for <name>: <detail>` or
// `<engine> execution timed out`. REQUIRES: !outcome.ok().
std::string DescribeStatementFailure(const StatementRunOutcome& outcome, std::string_view engine_label);

// A QueryEngine whose Run starts the statement, waits for it with RunStatements and fetches its rows. Errors are
// Unavailable with DescribeStatementFailure's text (or the fetch error). Not thread-safe.
class WaitingQueryEngine final : public QueryEngine {
 public:
  WaitingQueryEngine(AsyncQueryEngine& engine, StatementRunOptions options, std::string engine_label)
      : engine_(engine), options_(std::move(options)), label_(std::move(engine_label)) {}
  Result<QueryResult> Run(std::string_view sql) override;

 private:
  AsyncQueryEngine& engine_;
  StatementRunOptions options_;
  std::string label_;
};

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_STATEMENT_RUNNER_H_
