// The HTML report's inline stylesheet and its one small script (hover tooltips for the time series). Kept apart
// from the page code so the look can change without touching the layout logic. Both are constant text with no
// external reference (no fonts, images or scripts are loaded), so the page works offline.
#ifndef RIDESWEEP_ANALYTICS_REPORT_REPORT_PAGE_ASSETS_H_
#define RIDESWEEP_ANALYTICS_REPORT_REPORT_PAGE_ASSETS_H_

#include <string_view>

namespace ridesweep::analytics::report {

std::string_view ReportStylesheet();
std::string_view ReportScript();

}  // namespace ridesweep::analytics::report

#endif  // RIDESWEEP_ANALYTICS_REPORT_REPORT_PAGE_ASSETS_H_
