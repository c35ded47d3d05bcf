// Local view creation: the procedure of athena/README.md ("Local engine"), steps 1–4, and its Python reference
// tests/sql/sql_files.py::create_local_views.
#include "ridesweep/analytics/local_views.h"

#include <map>
#include <optional>
#include <system_error>

#include "ridesweep/analytics/sql_files.h"
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

bool DatasetHasParquetFiles(const fs::path& dataset_dir) {
  std::error_code ec;
  if (!fs::is_directory(dataset_dir, ec)) return false;
  fs::recursive_directory_iterator it(dataset_dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() == ".parquet" && it->is_regular_file(ec)) return true;
  }
  return false;
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

Result<std::vector<std::string>> CreateLocalViews(QueryEngine& engine, const fs::path& sql_dir,
                                                  const LocalResultsLocation& location, std::string_view database) {
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
    if (dataset.has_value() && !DatasetHasParquetFiles(fs::path(datasets_root) / ("dataset=" + *dataset))) {
      const std::optional<std::string> view = ViewNameOf(statement);
      const auto empty = view.has_value() ? empty_by_view.find(*view) : empty_by_view.end();
      if (empty == empty_by_view.end()) {
        return InvalidArgumentError(empty_name + " has no statement for the view of dataset " + *dataset +
                                    " in " + views_name);
      }
      RIDESWEEP_ASSIGN_OR_RETURN(sql, SubstitutePlaceholders(*empty->second, empty_values, empty_name));
      empty_views.push_back(*view);
    } else {
      RIDESWEEP_ASSIGN_OR_RETURN(sql, SubstitutePlaceholders(statement, values, views_name));
    }
    RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult ignored, engine.Run(sql));
    (void)ignored;
  }
  return empty_views;
}

}  // namespace ridesweep::analytics
