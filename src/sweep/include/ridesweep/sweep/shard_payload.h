// The shard message that travels through the queue (spec/sweep.md §5.5), in two forms: inline (the full
// dimensions, [compat]) and reference (dimensions replaced by the run manifest's key and the request
// fingerprint, [new]). The same encoder and decoder serve SQS and the local in-process queue.
// See docs/formats/sqs_payload.md. Pure functions; ShardPayloadEncoder is immutable after construction.
#ifndef RIDESWEEP_SWEEP_SHARD_PAYLOAD_H_
#define RIDESWEEP_SWEEP_SHARD_PAYLOAD_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/base/json_value.h"
#include "ridesweep/base/result.h"
#include "ridesweep/sweep/design.h"
#include "ridesweep/sweep/dimensions.h"
#include "ridesweep/sweep/normalized_request.h"
#include "ridesweep/sweep/output_layout.h"
#include "ridesweep/sweep/shard_plan.h"

namespace ridesweep::sweep {

// DO NOT REORDER: the field order is the wire order.
struct ShardPayload {
  std::string run_id;
  std::optional<std::string> run_date;  // set after DecodeShardPayload (payload value or fallback)
  std::optional<Dimensions> dimensions;  // absent in the reference form
  uint64_t total_points = 0;
  uint64_t shard_id = 0;
  uint64_t start_index = 0;
  uint64_t end_index_exclusive = 0;
  int64_t seed = 0;
  std::vector<uint64_t> failure_injection_shards;  // inline: the full list; reference: [shard_id] or []
  std::optional<std::string> request_key;          // reference form: the run manifest key
  std::optional<std::string> request_fingerprint;  // reference form
  uint64_t replications = 1;  // on the wire (after the fields above, both forms) only when not 1; absent means 1
  Design design;              // on the wire (both forms) only when not the grid; absent means grid
  OutputLayout layout = kDefaultOutputLayout;  // on the wire (last field) only when per_shard; absent: per_point

  bool is_reference() const { return !dimensions.has_value(); }
  bool ShouldInjectFailure() const;
};

// DO NOT CHANGE the names: `payload_form` of the dispatch_completed log event.
enum class PayloadForm : uint8_t { kInline, kReference };
std::string_view PayloadFormName(PayloadForm form);  // inline | reference

// Inline form when `dimensions` is set, else the reference form (REQUIRES request_key and request_fingerprint).
// `run_date` is omitted when absent.
std::string EncodeShardPayload(const ShardPayload& payload);

// Decodes a record body and returns it with run_date resolved (the payload's, else `fallback_run_date`).
// Errors are InvalidArgument with the exact rejection text: `invalid child shard payload: <detail>`, where a
// missing field reads ``missing field `<name>` at line <L> column <C>`` (position of the closing brace; fields
// checked in wire order; `dimensions` may be absent only when request_key and request_fingerprint are present),
// and `invalid child shard payload: run_id or run_date is not addressable` when run_id breaks RUN_ID_PATTERN or
// run_date is not YYYY-MM-DD. Unknown fields are ignored; a repeated key keeps its last value.
Result<ShardPayload> DecodeShardPayload(std::string_view body, std::string_view fallback_run_date);

// The `body` of an SQS record as found in the event: InvalidArgument `SQS record body must be a string` unless it
// is a string, else DecodeShardPayload.
Result<ShardPayload> DecodeShardPayloadRecordBody(const JsonValue& record_body, std::string_view fallback_run_date);

// Encodes every shard of one accepted run. Chooses the form once for the whole run: inline unless the longest
// inline body (the last shard's: it has the widest numbers) exceeds `inline_max_bytes` (capped at the SQS limit
// of 262 144 bytes), then reference for every shard. Encoding a shard is concatenation of cached fragments.
class ShardPayloadEncoder {
 public:
  // REQUIRES: plan.shards is non-empty. Keeps no reference to its arguments.
  ShardPayloadEncoder(const NormalizedRequest& request, const ShardPlan& plan, std::string_view run_date,
                      std::string_view request_key, std::string_view request_fingerprint, size_t inline_max_bytes);

  PayloadForm form() const { return form_; }
  std::string Encode(const ShardRange& shard) const;
  // One body per shard, in shard order.
  std::vector<std::string> EncodeAll(const ShardPlan& plan) const;

 private:
  std::string EncodeAs(PayloadForm form, const ShardRange& shard) const;

  PayloadForm form_ = PayloadForm::kInline;
  std::string inline_head_;     // {"run_id":…,"run_date":…,"dimensions":…,"total_points":N,"shard_id":
  std::string reference_head_;  // {"run_id":…,"run_date":…,"total_points":N,"shard_id":
  std::string seed_json_;
  std::string inline_injection_json_;  // the full normalized list
  // ,"replications":N when N is not 1, then ,"design":{…} when not a grid, then ,"layout":"per_shard"; else empty
  std::string extras_json_;
  std::string reference_tail_;         // ,"request_key":…,"request_fingerprint":…}
  std::vector<uint64_t> failure_injection_shards_;
};

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_SHARD_PAYLOAD_H_
