// Local view creation: the procedure of athena/README.md ("Local engine"), steps 1–4, and its Python reference
// tests/sql/sql_files.py::create_local_views.
#include "ridesweep/analytics/local_views.h"

#include <map>
#include <optional>
#include <system_error>

#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/analytics/sql_files.h"
#include "ridesweep/sweep/errors.h"
#include "ridesweep/sweep/identifiers.h"
#include "ridesweep/sweep/keys.h"

namespace ridesweep::analytics {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kViewMarker = "CREATE OR REPLACE VIEW ${database}.";
constexpr std::string_view kReadParquetMarker = "read_parquet(";
constexpr std::string_view kDatasetGlobMarker = "'${results_location}/dataset=";

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The word at `pos` in `text` (possibly empty).
std::string_view WordAt(std::string_view text, size_t pos) {
  size_t end = pos;
  while (end < text.size() && IsWordChar(text[end])) ++end;
  return text.substr(pos, end - pos);
}

// `CREATE OR REPLACE VIEW ${database}.<name> AS` → name.
std::optional<std::string> ViewNameOf(std::string_view statement) {
  const size_t at = statement.find(kViewMarker);
  if (at == std::string_view::npos) return std::nullopt;
  const size_t name_pos = at + kViewMarker.size();
  const std::string_view name = WordAt(statement, name_pos);
  if (name.empty() || !statement.substr(name_pos + name.size()).starts_with(" AS")) return std::nullopt;
  return std::string(name);
}

// `read_parquet(<blanks>'${results_location}/dataset=<d>/` → d.
std::optional<std::string> DatasetOf(std::string_view statement) {
  size_t at = statement.find(kReadParquetMarker);
  if (at == std::string_view::npos) return std::nullopt;
  at += kReadParquetMarker.size();
  while (at < statement.size() && (statement[at] == ' ' || statement[at] == '\n' || statement[at] == '\t' ||
                                   statement[at] == '\r')) {
    ++at;
  }
  if (!statement.substr(at).starts_with(kDatasetGlobMarker)) return std::nullopt;
  const size_t name_pos = at + kDatasetGlobMarker.size();
  const std::string_view dataset = WordAt(statement, name_pos);
  if (dataset.empty() || !statement.substr(name_pos + dataset.size()).starts_with("/")) return std::nullopt;
  return std::string(dataset);
}

constexpr sweep::Dataset kDatasets[] = {
    sweep::Dataset::kShardMetrics,        sweep::Dataset::kTripData,      sweep::Dataset::kSnapshotCounts,
    sweep::Dataset::kEffectiveParameters, sweep::Dataset::kShardOutcomes, sweep::Dataset::kRunContext,
};

std::optional<sweep::Dataset> DatasetNamed(std::string_view name) {
  for (sweep::Dataset dataset : kDatasets) {
    if (sweep::DatasetName(dataset) == name) return dataset;
  }
  return std::nullopt;
}

bool HasParquetFiles(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() == ".parquet" && it->is_regular_file(ec)) return true;
  }
  return false;
}

// Where the view of `dataset` reads, relative to the datasets root: the whole dataset, or one run's partitions.
std::string DatasetReadPrefix(std::string_view dataset_name, const std::optional<LocalRunScope>& run) {
  const std::string whole = "dataset=" + std::string(dataset_name) + "/";
  const std::optional<sweep::Dataset> dataset = DatasetNamed(dataset_name);
  if (!run.has_value() || !dataset.has_value()) return whole;
  return sweep::StorageLayout("").RunPrefix(*dataset, run->run_date.value_or("*"), run->run_id);
}

// Whether the view of the dataset has a Parquet file to read (`run_date=*` expanded by listing the dataset).
bool ReadPrefixHasParquetFiles(const fs::path& datasets_root, std::string_view dataset_name,
                               const std::optional<LocalRunScope>& run) {
  if (!run.has_value() || run->run_date.has_value()) {
    return HasParquetFiles(datasets_root / DatasetReadPrefix(dataset_name, run));
  }
  const fs::path dataset_dir = datasets_root / ("dataset=" + std::string(dataset_name));
  std::error_code ec;
  fs::directory_iterator it(dataset_dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string date_dir = it->path().filename().string();
    if (!date_dir.starts_with("run_date=")) continue;
    LocalRunScope dated = *run;
    dated.run_date = date_dir.substr(std::string_view("run_date=").size());
    if (HasParquetFiles(datasets_root / DatasetReadPrefix(dataset_name, dated))) return true;
  }
  return false;
}

