// Median relative interval half-width per metric.
#include "report/replicate_noise.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>

#include "ridesweep/analytics/configuration_summary.h"

namespace ridesweep::analytics::report {

std::vector<MetricNoise> ReplicateNoise(const std::vector<ScoredConfiguration>& points,
                                        const std::vector<const ReportMetric*>& metrics) {
  std::map<std::vector<std::pair<std::string, std::string>>, std::vector<const ScoredConfiguration*>> groups;
  for (const ScoredConfiguration& p : points) {
    std::vector<std::pair<std::string, std::string>> key;
    for (const DimensionValue& d : p.dimensions) key.emplace_back(d.name, d.value_json);
    groups[std::move(key)].push_back(&p);
  }
  std::vector<MetricNoise> out;
  for (const ReportMetric* metric : metrics) {
    MetricNoise noise;
    noise.metric = metric;
    std::vector<double> relative;
    for (const auto& [key, members] : groups) {
      std::vector<double> values;
      for (const ScoredConfiguration* p : members) {
        if (const std::optional<double> v = StoredValue(*metric, p->metrics)) values.push_back(*v);
      }
      const MeanInterval m = MeanWithInterval(values);
      if (!m.half_width || m.mean == 0) continue;
      relative.push_back(*m.half_width / std::fabs(m.mean));
    }
    noise.configurations = relative.size();
    if (!relative.empty()) {
      std::sort(relative.begin(), relative.end());
      const size_t mid = relative.size() / 2;
      noise.median_relative =
          relative.size() % 2 == 1 ? relative[mid] : (relative[mid - 1] + relative[mid]) / 2.0;
    }
    out.push_back(noise);
  }
  return out;
}

}  // namespace ridesweep::analytics::report
