// The report tests' fixture run.
#include "report/tests/report_fixture.h"

#include <gtest/gtest.h>

#include "ridesweep/base/sha256.h"
#include "ridesweep/sweep/request_validation.h"

namespace ridesweep::analytics::testing {
namespace {

constexpr const char* kRates[] = {"0.2", "0.1"};
constexpr const char* kDrivers[] = {"10", "20", "30"};

FixturePoint MakePoint(uint64_t index) {
  FixturePoint p;
  p.index = index;
  p.trip_states = {kCompleted, kCompleted, kCancelled};
  p.snapshot_count = 7;
  p.selected_dimensions_json =
      std::string("{\"commission_rate\":") + kRates[index / 3] + ",\"num_drivers\":" + kDrivers[index % 3] + "}";
  sim::PointMetrics m = DefaultMetrics(p);
  m.conversion_rate = 0.1 * static_cast<double>(index + 1);
  m.platform_revenue = 100.0 + 10.0 * static_cast<double>(index);
  m.driver_payouts = 500.0 - 20.0 * static_cast<double>(index);
  m.avg_time_to_match_ms = 60'000.0 + 1'000.0 * static_cast<double>(index);
  m.avg_time_to_pickup_ms = 30'000.0;
  m.abandoned_quote_riders = static_cast<int64_t>(index);
  p.metrics = m;
  return p;
}

FixtureOutcome Outcome(const std::string& status, int begin_s, int end_s, int64_t points) {
  FixtureOutcome o;
  o.status = status;
  o.attempt = 1;
  o.event_time = TimeOn(kReportRunDate, begin_s);
  o.completed_time = TimeOn(kReportRunDate, end_s);
  o.points_processed = points;
  o.event_offset_s = begin_s;
  o.completed_offset_s = end_s;
  if (status == "failure") {
    o.error_code = "injected_failure";
    o.error_message = "Injected shard failure for verification <test>";
  }
  return o;
}

sweep::ValidatedRequest Request() {
  const std::string request =
      std::string(R"({"run_id":")") + kReportRunId +
      R"(","dimensions":{"num_drivers":[10,20,30],"commission_rate":[0.2,0.1]},"shard_count":4,"seed":3})";
  sweep::ApiResult<sweep::ValidatedRequest> validated = sweep::ParseAndValidateRequestBytes(request, {});
  EXPECT_TRUE(validated.ok());
  return validated.value();
}

}  // namespace

FixtureRun ReportRun() {
  const sweep::ValidatedRequest request = Request();
  FixtureRun run;
  run.run_id = kReportRunId;
  run.run_date = kReportRunDate;
  run.total_points = 6;
  run.shard_count = static_cast<int64_t>(request.plan.shards.size());
  run.config_fingerprint = Sha256Hex("config-report");
  // Shard 0 and 2 succeed (2 and 12 seconds), shard 1 fails, shard 3 never reports.
  for (const sweep::ShardRange& range : request.plan.shards) {
    if (range.shard_id == 3) continue;
    FixtureShard shard;
    shard.shard_id = range.shard_id;
    shard.start_index = range.start_index;
    shard.end_index_exclusive = range.end_index_exclusive;
    const auto size = static_cast<int64_t>(range.end_index_exclusive - range.start_index);
    if (range.shard_id == 1) {
      shard.outcomes = {Outcome("failure", 1, 1, 0)};
    } else {
      for (uint64_t i = range.start_index; i < range.end_index_exclusive; ++i) shard.points.push_back(MakePoint(i));
      shard.outcomes = {range.shard_id == 0 ? Outcome("success", 0, 2, size) : Outcome("success", 2, 12, size)};
    }
    run.shards.push_back(std::move(shard));
  }
  return run;
}

LocalResultsLocation WriteReportRun(const std::filesystem::path& root) {
  ResultsWriter writer(root, std::string(kPrefix));
  writer.WriteRun(ReportRun(), /*with_manifest=*/false);
  writer.WriteManifest(sweep::BuildRunManifest(Request(), kReportRunDate,
                                               std::string(kReportRunDate) + "T10:00:00.000000+00:00",
                                               sweep::RequestSource::kLocalCli));
  return LocalResultsLocation{root, std::string(kPrefix)};
}

}  // namespace ridesweep::analytics::testing
