// The HTML page of a run comparison (`ridesweep compare --html FILE`): one self-contained, offline file in the
// report's style. Per metric a chart of every matched configuration's difference B − A with its 95% Welch
// interval against a zero line (intervals that exclude 0 are highlighted), followed by a table of both means, the
// difference and the interval. Charts carry their exact values in data-* attributes. Pure rendering; thread-safe.
#ifndef RIDESWEEP_ANALYTICS_COMPARISON_PAGE_H_
#define RIDESWEEP_ANALYTICS_COMPARISON_PAGE_H_

#include <string>

#include "ridesweep/analytics/run_comparison.h"

namespace ridesweep::analytics {

std::string RenderComparisonPage(const RunComparison& comparison);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_COMPARISON_PAGE_H_
