// WriteLineToStderr: the log sink of the apps. Each line (plus '\n') leaves in one write(2) call under a
// process-wide mutex, so lines logged by concurrent worker threads never interleave (a reader splitting stderr on
// newlines sees whole JSON documents). Thread-safe.
#ifndef RIDESWEEP_BASE_STDERR_LINE_SINK_H_
#define RIDESWEEP_BASE_STDERR_LINE_SINK_H_

#include <string_view>

namespace ridesweep {

void WriteLineToStderr(std::string_view line);

}  // namespace ridesweep

#endif  // RIDESWEEP_BASE_STDERR_LINE_SINK_H_
