// Key templates (spec/sweep.md §10.1).
#include "ridesweep/sweep/keys.h"

#include <array>
#include <charconv>
#include <vector>

#include "ridesweep/base/check.h"

namespace ridesweep::sweep {
namespace {

constexpr std::string_view kPartFile = "part-0.parquet";

// Datasets whose Parquet rows carry run_id/status/shard_id/point_index columns use `_partition` names.
bool UsesPartitionSuffix(Dataset d) {
  return d == Dataset::kEffectiveParameters || d == Dataset::kShardOutcomes || d == Dataset::kRunContext;
}

void AppendSegment(std::string* out, std::string_view name, bool suffix, std::string_view value) {
  out->append(name);
  if (suffix) out->append("_partition");
  out->push_back('=');
  out->append(value);
  out->push_back('/');
}

void AppendSegment(std::string* out, std::string_view name, bool suffix, uint64_t value) {
  AppendSegment(out, name, suffix, std::to_string(value));
}

}  // namespace

std::string_view DatasetName(Dataset dataset) {
  switch (dataset) {
    case Dataset::kShardMetrics: return "shard_metrics";
    case Dataset::kTripData: return "trip_data";
    case Dataset::kSnapshotCounts: return "snapshot_counts";
    case Dataset::kEffectiveParameters: return "effective_parameters";
    case Dataset::kShardOutcomes: return "shard_outcomes";
    case Dataset::kRunContext: return "run_context";
  }
  return "shard_metrics";
}

bool IsPointDataset(Dataset d) {
  return d == Dataset::kShardMetrics || d == Dataset::kTripData || d == Dataset::kSnapshotCounts ||
         d == Dataset::kEffectiveParameters;
}

std::string PerShardDatasetName(Dataset dataset) {
  RIDESWEEP_CHECK(IsPointDataset(dataset)) << "not a per-point dataset: " << DatasetName(dataset);
  return std::string(DatasetName(dataset)) + "_per_shard";
}

std::string_view RecordStatusName(RecordStatus status) {
  switch (status) {
    case RecordStatus::kSuccess: return "success";
    case RecordStatus::kFailure: return "failure";
    case RecordStatus::kAccepted: return "accepted";
  }
  return "success";
}

std::string NormalizeResultsPrefix(std::string_view configured_prefix) {
  size_t begin = 0;
  size_t end = configured_prefix.size();
  while (begin < end && configured_prefix[begin] == '/') ++begin;
  while (end > begin && configured_prefix[end - 1] == '/') --end;
  return std::string(configured_prefix.substr(begin, end - begin));
}

std::optional<std::string> ResultsPrefixProblem(std::string_view configured_prefix) {
  const std::string prefix = NormalizeResultsPrefix(configured_prefix);
  if (prefix.find('\0') != std::string::npos) return "contains a NUL byte";
  if (prefix.find('\\') != std::string::npos) return "contains a backslash";
  if (prefix.size() > 512) return "is longer than 512 bytes";
  if (prefix.empty()) return std::nullopt;
  size_t start = 0;
  while (true) {
    const size_t slash = prefix.find('/', start);
    const std::string_view segment =
        std::string_view(prefix).substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (segment.empty()) return "has an empty path segment";
    if (segment == "." || segment == "..") return "has a '.' or '..' path segment";
    if (segment.starts_with(".rs-tmp-")) return "has a segment starting with the reserved '.rs-tmp-'";
    if (slash == std::string::npos) return std::nullopt;
    start = slash + 1;
  }
}

StorageLayout::StorageLayout(std::string_view results_prefix) : prefix_(NormalizeResultsPrefix(results_prefix)) {
  if (!prefix_.empty()) root_ = prefix_ + "/";
}

std::string StorageLayout::DatasetPrefix(Dataset dataset) const {
  std::string key = root_;
  AppendSegment(&key, "dataset", false, DatasetName(dataset));
  return key;
}

std::string StorageLayout::PerShardDatasetPrefix(Dataset dataset) const {
  std::string key = root_;
  AppendSegment(&key, "dataset", false, PerShardDatasetName(dataset));
  return key;
}

std::string StorageLayout::RunPrefix(Dataset dataset, std::string_view run_date, std::string_view run_id) const {
  std::string key = DatasetPrefix(dataset);
  AppendSegment(&key, "run_date", false, run_date);
  AppendSegment(&key, "run_id", UsesPartitionSuffix(dataset), run_id);
  return key;
}

std::vector<std::string> StorageLayout::DatasetPrefixes(Dataset dataset) const {
  std::vector<std::string> prefixes = {DatasetPrefix(dataset)};
  if (IsPointDataset(dataset)) prefixes.push_back(PerShardDatasetPrefix(dataset));
  return prefixes;
}

std::vector<std::string> StorageLayout::RunPrefixes(Dataset dataset, std::string_view run_date,
                                                    std::string_view run_id) const {
  std::vector<std::string> prefixes = {RunPrefix(dataset, run_date, run_id)};
  if (IsPointDataset(dataset)) {
    std::string key = PerShardDatasetPrefix(dataset);
    AppendSegment(&key, "run_date", false, run_date);
    AppendSegment(&key, "run_id", UsesPartitionSuffix(dataset), run_id);
    prefixes.push_back(std::move(key));
  }
  return prefixes;
}

std::string StorageLayout::PointKey(Dataset dataset, std::string_view run_date, std::string_view run_id,
                                    uint64_t shard_id, uint64_t point_index, RecordStatus status) const {
  RIDESWEEP_CHECK(IsPointDataset(dataset)) << "not a per-point dataset: " << DatasetName(dataset);
  const bool suffix = UsesPartitionSuffix(dataset);
  std::string key = DatasetPrefix(dataset);
  AppendSegment(&key, "run_date", false, run_date);
  AppendSegment(&key, "run_id", suffix, run_id);
  AppendSegment(&key, "status", suffix, RecordStatusName(status));
  AppendSegment(&key, "shard_id", suffix, shard_id);
  AppendSegment(&key, "point_index", suffix, point_index);
  key.append(kPartFile);
  return key;
}

std::string StorageLayout::ShardKey(Dataset dataset, std::string_view run_date, std::string_view run_id,
                                    uint64_t shard_id) const {
  const bool suffix = UsesPartitionSuffix(dataset);
  std::string key = PerShardDatasetPrefix(dataset);
  AppendSegment(&key, "run_date", false, run_date);
  AppendSegment(&key, "run_id", suffix, run_id);
  AppendSegment(&key, "status", suffix, RecordStatusName(RecordStatus::kSuccess));
  AppendSegment(&key, "shard_id", suffix, shard_id);
  key.append(kPartFile);
  return key;
}

std::string StorageLayout::ShardOutcomeKey(std::string_view run_date, std::string_view run_id, RecordStatus status,
                                           uint64_t shard_id) const {
  std::string key = DatasetPrefix(Dataset::kShardOutcomes);
  AppendSegment(&key, "run_date", false, run_date);
  AppendSegment(&key, "run_id", true, run_id);
  AppendSegment(&key, "status", true, RecordStatusName(status));
  AppendSegment(&key, "shard_id", true, shard_id);
  key.append(kPartFile);
  return key;
}

std::string StorageLayout::RunContextKey(std::string_view run_date, std::string_view run_id) const {
  std::string key = DatasetPrefix(Dataset::kRunContext);
  AppendSegment(&key, "run_date", false, run_date);
  AppendSegment(&key, "run_id", true, run_id);
  AppendSegment(&key, "status", true, RecordStatusName(RecordStatus::kAccepted));
  key.append(kPartFile);
  return key;
}

std::string StorageLayout::RunManifestKey(std::string_view run_id) const {
  std::string key = root_;
  key += "runs/run_id=";
  key += run_id;
  key += "/manifest.json";
  return key;
}

std::string StorageLayout::CancelMarkerKey(std::string_view run_id) const {
  std::string key = root_;
  key += "runs/run_id=";
  key += run_id;
  key += "/cancel.json";
  return key;
}

std::string StorageLayout::RunsPrefix() const { return root_ + "runs/"; }

namespace {

Status BadKey(std::string_view key, std::string_view why) {
  return InvalidArgumentError("not a dataset key (" + std::string(why) + "): " + std::string(key));
}

std::vector<std::string_view> SplitSlash(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t slash = s.find('/', start);
    if (slash == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, slash - start));
    start = slash + 1;
  }
}

