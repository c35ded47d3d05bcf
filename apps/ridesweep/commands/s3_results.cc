// s3:// results locations: the S3 store under a key root, and the temporary local copy of one run.
#include "commands/s3_results.h"

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/aws/aws_clients.h"
#include "ridesweep/store/local_dir_store.h"
#include "ridesweep/sweep/config.h"
#include "ridesweep/sweep/identifiers.h"
#include "ridesweep/sweep/keys.h"

namespace ridesweep::cli {
namespace {

constexpr std::string_view kScheme = "s3://";
constexpr size_t kCopyThreads = 8;
constexpr sweep::Dataset kDatasets[] = {
    sweep::Dataset::kShardMetrics,        sweep::Dataset::kTripData,       sweep::Dataset::kSnapshotCounts,
    sweep::Dataset::kEffectiveParameters, sweep::Dataset::kShardOutcomes, sweep::Dataset::kRunContext,
};

bool IsBucketChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '_';
}

// The bucket's keys seen from `root/`: every key gets the root in front, listings lose it again.
class RootedStore final : public ObjectStore {
 public:
  RootedStore(std::unique_ptr<ObjectStore> target, std::string root) : target_(std::move(target)), root_(root + "/") {}

  Status Put(std::string_view key, std::string_view data, std::string_view content_type) override {
    return target_->Put(Full(key), data, content_type);
  }
  Status PutIfAbsent(std::string_view key, std::string_view data, std::string_view content_type) override {
    return target_->PutIfAbsent(Full(key), data, content_type);
  }
  Result<std::string> Get(std::string_view key) override { return target_->Get(Full(key)); }
  Result<ObjectInfo> Head(std::string_view key) override { return target_->Head(Full(key)); }
  Status Delete(std::string_view key) override { return target_->Delete(Full(key)); }
  Result<std::vector<std::string>> List(std::string_view prefix) override {
    RIDESWEEP_ASSIGN_OR_RETURN(std::vector<std::string> keys, target_->List(Full(prefix)));
    for (std::string& key : keys) key.erase(0, root_.size());
    return keys;
  }

 private:
  std::string Full(std::string_view key) const { return root_ + std::string(key); }

  std::unique_ptr<ObjectStore> target_;
  std::string root_;
};

// Every key of the run: narrowed to the given run_dates, or (none given) each dataset listed and filtered.
Result<std::vector<std::string>> ListRunKeys(ObjectStore& store, std::string_view prefix, std::string_view run_id,
                                             const std::set<std::string>& run_dates) {
  const sweep::StorageLayout layout(prefix);
  std::vector<std::string> keys;
  for (sweep::Dataset dataset : kDatasets) {
    if (!run_dates.empty()) {
      for (const std::string& run_date : run_dates) {
        for (const std::string& run_prefix : layout.RunPrefixes(dataset, run_date, run_id)) {
          RIDESWEEP_ASSIGN_OR_RETURN(std::vector<std::string> found, store.List(run_prefix));
          keys.insert(keys.end(), found.begin(), found.end());
        }
      }
      continue;
    }
    for (const std::string& dataset_prefix : layout.DatasetPrefixes(dataset)) {
      RIDESWEEP_ASSIGN_OR_RETURN(std::vector<std::string> found, store.List(dataset_prefix));
      for (std::string& key : found) {
        Result<sweep::PartitionIdentity> identity = sweep::ParseStorageKey(key, prefix);
        if (identity.ok() && identity->run_id == run_id) keys.push_back(std::move(key));
      }
    }
  }
  return keys;
}

// Gets every key from `from` and puts it into `to`, a few at a time.
Status CopyObjects(ObjectStore& from, ObjectStore& to, const std::vector<std::string>& keys) {
  std::atomic<size_t> next{0};
  std::mutex mutex;
  Status first_error = Status::Ok();
  const auto work = [&] {
    for (size_t i = next++; i < keys.size(); i = next++) {
      Result<std::string> bytes = from.Get(keys[i]);
      Status status = bytes.ok() ? to.Put(keys[i], *bytes, "") : bytes.status();
      if (!status.ok()) {
        std::lock_guard<std::mutex> lock(mutex);
        if (first_error.ok()) first_error = std::move(status);
        next = keys.size();
      }
    }
  };
  std::vector<std::thread> threads;
  const size_t count = std::min(kCopyThreads, keys.size());
  threads.reserve(count);
  for (size_t t = 0; t < count; ++t) threads.emplace_back(work);
  for (std::thread& thread : threads) thread.join();
  return first_error;
}

Result<std::filesystem::path> MakePrivateDirectory() {
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string pattern = (std::filesystem::absolute(base, ec) / "ridesweep-s3-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {  // mode 0700
    return FailedPreconditionError("cannot create a temporary directory under " + base.string());
  }
  return std::filesystem::path(pattern);
}

}  // namespace

bool IsS3ResultsUrl(std::string_view location) { return location.starts_with(kScheme); }

std::string S3ResultsUrl::ToString() const {
  return std::string(kScheme) + bucket + (root.empty() ? "" : "/" + root);
}

