// ridesweep_aws_harness: a narrow driver that lets the Python integration tests (tests/aws) exercise the real
// aws-layer code — SignV4, S3Store, SqsDispatcher and AthenaClient over CurlTransport — against moto, a
// fault-injecting stub and botocore. Configuration comes from the standard environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, SWEEP_S3_ENDPOINT, SWEEP_SQS_ENDPOINT,
// SWEEP_ATHENA_ENDPOINT), exactly as the Lambda and the CLI read it. Work arrives as JSON on stdin; results
// leave as JSON on stdout, so the assertions live in the Python tests.
//   sign                  one JSON request per line in, one JSON signature per line out
//   s3 <bucket>           a JSON array of operations in, a JSON object with per-operation results out
//   sqs <queue-url>       {"messages": [...], "concurrency": n} in, the DispatchReport out
//   athena                a JSON array of operations in, per-operation results out
#include <chrono>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "ridesweep/aws/athena_client.h"
#include "ridesweep/aws/ca_bundle.h"
#include "ridesweep/aws/credentials.h"
#include "ridesweep/aws/curl_transport.h"
#include "ridesweep/aws/s3_store.h"
#include "ridesweep/aws/sigv4.h"
#include "ridesweep/aws/sqs_dispatcher.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/config.h"

namespace ridesweep::aws {
namespace {

std::string ReadAll(std::istream& in) { return std::string(std::istreambuf_iterator<char>(in), {}); }

const JsonValue& Member(const JsonObject& object, std::string_view key) {
  static const JsonValue kNull;
  const JsonValue* value = object.Find(key);
  return value == nullptr ? kNull : *value;
}

std::string Text(const JsonObject& object, std::string_view key) {
  const JsonValue& value = Member(object, key);
  return value.is_string() ? value.as_string() : std::string();
}

uint64_t Number(const JsonObject& object, std::string_view key, uint64_t fallback) {
  const JsonValue& value = Member(object, key);
  return value.is_unsigned() ? value.as_unsigned() : fallback;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char ch : bytes) {
    out += kHex[static_cast<unsigned char>(ch) >> 4];
    out += kHex[static_cast<unsigned char>(ch) & 0x0F];
  }
  return out;
}

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

void WriteStatus(JsonWriter& w, const Status& status) {
  w.Key("code").String(StatusCodeName(status.code())).Key("message").String(status.message());
}

std::shared_ptr<CurlTransport> MakeTransport() {
  CurlTransportOptions options;
  options.ca_bundle = FindCaBundle(sweep::ProcessEnvironment()).value_or("");
  return std::make_shared<CurlTransport>(options);
}

struct AwsEnvironment {
  Credentials credentials;
  std::string region;
};

Result<AwsEnvironment> LoadEnvironment() {
  const sweep::EnvironmentLookup env = sweep::ProcessEnvironment();
  RIDESWEEP_ASSIGN_OR_RETURN(Credentials credentials, CredentialsFromEnvironment(env));
  std::optional<std::string> region = RegionFromEnvironment(env);
  if (!region.has_value()) return FailedPreconditionError("AWS_REGION is not set");
  return AwsEnvironment{std::move(credentials), std::move(*region)};
}

int Sign() {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    const Result<JsonValue> parsed = ParseJson(line);
    if (!parsed.ok() || !parsed->is_object()) {
      std::cerr << "sign: bad input line: " << parsed.status().ToString() << "\n";
      return 2;
    }
    const JsonObject& in = parsed->as_object();
    HttpRequest request;
    request.method = Text(in, "method");
    request.scheme = Text(in, "scheme");
    request.host = Text(in, "host");
    request.path = Text(in, "path");
    for (const JsonValue& pair : Member(in, "query").as_array()) {
      request.query.emplace_back(pair.as_array()[0].as_string(), pair.as_array()[1].as_string());
    }
    for (const JsonValue& pair : Member(in, "headers").as_array()) {
      request.headers.push_back({pair.as_array()[0].as_string(), pair.as_array()[1].as_string()});
    }
    request.body = Unhex(Text(in, "body_hex"));
    const Credentials credentials{Text(in, "access_key"), Text(in, "secret_key"), Text(in, "token")};
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(Number(in, "time", 0)));
    const SigV4Result r = SignV4(request, credentials, Text(in, "region"), Text(in, "service"), now);
    std::string out;
    JsonWriter w(&out);
    w.BeginObject()
        .Key("canonical_request")
        .String(r.canonical_request)
        .Key("string_to_sign")
        .String(r.string_to_sign)
        .Key("authorization")
        .String(r.authorization)
        .Key("url")
        .String(request.Url())
        .Key("headers")
        .BeginArray();
    for (const HttpHeader& h : r.headers_to_add) w.BeginArray().String(h.name).String(h.value).EndArray();
    w.EndArray().EndObject();
    std::cout << out << "\n";
  }
  return 0;
}

