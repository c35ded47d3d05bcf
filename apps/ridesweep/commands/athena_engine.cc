// AsyncQueryEngine over AthenaClient, and the operator's credentials.
#include "commands/athena_engine.h"

#include <stdio.h>

#include <array>
#include <utility>
#include <vector>

#include "ridesweep/analytics/engine_value_text.h"
#include "ridesweep/aws/athena_client.h"
#include "ridesweep/aws/ca_bundle.h"
#include "ridesweep/aws/curl_transport.h"
#include "ridesweep/sweep/config.h"

namespace ridesweep::cli {
namespace {

class AthenaAsyncEngine final : public analytics::AsyncQueryEngine {
 public:
  AthenaAsyncEngine(std::unique_ptr<aws::AthenaClient> client, AthenaConnection connection)
      : client_(std::move(client)), connection_(std::move(connection)) {}

  Result<std::string> Start(std::string_view sql) override {
    aws::StartQueryRequest request;
    request.query = std::string(sql);
    request.database = connection_.database;
    request.workgroup = connection_.workgroup;
    request.output_location = connection_.output_location;
    return client_->StartQueryExecution(request);
  }

  Result<analytics::AsyncQueryStatus> Poll(std::string_view query_id) override {
    RIDESWEEP_ASSIGN_OR_RETURN(const aws::QueryExecution execution, client_->GetQueryExecution(query_id));
    analytics::AsyncQueryStatus status;
    status.state_name = execution.state_name;
    status.reason = execution.state_change_reason;
    switch (execution.state) {
      case aws::QueryState::kSucceeded:
        status.state = analytics::AsyncQueryState::kSucceeded;
        break;
      case aws::QueryState::kFailed:
        status.state = analytics::AsyncQueryState::kFailed;
        break;
      case aws::QueryState::kCancelled:
        status.state = analytics::AsyncQueryState::kCancelled;
        break;
      case aws::QueryState::kQueued:
      case aws::QueryState::kRunning:
        status.state = analytics::AsyncQueryState::kRunning;
        break;
      case aws::QueryState::kUnknown:
        return InternalError("unexpected query state " + execution.state_name);
    }
    return status;
  }

  Status Stop(std::string_view query_id) override { return client_->StopQueryExecution(query_id); }

  Result<analytics::QueryResult> Fetch(std::string_view query_id) override {
    analytics::QueryResult result;
    std::vector<std::string> types;
    std::string token;
    bool first_page = true;
    do {
      RIDESWEEP_ASSIGN_OR_RETURN(aws::QueryResultsPage page, client_->GetQueryResults(query_id, token));
      if (first_page) {
        result.columns = page.column_names;
        types = page.column_types;
        types.resize(result.columns.size());
        // Athena repeats the column names as the first row of a SELECT's first page.
        if (!page.rows.empty() && page.rows.front().size() == page.column_names.size()) {
          bool header = true;
          for (size_t i = 0; i < page.column_names.size(); ++i) {
            header = header && page.rows.front()[i] == std::optional<std::string>(page.column_names[i]);
          }
          if (header) page.rows.erase(page.rows.begin());
        }
        first_page = false;
      }
      for (auto& row : page.rows) {
        row.resize(result.columns.size());
        // Values in the local engine's text (engine_value_text.h), so both engines print the same CSV.
        for (size_t i = 0; i < row.size(); ++i) {
          if (row[i].has_value()) row[i] = analytics::LocalEngineText(types[i], std::move(*row[i]));
        }
        result.rows.push_back(std::move(row));
      }
      token = std::move(page.next_token);
    } while (!token.empty());
    return result;
  }

 private:
  std::unique_ptr<aws::AthenaClient> client_;
  AthenaConnection connection_;
};

// stdout of `command`, or nullopt when it cannot run or exits non-zero.
std::optional<std::string> CommandOutput(const char* command) {
  FILE* pipe = ::popen(command, "r");
  if (pipe == nullptr) return std::nullopt;
  std::string output;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), n);
  if (::pclose(pipe) != 0) return std::nullopt;
  return output;
}

}  // namespace

Result<aws::Credentials> LoadOperatorCredentials() {
  Result<aws::Credentials> from_env = aws::CredentialsFromEnvironment(sweep::ProcessEnvironment());
  if (from_env.ok()) return from_env;
  const std::optional<std::string> exported =
      CommandOutput("aws configure export-credentials --format process 2>/dev/null");
  if (!exported.has_value()) return from_env.status();
  Result<aws::Credentials> parsed = aws::ParseCredentialProcessOutput(*exported);
  if (!parsed.ok()) return from_env.status();
  return parsed;
}

Result<std::unique_ptr<analytics::AsyncQueryEngine>> MakeAthenaEngine(const AthenaConnection& connection) {
  RIDESWEEP_ASSIGN_OR_RETURN(aws::Credentials credentials, LoadOperatorCredentials());
  const sweep::EnvironmentLookup env = sweep::ProcessEnvironment();
  aws::AthenaClientOptions options;
  options.region = connection.region;
  if (std::optional<std::string> endpoint = env(sweep::env::kAthenaEndpoint); endpoint && !endpoint->empty()) {
    options.endpoint_url = std::move(endpoint);
  }
  auto transport = std::make_shared<aws::CurlTransport>(
      aws::CurlTransportOptions{.connect_timeout = std::chrono::milliseconds(3'000),
                                .request_timeout = std::chrono::milliseconds(60'000),
                                .ca_bundle = aws::FindCaBundle(env).value_or("")});
  RIDESWEEP_ASSIGN_OR_RETURN(std::unique_ptr<aws::AthenaClient> client,
                             aws::AthenaClient::Create(std::move(options), std::move(credentials), transport));
  return std::unique_ptr<analytics::AsyncQueryEngine>(new AthenaAsyncEngine(std::move(client), connection));
}

}  // namespace ridesweep::cli
