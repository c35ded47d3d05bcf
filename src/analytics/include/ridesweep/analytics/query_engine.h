// QueryEngine runs one SQL statement and returns its rows: the seam between the analytics code (readiness
// check, run summary, `ridesweep query`) and the engine underneath — DuckDbQueryEngine over a local results
// directory, or the aws layer's Athena client. Statements are the substituted SQL files of spec/sweep.md §11.
#ifndef RIDESWEEP_ANALYTICS_QUERY_ENGINE_H_
#define RIDESWEEP_ANALYTICS_QUERY_ENGINE_H_

#include <cstddef>
#include <functional>
#include <string_view>

#include "ridesweep/analytics/query_result.h"
#include "ridesweep/base/result.h"

namespace ridesweep::analytics {

class QueryEngine {
 public:
  virtual ~QueryEngine() = default;

  // Runs one statement (DDL included: the result then has whatever the engine reports, often no rows).
  // Errors: the engine's failure — a statement that does not parse or bind, a missing file, a network
  // error — with the engine's text in the message. Implementations say their thread-safety.
  virtual Result<QueryResult> Run(std::string_view sql) = 0;

  // Runs one statement and hands its rows to `consume` in order, at most `batch_rows` (≥ 1) at a time, each batch
  // a QueryResult with every column, so a large result is never held as text all at once. `consume` must not call
  // this engine. Errors: Run's, or the first error of `consume` (no batch is handed over after it). This default
  // runs Run() and hands every row over in one batch; engines that can do better override it.
  virtual Status RunInBatches(std::string_view sql, size_t batch_rows,
                              const std::function<Status(QueryResult&& batch)>& consume) {
    (void)batch_rows;
    RIDESWEEP_ASSIGN_OR_RETURN(QueryResult all, Run(sql));
    return consume(std::move(all));
  }
};

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_QUERY_ENGINE_H_
