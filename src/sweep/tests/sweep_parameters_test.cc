// The sweepable-parameter table: sorted and complete, defaults read from sim::SimParams, exact range messages,
// and the property that no request accepted at ingress contains a point that fails sim::ValidateSimParams.
#include "ridesweep/sweep/sweep_parameters.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "ridesweep/base/json_number_format.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/dimension_mapping.h"
#include "ridesweep/sweep/parameter_listing.h"
#include "ridesweep/sweep/point_resolution.h"
#include "ridesweep/sweep/request_validation.h"
#include "json_literal.h"

namespace ridesweep::sweep {
namespace {

std::string Message(std::string_view name, std::string_view value) {
  const Status s = CheckDimensionValue(name, J(value));
  return s.ok() ? "OK" : std::string(s.message());
}

TEST(SweepParametersTest, TableIsSortedUniqueAndFindable) {
  const auto rows = SweepParameters();
  ASSERT_GE(rows.size(), 18u);
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_LT(rows[i - 1].name, rows[i].name);
  for (const SweepParameter& row : rows) {
    EXPECT_EQ(FindSweepParameter(row.name), &row);
    EXPECT_FALSE(row.meaning.empty()) << row.name;
    EXPECT_EQ(row.kind == ValueKind::kEnum, !row.levels.empty()) << row.name;
  }
  EXPECT_EQ(FindSweepParameter("seed"), nullptr);
  EXPECT_EQ(FindSweepParameter("NUM_RIDERS"), nullptr);
}

// Each row's default, written back through the row, leaves the model's default parameters unchanged: the default
// is read from the same field the value is written to.
TEST(SweepParametersTest, DefaultsComeFromSimParamsAndRoundTrip) {
  const sim::SimParams defaults{};
  std::string reference;
  AppendResolvedScenarioParameters(&reference, defaults);
  for (const SweepParameter& row : SweepParameters()) {
    const JsonValue value = row.default_value(defaults);
    ASSERT_TRUE(CheckParameterValue(row, value).ok()) << row.name << " default " << ToCanonicalJson(value);
    sim::SimParams p = defaults;
    ASSERT_TRUE(row.assign(row.name, value, &p).ok()) << row.name;
    std::string resolved;
    AppendResolvedScenarioParameters(&resolved, p);
    EXPECT_EQ(resolved, reference) << row.name;
  }
  // Spot checks against the struct itself.
  EXPECT_EQ(ToCanonicalJson(FindSweepParameter("num_riders")->default_value(defaults)),
            std::to_string(defaults.num_riders));
  sim::SimParams changed;
  changed.pricing_config.commission_rate = 0.25;
  EXPECT_EQ(ToCanonicalJson(FindSweepParameter("commission_rate")->default_value(changed)), "0.25");
}

TEST(SweepParametersTest, RangeTexts) {
  EXPECT_EQ(RangeText(*FindSweepParameter("commission_rate")), "[0, 1]");
  EXPECT_EQ(RangeText(*FindSweepParameter("base_speed_kmh")), "(0, +inf)");
  EXPECT_EQ(RangeText(*FindSweepParameter("num_riders")), "[0, 10000000]");
  EXPECT_EQ(RangeText(*FindSweepParameter("match_radius")), "[0, 4294967295]");
  EXPECT_EQ(RangeText(*FindSweepParameter("epoch_ms")), "[-9223372036854775808, 9223372036854775807]");
  EXPECT_EQ(RangeText(*FindSweepParameter("surge_enabled")), "");
}

TEST(SweepParametersTest, OutOfRangeValuesNameDimensionValueAndRange) {
  EXPECT_EQ(Message("commission_rate", "1.5"),
            "Dimension 'commission_rate' value 1.5 is outside the allowed range [0, 1]");
  EXPECT_EQ(Message("base_fare", "-2"), "Dimension 'base_fare' value -2 is outside the allowed range [0, +inf)");
  EXPECT_EQ(Message("surge_max_multiplier", "0.5"),
            "Dimension 'surge_max_multiplier' value 0.5 is outside the allowed range [1, +inf)");
  EXPECT_EQ(Message("num_riders", "100000000"),
            "Dimension 'num_riders' value 100000000 is outside the allowed range [0, 10000000]");
  EXPECT_EQ(Message("base_speed_kmh", "0"),
            "Dimension 'base_speed_kmh' value 0 is outside the allowed range (0, +inf)");
  EXPECT_EQ(Message("eta_weight", "-1e-7"), "Dimension 'eta_weight' value -1e-7 is outside the allowed range [0, +inf)");
  // Earlier wording kept for batch_interval_secs 0; kinds are checked before ranges.
  EXPECT_EQ(Message("batch_interval_secs", "0"), "Dimension 'batch_interval_secs' must be at least 1");
  EXPECT_EQ(Message("num_riders", "-1"), "Dimension 'num_riders' must be an unsigned integer");
  EXPECT_EQ(Message("match_radius", "4294967296"), "Dimension 'match_radius' is too large");
  // The ends of each range are allowed.
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"commission_rate", "0"}, {"commission_rate", "1"}, {"commission_rate", "-0.0"}, {"num_riders", "10000000"},
           {"surge_max_multiplier", "1"}, {"base_fare", "0"}, {"base_speed_kmh", "1e-9"}, {"base_speed_kmh", "null"}}) {
    EXPECT_EQ(Message(name, value), "OK") << name << "=" << value;
  }
}

