// The HTML files `ridesweep report` and `ridesweep compare --html` write: an existing file is refused unless the
// command was given --force (checked before any work), and the page is written to a temporary file beside the
// target and renamed over it, so a failed write leaves neither a partial page nor the temporary file behind.
// Parent folders that do not exist are created (and removed again when the write fails).
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_OUTPUT_FILE_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_OUTPUT_FILE_H_

#include <filesystem>
#include <string>

#include "ridesweep/base/status.h"

namespace ridesweep::cli {

// Conflict `<path> already exists; pass --force to replace it` when `path` exists and `force` is false.
Status CheckOutputFile(const std::filesystem::path& path, bool force);

// FailedPrecondition `cannot write <path>: <reason>` when the file cannot be written.
Status WriteOutputFile(const std::filesystem::path& path, const std::string& text);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_OUTPUT_FILE_H_