// The view statement with its glob narrowed to the run's partitions (unchanged without a scope).
std::string NarrowGlob(const std::string& statement, std::string_view dataset_name,
                       const std::optional<LocalRunScope>& run) {
  if (!run.has_value()) return statement;
  const std::string whole = std::string(kDatasetGlobMarker) + std::string(dataset_name) + "/";
  const size_t at = statement.find(whole);
  if (at == std::string::npos) return statement;
  std::string narrowed = statement;
  narrowed.replace(at, whole.size(), "'${results_location}/" + DatasetReadPrefix(dataset_name, run));
  return narrowed;
}

Status CheckRunScope(const std::optional<LocalRunScope>& run) {
  if (!run.has_value()) return Status::Ok();
  if (!sweep::MatchesRunIdPattern(run->run_id)) return InvalidArgumentError(std::string(sweep::errors::kRunIdPattern));
  if (run->run_date.has_value() && !sweep::IsRunDate(*run->run_date)) {
    return InvalidArgumentError("invalid run_date for the local views: " + *run->run_date);
  }
  return Status::Ok();
}

}  // namespace

std::string LocalResultsLocation::DatasetsRoot() const {
  std::error_code ec;
  fs::path absolute = fs::absolute(results_dir, ec);
  if (ec) absolute = results_dir;
  std::string root = absolute.lexically_normal().generic_string();
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  const std::string prefix = sweep::NormalizeResultsPrefix(results_prefix);
  if (prefix.empty()) return root;
  return root == "/" ? root + prefix : root + "/" + prefix;
}

LocalResultsLocation ScopeToRun(LocalResultsLocation location, std::string_view run_id) {
  // A malformed run_id reads nothing of the tree; the command's own validation reports it.
  if (!sweep::MatchesRunIdPattern(run_id)) return location;
  return ScopeToRun(location, ResolveLocalRun(location.results_dir, location.results_prefix, run_id));
}

LocalResultsLocation ScopeToRun(LocalResultsLocation location, const ResolvedRun& run) {
  location.run = LocalRunScope{run.run_id, run.run_date};
  return location;
}

Result<std::vector<std::string>> CreateLocalViews(QueryEngine& engine, const fs::path& sql_dir,
                                                  const LocalResultsLocation& location, std::string_view database) {
  RIDESWEEP_RETURN_IF_ERROR(CheckRunScope(location.run));
  const fs::path views_path = sql_dir / std::string(kLocalViewsFile);
  const fs::path empty_path = sql_dir / std::string(kLocalEmptyViewsFile);
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string views_text, LoadSqlFile(views_path));
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string empty_text, LoadSqlFile(empty_path));
  const std::string views_name = views_path.filename().string();
  const std::string empty_name = empty_path.filename().string();
  RIDESWEEP_ASSIGN_OR_RETURN(const std::vector<std::string> view_templates,
                             SplitSqlStatements(views_text, views_name));
  RIDESWEEP_ASSIGN_OR_RETURN(const std::vector<std::string> empty_templates,
                             SplitSqlStatements(empty_text, empty_name));

  std::map<std::string, const std::string*, std::less<>> empty_by_view;
  for (const std::string& statement : empty_templates) {
    if (std::optional<std::string> view = ViewNameOf(statement)) empty_by_view.emplace(*view, &statement);
  }

  const std::string datasets_root = location.DatasetsRoot();
  PlaceholderValues values;
  values.database = std::string(database);
  values.results_location = datasets_root;
  PlaceholderValues empty_values;
  empty_values.database = std::string(database);

  std::vector<std::string> empty_views;
  for (const std::string& statement : view_templates) {
    const std::optional<std::string> dataset = DatasetOf(statement);
    std::string sql;
    if (dataset.has_value() && !ReadPrefixHasParquetFiles(fs::path(datasets_root), *dataset, location.run)) {
      const std::optional<std::string> view = ViewNameOf(statement);
      const auto empty = view.has_value() ? empty_by_view.find(*view) : empty_by_view.end();
      if (empty == empty_by_view.end()) {
        return InvalidArgumentError(empty_name + " has no statement for the view of dataset " + *dataset +
                                    " in " + views_name);
      }
      RIDESWEEP_ASSIGN_OR_RETURN(sql, SubstitutePlaceholders(*empty->second, empty_values, empty_name));
      empty_views.push_back(*view);
    } else {
      const std::string narrowed = dataset.has_value() ? NarrowGlob(statement, *dataset, location.run) : statement;
      RIDESWEEP_ASSIGN_OR_RETURN(sql, SubstitutePlaceholders(narrowed, values, views_name));
    }
    RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult ignored, engine.Run(sql));
    (void)ignored;
  }
  return empty_views;
}

}  // namespace ridesweep::analytics
