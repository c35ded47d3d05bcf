// SQL directory resolution, file loading and statement splitting (spec/sweep.md §11, athena/README.md).
#include "ridesweep/analytics/sql_files.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

namespace ridesweep::analytics {
namespace {

namespace fs = std::filesystem;

bool IsDirectory(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

bool IsBlank(std::string_view line) { return line.find_first_not_of(" \t\r\f\v") == std::string_view::npos; }

bool IsCommentLine(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t\r\f\v");
  return first != std::string_view::npos && line.substr(first).starts_with("--");
}

bool EndsStatement(std::string_view line) {
  const size_t last = line.find_last_not_of(" \t\r\f\v");
  return last != std::string_view::npos && line[last] == ';';
}

Status SqlDirNotFound(const fs::path& path) { return NotFoundError("SQL directory not found: " + path.string()); }

}  // namespace

SqlDirCandidates SqlDirCandidatesFromEnvironment(std::optional<fs::path> explicit_dir,
                                                 std::optional<fs::path> compiled_in_dir) {
  SqlDirCandidates candidates;
  candidates.explicit_dir = std::move(explicit_dir);
  const std::string env_name(kSqlDirEnvVar);
  if (const char* env = std::getenv(env_name.c_str()); env != nullptr && *env != '\0') {
    candidates.env_dir = fs::path(env);
  }
  candidates.compiled_in_dir = std::move(compiled_in_dir);
  return candidates;
}

Result<fs::path> ResolveSqlDir(const SqlDirCandidates& candidates) {
  for (const std::optional<fs::path>* chosen : {&candidates.explicit_dir, &candidates.env_dir}) {
    if (chosen->has_value()) {
      if (!IsDirectory(**chosen)) return SqlDirNotFound(**chosen);
      return **chosen;
    }
  }
  if (IsDirectory(candidates.working_dir_default)) return candidates.working_dir_default;
  if (candidates.installed_dir.has_value() && IsDirectory(*candidates.installed_dir)) {
    return *candidates.installed_dir;
  }
  if (candidates.compiled_in_dir.has_value() && IsDirectory(*candidates.compiled_in_dir)) {
    return *candidates.compiled_in_dir;
  }
  return SqlDirNotFound(candidates.working_dir_default);
}

Result<std::string> LoadSqlFile(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return NotFoundError("SQL file not found: " + path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return FailedPreconditionError("cannot read SQL file " + path.string() + ": " + std::strerror(errno));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Result<std::vector<std::string>> SplitSqlStatements(std::string_view text, std::string_view file_name) {
  std::vector<std::string> statements;
  std::string current;
  bool in_statement = false;
  bool trailing_text = false;
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t newline = rest.find('\n');
    std::string_view line = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (!in_statement && (IsBlank(line) || IsCommentLine(line))) continue;
    if (in_statement) current.push_back('\n');
    current.append(line);
    in_statement = true;
    if (EndsStatement(line)) {
      statements.push_back(std::move(current));
      current.clear();
      in_statement = false;
    }
  }
  if (in_statement) {
    // Only comment lines may follow the last statement (they were appended because a statement had begun).
    std::string_view tail = current;
    while (!tail.empty()) {
      const size_t newline = tail.find('\n');
      const std::string_view line = tail.substr(0, newline);
      tail = newline == std::string_view::npos ? std::string_view() : tail.substr(newline + 1);
      if (!IsBlank(line) && !IsCommentLine(line)) trailing_text = true;
    }
  }
  if (trailing_text) {
    return InvalidArgumentError("Trailing text after the last statement in " + std::string(file_name));
  }
  return statements;
}

namespace {

// Substituted and split; a final statement without its `;` (Athena does not need it) is closed.
Result<std::vector<std::string>> SubstituteAndSplit(std::string_view text, const PlaceholderValues& values,
                                                    std::string_view file_name) {
  RIDESWEEP_ASSIGN_OR_RETURN(std::string substituted, SubstitutePlaceholders(text, values, file_name));
  Result<std::vector<std::string>> split = SplitSqlStatements(substituted, file_name);
  if (!split.ok()) {
    substituted += "\n;";
    split = SplitSqlStatements(substituted, file_name);
  }
  RIDESWEEP_ASSIGN_OR_RETURN(std::vector<std::string> statements, std::move(split));
  for (std::string& statement : statements) {
    // EndsStatement guarantees the last non-blank character is the ';'. Drop it and the blanks around it.
    statement.resize(statement.find_last_not_of(" \t\r\f\v"));
    statement.resize(statement.find_last_not_of(" \t\r\n\f\v") + 1);
  }
  return statements;
}

}  // namespace

Result<std::string> PrepareSingleStatement(std::string_view text, const PlaceholderValues& values,
                                           std::string_view file_name) {
  RIDESWEEP_ASSIGN_OR_RETURN(std::vector<std::string> statements, SubstituteAndSplit(text, values, file_name));
  if (statements.size() != 1) {
    return InvalidArgumentError("Expected exactly one SQL statement in " + std::string(file_name) + ", found " +
                                std::to_string(statements.size()));
  }
  return std::move(statements.front());
}

Result<std::vector<std::string>> PrepareStatements(std::string_view text, const PlaceholderValues& values,
                                                   std::string_view file_name) {
  RIDESWEEP_ASSIGN_OR_RETURN(std::vector<std::string> statements, SubstituteAndSplit(text, values, file_name));
  if (statements.empty()) return InvalidArgumentError("No SQL statement in " + std::string(file_name));
  return statements;
}

Result<std::string> LoadSingleStatement(const fs::path& path, const PlaceholderValues& values) {
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string text, LoadSqlFile(path));
  return PrepareSingleStatement(text, values, path.filename().string());
}

Result<fs::path> ResolveQueryFile(const fs::path& sql_dir, std::string_view query) {
  std::error_code ec;
  const fs::path as_given{std::string(query)};
  if (!query.empty() && fs::is_regular_file(as_given, ec)) return as_given;
  if (!query.empty() && query.find('/') == std::string_view::npos) {
    std::string name(query);
    if (!name.ends_with(".sql")) name += ".sql";
    const fs::path in_dir = sql_dir / name;
    if (fs::is_regular_file(in_dir, ec)) return in_dir;
  }
  return NotFoundError("Query file not found: " + std::string(query) + " (looked in " + sql_dir.string() + ")");
}

}  // namespace ridesweep::analytics
