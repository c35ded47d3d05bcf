// Response bodies: the 202 record in its fixed field order, every §5.6 error body with sorted keys, and the Lambda
// proxy wrapper.
#include "ridesweep/sweep/responses.h"

#include <gtest/gtest.h>

#include <string>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/request_validation.h"

namespace ridesweep::sweep {
namespace {

// A body has sorted keys when canonical re-serialization leaves it unchanged.
void ExpectSortedKeys(const std::string& body) {
  Result<JsonValue> parsed = ParseJson(body);
  ASSERT_TRUE(parsed.ok()) << body;
  EXPECT_EQ(ToCanonicalJson(*parsed), body);
}

TEST(ResponsesTest, ReadmeAcceptedBodyOnAFixedDate) {
  ApiResult<ValidatedRequest> v = ParseAndValidateRequestBytes(
      R"({"run_id":"demo-run-001","dimensions":{"commission_rate":[0.1,0.2],"num_drivers":[100,200],"num_riders":[500,800]},"shard_count":4,"seed":42,"failure_injection_shards":[1]})",
      {});
  ASSERT_TRUE(v.ok());
  const std::string body = AcceptedBody(
      AcceptedRun{v->request.run_id, v->request.total_points, &v->plan, "2026-02-14", v->request_fingerprint,
                  v->config_fingerprint});
  EXPECT_EQ(body,
            R"({"run_id":"demo-run-001","total_points":8,"shards_dispatched":4,"dispatches":[{"shard_id":0,"status_code":202},{"shard_id":1,"status_code":202},{"shard_id":2,"status_code":202},{"shard_id":3,"status_code":202}],"status":"dispatch_submitted","schema_version":"v1","run_date":"2026-02-14","request_fingerprint":"2e4a112fbb933b9bc47bfb5002c170036d550d6fe001227f304ab7bb50d45ea3","config_fingerprint":"4f99775f5f389204a2285dffb8d0dcdef13c4a0e7ffe5c82d7d041a116ca5971","shard_ranges":[[0,2],[2,4],[4,6],[6,8]]})");
}

TEST(ResponsesTest, ProxyResponseWrapsTheBodyAsAString) {
  EXPECT_EQ(LambdaProxyResponse(400, R"({"error":"validation_error","message":"a \"b\""})"),
            R"({"statusCode":400,"headers":{"Content-Type":"application/json"},"body":"{\"error\":\"validation_error\",\"message\":\"a \\\"b\\\"\"}"})");
  const std::string wrapped = LambdaProxyResponse(202, "{}");
  EXPECT_EQ(wrapped.find("isBase64Encoded"), std::string::npos);
  Result<JsonValue> parsed = ParseJson(wrapped);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->as_object().Find("body")->as_string(), "{}");
}

TEST(ResponsesTest, ConflictBody) {
  const ApiError e = MakeRunIdConflictError("r1", "ff", "2026-02-14");
  EXPECT_EQ(e.status_code, 409);
  EXPECT_EQ(e.Body(),
            R"({"error":"run_id_conflict","existing_request_fingerprint":"ff","message":"run_id 'r1' was already submitted with a different request","run_date":"2026-02-14"})");
}

TEST(ResponsesTest, ErrorTableBodies) {
  struct Case {
    ApiError error;
    int status;
    const char* body;
  } kCases[] = {
      {MakeValidationError("run_id cannot be empty"), 400,
       R"({"error":"validation_error","message":"run_id cannot be empty"})"},
      {MakeMisconfigurationError("SWEEP_RESULTS_BUCKET must be configured"), 500,
       R"({"error":"misconfiguration","message":"SWEEP_RESULTS_BUCKET must be configured"})"},
      {MakeRunContextSerializationError("bad"), 500, R"({"error":"run_context_serialization_error","message":"bad"})"},
      {MakeRunContextPersistFailedError("k/part-0.parquet", "503"), 502,
       R"({"error":"run_context_persist_failed","message":"503","run_context_key":"k/part-0.parquet"})"},
      {MakeRunManifestFailedError("runs/run_id=r/manifest.json", "denied"), 502,
       R"({"error":"run_manifest_failed","message":"denied","run_manifest_key":"runs/run_id=r/manifest.json"})"},
      {MakeSerializationError("x"), 500, R"({"error":"serialization_error","message":"x"})"},
      {MakeDispatchPanickedError("boom", "https://q", "r", "abc"), 500,
       R"({"details":"boom","dispatch_target":"https://q","error":"dispatch_panicked","message":"Child dispatch panicked before completion","run_context":{"request_fingerprint":"abc","run_id":"r","schema_version":"v1"}})"},
      {MakeInternalError("oops"), 500,
       R"({"details":"oops","error":"internal_error","message":"Parent handler panicked while processing the request"})"},
      {MakeNotFoundError("GET", "/x"), 404, R"({"error":"not_found","message":"No route for GET /x"})"},
      {MakeMethodNotAllowedError(), 405, R"({"error":"method_not_allowed","message":"Use POST /sweep-run"})"},
      {MakePayloadTooLargeError(), 413,
       R"({"error":"payload_too_large","message":"Request body exceeds 10485760 bytes"})"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(c.error.status_code, c.status) << c.body;
    EXPECT_EQ(c.error.Body(), c.body);
    ExpectSortedKeys(c.error.Body());
  }
}

TEST(ResponsesTest, DispatchFailedListsShardsAndKeepsKeysSorted) {
  DispatchFailure f;
  f.dispatch_target = "https://sqs/q";
  f.run_id = "r";
  f.request_fingerprint = "fp";
  f.run_date = "2026-02-14";
  f.enqueued_shard_ids = {0, 1, 2};
  f.failed_shard_ids = {3, 4};
  f.message = errors::FailedToEnqueue("throttled");
  const ApiError e = MakeDispatchFailedError(f);
  EXPECT_EQ(e.status_code, 502);
  EXPECT_EQ(e.Body(),
            R"({"dispatch_target":"https://sqs/q","enqueued_shard_ids":[0,1,2],"error":"dispatch_failed","failed_shard_ids":[3,4],"message":"failed to enqueue shard message: throttled","run_context":{"request_fingerprint":"fp","run_id":"r","schema_version":"v1"},"run_date":"2026-02-14"})");
  ExpectSortedKeys(e.Body());
}

TEST(ResponsesTest, MessagesAreEscapedInBodies) {
  const ApiError e = MakeValidationError("Malformed request: invalid type: string \"2\", expected usize");
  EXPECT_EQ(e.Body(),
            R"({"error":"validation_error","message":"Malformed request: invalid type: string \"2\", expected usize"})");
}

}  // namespace
}  // namespace ridesweep::sweep
