// QueryEngine runs one SQL statement and returns its rows: the seam between the analytics code (readiness
// check, run summary, `ridesweep query`) and the engine underneath — DuckDbQueryEngine over a local results
// directory, or the aws layer's Athena client. Statements are the substituted SQL files of spec/sweep.md §11.
#ifndef RIDESWEEP_ANALYTICS_QUERY_ENGINE_H_
#define RIDESWEEP_ANALYTICS_QUERY_ENGINE_H_

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
};

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_QUERY_ENGINE_H_
