// An in-memory AsyncQueryEngine for unit tests: records every statement started, polled and stopped; each
// statement runs for a scripted number of polls and ends in a scripted state; rows come from canned results
// chosen by a substring of the SQL. The real engine is exercised against moto in tests/aws.
#ifndef RIDESWEEP_ANALYTICS_TESTS_FAKE_ASYNC_ENGINE_H_
#define RIDESWEEP_ANALYTICS_TESTS_FAKE_ASYNC_ENGINE_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ridesweep/analytics/async_query_engine.h"

namespace ridesweep::analytics::testing {

class FakeAsyncEngine final : public AsyncQueryEngine {
 public:
  struct Script {
    int running_polls = 0;  // polls answered RUNNING before the final state
    AsyncQueryState final_state = AsyncQueryState::kSucceeded;
    std::string reason;
  };
  // A statement that stays RUNNING for `polls` polls, then succeeds.
  static Script Runs(int polls) { return Script{polls, AsyncQueryState::kSucceeded, ""}; }
  // A statement that ends in `state` with `reason` after `polls` RUNNING polls.
  static Script Ends(AsyncQueryState state, std::string reason, int polls = 0) {
    return Script{polls, state, std::move(reason)};
  }

  // Statements whose SQL contains `needle` follow `script` (first match wins); others succeed on the first poll.
  void On(std::string needle, Script script) { scripts_.emplace_back(std::move(needle), std::move(script)); }
  // Start fails for SQL containing `needle`.
  void FailStart(std::string needle, std::string message) {
    start_failures_.emplace_back(std::move(needle), std::move(message));
  }
  // Fetch returns `result` for SQL containing `needle`.
  void Rows(std::string needle, QueryResult result) { results_.emplace_back(std::move(needle), std::move(result)); }

  Result<std::string> Start(std::string_view sql) override {
    for (const auto& [needle, message] : start_failures_) {
      if (sql.find(needle) != std::string_view::npos) return FailedPreconditionError(message);
    }
    const std::string id = "q" + std::to_string(started.size() + 1);
    started.emplace_back(sql);
    Query query;
    query.sql = std::string(sql);
    for (const auto& [needle, script] : scripts_) {
      if (sql.find(needle) != std::string_view::npos) {
        query.script = script;
        break;
      }
    }
    queries_[id] = std::move(query);
    return id;
  }

  Result<AsyncQueryStatus> Poll(std::string_view query_id) override {
    polls.emplace_back(query_id);
    auto it = queries_.find(std::string(query_id));
    if (it == queries_.end()) return NotFoundError("unknown query " + std::string(query_id));
    Query& query = it->second;
    if (query.polls++ < query.script.running_polls) return AsyncQueryStatus{AsyncQueryState::kRunning, "RUNNING", ""};
    switch (query.script.final_state) {
      case AsyncQueryState::kFailed:
        return AsyncQueryStatus{AsyncQueryState::kFailed, "FAILED", query.script.reason};
      case AsyncQueryState::kCancelled:
        return AsyncQueryStatus{AsyncQueryState::kCancelled, "CANCELLED", query.script.reason};
      default:
        return AsyncQueryStatus{AsyncQueryState::kSucceeded, "SUCCEEDED", ""};
    }
  }

  Status Stop(std::string_view query_id) override {
    stopped.emplace_back(query_id);
    return Status::Ok();
  }

  Result<QueryResult> Fetch(std::string_view query_id) override {
    auto it = queries_.find(std::string(query_id));
    if (it == queries_.end()) return NotFoundError("unknown query " + std::string(query_id));
    for (const auto& [needle, result] : results_) {
      if (it->second.sql.find(needle) != std::string::npos) return result;
    }
    return QueryResult{};
  }

  std::vector<std::string> started;
  std::vector<std::string> polls;
  std::vector<std::string> stopped;

 private:
  struct Query {
    std::string sql;
    Script script;
    int polls = 0;
  };
  std::vector<std::pair<std::string, Script>> scripts_;
  std::vector<std::pair<std::string, std::string>> start_failures_;
  std::vector<std::pair<std::string, QueryResult>> results_;
  std::map<std::string, Query> queries_;
};

}  // namespace ridesweep::analytics::testing

#endif  // RIDESWEEP_ANALYTICS_TESTS_FAKE_ASYNC_ENGINE_H_
