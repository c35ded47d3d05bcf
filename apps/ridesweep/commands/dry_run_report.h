// The output of `ridesweep run --dry-run`: the plan of local::PlanDryRun with the cloud path's estimated cost per
// layout (aws::EstimateCloudCost), as text or as one JSON object. Formatting only.
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_DRY_RUN_REPORT_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_DRY_RUN_REPORT_H_

#include <iosfwd>

#include "ridesweep/aws/cloud_cost_estimate.h"
#include "ridesweep/local/dry_run.h"

namespace ridesweep::cli {

struct DryRunPricing {
  aws::CloudPrices prices;
  double lambda_memory_mb = 1024;
};

void PrintDryRunText(const local::DryRunPlan& plan, const DryRunPricing& pricing, std::ostream& out);
void PrintDryRunJson(const local::DryRunPlan& plan, const DryRunPricing& pricing, std::ostream& out);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_DRY_RUN_REPORT_H_
