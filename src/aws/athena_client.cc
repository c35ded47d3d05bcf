// Athena JSON 1.1 requests and answers.
#include "ridesweep/aws/athena_client.h"

#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"

namespace ridesweep::aws {
namespace {

const JsonValue* Path(const JsonValue& root, std::initializer_list<std::string_view> keys) {
  const JsonValue* node = &root;
  for (const std::string_view key : keys) {
    if (!node->is_object()) return nullptr;
    node = node->as_object().Find(key);
    if (node == nullptr) return nullptr;
  }
  return node;
}

std::string TextAt(const JsonValue& root, std::initializer_list<std::string_view> keys) {
  const JsonValue* node = Path(root, keys);
  return node != nullptr && node->is_string() ? node->as_string() : std::string();
}

Result<JsonValue> ParseAnswer(std::string_view action, const std::string& body) {
  Result<JsonValue> doc = ParseJson(body);
  if (!doc.ok() || !doc->is_object()) {
    return InternalError("Athena " + std::string(action) + ": answer is not a JSON object");
  }
  return doc;
}

}  // namespace

QueryState ParseQueryState(std::string_view name) {
  if (name == "QUEUED") return QueryState::kQueued;
  if (name == "RUNNING") return QueryState::kRunning;
  if (name == "SUCCEEDED") return QueryState::kSucceeded;
  if (name == "FAILED") return QueryState::kFailed;
  if (name == "CANCELLED") return QueryState::kCancelled;
  return QueryState::kUnknown;
}

Result<std::unique_ptr<AthenaClient>> AthenaClient::Create(AthenaClientOptions options, Credentials credentials,
                                                           std::shared_ptr<HttpTransport> transport) {
  if (options.region.empty()) return InvalidArgumentError("AthenaClient needs a region (AWS_REGION)");
  RIDESWEEP_ASSIGN_OR_RETURN(Endpoint endpoint, ResolveEndpoint(options.endpoint_url, "athena", options.region));
  auto client = std::make_unique<HttpClient>(std::move(transport), std::move(credentials), options.region, "athena",
                                             ErrorFormat::kJson, std::move(options.http));
  return std::unique_ptr<AthenaClient>(new AthenaClient(std::move(endpoint), std::move(client)));
}

AthenaClient::AthenaClient(Endpoint endpoint, std::unique_ptr<HttpClient> client)
    : endpoint_(std::move(endpoint)), client_(std::move(client)) {}

Result<std::string> AthenaClient::Call(std::string_view action, std::string body) const {
  HttpRequest request;
  request.method = "POST";
  request.scheme = endpoint_.scheme;
  request.host = endpoint_.host;
  request.path = endpoint_.base_path + "/";
  request.headers.push_back({"Content-Type", "application/x-amz-json-1.1"});
  request.headers.push_back({"X-Amz-Target", "AmazonAthena." + std::string(action)});
  request.body = std::move(body);
  Result<HttpResponse> response = client_->Send(request);
  if (!response.ok()) return response.status();
  return std::move(response->body);
}

Result<std::string> AthenaClient::StartQueryExecution(const StartQueryRequest& request) const {
  std::string body;
  JsonWriter w(&body);
  w.BeginObject().Key("QueryString").String(request.query);
  if (!request.client_request_token.empty()) w.Key("ClientRequestToken").String(request.client_request_token);
  if (!request.database.empty()) {
    w.Key("QueryExecutionContext").BeginObject().Key("Database").String(request.database).EndObject();
  }
  if (!request.output_location.empty()) {
    w.Key("ResultConfiguration").BeginObject().Key("OutputLocation").String(request.output_location).EndObject();
  }
  if (!request.workgroup.empty()) w.Key("WorkGroup").String(request.workgroup);
  w.EndObject();
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string answer, Call("StartQueryExecution", std::move(body)));
  RIDESWEEP_ASSIGN_OR_RETURN(const JsonValue doc, ParseAnswer("StartQueryExecution", answer));
  std::string id = TextAt(doc, {"QueryExecutionId"});
  if (id.empty()) return InternalError("Athena StartQueryExecution: answer has no QueryExecutionId");
  return id;
}

Result<QueryExecution> AthenaClient::GetQueryExecution(std::string_view query_execution_id) const {
  std::string body;
  JsonWriter(&body).BeginObject().Key("QueryExecutionId").String(query_execution_id).EndObject();
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string answer, Call("GetQueryExecution", std::move(body)));
  RIDESWEEP_ASSIGN_OR_RETURN(const JsonValue doc, ParseAnswer("GetQueryExecution", answer));
  QueryExecution execution;
  execution.query_execution_id = TextAt(doc, {"QueryExecution", "QueryExecutionId"});
  execution.state_name = TextAt(doc, {"QueryExecution", "Status", "State"});
  execution.state = ParseQueryState(execution.state_name);
  execution.state_change_reason = TextAt(doc, {"QueryExecution", "Status", "StateChangeReason"});
  if (execution.state_name.empty()) return InternalError("Athena GetQueryExecution: answer has no Status.State");
  if (execution.query_execution_id.empty()) execution.query_execution_id = std::string(query_execution_id);
  return execution;
}

Result<QueryResultsPage> AthenaClient::GetQueryResults(std::string_view query_execution_id, std::string_view next_token,
                                                       int max_results) const {
  if (max_results < 1 || max_results > 1000) {
    return InvalidArgumentError("Athena GetQueryResults: max_results must be between 1 and 1000");
  }
  std::string body;
  JsonWriter w(&body);
  w.BeginObject().Key("QueryExecutionId").String(query_execution_id);
  w.Key("MaxResults").Unsigned(static_cast<uint64_t>(max_results));
  if (!next_token.empty()) w.Key("NextToken").String(next_token);
  w.EndObject();
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string answer, Call("GetQueryResults", std::move(body)));
  RIDESWEEP_ASSIGN_OR_RETURN(const JsonValue doc, ParseAnswer("GetQueryResults", answer));
  QueryResultsPage page;
  page.next_token = TextAt(doc, {"NextToken"});
  if (const JsonValue* columns = Path(doc, {"ResultSet", "ResultSetMetadata", "ColumnInfo"});
      columns != nullptr && columns->is_array()) {
    for (const JsonValue& column : columns->as_array()) {
      page.column_names.push_back(TextAt(column, {"Name"}));
      page.column_types.push_back(TextAt(column, {"Type"}));
    }
  }
  if (const JsonValue* rows = Path(doc, {"ResultSet", "Rows"}); rows != nullptr && rows->is_array()) {
    for (const JsonValue& row : rows->as_array()) {
      std::vector<std::optional<std::string>> cells;
      if (const JsonValue* data = Path(row, {"Data"}); data != nullptr && data->is_array()) {
        for (const JsonValue& cell : data->as_array()) {
          const JsonValue* value = Path(cell, {"VarCharValue"});
          if (value != nullptr && value->is_string()) {
            cells.emplace_back(value->as_string());
          } else {
            cells.emplace_back(std::nullopt);
          }
        }
      }
      page.rows.push_back(std::move(cells));
    }
  }
  return page;
}

Status AthenaClient::StopQueryExecution(std::string_view query_execution_id) const {
  std::string body;
  JsonWriter(&body).BeginObject().Key("QueryExecutionId").String(query_execution_id).EndObject();
  return Call("StopQueryExecution", std::move(body)).status();
}

}  // namespace ridesweep::aws
