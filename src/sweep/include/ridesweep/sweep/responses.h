// HTTP answers of the API path (spec/sweep.md §5.6): the 202 body (a record, fields in fixed order; the first six
// are [compat]), builders for every error body of the table (keys sorted byte-wise), and the Lambda proxy
// response wrapper that local `serve` mirrors. See docs/formats/response_202.md. Pure functions.
#ifndef RIDESWEEP_SWEEP_RESPONSES_H_
#define RIDESWEEP_SWEEP_RESPONSES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/sweep/api_error.h"
#include "ridesweep/sweep/shard_plan.h"

namespace ridesweep::sweep {

struct AcceptedRun {
  std::string_view run_id;
  uint64_t total_points = 0;
  const ShardPlan* plan = nullptr;  // REQUIRES: not null
  std::string_view run_date;
  std::string_view request_fingerprint;
  std::string_view config_fingerprint;
};

// {"run_id","total_points","shards_dispatched","dispatches":[{"shard_id":s,"status_code":202}…],
//  "status":"dispatch_submitted","schema_version":"v1","run_date","request_fingerprint","config_fingerprint",
//  "shard_ranges":[[start,end],…]}
std::string AcceptedBody(const AcceptedRun& run);

// {"statusCode":<n>,"headers":{"Content-Type":"application/json"},"body":"<body as a JSON string>"}
std::string LambdaProxyResponse(int status_code, std::string_view body);
inline constexpr std::string_view kJsonContentType = "application/json";

// The `run_context` object of dispatch errors: {"request_fingerprint":…,"run_id":…,"schema_version":"v1"}.
JsonValue RunContextObject(std::string_view run_id, std::string_view request_fingerprint);

// §5.6 error table.
ApiError MakeRunIdConflictError(std::string_view run_id, std::string_view existing_request_fingerprint,
                                std::string_view run_date);                                          // 409
ApiError MakeRunContextSerializationError(std::string message);                                      // 500
ApiError MakeRunContextPersistFailedError(std::string_view run_context_key, std::string message);   // 502
ApiError MakeRunManifestFailedError(std::string_view run_manifest_key, std::string message);        // 502
ApiError MakeSerializationError(std::string message);                                                // 500

struct DispatchFailure {
  std::string_view dispatch_target;  // queue URL (cloud) or the local queue's name
  std::string_view run_id;
  std::string_view request_fingerprint;
  std::string_view run_date;
  std::vector<uint64_t> enqueued_shard_ids;
  std::vector<uint64_t> failed_shard_ids;
  std::string message;  // errors::FailedToEnqueue(first failure detail)
};
ApiError MakeDispatchFailedError(const DispatchFailure& failure);  // 502

ApiError MakeDispatchPanickedError(std::string_view details, std::string_view dispatch_target,
                                   std::string_view run_id, std::string_view request_fingerprint);  // 500
ApiError MakeInternalError(std::string_view details);                                               // 500
ApiError MakeNotFoundError(std::string_view method, std::string_view path);                         // 404
ApiError MakeMethodNotAllowedError();                                                               // 405
ApiError MakePayloadTooLargeError();                                                                // 413

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_RESPONSES_H_
