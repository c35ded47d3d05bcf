// Results location resolution for every command.
#include "commands/results_location.h"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>

#include "commands/s3_results.h"
#include "ridesweep/store/local_dir_store.h"

namespace ridesweep::cli {
namespace {

std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : std::string(fallback);
}

}  // namespace

std::string ResultsLocation::Dir() const {
  return results_dir.empty() ? EnvOr("SWEEP_RESULTS_DIR", "./sweep-results") : results_dir;
}

std::string ResultsLocation::Prefix() const {
  return results_prefix.empty() ? EnvOr("SWEEP_RESULTS_PREFIX", "serverless-sweeps/outcomes") : results_prefix;
}

void AddResultsLocationOptions(CLI::App* cmd, ResultsLocation& location) {
  cmd->add_option("--results-dir", location.results_dir,
                  "Results directory (default: $SWEEP_RESULTS_DIR or ./sweep-results); status, query, ingest and "
                  "report also read s3://BUCKET[/PREFIX] (SWEEP_S3_ENDPOINT, AWS_REGION, AWS credentials)");
  cmd->add_option("--results-prefix", location.results_prefix,
                  "Key prefix inside the results (default: $SWEEP_RESULTS_PREFIX or serverless-sweeps/outcomes)");
}

Result<std::unique_ptr<ObjectStore>> OpenResultsStore(const ResultsLocation& location, bool create) {
  const std::string dir = location.Dir();
  if (IsS3ResultsUrl(dir)) {
    if (create) {
      return InvalidArgumentError("results in S3 ('" + dir + "') are read-only here: status, query, ingest and report "
                                  "read them; runs write to a local directory (or go through the cloud path)");
    }
    RIDESWEEP_ASSIGN_OR_RETURN(const S3ResultsUrl url, ParseS3ResultsUrl(dir));
    return OpenS3ResultsStore(url);
  }
  std::error_code ec;
  if (!create) {
    // Readers create and probe nothing, so a read-only results directory works.
    if (!std::filesystem::is_directory(dir, ec)) return NotFoundError("results directory '" + dir + "' does not exist");
    RIDESWEEP_ASSIGN_OR_RETURN(std::unique_ptr<store::LocalDirStore> reader,
                               store::LocalDirStore::OpenForReading(dir));
    return std::unique_ptr<ObjectStore>(std::move(reader));
  }
  RIDESWEEP_ASSIGN_OR_RETURN(std::unique_ptr<store::LocalDirStore> local, store::LocalDirStore::Open(dir));
  // A writer killed between write and rename left its temporary file behind; the next writer removes it.
  RIDESWEEP_RETURN_IF_ERROR(local->RemoveStaleTempFiles(location.Prefix()).status());
  return std::unique_ptr<ObjectStore>(std::move(local));
}

}  // namespace ridesweep::cli
