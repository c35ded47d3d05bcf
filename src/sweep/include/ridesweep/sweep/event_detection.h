// Tells SQS batch events from API events (spec/sweep.md §6): an event is an SQS batch when `Records` is a non-empty
// array and every element has `eventSource` = `aws:sqs`; anything else goes to the API path. Pure.
#ifndef RIDESWEEP_SWEEP_EVENT_DETECTION_H_
#define RIDESWEEP_SWEEP_EVENT_DETECTION_H_

#include "ridesweep/base/json_value.h"

namespace ridesweep::sweep {

bool IsSqsEvent(const JsonValue& event);

}  // namespace ridesweep::sweep

#endif  // RIDESWEEP_SWEEP_EVENT_DETECTION_H_
