// Routing a run's statements to the tables of its layout.
#include "ridesweep/analytics/layout_tables.h"

#include "ridesweep/base/check.h"

namespace ridesweep::analytics {
namespace {

constexpr sweep::Dataset kPointDatasets[] = {sweep::Dataset::kShardMetrics, sweep::Dataset::kTripData,
                                             sweep::Dataset::kSnapshotCounts, sweep::Dataset::kEffectiveParameters};

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::string TableName(sweep::Dataset dataset) { return "sweep_" + std::string(sweep::DatasetName(dataset)); }

std::string PerShardTableName(sweep::Dataset dataset) {
  RIDESWEEP_CHECK(sweep::IsPointDataset(dataset)) << "not a per-point dataset: " << sweep::DatasetName(dataset);
  return TableName(dataset) + "_per_shard";
}

std::string RouteToLayout(std::string_view sql, sweep::OutputLayout layout) {
  if (layout == sweep::OutputLayout::kPerPoint) return std::string(sql);
  std::string routed;
  routed.reserve(sql.size() + 64);
  size_t i = 0;
  while (i < sql.size()) {
    if (!IsWordChar(sql[i])) {
      routed += sql[i++];
      continue;
    }
    size_t end = i;
    while (end < sql.size() && IsWordChar(sql[end])) ++end;
    const std::string_view word = sql.substr(i, end - i);
    routed += word;
    for (sweep::Dataset dataset : kPointDatasets) {
      if (word == TableName(dataset)) {
        routed += "_per_shard";
        break;
      }
    }
    i = end;
  }
  return routed;
}

Result<QueryResult> LayoutRoutedEngine::Run(std::string_view sql) { return inner_.Run(RouteToLayout(sql, layout_)); }

Status LayoutRoutedEngine::RunInBatches(std::string_view sql, size_t batch_rows,
                                        const std::function<Status(QueryResult&& batch)>& consume) {
  return inner_.RunInBatches(RouteToLayout(sql, layout_), batch_rows, consume);
}

}  // namespace ridesweep::analytics
