// Results in S3 for the read-side commands (`status`, `query`, `ingest --engine local`, `report`):
// `--results-dir s3://BUCKET[/ROOT]` names a bucket (and optionally a key root inside it) the way a local
// `--results-dir` names a directory, and the results prefix P applies inside it as usual, so the keys read are
// `[ROOT/]P/dataset=…` and `[ROOT/]P/runs/run_id=R/manifest.json`. The runtime writes `P/…` at the top of its
// bucket, so `s3://BUCKET` reads what the cloud path wrote. Endpoint: SWEEP_S3_ENDPOINT (any S3-compatible store,
// path-style) or AWS; region AWS_REGION (or AWS_DEFAULT_REGION); credentials from the standard variables only
// (ridesweep/aws/credentials.h). Only ListBucket and GetObject are used: the runtime role's read permissions.
//
// `status` reads through the store directly (listings and the manifest). The SQL commands need files, so
// RunResults first copies exactly the run's objects — its partitions of every dataset (under the manifest's
// run_date, or every run_date when no manifest says which) and its manifest — into a private temporary directory
// with the same key layout, runs the local engine there and removes the copy when it goes away; paths of the copy
// in messages and in the report read as the s3:// location. Everything AWS-specific in the CLI lives here.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_S3_RESULTS_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_S3_RESULTS_H_

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ridesweep/base/object_store.h"
#include "ridesweep/base/result.h"

namespace ridesweep::cli {

// True when `location` starts with s3:// (then it must parse with ParseS3ResultsUrl).
bool IsS3ResultsUrl(std::string_view location);

struct S3ResultsUrl {
  std::string bucket;
  std::string root;  // key root inside the bucket, without leading or trailing '/'; may be empty

  std::string ToString() const;  // s3://BUCKET[/ROOT]
};

// InvalidArgument `invalid S3 results location '<url>': expected s3://BUCKET[/PREFIX]` for an empty or malformed
// bucket name.
Result<S3ResultsUrl> ParseS3ResultsUrl(std::string_view url);

// An ObjectStore over the bucket whose keys are relative to the root. FailedPrecondition when credentials or the
// region are missing (the messages of aws/credentials.h, aws/aws_clients.h); InvalidArgument for a bad
// SWEEP_S3_ENDPOINT. Nothing is sent until the store is used.
Result<std::unique_ptr<ObjectStore>> OpenS3ResultsStore(const S3ResultsUrl& url);

// For `status` over S3, whose progress treats an unreadable manifest like a missing one: reads the run's manifest
// and returns the error (prefixed like RunResults') unless it is readable or absent, so a permission problem is
// reported rather than shown as a run without a plan.
Status CheckS3ManifestReadable(ObjectStore& store, const std::string& location, std::string_view prefix,
                               std::string_view run_id);

// One run's results as a local directory for the local engine: the results directory itself, or a private copy
// of the run's objects from S3 (removed by the destructor).
class RunResults {
 public:
  // For a local location: `dir` and `prefix` as given, nothing copied. For s3://: copies the run's objects; a
  // run_id that does not match the run_id pattern copies nothing (the local code then reports it as usual).
  // `extra_run_date` (ingest's --run-date) is copied as well when it differs from the manifest's. Errors:
  // InvalidArgument for a malformed s3:// location, NotFound for a missing bucket (like a missing results
  // directory), the store's errors (prefixed with the location) otherwise.
  static Result<std::unique_ptr<RunResults>> Open(const std::string& dir, const std::string& prefix,
                                                  std::string_view run_id,
                                                  const std::optional<std::string>& extra_run_date = std::nullopt);
  // The copy step of Open over any store (unit tests pass a MemoryStore); `shown_as` is the location that
  // Describe() and error messages name.
  static Result<std::unique_ptr<RunResults>> CopyRun(ObjectStore& source, const std::string& shown_as,
                                                     const std::string& prefix, std::string_view run_id,
                                                     const std::optional<std::string>& extra_run_date);
  ~RunResults();
  RunResults(const RunResults&) = delete;
  RunResults& operator=(const RunResults&) = delete;

  const std::string& dir() const { return dir_; }
  const std::string& prefix() const { return prefix_; }
  size_t objects_copied() const { return objects_copied_; }
  // `text` with every mention of the temporary copy replaced by the s3:// location (unchanged for local results).
  std::string Describe(std::string text) const;

 private:
  RunResults(std::string dir, std::string prefix) : dir_(std::move(dir)), prefix_(std::move(prefix)) {}

  std::string dir_;
  std::string prefix_;
  std::optional<std::filesystem::path> copy_;  // the temporary directory, when results came from S3
  std::string copy_text_;                      // its absolute path as the local code prints it
  std::string shown_as_;                       // s3://BUCKET[/ROOT]
  size_t objects_copied_ = 0;
};

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_S3_RESULTS_H_