int S3(const std::string& bucket) {
  Result<AwsEnvironment> aws = LoadEnvironment();
  if (!aws.ok()) {
    std::cerr << aws.status().ToString() << "\n";
    return 2;
  }
  const sweep::EnvironmentLookup env = sweep::ProcessEnvironment();
  auto transport = MakeTransport();
  S3StoreOptions options;
  options.bucket = bucket;
  options.region = aws->region;
  options.endpoint_url = env(sweep::env::kS3Endpoint);
  Result<std::unique_ptr<S3Store>> store = S3Store::Create(options, aws->credentials, transport);
  if (!store.ok()) {
    std::cerr << store.status().ToString() << "\n";
    return 2;
  }
  const Result<JsonValue> ops = ParseJson(ReadAll(std::cin));
  if (!ops.ok() || !ops->is_array()) {
    std::cerr << "s3: expected a JSON array of operations\n";
    return 2;
  }
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("results").BeginArray();
  for (const JsonValue& op_value : ops->as_array()) {
    const JsonObject& op = op_value.as_object();
    const std::string kind = Text(op, "op");
    const std::string key = Text(op, "key");
    const std::string data = op.Find("data_hex") ? Unhex(Text(op, "data_hex")) : Text(op, "data");
    w.BeginObject().Key("op").String(kind);
    if (kind == "put" || kind == "put_if_absent") {
      const Status s = kind == "put" ? (*store)->Put(key, data, Text(op, "content_type"))
                                     : (*store)->PutIfAbsent(key, data, Text(op, "content_type"));
      WriteStatus(w, s);
    } else if (kind == "get") {
      const Result<std::string> r = (*store)->Get(key);
      WriteStatus(w, r.status());
      if (r.ok()) w.Key("data_hex").String(Hex(*r));
    } else if (kind == "head") {
      const Result<ObjectInfo> r = (*store)->Head(key);
      WriteStatus(w, r.status());
      if (r.ok()) w.Key("exists").Bool(r->exists).Key("size").Unsigned(r->size);
    } else if (kind == "delete") {
      WriteStatus(w, (*store)->Delete(key));
    } else if (kind == "delete_many") {
      std::vector<std::string> keys;
      if (const JsonValue* list = op.Find("keys"); list != nullptr && list->is_array()) {
        for (const JsonValue& k : list->as_array()) keys.push_back(k.as_string());
      }
      WriteStatus(w, (*store)->DeleteMany(keys));
    } else if (kind == "list") {
      const Result<std::vector<std::string>> r = (*store)->List(Text(op, "prefix"));
      WriteStatus(w, r.status());
      if (r.ok()) {
        w.Key("keys").BeginArray();
        for (const std::string& k : *r) w.String(k);
        w.EndArray();
      }
    } else if (kind == "put_many") {
      // count objects "<prefix><index padded to 6>" from `threads` threads sharing the store.
      const uint64_t count = Number(op, "count", 0);
      const uint64_t threads = std::max<uint64_t>(1, Number(op, "threads", 4));
      const std::string prefix = Text(op, "prefix");
      std::vector<Status> statuses(count);
      std::vector<std::thread> pool;
      for (uint64_t t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
          for (uint64_t i = t; i < count; i += threads) {
            std::string index = std::to_string(i);
            index.insert(0, 6 - std::min<size_t>(6, index.size()), '0');
            statuses[i] = (*store)->Put(prefix + index, "v" + std::to_string(i), "text/plain");
          }
        });
      }
      for (std::thread& t : pool) t.join();
      Status first;
      for (const Status& s : statuses) {
        if (!s.ok()) {
          first = s;
          break;
        }
      }
      WriteStatus(w, first);
    } else {
      w.Key("code").String("UNKNOWN_OP");
    }
    w.EndObject();
  }
  w.EndArray()
      .Key("connections_opened")
      .Unsigned(transport->connections_opened())
      .Key("requests_sent")
      .Unsigned(transport->requests_sent())
      .EndObject();
  std::cout << out << "\n";
  return 0;
}

