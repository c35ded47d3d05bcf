// Plan file parsing (spec/sweep.md §11.1).
#include "ridesweep/analytics/sql_plan.h"

#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

#include "ridesweep/analytics/errors.h"

namespace ridesweep::analytics {
namespace {

std::string_view Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r\n\f\v");
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(" \t\r\n\f\v");
  return text.substr(begin, end - begin + 1);
}

}  // namespace

Result<std::vector<std::filesystem::path>> LoadPlan(const std::filesystem::path& plan_path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(plan_path, ec)) {
    return InvalidArgumentError(errors::PlanFileNotFound(plan_path.string()));
  }
  std::ifstream in(plan_path, std::ios::binary);
  if (!in) return InvalidArgumentError(errors::PlanFileNotFound(plan_path.string()));
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  const std::filesystem::path base = plan_path.parent_path();
  std::vector<std::filesystem::path> files;
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t newline = rest.find('\n');
    const std::string_view line = Trim(rest.substr(0, newline));
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
    if (line.empty() || line.front() == '#') continue;
    if (!line.ends_with(".sql")) return InvalidArgumentError(errors::PlanEntryNotSql(line));
    const std::filesystem::path entry(line);
    const std::filesystem::path resolved = entry.is_absolute() ? entry : base / entry;
    if (!std::filesystem::is_regular_file(resolved, ec)) {
      return InvalidArgumentError(errors::PlanSqlFileMissing(resolved.string()));
    }
    files.push_back(resolved);
  }
  if (files.empty()) return InvalidArgumentError(std::string(errors::kPlanEmpty));
  return files;
}

}  // namespace ridesweep::analytics
