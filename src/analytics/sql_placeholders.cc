// Placeholder validation and one-pass textual substitution (spec/sweep.md §11.2).
#include "ridesweep/analytics/sql_placeholders.h"

#include <algorithm>

#include "ridesweep/analytics/errors.h"
#include "ridesweep/base/check.h"
#include "ridesweep/sweep/identifiers.h"

namespace ridesweep::analytics {
namespace {

constexpr std::string_view kTokenOpen = "${";

// The value of a known token, nullopt when absent; `known` reports whether the name is a placeholder at all.
std::optional<std::string> ValueOf(std::string_view name, const PlaceholderValues& values, bool* known) {
  *known = true;
  if (name == kDatabasePlaceholder) return values.database;
  if (name == kResultsLocationPlaceholder) return values.results_location;
  if (name == kRunIdPlaceholder) return values.run_id;
  if (name == kExpectedShardsPlaceholder) {
    if (!values.expected_shards.has_value()) return std::nullopt;
    return std::to_string(*values.expected_shards);
  }
  *known = false;
  return std::nullopt;
}

std::string DoubleSingleQuotes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  return out;
}

// Calls fn(token_begin, token_end, name) for each `${name}` token, left to right.
template <typename Fn>
void ForEachToken(std::string_view text, Fn&& fn) {
  size_t pos = 0;
  while (true) {
    const size_t open = text.find(kTokenOpen, pos);
    if (open == std::string_view::npos) return;
    const size_t close = text.find('}', open + kTokenOpen.size());
    if (close == std::string_view::npos) return;  // An unclosed `${` is plain text.
    const std::string_view name = text.substr(open + kTokenOpen.size(), close - open - kTokenOpen.size());
    fn(open, close + 1, name);
    pos = close + 1;
  }
}

}  // namespace

bool IsValidDatabaseName(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

Status ValidatePlaceholderValues(const PlaceholderValues& values) {
  if (values.database.has_value() && !IsValidDatabaseName(*values.database)) {
    return InvalidArgumentError(errors::InvalidPlaceholderValue(kDatabasePlaceholder, *values.database));
  }
  if (values.run_id.has_value() && !sweep::MatchesRunIdPattern(*values.run_id)) {
    return InvalidArgumentError(errors::InvalidPlaceholderValue(kRunIdPlaceholder, *values.run_id));
  }
  if (values.expected_shards.has_value() && *values.expected_shards < 1) {
    return InvalidArgumentError(
        errors::InvalidPlaceholderValue(kExpectedShardsPlaceholder, std::to_string(*values.expected_shards)));
  }
  if (values.results_location.has_value() &&
      (values.results_location->empty() || values.results_location->back() == '/')) {
    return InvalidArgumentError(
        errors::InvalidPlaceholderValue(kResultsLocationPlaceholder, *values.results_location));
  }
  return Status::Ok();
}

std::vector<std::string> PlaceholderTokens(std::string_view text) {
  std::vector<std::string> names;
  ForEachToken(text, [&](size_t, size_t, std::string_view name) { names.emplace_back(name); });
  return names;
}

Result<std::string> SubstitutePlaceholders(std::string_view text, const PlaceholderValues& values,
                                           std::string_view file_name) {
  Status first_error;
  ForEachToken(text, [&](size_t, size_t, std::string_view name) {
    if (!first_error.ok()) return;
    bool known = false;
    const std::optional<std::string> value = ValueOf(name, values, &known);
    if (!known) {
      first_error = InvalidArgumentError(errors::UnknownPlaceholder(name, file_name));
    } else if (!value.has_value()) {
      first_error = InvalidArgumentError(errors::MissingPlaceholderValue(name, file_name));
    }
  });
  RIDESWEEP_RETURN_IF_ERROR(first_error);
  RIDESWEEP_RETURN_IF_ERROR(ValidatePlaceholderValues(values));

  std::string out;
  out.reserve(text.size());
  size_t copied = 0;
  ForEachToken(text, [&](size_t begin, size_t end, std::string_view name) {
    bool known = false;
    const std::optional<std::string> value = ValueOf(name, values, &known);
    out.append(text.substr(copied, begin - copied));
    out.append(name == kResultsLocationPlaceholder ? DoubleSingleQuotes(*value) : *value);
    copied = end;
  });
  out.append(text.substr(copied));
  return out;
}

void ReplaceSqlFragment(std::string& sql, std::string_view token, std::string_view value) {
  const size_t at = sql.find(token);
  RIDESWEEP_CHECK(at != std::string::npos) << "no " << token << " in the SQL text";
  sql.replace(at, token.size(), value);
}

}  // namespace ridesweep::analytics
