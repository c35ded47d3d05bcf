// Which tables hold a run's point rows, by the run's layout. A per_point run's rows are in the contract's tables
// sweep_<d>; a per_shard run's rows are in sweep_<d>_per_shard, which exposes the same columns with the same types
// (on Athena a view over the external table sweep_<d>_per_shard_raw, locally a view over dataset=<d>_per_shard).
// Statements are written against the contract's names; RouteToLayout rewrites them for a run, one run being one
// layout, so the same query files serve both layouts on every engine. Pure functions and a thin engine wrapper.
#ifndef RIDESWEEP_ANALYTICS_LAYOUT_TABLES_H_
#define RIDESWEEP_ANALYTICS_LAYOUT_TABLES_H_

#include <functional>
#include <string>
#include <string_view>

#include "ridesweep/analytics/query_engine.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/output_layout.h"

namespace ridesweep::analytics {

// `sweep_<d>`: the contract's table of a dataset.
std::string TableName(sweep::Dataset dataset);

// `sweep_<d>_per_shard`: the per_shard layout's view of a per-point dataset. REQUIRES: a per-point dataset.
std::string PerShardTableName(sweep::Dataset dataset);

// `sql` with every whole-word `sweep_<d>` of the four per-point datasets replaced by `sweep_<d>_per_shard` for a
// per_shard run; unchanged for a per_point run. Words inside string literals and comments are replaced as well:
// the query files name tables only as tables.
std::string RouteToLayout(std::string_view sql, sweep::OutputLayout layout);

// An engine that routes every statement to `layout`'s tables before handing it to `inner` (which it does not own).
class LayoutRoutedEngine final : public QueryEngine {
 public:
  LayoutRoutedEngine(QueryEngine& inner, sweep::OutputLayout layout) : inner_(inner), layout_(layout) {}

  Result<QueryResult> Run(std::string_view sql) override;
  Status RunInBatches(std::string_view sql, size_t batch_rows,
                      const std::function<Status(QueryResult&& batch)>& consume) override;

 private:
  QueryEngine& inner_;
  sweep::OutputLayout layout_;
};

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_LAYOUT_TABLES_H_
