// Bounded-concurrency statement execution with polling backoff and one deadline (spec/sweep.md §12, §13).
#include "ridesweep/analytics/statement_runner.h"

#include <algorithm>
#include <thread>

namespace ridesweep::analytics {
namespace {

using Clock = StatementRunOptions::Clock;

struct InFlight {
  size_t index = 0;
  std::string query_id;
};

class Runner {
 public:
  Runner(AsyncQueryEngine& engine, const std::vector<NamedStatement>& statements, const StatementRunOptions& options,
         StatementObserver* observer)
      : engine_(engine), statements_(statements), options_(options), observer_(observer) {}

  StatementRunOutcome Run() {
    const size_t max_in_flight = std::max<size_t>(options_.max_concurrent, 1);
    const std::chrono::nanoseconds initial_delay =
        std::max<std::chrono::nanoseconds>(options_.poll_interval / 4, std::chrono::nanoseconds(1));
    std::chrono::nanoseconds delay = initial_delay;
    size_t next = 0;
    while (next < statements_.size() || !in_flight_.empty()) {
      while (next < statements_.size() && in_flight_.size() < max_in_flight) {
        if (options_.now() >= options_.deadline) return Fail(TimeoutOutcome());
        const NamedStatement& statement = statements_[next];
        if (observer_ != nullptr) observer_->OnLaunch(next, statements_.size(), statement);
        Result<std::string> id = engine_.Start(statement.sql);
        if (!id.ok()) {
          StatementRunOutcome failure;
          failure.failure = StatementFailure::kStart;
          failure.name = statement.name;
          failure.detail = id.status().message();
          return Fail(std::move(failure));
        }
        if (observer_ != nullptr) observer_->OnStarted(next, statement, *id);
        in_flight_.push_back({next, std::move(id).value()});
        ++next;
        delay = initial_delay;
      }
      bool progressed = false;
      for (auto it = in_flight_.begin(); it != in_flight_.end();) {
        const NamedStatement& statement = statements_[it->index];
        Result<AsyncQueryStatus> status = engine_.Poll(it->query_id);
        if (!status.ok() || status->state == AsyncQueryState::kFailed ||
            status->state == AsyncQueryState::kCancelled) {
          StatementRunOutcome failure;
          failure.name = statement.name;
          failure.query_id = it->query_id;
          if (!status.ok()) {
            failure.failure = StatementFailure::kPoll;
            failure.detail = status.status().message();
          } else {
            failure.failure = StatementFailure::kQuery;
            failure.state_name = status->state_name;
            failure.detail = status->reason;
            it = in_flight_.erase(it);  // already final: nothing to stop
          }
          return Fail(std::move(failure));
        }
        if (status->state == AsyncQueryState::kSucceeded) {
          if (observer_ != nullptr) observer_->OnSucceeded(it->index, statement, it->query_id);
          succeeded_.push_back(it->query_id);
          it = in_flight_.erase(it);
          progressed = true;
        } else {
          ++it;
        }
      }
      if (progressed) {
        delay = initial_delay;
        continue;
      }
      if (in_flight_.empty()) continue;
      const Clock::time_point now = options_.now();
      if (now >= options_.deadline) return Fail(TimeoutOutcome());
      const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(options_.deadline - now);
      Sleep(std::min(delay, left));
      delay = std::min<std::chrono::nanoseconds>(delay * 2, options_.poll_interval);
    }
    StatementRunOutcome done;
    done.query_ids = std::move(succeeded_);
    return done;
  }

 private:
  static StatementRunOutcome TimeoutOutcome() {
    StatementRunOutcome outcome;
    outcome.failure = StatementFailure::kTimeout;
    return outcome;
  }

  StatementRunOutcome Fail(StatementRunOutcome outcome) {
    for (const InFlight& running : in_flight_) {
      (void)engine_.Stop(running.query_id);  // best effort: the failure being reported matters more
      outcome.stopped.push_back(running.query_id);
    }
    in_flight_.clear();
    outcome.query_ids = std::move(succeeded_);
    return outcome;
  }

  void Sleep(std::chrono::nanoseconds duration) const {
    if (duration <= std::chrono::nanoseconds::zero()) return;
    if (options_.sleep) {
      options_.sleep(duration);
    } else {
      std::this_thread::sleep_for(duration);
    }
  }

  AsyncQueryEngine& engine_;
  const std::vector<NamedStatement>& statements_;
  const StatementRunOptions& options_;
  StatementObserver* observer_;
  std::vector<InFlight> in_flight_;
  std::vector<std::string> succeeded_;
};

}  // namespace

StatementRunOutcome RunStatements(AsyncQueryEngine& engine, const std::vector<NamedStatement>& statements,
                                  const StatementRunOptions& options, StatementObserver* observer) {
  return Runner(engine, statements, options, observer).Run();
}

std::string DescribeStatementFailure(const StatementRunOutcome& outcome, std::string_view engine_label) {
  const std::string label(engine_label);
  switch (outcome.failure) {
    case StatementFailure::kQuery:
      return label + " query failed (" + outcome.state_name + "): " + outcome.detail;
    case StatementFailure::kStart:
      return label + " request failed for " + outcome.name + ": " + outcome.detail;
    case StatementFailure::kPoll:
      return label + " status check failed for " + outcome.name + ": " + outcome.detail;
    case StatementFailure::kTimeout:
      return label + " execution timed out";
    case StatementFailure::kNone:
      break;
  }
  return label + " succeeded";
}

Result<QueryResult> WaitingQueryEngine::Run(std::string_view sql) {
  std::string query_id;
  struct Capture final : StatementObserver {
    std::string* id;
    explicit Capture(std::string* out) : id(out) {}
    void OnStarted(size_t, const NamedStatement&, std::string_view started) override { *id = std::string(started); }
  } capture(&query_id);
  const std::vector<NamedStatement> one = {{"query", std::string(sql)}};
  StatementRunOptions options = options_;
  options.max_concurrent = 1;
  const StatementRunOutcome outcome = RunStatements(engine_, one, options, &capture);
  if (!outcome.ok()) return UnavailableError(DescribeStatementFailure(outcome, label_));
  return engine_.Fetch(query_id);
}

}  // namespace ridesweep::analytics