// Value of `name=value`, or nullopt if the segment has another name.
std::optional<std::string_view> SegmentValue(std::string_view segment, std::string_view name) {
  if (segment.size() <= name.size() || segment.substr(0, name.size()) != name || segment[name.size()] != '=') {
    return std::nullopt;
  }
  return segment.substr(name.size() + 1);
}

std::optional<uint64_t> ParseDecimal(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;  // no padding
  uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

Result<PartitionIdentity> ParseStorageKey(std::string_view key, std::string_view results_prefix) {
  const std::string prefix = NormalizeResultsPrefix(results_prefix);
  std::string_view rest = key;
  if (!prefix.empty()) {
    if (rest.size() <= prefix.size() || rest.substr(0, prefix.size()) != prefix || rest[prefix.size()] != '/') {
      return BadKey(key, "prefix");
    }
    rest.remove_prefix(prefix.size() + 1);
  }
  const std::vector<std::string_view> segments = SplitSlash(rest);
  if (segments.size() < 5 || segments.back() != kPartFile) return BadKey(key, "shape");
  const std::optional<std::string_view> dataset_name = SegmentValue(segments[0], "dataset");
  if (!dataset_name.has_value()) return BadKey(key, "dataset");
  PartitionIdentity id;
  bool known = false;
  for (Dataset d : {Dataset::kShardMetrics, Dataset::kTripData, Dataset::kSnapshotCounts,
                    Dataset::kEffectiveParameters, Dataset::kShardOutcomes, Dataset::kRunContext}) {
    if (DatasetName(d) == *dataset_name) {
      id.dataset = d;
      known = true;
    } else if (IsPointDataset(d) && PerShardDatasetName(d) == *dataset_name) {
      id.dataset = d;
      id.layout = OutputLayout::kPerShard;
      known = true;
    }
  }
  if (!known) return BadKey(key, "dataset");
  const bool suffix = UsesPartitionSuffix(id.dataset);
  const auto name = [suffix](std::string_view base) { return std::string(base) + (suffix ? "_partition" : ""); };
  const bool per_point_key = IsPointDataset(id.dataset) && id.layout == OutputLayout::kPerPoint;
  const size_t expected_segments =
      per_point_key ? 7 : (id.dataset == Dataset::kShardOutcomes || IsPointDataset(id.dataset) ? 6 : 5);
  if (segments.size() != expected_segments) return BadKey(key, "segment count");

  const auto text_segment = [&](size_t i, const std::string& n, std::string* out) {
    const std::optional<std::string_view> v = SegmentValue(segments[i], n);
    if (!v.has_value() || v->empty()) return false;
    *out = std::string(*v);
    return true;
  };
  const auto number_segment = [&](size_t i, const std::string& n, std::optional<uint64_t>* out) {
    const std::optional<std::string_view> v = SegmentValue(segments[i], n);
    if (!v.has_value()) return false;
    *out = ParseDecimal(*v);
    return out->has_value();
  };
  if (!text_segment(1, "run_date", &id.run_date)) return BadKey(key, "run_date");
  if (!text_segment(2, name("run_id"), &id.run_id)) return BadKey(key, "run_id");
  if (!text_segment(3, name("status"), &id.status)) return BadKey(key, "status");
  if (id.dataset != Dataset::kRunContext && !number_segment(4, name("shard_id"), &id.shard_id)) {
    return BadKey(key, "shard_id");
  }
  if (per_point_key && !number_segment(5, name("point_index"), &id.point_index)) {
    return BadKey(key, "point_index");
  }
  return id;
}

}  // namespace ridesweep::sweep
