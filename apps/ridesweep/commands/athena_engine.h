// The Athena adapter of the CLI: analytics::AsyncQueryEngine over aws::AthenaClient (StartQueryExecution with the
// workgroup, the output location and the database context; GetQueryExecution; StopQueryExecution; paginated
// GetQueryResults with Athena's header row dropped and DOUBLE values in the local engine's text, so `ridesweep
// query` prints the same CSV on both engines), built from the standard AWS environment: credentials from
// AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, else from `aws configure export-credentials --format
// process` for the active profile (spec/sweep.md §12); endpoint SWEEP_ATHENA_ENDPOINT (moto, a stub) or AWS.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_ATHENA_ENGINE_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_ATHENA_ENGINE_H_

#include <memory>
#include <string>

#include "ridesweep/analytics/async_query_engine.h"
#include "ridesweep/aws/credentials.h"
#include "ridesweep/base/result.h"

namespace ridesweep::cli {

struct AthenaConnection {
  std::string region;           // REQUIRES: non-empty
  std::string workgroup;        // WorkGroup
  std::string output_location;  // ResultConfiguration.OutputLocation (s3://…)
  std::string database;         // QueryExecutionContext.Database; empty: none
};

// The environment's credentials, else those `aws configure export-credentials --format process` prints.
// FailedPrecondition (aws::kCredentialsMissing) when neither works; secrets never appear in messages.
Result<aws::Credentials> LoadOperatorCredentials();

Result<std::unique_ptr<analytics::AsyncQueryEngine>> MakeAthenaEngine(const AthenaConnection& connection);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_ATHENA_ENGINE_H_