int Sqs(const std::string& queue_url) {
  Result<AwsEnvironment> aws = LoadEnvironment();
  if (!aws.ok()) {
    std::cerr << aws.status().ToString() << "\n";
    return 2;
  }
  const Result<JsonValue> input = ParseJson(ReadAll(std::cin));
  if (!input.ok() || !input->is_object()) {
    std::cerr << "sqs: expected a JSON object\n";
    return 2;
  }
  const JsonObject& in = input->as_object();
  std::vector<sweep::ShardMessage> messages;
  for (const JsonValue& m : Member(in, "messages").as_array()) {
    messages.push_back({Number(m.as_object(), "shard_id", 0), Text(m.as_object(), "body")});
  }
  auto transport = MakeTransport();
  SqsDispatcherOptions options;
  options.queue_url = queue_url;
  options.region = aws->region;
  options.endpoint_url = sweep::ProcessEnvironment()(sweep::env::kSqsEndpoint);
  options.concurrency = Number(in, "concurrency", 8);
  options.time_budget = std::chrono::milliseconds(Number(in, "time_budget_ms", 20'000));
  Result<std::unique_ptr<SqsDispatcher>> dispatcher = SqsDispatcher::Create(options, aws->credentials, transport);
  if (!dispatcher.ok()) {
    std::cerr << dispatcher.status().ToString() << "\n";
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  const sweep::DispatchReport report = (*dispatcher)->Dispatch(messages);
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("enqueued").BeginArray();
  for (const uint64_t id : report.enqueued_shard_ids) w.Unsigned(id);
  w.EndArray().Key("failed").BeginArray();
  for (const uint64_t id : report.failed_shard_ids) w.Unsigned(id);
  w.EndArray()
      .Key("first_error")
      .String(report.first_error)
      .Key("send_calls")
      .Unsigned(report.send_calls)
      .Key("elapsed_ms")
      .Unsigned(static_cast<uint64_t>(elapsed))
      .Key("target")
      .String((*dispatcher)->target())
      .Key("connections_opened")
      .Unsigned(transport->connections_opened())
      .EndObject();
  std::cout << out << "\n";
  return 0;
}

int Athena() {
  Result<AwsEnvironment> aws = LoadEnvironment();
  if (!aws.ok()) {
    std::cerr << aws.status().ToString() << "\n";
    return 2;
  }
  AthenaClientOptions options;
  options.region = aws->region;
  options.endpoint_url = sweep::ProcessEnvironment()(sweep::env::kAthenaEndpoint);
  Result<std::unique_ptr<AthenaClient>> client = AthenaClient::Create(options, aws->credentials, MakeTransport());
  if (!client.ok()) {
    std::cerr << client.status().ToString() << "\n";
    return 2;
  }
  const Result<JsonValue> ops = ParseJson(ReadAll(std::cin));
  if (!ops.ok() || !ops->is_array()) {
    std::cerr << "athena: expected a JSON array of operations\n";
    return 2;
  }
  std::string out;
  JsonWriter w(&out);
  w.BeginArray();
  std::string last_id;
  for (const JsonValue& op_value : ops->as_array()) {
    const JsonObject& op = op_value.as_object();
    const std::string kind = Text(op, "op");
    const std::string id = op.Find("id") ? Text(op, "id") : last_id;
    w.BeginObject().Key("op").String(kind);
    if (kind == "start") {
      const Result<std::string> r = (*client)->StartQueryExecution({.query = Text(op, "query"),
                                                                    .database = Text(op, "database"),
                                                                    .workgroup = Text(op, "workgroup"),
                                                                    .output_location = Text(op, "output")});
      WriteStatus(w, r.status());
      if (r.ok()) {
        last_id = *r;
        w.Key("id").String(*r);
      }
    } else if (kind == "get") {
      const Result<QueryExecution> r = (*client)->GetQueryExecution(id);
      WriteStatus(w, r.status());
      if (r.ok()) w.Key("state").String(r->state_name).Key("final").Bool(r->IsFinal());
    } else if (kind == "results") {
      const Result<QueryResultsPage> r = (*client)->GetQueryResults(id);
      WriteStatus(w, r.status());
      if (r.ok()) {
        w.Key("columns").BeginArray();
        for (const std::string& c : r->column_names) w.String(c);
        w.EndArray().Key("rows").BeginArray();
        for (const auto& row : r->rows) {
          w.BeginArray();
          for (const auto& cell : row) {
            if (cell.has_value()) {
              w.String(*cell);
            } else {
              w.Null();
            }
          }
          w.EndArray();
        }
        w.EndArray();
      }
    } else if (kind == "stop") {
      WriteStatus(w, (*client)->StopQueryExecution(id));
    } else {
      w.Key("code").String("UNKNOWN_OP");
    }
    w.EndObject();
  }
  w.EndArray();
  std::cout << out << "\n";
  return 0;
}

}  // namespace
}  // namespace ridesweep::aws

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "sign") return ridesweep::aws::Sign();
  if (args.size() == 2 && args[0] == "s3") return ridesweep::aws::S3(args[1]);
  if (args.size() == 2 && args[0] == "sqs") return ridesweep::aws::Sqs(args[1]);
  if (!args.empty() && args[0] == "athena") return ridesweep::aws::Athena();
  std::cerr << "usage: ridesweep_aws_harness sign | s3 <bucket> | sqs <queue-url> | athena\n";
  return 2;
}
