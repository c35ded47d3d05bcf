// The accept path (spec/sweep.md §5.1–§5.6), shared by the Lambda API handler, `ridesweep serve` and
// `ridesweep run`: validate → run manifest (create, resubmission or 409) → run_context record → one payload per
// shard → dispatch → 202. Every failure becomes the exact §5.6 status and body; nothing is enqueued unless the
// manifest and run_context were persisted. Thread-safe if the collaborators are.
#ifndef RIDESWEEP_SWEEP_SUBMIT_H_
#define RIDESWEEP_SWEEP_SUBMIT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ridesweep/base/object_store.h"
#include "ridesweep/sweep/dataset_writer.h"
#include "ridesweep/sweep/envelope.h"
#include "ridesweep/sweep/ports.h"
#include "ridesweep/sweep/request_validation.h"
#include "ridesweep/sweep/run_manifest.h"
#include "ridesweep/sweep/structured_log.h"

namespace ridesweep::sweep {

struct SubmitConfig {
  IngressConfig ingress;                                      // MAX_SHARDS ceiling, misconfiguration
  std::string results_prefix = "serverless-sweeps/outcomes";  // P
  size_t inline_payload_max_bytes = 65'536;                   // SWEEP_INLINE_PAYLOAD_MAX_BYTES
};

// Collaborators; not owned. The encoder serialises the run_context row (callers serialise access to it). log may
// be null (no log lines); the others are required.
struct SubmitContext {
  ObjectStore* store = nullptr;
  DatasetEncoder* encoder = nullptr;
  ShardDispatcher* dispatcher = nullptr;
  const Clock* clock = nullptr;
  StructuredLog* log = nullptr;
  SubmitConfig config;
};

// What an accepted submission fixed; present on 202 (and on a 502 partial dispatch, whose run exists).
struct AcceptedSubmission {
  RunManifest manifest;
  bool resubmission = false;
  DispatchReport dispatch;
};

struct SubmitResponse {
  int status_code = 500;
  std::string body;  // The exact §5.6 body (202 record or sorted-key error object).
  std::optional<AcceptedSubmission> accepted;
};

// A request already unwrapped from any envelope (local serve body, `ridesweep run` file), as text.
SubmitResponse SubmitRequestBytes(std::string_view body, RequestSource source, SubmitContext& ctx);
// A Lambda event as text (API Gateway proxy event or direct invocation); the source comes from the envelope.
SubmitResponse SubmitLambdaEvent(std::string_view event_json, SubmitContext& ctx);
// The steps after validation (§5.1 steps 2–5).
SubmitResponse SubmitValidated(const ValidatedRequest& validated, RequestSource source, SubmitContext& ctx);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_SUBMIT_H_
