// AsyncQueryEngine is the seam for engines that run statements remotely and asynchronously (Athena): a statement
// is started, polled until it reaches a final state, stopped when no longer wanted, and its rows fetched once it
// succeeded. The plan runner of `ridesweep athena apply` and the Athena path of `ridesweep ingest` drive any
// implementation through statement_runner.h; the aws adapter lives with the CLI, so analytics knows no AWS.
#ifndef RIDESWEEP_ANALYTICS_ASYNC_QUERY_ENGINE_H_
#define RIDESWEEP_ANALYTICS_ASYNC_QUERY_ENGINE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "ridesweep/analytics/query_result.h"
#include "ridesweep/base/result.h"
#include "ridesweep/base/status.h"

namespace ridesweep::analytics {

enum class AsyncQueryState : uint8_t { kRunning, kSucceeded, kFailed, kCancelled };

struct AsyncQueryStatus {
  AsyncQueryState state = AsyncQueryState::kRunning;
  std::string state_name;  // as the engine spells it: QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED
  std::string reason;      // the engine's state-change reason; empty when it gave none
};

class AsyncQueryEngine {
 public:
  virtual ~AsyncQueryEngine() = default;

  // Starts one statement; returns the engine's query id. Errors carry the engine's API error text.
  virtual Result<std::string> Start(std::string_view sql) = 0;
  // The current state of a started statement. Errors: the status request itself failed.
  virtual Result<AsyncQueryStatus> Poll(std::string_view query_id) = 0;
  // Asks the engine to stop a statement (best effort; the caller ignores failures it cannot act on).
  virtual Status Stop(std::string_view query_id) = 0;
  // The rows of a SUCCEEDED statement.
  virtual Result<QueryResult> Fetch(std::string_view query_id) = 0;
};

// Makes the engine when a command first needs it (after its arguments are checked).
using AsyncEngineFactory = std::function<Result<std::unique_ptr<AsyncQueryEngine>>()>;

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_ASYNC_QUERY_ENGINE_H_
