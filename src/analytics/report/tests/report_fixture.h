// A small two-dimensional run for the report tests, written as real Parquet through the analytics results fixture:
// dimensions commission_rate [0.2, 0.1] (request order, not sorted) × num_drivers [10, 20, 30], 6 points in the 4
// shards the real planner makes. Shards 0 and 2 succeed, shard 1 fails (injected, no point written), shard 3 has
// no record yet. Metrics are simple functions of the point index, so every aggregate can be checked by hand.
#ifndef RIDESWEEP_ANALYTICS_REPORT_TESTS_REPORT_FIXTURE_H_
#define RIDESWEEP_ANALYTICS_REPORT_TESTS_REPORT_FIXTURE_H_

#include <filesystem>
#include <string>

#include "ridesweep/analytics/local_views.h"
#include "tests/results_fixture.h"

namespace ridesweep::analytics::testing {

inline constexpr char kReportRunId[] = "report-run";
inline constexpr char kReportRunDate[] = "2026-03-01";

// Point i has commission_rate = [0.2, 0.1][i / 3] and num_drivers = [10, 20, 30][i % 3].
FixtureRun ReportRun();
// Writes ReportRun() (with its own manifest) under `root` and returns the location.
LocalResultsLocation WriteReportRun(const std::filesystem::path& root);

}  // namespace ridesweep::analytics::testing

#endif  // RIDESWEEP_ANALYTICS_REPORT_TESTS_REPORT_FIXTURE_H_
