// AthenaClient speaks Athena's JSON 1.1 protocol (X-Amz-Target: AmazonAthena.<Action>) for the commands that
// run SQL files on the cloud path (spec/sweep.md §12, §13): StartQueryExecution, GetQueryExecution,
// GetQueryResults and StopQueryExecution. A thin request builder and response parser over HttpClient (SigV4
// service "athena", StoreRetryPolicy). API errors keep the "<HTTP status> <error type>: <message>" text that
// the CLI prints after `Athena invocation failed for <name>: `. Thread-safe; build once per process.
#ifndef RIDESWEEP_AWS_ATHENA_CLIENT_H_
#define RIDESWEEP_AWS_ATHENA_CLIENT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/aws/credentials.h"
#include "ridesweep/aws/endpoint.h"
#include "ridesweep/aws/http_client.h"
#include "ridesweep/aws/http_transport.h"

namespace ridesweep::aws {

struct AthenaClientOptions {
  std::string region;
  std::optional<std::string> endpoint_url;  // SWEEP_ATHENA_ENDPOINT; unset: https://athena.<region>.amazonaws.com
  HttpClientOptions http;
};

struct StartQueryRequest {
  std::string query = {};
  std::string database = {};              // QueryExecutionContext.Database; omitted when empty.
  std::string workgroup = {};             // WorkGroup; omitted when empty.
  std::string output_location = {};       // ResultConfiguration.OutputLocation (s3://…); omitted when empty.
  std::string client_request_token = {};  // Idempotency token (32..128 chars); omitted when empty.
};

enum class QueryState : uint8_t { kQueued, kRunning, kSucceeded, kFailed, kCancelled, kUnknown };

struct QueryExecution {
  std::string query_execution_id;
  QueryState state = QueryState::kUnknown;
  std::string state_name;           // As Athena spelled it ("SUCCEEDED").
  std::string state_change_reason;  // Empty when absent.
  bool IsFinal() const {
    return state == QueryState::kSucceeded || state == QueryState::kFailed || state == QueryState::kCancelled;
  }
};

// One page of GetQueryResults. For a SELECT the first row of the first page repeats the column names (Athena's
// convention); callers skip it. A NULL cell is nullopt.
struct QueryResultsPage {
  std::vector<std::string> column_names;  // From ResultSetMetadata.ColumnInfo.
  std::vector<std::string> column_types;  // Their Type (varchar, bigint, double, boolean, …), same order.
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::string next_token;  // Empty on the last page.
};

class AthenaClient {
 public:
  static Result<std::unique_ptr<AthenaClient>> Create(AthenaClientOptions options, Credentials credentials,
                                                      std::shared_ptr<HttpTransport> transport);

  // The QueryExecutionId.
  Result<std::string> StartQueryExecution(const StartQueryRequest& request) const;
  Result<QueryExecution> GetQueryExecution(std::string_view query_execution_id) const;
  // max_results: 1..1000; next_token empty for the first page.
  Result<QueryResultsPage> GetQueryResults(std::string_view query_execution_id, std::string_view next_token = {},
                                           int max_results = 1000) const;
  Status StopQueryExecution(std::string_view query_execution_id) const;

 private:
  AthenaClient(Endpoint endpoint, std::unique_ptr<HttpClient> client);
  Result<std::string> Call(std::string_view action, std::string body) const;

  Endpoint endpoint_;
  std::unique_ptr<HttpClient> client_;
};

// "SUCCEEDED" → kSucceeded, …; anything else kUnknown.
QueryState ParseQueryState(std::string_view name);

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_ATHENA_CLIENT_H_
