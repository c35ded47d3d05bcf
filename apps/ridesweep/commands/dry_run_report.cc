// `ridesweep run --dry-run` output; see dry_run_report.h.
#include "commands/dry_run_report.h"

#include <cstdio>
#include <ostream>
#include <string>
#include <utility>

#include "ridesweep/base/json_value.h"
#include "ridesweep/base/json_writer.h"

namespace ridesweep::cli {
namespace {

struct Layout {
  const char* name;
  const local::RunFootprint& footprint;
};

aws::CloudCost CostOf(const local::DryRunPlan& plan, const local::RunFootprint& footprint,
                      const DryRunPricing& pricing) {
  aws::CloudWorkload workload;
  workload.shards = plan.shards;
  workload.objects = footprint.objects;
  workload.bytes = footprint.bytes;
  workload.point_seconds = plan.point_seconds.value_or(0);
  workload.lambda_memory_mb = pricing.lambda_memory_mb;
  return aws::EstimateCloudCost(workload, pricing.prices);
}

std::string Fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

std::string Bytes(uint64_t bytes) {
  const double b = static_cast<double>(bytes);
  if (b >= 1024.0 * 1024 * 1024) return Fixed(b / (1024.0 * 1024 * 1024), 2) + " GiB";
  if (b >= 1024.0 * 1024) return Fixed(b / (1024.0 * 1024), 1) + " MiB";
  if (b >= 1024.0) return Fixed(b / 1024.0, 1) + " KiB";
  return std::to_string(bytes) + " B";
}

std::string Duration(double seconds) {
  if (seconds < 60) return Fixed(seconds, 1) + " s";
  const auto whole = static_cast<uint64_t>(seconds + 0.5);
  if (whole < 3600) return std::to_string(whole / 60) + " min " + std::to_string(whole % 60) + " s";
  return std::to_string(whole / 3600) + " h " + std::to_string(whole % 3600 / 60) + " min";
}

JsonValue CostJson(const aws::CloudCost& cost) {
  JsonObject o;
  o.Set("lambda_gb_seconds", JsonValue::Double(cost.lambda_gb_seconds));
  o.Set("lambda_requests", JsonValue::Unsigned(cost.lambda_requests));
  o.Set("sqs_requests", JsonValue::Unsigned(cost.sqs_requests));
  o.Set("s3_put_requests", JsonValue::Unsigned(cost.s3_put_requests));
  o.Set("storage_gb", JsonValue::Double(cost.storage_gb));
  o.Set("lambda_usd", JsonValue::Double(cost.lambda_usd));
  o.Set("sqs_usd", JsonValue::Double(cost.sqs_usd));
  o.Set("s3_requests_usd", JsonValue::Double(cost.s3_requests_usd));
  o.Set("storage_usd_per_month", JsonValue::Double(cost.storage_usd_per_month));
  o.Set("total_usd", JsonValue::Double(cost.total_usd));
  return JsonValue::Object(std::move(o));
}

JsonValue PricesJson(const DryRunPricing& pricing) {
  JsonObject o;
  o.Set("lambda_gb_second", JsonValue::Double(pricing.prices.lambda_gb_second));
  o.Set("lambda_request", JsonValue::Double(pricing.prices.lambda_request));
  o.Set("sqs_request", JsonValue::Double(pricing.prices.sqs_request));
  o.Set("s3_put_request", JsonValue::Double(pricing.prices.s3_put_request));
  o.Set("s3_gb_month", JsonValue::Double(pricing.prices.s3_gb_month));
  o.Set("lambda_memory_mb", JsonValue::Double(pricing.lambda_memory_mb));
  return JsonValue::Object(std::move(o));
}

}  // namespace

void PrintDryRunText(const local::DryRunPlan& plan, const DryRunPricing& pricing, std::ostream& out) {
  out << "Dry run of " << plan.run_id << ": nothing was run or written.\n";
  out << "Points: " << plan.points << " in " << plan.shards << " shards (largest shard: "
      << plan.largest_shard_points << " points)\n";
  out << "Calibration: " << plan.calibration_points << " points simulated in memory in "
      << Fixed(plan.calibration_seconds, 2) << " s\n";
  if (plan.estimated_wall_seconds.has_value()) {
    out << "Estimated wall time on this machine: " << Duration(*plan.estimated_wall_seconds) << " on "
        << plan.threads << " threads (" << Duration(*plan.point_seconds) << " of points on one thread)\n";
  }
  for (const Layout& layout : {Layout{"per_point", plan.per_point}, Layout{"per_shard", plan.per_shard}}) {
    const aws::CloudCost cost = CostOf(plan, layout.footprint, pricing);
    out << "Layout " << layout.name << ": " << layout.footprint.objects << " objects, "
        << Bytes(layout.footprint.bytes) << "; cloud cost about $" << Fixed(cost.total_usd, 2) << " (Lambda "
        << Fixed(cost.lambda_gb_seconds, 0) << " GB-s $" << Fixed(cost.lambda_usd, 2) << ", SQS "
        << cost.sqs_requests << " requests $" << Fixed(cost.sqs_usd, 2) << ", S3 " << cost.s3_put_requests
        << " PUTs $" << Fixed(cost.s3_requests_usd, 2) << ", storage $" << Fixed(cost.storage_usd_per_month, 2)
        << "/month)\n";
  }
}

void PrintDryRunJson(const local::DryRunPlan& plan, const DryRunPricing& pricing, std::ostream& out) {
  JsonObject o;
  o.Set("dry_run", JsonValue::Bool(true));
  o.Set("run_id", JsonValue::String(plan.run_id));
  o.Set("points", JsonValue::Unsigned(plan.points));
  o.Set("shards", JsonValue::Unsigned(plan.shards));
  o.Set("largest_shard_points", JsonValue::Unsigned(plan.largest_shard_points));
  o.Set("threads", JsonValue::Unsigned(plan.threads));
  o.Set("calibration_points", JsonValue::Unsigned(plan.calibration_points));
  o.Set("calibration_seconds", JsonValue::Double(plan.calibration_seconds));
  o.Set("point_seconds", plan.point_seconds ? JsonValue::Double(*plan.point_seconds) : JsonValue::Null());
  o.Set("estimated_wall_seconds",
        plan.estimated_wall_seconds ? JsonValue::Double(*plan.estimated_wall_seconds) : JsonValue::Null());
  JsonObject layouts;
  for (const Layout& layout : {Layout{"per_point", plan.per_point}, Layout{"per_shard", plan.per_shard}}) {
    JsonObject l;
    l.Set("objects", JsonValue::Unsigned(layout.footprint.objects));
    l.Set("bytes", JsonValue::Unsigned(layout.footprint.bytes));
    l.Set("cloud_cost", CostJson(CostOf(plan, layout.footprint, pricing)));
    layouts.Set(layout.name, JsonValue::Object(std::move(l)));
  }
  o.Set("layouts", JsonValue::Object(std::move(layouts)));
  o.Set("prices", PricesJson(pricing));
  out << ToCanonicalJson(JsonValue::Object(std::move(o))) << "\n";
}

}  // namespace ridesweep::cli