TEST(SweepParametersTest, IngressRejectsOutOfRangeWithOneMessage) {
  ApiResult<ValidatedRequest> v = ParseAndValidateRequestBytes(
      R"({"run_id":"r","dimensions":{"commission_rate":[0.1,1.5],"num_riders":[10]},"shard_count":1})", {});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().status_code, 400);
  EXPECT_EQ(v.error().message, "Dimension 'commission_rate' value 1.5 is outside the allowed range [0, 1]");
}

TEST(SweepParametersTest, ListingsCoverEveryRow) {
  const sim::SimParams defaults{};
  const std::string text = ParametersText(defaults);
  const std::string markdown = ParametersMarkdown(defaults);
  Result<JsonValue> json = ParseJson(ParametersJson(defaults));
  ASSERT_TRUE(json.ok());
  Result<JsonValue> schema = ParseJson(DimensionsJsonSchema());
  ASSERT_TRUE(schema.ok());
  const JsonArray& listed = json->as_object().Find("parameters")->as_array();
  ASSERT_EQ(listed.size(), SweepParameters().size());
  const JsonObject& properties = schema->as_object().Find("properties")->as_object();
  EXPECT_EQ(properties.size(), SweepParameters().size());
  for (const SweepParameter& row : SweepParameters()) {
    EXPECT_NE(text.find(std::string(row.name) + " "), std::string::npos) << row.name;
    EXPECT_NE(markdown.find("| `" + std::string(row.name) + "` |"), std::string::npos) << row.name;
    EXPECT_NE(properties.Find(row.name), nullptr) << row.name;
  }
}

// Property: random requests mixing in-range, boundary, out-of-range and wrongly typed values. Whenever ingress
// accepts one, every point of it resolves and passes the simulation's own parameter validation. Fixed seed.
TEST(SweepParametersTest, AcceptedRequestsOnlyContainValidPoints) {
  std::mt19937_64 rng(20261207);
  const auto rows = SweepParameters();
  const auto pick = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };
  // A range end as an integer when it is one (so unsigned rows can take it), else as a double.
  const auto bound = [](double x) {
    return std::trunc(x) == x ? std::to_string(static_cast<int64_t>(x)) : FormatJsonDouble(x);
  };
  const auto random_value = [&](const SweepParameter& row) -> std::string {
    switch (pick(8)) {
      case 0: return "null";
      case 1: return "\"x\"";
      case 2: return pick(2) ? "true" : "false";
      case 3: return std::to_string(static_cast<int64_t>(rng() % 2000) - 1000);
      case 4: {
        const double magnitudes[] = {1e-9, 0.5, 1, 2, 1e3, 1e7, 1e7 + 1, 1e8, 1e19};
        const double m = magnitudes[pick(std::size(magnitudes))];
        return FormatJsonDouble(pick(4) == 0 ? -m : m);
      }
      [[fallthrough]];
      case 5:
        if (row.range.min.has_value()) return bound(*row.range.min);
        return "0";
      case 6:
        if (row.range.max.has_value()) return bound(*row.range.max);
        return "1";
      default:
        if (!row.levels.empty()) return "\"" + std::string(row.levels[pick(row.levels.size())]) + "\"";
        return std::to_string(rng() % 100);
    }
  };
  int accepted = 0;
  int rejected = 0;
  for (int trial = 0; trial < 10000; ++trial) {
    std::string dims;
    const size_t n_dims = 1 + pick(3);
    for (size_t d = 0; d < n_dims; ++d) {
      const SweepParameter& row = rows[pick(rows.size())];
      if (dims.find("\"" + std::string(row.name) + "\"") != std::string::npos) continue;
      std::string values;
      const size_t n_values = 1 + pick(3);
      for (size_t k = 0; k < n_values; ++k) values += (k ? "," : "") + random_value(row);
      dims += (dims.empty() ? "" : ",") + ("\"" + std::string(row.name) + "\":[" + values + "]");
    }
    const std::string text = R"({"run_id":"p","dimensions":{)" + dims + R"(},"shard_count":1})";
    ApiResult<ValidatedRequest> v = ParseAndValidateRequestBytes(text, {});
    if (!v.ok()) {
      ++rejected;
      continue;
    }
    ++accepted;
    for (uint64_t point = 0; point < v->request.total_points; ++point) {
      Result<ResolvedPoint> resolved = ResolvePoint(v->request.dimensions, v->request.seed, point);
      ASSERT_TRUE(resolved.ok()) << text << " point " << point;
      const Status valid = sim::ValidateSimParams(resolved->params);
      ASSERT_TRUE(valid.ok()) << text << " point " << point << ": " << valid.message();
    }
  }
  // Both outcomes must be well represented for the property to mean something.
  EXPECT_GT(accepted, 500);
  EXPECT_GT(rejected, 500);
}

}  // namespace
}  // namespace ridesweep::sweep
