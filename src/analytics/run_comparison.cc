// Matching two runs' configurations and rendering the comparison.
#include "ridesweep/analytics/run_comparison.h"

#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "ridesweep/analytics/query_result.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/design.h"

namespace ridesweep::analytics {
namespace {

using Key = std::vector<std::pair<std::string, std::string>>;

// The values each dimension takes over a run's configurations.
std::map<std::string, std::set<std::string>> ValuesByDimension(std::span<const ConfigurationMeans> run) {
  std::map<std::string, std::set<std::string>> values;
  for (const ConfigurationMeans& c : run) {
    for (const DimensionValue& d : c.dimensions) values[d.name].insert(d.value_json);
  }
  return values;
}

std::vector<DimensionValue> Restricted(const std::vector<DimensionValue>& dimensions,
                                       const std::set<std::string>& names) {
  std::vector<DimensionValue> out;
  for (const DimensionValue& d : dimensions) {
    if (names.count(d.name) != 0) out.push_back(d);
  }
  return out;
}

Key KeyOf(const std::vector<DimensionValue>& dimensions) {
  Key key;
  for (const DimensionValue& d : dimensions) key.emplace_back(d.name, d.value_json);
  return key;
}

// Shortest text that reads back as the same double (the JSON writer's).
std::string Exact(double value) { return ToCanonicalJson(JsonValue::Double(value)); }

// About four significant digits for the table.
std::string Short(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", value);
  return buffer;
}

JsonValue OptionalNumber(const std::optional<double>& value) {
  return value ? JsonValue::Double(*value) : JsonValue::Null();
}

std::string ValueText(const std::string& value_json) {
  Result<JsonValue> parsed = ParseJson(value_json);
  if (parsed.ok() && parsed->is_string()) return parsed->as_string();
  return value_json;
}

std::string Join(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

void AddSide(JsonObject& o, const char* side, const MetricMoments& m) {
  const std::string s(side);
  o.Set("n_" + s, JsonValue::Unsigned(m.moments.n));
  o.Set("mean_" + s, m.moments.n > 0 ? JsonValue::Double(m.moments.mean) : JsonValue::Null());
  o.Set("sd_" + s, OptionalNumber(m.moments.sd));
  o.Set("missing_" + s, JsonValue::Unsigned(m.missing));
}

}  // namespace

RunComparison CompareConfigurations(std::string run_a, std::string run_b, std::span<const std::string> metrics,
                                    std::span<const ConfigurationMeans> a, std::span<const ConfigurationMeans> b) {
  RunComparison out;
  out.run_a = std::move(run_a);
  out.run_b = std::move(run_b);
  out.metrics.assign(metrics.begin(), metrics.end());
  out.configurations_a = a.size();
  out.configurations_b = b.size();
  out.excluding_zero.assign(metrics.size(), 0);
  out.with_interval.assign(metrics.size(), 0);
  const std::map<std::string, std::set<std::string>> values_a = ValuesByDimension(a);
  const std::map<std::string, std::set<std::string>> values_b = ValuesByDimension(b);
  std::set<std::string> all_names;
  for (const auto& [name, values] : values_a) all_names.insert(name);
  for (const auto& [name, values] : values_b) all_names.insert(name);
  std::set<std::string> varying;
  for (const std::string& name : all_names) {
    const auto ia = values_a.find(name);
    const auto ib = values_b.find(name);
    const size_t na = ia == values_a.end() ? 0 : ia->second.size();
    const size_t nb = ib == values_b.end() ? 0 : ib->second.size();
    if (na >= 2 || nb >= 2) {
      varying.insert(name);
      continue;
    }
    FixedDifference fixed;
    fixed.name = name;
    if (na == 1) fixed.value_a = *ia->second.begin();
    if (nb == 1) fixed.value_b = *ib->second.begin();
    if (fixed.value_a != fixed.value_b) out.fixed_differences.push_back(std::move(fixed));
  }
  out.matched_on.assign(varying.begin(), varying.end());
  std::map<Key, const ConfigurationMeans*> in_b;
  for (const ConfigurationMeans& c : b) in_b.emplace(KeyOf(Restricted(c.dimensions, varying)), &c);
  for (const ConfigurationMeans& ca : a) {
    std::vector<DimensionValue> key = Restricted(ca.dimensions, varying);
    const auto it = in_b.find(KeyOf(key));
    if (it == in_b.end()) continue;
    const ConfigurationMeans& cb = *it->second;
    ConfigurationComparison row;
    row.dimensions = std::move(key);
    row.configuration_a = ca.configuration;
    row.configuration_b = cb.configuration;
    row.points_a = ca.points;
    row.points_b = cb.points;
    for (size_t i = 0; i < metrics.size(); ++i) {
      MetricComparison m;
      m.a = ca.metrics[i];
      m.b = cb.metrics[i];
      if (m.a.moments.n > 0 && m.b.moments.n > 0) {
        m.welch = WelchInterval(m.a.moments, m.b.moments);
        if (m.welch->half_width) ++out.with_interval[i];
        if (m.welch->excludes_zero) ++out.excluding_zero[i];
      }
      row.metrics.push_back(m);
    }
    out.matched.push_back(std::move(row));
  }
  return out;
}

Status CheckComparableDesigns(const ResolvedRun& a, const ResolvedRun& b) {
  if (!a.manifest || !b.manifest) return Status::Ok();
  const sweep::Design& da = a.manifest->normalized_request.design;
  const sweep::Design& db = b.manifest->normalized_request.design;
  if (da == db) return Status::Ok();
  const auto name = [](const sweep::Design& d) {
    std::string text(sweep::DesignTypeName(d.type));
    if (!d.is_grid()) text += " with " + std::to_string(d.samples) + " samples";
    return text;
  };
  return InvalidArgumentError("runs " + a.run_id + " and " + b.run_id + " have different designs (" + name(da) +
                              ", " + name(db) + "): their configurations are not comparable");
}

std::string NoSharedConfigurationMessage(const RunComparison& comparison, std::span<const ConfigurationMeans> a,
                                         std::span<const ConfigurationMeans> b) {
  const auto names = [](std::span<const ConfigurationMeans> run) {
    std::string text;
    if (run.empty()) return std::string("nothing");
    for (const DimensionValue& d : run.front().dimensions) text += (text.empty() ? "" : ", ") + d.name;
    return text.empty() ? std::string("no dimension") : text;
  };
  std::string matched_on;
  for (const std::string& name : comparison.matched_on) matched_on += (matched_on.empty() ? "" : ", ") + name;
  return "runs " + comparison.run_a + " and " + comparison.run_b + " share no configuration (" + comparison.run_a +
         " has dimensions " + names(a) + "; " + comparison.run_b + " has " + names(b) +
         "); configurations match when the dimensions that vary in either run (" + matched_on +
         ") have equal values";
}

std::string ConfigurationLabel(const std::vector<DimensionValue>& dimensions) {
  if (dimensions.empty()) return "(no dimensions)";
  std::string label;
  for (const DimensionValue& d : dimensions) {
    if (!label.empty()) label += ' ';
    label += d.name + "=" + ValueText(d.value_json);
  }
  return label;
}

std::string ComparisonTable(const RunComparison& c) {
  std::string out;
  out += "Run B " + c.run_b + " against run A " + c.run_a + ": " + std::to_string(c.matched.size()) +
         " configurations matched by dimension values (A has " + std::to_string(c.configurations_a) + ", B has " +
         std::to_string(c.configurations_b) + ").\n";
  out += "Matched on: " + (c.matched_on.empty() ? std::string("(no varying dimension)") : Join(c.matched_on)) +
         "\n";
  for (const FixedDifference& f : c.fixed_differences) {
    out += "Fixed in each run, different: " + f.name + " " + (f.value_a ? ValueText(*f.value_a) : "-") + " (A) vs " +
           (f.value_b ? ValueText(*f.value_b) : "-") + " (B)\n";
  }
  out += "Difference = B - A with its 95% Welch interval; * marks an interval that excludes 0.\n\n";
  size_t width = 6;
  for (const std::string& m : c.metrics) width = std::max(width, m.size());
  char line[512];
  std::snprintf(line, sizeof line, "%-*s  %s\n", static_cast<int>(width), "metric", "differences excluding 0");
  out += line;
  for (size_t i = 0; i < c.metrics.size(); ++i) {
    std::snprintf(line, sizeof line, "%-*s  %zu of %zu with an interval\n", static_cast<int>(width),
                  c.metrics[i].c_str(), c.excluding_zero[i], c.with_interval[i]);
    out += line;
  }
  for (const ConfigurationComparison& row : c.matched) {
    out += "\n" + ConfigurationLabel(row.dimensions) + " (A " + std::to_string(row.points_a) + " points, B " +
           std::to_string(row.points_b) + ")\n";
    std::snprintf(line, sizeof line, "  %-*s %10s %10s %10s  %-25s\n", static_cast<int>(width), "metric", "mean A",
                  "mean B", "B - A", "95% interval");
    out += line;
    for (size_t i = 0; i < c.metrics.size(); ++i) {
      const MetricComparison& m = row.metrics[i];
      const std::string mean_a = m.a.moments.n > 0 ? Short(m.a.moments.mean) : "-";
      const std::string mean_b = m.b.moments.n > 0 ? Short(m.b.moments.mean) : "-";
      std::string diff = "-";
      std::string interval = "-";
      std::string mark;
      if (m.welch) {
        diff = Short(m.welch->difference);
        if (m.welch->half_width) {
          interval = "[" + Short(m.welch->difference - *m.welch->half_width) + ", " +
                     Short(m.welch->difference + *m.welch->half_width) + "]";
        } else {
          interval = "(fewer than 2 values)";
        }
        if (m.welch->excludes_zero) mark = " *";
      }
      std::snprintf(line, sizeof line, "  %-*s %10s %10s %10s  %s%s\n", static_cast<int>(width),
                    c.metrics[i].c_str(), mean_a.c_str(), mean_b.c_str(), diff.c_str(), interval.c_str(),
                    mark.c_str());
      out += line;
    }
  }
  return out;
}

std::string ComparisonJson(const RunComparison& c) {
  JsonObject root;
  root.Set("run_a", JsonValue::String(c.run_a));
  root.Set("run_b", JsonValue::String(c.run_b));
  root.Set("difference", JsonValue::String("B - A"));
  root.Set("interval", JsonValue::String("95% Welch"));
  JsonObject counts;
  counts.Set("a", JsonValue::Unsigned(c.configurations_a));
  counts.Set("b", JsonValue::Unsigned(c.configurations_b));
  counts.Set("matched", JsonValue::Unsigned(c.matched.size()));
  root.Set("configurations", JsonValue::Object(std::move(counts)));
  JsonArray matched_on;
  for (const std::string& name : c.matched_on) matched_on.push_back(JsonValue::String(name));
  root.Set("matched_on", JsonValue::Array(std::move(matched_on)));
  JsonArray fixed;
  for (const FixedDifference& f : c.fixed_differences) {
    JsonObject o;
    o.Set("name", JsonValue::String(f.name));
    const auto value = [](const std::optional<std::string>& text) {
      if (!text) return JsonValue::Null();
      Result<JsonValue> parsed = ParseJson(*text);
      return parsed.ok() ? std::move(parsed).value() : JsonValue::String(*text);
    };
    o.Set("value_a", value(f.value_a));
    o.Set("value_b", value(f.value_b));
    fixed.push_back(JsonValue::Object(std::move(o)));
  }
  root.Set("fixed_differences", JsonValue::Array(std::move(fixed)));
  JsonArray metrics;
  for (size_t i = 0; i < c.metrics.size(); ++i) {
    JsonObject m;
    m.Set("metric", JsonValue::String(c.metrics[i]));
    m.Set("excluding_zero", JsonValue::Unsigned(c.excluding_zero[i]));
    m.Set("with_interval", JsonValue::Unsigned(c.with_interval[i]));
    metrics.push_back(JsonValue::Object(std::move(m)));
  }
  root.Set("metrics", JsonValue::Array(std::move(metrics)));
  JsonArray rows;
  for (const ConfigurationComparison& row : c.matched) {
    JsonObject r;
    JsonObject dims;
    for (const DimensionValue& d : row.dimensions) {
      Result<JsonValue> value = ParseJson(d.value_json);
      dims.Set(d.name, value.ok() ? std::move(value).value() : JsonValue::String(d.value_json));
    }
    r.Set("dimensions", JsonValue::Object(std::move(dims)));
    r.Set("configuration_a", JsonValue::Unsigned(row.configuration_a));
    r.Set("configuration_b", JsonValue::Unsigned(row.configuration_b));
    r.Set("points_a", JsonValue::Unsigned(row.points_a));
    r.Set("points_b", JsonValue::Unsigned(row.points_b));
    JsonObject per_metric;
    for (size_t i = 0; i < c.metrics.size(); ++i) {
      const MetricComparison& m = row.metrics[i];
      JsonObject o;
      AddSide(o, "a", m.a);
      AddSide(o, "b", m.b);
      std::optional<double> diff;
      std::optional<double> half;
      std::optional<double> df;
      if (m.welch) {
        diff = m.welch->difference;
        half = m.welch->half_width;
        df = m.welch->df;
      }
      o.Set("difference", OptionalNumber(diff));
      o.Set("half_width", OptionalNumber(half));
      o.Set("ci_low", half ? JsonValue::Double(*diff - *half) : JsonValue::Null());
      o.Set("ci_high", half ? JsonValue::Double(*diff + *half) : JsonValue::Null());
      o.Set("df", OptionalNumber(df));
      o.Set("excludes_zero", JsonValue::Bool(m.welch && m.welch->excludes_zero));
      per_metric.Set(c.metrics[i], JsonValue::Object(std::move(o)));
    }
    r.Set("metrics", JsonValue::Object(std::move(per_metric)));
    rows.push_back(JsonValue::Object(std::move(r)));
  }
  root.Set("rows", JsonValue::Array(std::move(rows)));
  return ToCanonicalJson(JsonValue::Object(std::move(root)));
}

std::string ComparisonCsv(const RunComparison& c) {
  const std::vector<std::string>& names = c.matched_on;
  std::string out;
  for (const std::string& name : names) out += CsvField(name) + ",";
  out += "metric,n_a,mean_a,sd_a,missing_a,n_b,mean_b,sd_b,missing_b,difference,ci_low,ci_high,df,excludes_zero\n";
  const auto optional = [](const std::optional<double>& v) { return v ? Exact(*v) : std::string(); };
  for (const ConfigurationComparison& row : c.matched) {
    for (size_t i = 0; i < c.metrics.size(); ++i) {
      const MetricComparison& m = row.metrics[i];
      for (const DimensionValue& d : row.dimensions) out += CsvField(ValueText(d.value_json)) + ",";
      out += c.metrics[i];
      for (const MetricMoments* side : {&m.a, &m.b}) {
        out += "," + std::to_string(side->moments.n);
        out += "," + (side->moments.n > 0 ? Exact(side->moments.mean) : std::string());
        out += "," + optional(side->moments.sd);
        out += "," + std::to_string(side->missing);
      }
      std::optional<double> diff;
      std::optional<double> half;
      std::optional<double> df;
      if (m.welch) {
        diff = m.welch->difference;
        half = m.welch->half_width;
        df = m.welch->df;
      }
      out += "," + optional(diff);
      out += "," + (half ? Exact(*diff - *half) : std::string());
      out += "," + (half ? Exact(*diff + *half) : std::string());
      out += "," + optional(df);
      out += std::string(",") + (m.welch && m.welch->excludes_zero ? "true" : "false");
      out += "\n";
    }
  }
  return out;
}

}  // namespace ridesweep::analytics