Result<S3ResultsUrl> ParseS3ResultsUrl(std::string_view url) {
  const auto invalid = [&] {
    return InvalidArgumentError("invalid S3 results location '" + std::string(url) +
                                "': expected s3://BUCKET[/PREFIX]");
  };
  if (!IsS3ResultsUrl(url)) return invalid();
  std::string_view rest = url.substr(kScheme.size());
  const size_t slash = rest.find('/');
  S3ResultsUrl parsed;
  parsed.bucket = std::string(rest.substr(0, slash));
  if (parsed.bucket.empty() || !std::all_of(parsed.bucket.begin(), parsed.bucket.end(), IsBucketChar)) {
    return invalid();
  }
  if (slash != std::string_view::npos) parsed.root = sweep::NormalizeResultsPrefix(rest.substr(slash + 1));
  return parsed;
}

Result<std::unique_ptr<ObjectStore>> OpenS3ResultsStore(const S3ResultsUrl& url) {
  const sweep::EnvironmentLookup environment = sweep::ProcessEnvironment();
  RIDESWEEP_ASSIGN_OR_RETURN(const aws::AwsContext context, aws::LoadAwsContext(environment));
  sweep::SweepConfig config = sweep::LoadSweepConfig(sweep::DeploymentMode::kCloud, environment);
  config.results_bucket = url.bucket;
  RIDESWEEP_ASSIGN_OR_RETURN(std::unique_ptr<aws::S3Store> s3, aws::MakeS3Store(config, context));
  std::unique_ptr<ObjectStore> store = std::move(s3);
  if (url.root.empty()) return store;
  return std::unique_ptr<ObjectStore>(std::make_unique<RootedStore>(std::move(store), url.root));
}

Status CheckS3ManifestReadable(ObjectStore& store, const std::string& location, std::string_view prefix,
                               std::string_view run_id) {
  Result<std::string> manifest = store.Get(sweep::StorageLayout(prefix).RunManifestKey(run_id));
  if (manifest.ok() || manifest.status().code() == StatusCode::kNotFound) return Status::Ok();
  Result<S3ResultsUrl> url = ParseS3ResultsUrl(location);
  return manifest.status().WithPrefix("cannot read results at " + (url.ok() ? url->ToString() : location) + ": ");
}

Result<std::unique_ptr<RunResults>> RunResults::Open(const std::string& dir, const std::string& prefix,
                                                     std::string_view run_id,
                                                     const std::optional<std::string>& extra_run_date) {
  if (!IsS3ResultsUrl(dir)) return std::unique_ptr<RunResults>(new RunResults(dir, prefix));
  RIDESWEEP_ASSIGN_OR_RETURN(const S3ResultsUrl url, ParseS3ResultsUrl(dir));
  RIDESWEEP_ASSIGN_OR_RETURN(std::unique_ptr<ObjectStore> s3, OpenS3ResultsStore(url));
  return CopyRun(*s3, url.ToString(), prefix, run_id, extra_run_date);
}

Result<std::unique_ptr<RunResults>> RunResults::CopyRun(ObjectStore& source, const std::string& shown_as,
                                                        const std::string& prefix, std::string_view run_id,
                                                        const std::optional<std::string>& extra_run_date) {
  RIDESWEEP_ASSIGN_OR_RETURN(std::filesystem::path copy, MakePrivateDirectory());
  std::unique_ptr<RunResults> results(new RunResults(copy.string(), prefix));
  results->copy_ = copy;  // From here on the destructor removes it, whatever happens.
  results->copy_text_ = copy.lexically_normal().generic_string();
  results->shown_as_ = shown_as;
  if (!sweep::MatchesRunIdPattern(run_id)) return results;

  // Keeps the code: a NotFound from a listing is a missing bucket (a prefix with no keys lists as empty).
  const auto located = [&](const Status& status) {
    return status.WithPrefix("cannot read results at " + shown_as + ": ");
  };
  RIDESWEEP_ASSIGN_OR_RETURN(std::unique_ptr<store::LocalDirStore> local, store::LocalDirStore::Open(copy));
  const sweep::StorageLayout layout(prefix);
  const std::string manifest_key = layout.RunManifestKey(run_id);
  Result<std::string> manifest = source.Get(manifest_key);
  if (manifest.ok()) {
    RIDESWEEP_RETURN_IF_ERROR(local->Put(manifest_key, *manifest, ""));
    ++results->objects_copied_;
  } else if (manifest.status().code() != StatusCode::kNotFound) {
    return located(manifest.status());
  }
  // The run_date as the local commands would resolve it from the manifest just copied.
  std::set<std::string> run_dates;
  const analytics::ResolvedRun run = analytics::ResolveLocalRun(copy, prefix, run_id);
  if (run.run_date.has_value()) {
    run_dates.insert(*run.run_date);
    if (extra_run_date.has_value()) run_dates.insert(*extra_run_date);
  }
  Result<std::vector<std::string>> keys = ListRunKeys(source, prefix, run_id, run_dates);
  if (!keys.ok()) return located(keys.status());
  if (Status copied = CopyObjects(source, *local, *keys); !copied.ok()) return located(copied);
  results->objects_copied_ += keys->size();
  return results;
}

RunResults::~RunResults() {
  if (!copy_.has_value()) return;
  std::error_code ec;
  std::filesystem::remove_all(*copy_, ec);
}

std::string RunResults::Describe(std::string text) const {
  if (copy_text_.empty()) return text;
  for (size_t at = text.find(copy_text_); at != std::string::npos; at = text.find(copy_text_, at + shown_as_.size())) {
    text.replace(at, copy_text_.size(), shown_as_);
  }
  return text;
}

}  // namespace ridesweep::cli
