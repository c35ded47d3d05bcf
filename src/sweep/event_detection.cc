// SQS event detection (spec/sweep.md §6).
#include "ridesweep/sweep/event_detection.h"

namespace ridesweep::sweep {

bool IsSqsEvent(const JsonValue& event) {
  if (!event.is_object()) return false;
  const JsonValue* records = event.as_object().Find("Records");
  if (records == nullptr || !records->is_array() || records->as_array().empty()) return false;
  for (const JsonValue& record : records->as_array()) {
    if (!record.is_object()) return false;
    const JsonValue* source = record.as_object().Find("eventSource");
    if (source == nullptr || !source->is_string() || source->as_string() != "aws:sqs") return false;
  }
  return true;
}

}  // namespace ridesweep::sweep
