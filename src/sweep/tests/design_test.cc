// Experiment designs: the 400 messages of `design`, the canonical form (absent for the default grid), the
// sampling properties of each design (Latin-hypercube strata, Sobol net balance and the Joe–Kuo sequence,
// uniform random levels, integer rounding), per-index purity, and the shard payload carrying the design in both
// forms.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/sweep/design.h"
#include "ridesweep/sweep/normalized_request.h"
#include "ridesweep/sweep/point_resolution.h"
#include "ridesweep/sweep/request_validation.h"
#include "ridesweep/sweep/shard_payload.h"
#include "ridesweep/sweep/sweep_parameters.h"

namespace ridesweep::sweep {
namespace {

ApiResult<ValidatedRequest> Validate(std::string_view text) { return ParseAndValidateRequestBytes(text, {}); }

std::string Message(std::string_view text) {
  ApiResult<ValidatedRequest> v = Validate(text);
  return v.ok() ? std::string("accepted") : v.error().message;
}

std::string Request(std::string_view dimensions, std::string_view design, std::string_view extra = "") {
  return R"({"run_id":"d","dimensions":)" + std::string(dimensions) + R"(,"design":)" + std::string(design) +
         R"(,"shard_count":4,"seed":3)" + std::string(extra) + "}";
}

constexpr std::string_view kTwoRanges = R"({"commission_rate":{"min":0.05,"max":0.5},"num_drivers":{"min":50,"max":400}})";

TEST(DesignTest, ExactMessages) {
  EXPECT_EQ(Message(Request(kTwoRanges, R"({"type":"halton","samples":4})")),
            "Unsupported design type 'halton' (expected grid, random, latin_hypercube, or sobol)");
  const std::string shape =
      R"(design must be {"type": "grid"} or {"type": "random" | "latin_hypercube" | "sobol", "samples": unsigned})";
  EXPECT_EQ(Message(Request(kTwoRanges, R"("sobol")")), shape);
  EXPECT_EQ(Message(Request(kTwoRanges, R"({"type":3,"samples":4})")), shape);
  EXPECT_EQ(Message(Request(kTwoRanges, R"({"type":"sobol","samples":4,"scramble":true})")), shape);
  EXPECT_EQ(Message(Request(kTwoRanges, R"({"type":"sobol"})")), R"(design 'sobol' needs "samples")");
  EXPECT_EQ(Message(Request(kTwoRanges, R"({"type":"random","samples":"4"})")),
            "design samples must be an unsigned integer");
  EXPECT_EQ(Message(Request(kTwoRanges, R"({"type":"random","samples":4.0})")),
            "design samples must be an unsigned integer");
  EXPECT_EQ(Message(Request(kTwoRanges, R"({"type":"random","samples":0})")),
            "design samples must be between 1 and 200000");
  EXPECT_EQ(Message(Request(kTwoRanges, R"({"type":"random","samples":200001})")),
            "design samples must be between 1 and 200000");
  EXPECT_EQ(Message(Request(R"({"num_drivers":[1,2]})", R"({"type":"grid","samples":4})")),
            R"(design 'grid' takes no "samples")");
  EXPECT_EQ(Message(Request(R"({"num_drivers":{"min":1,"max":9,"steps":3}})", R"({"type":"sobol","samples":4})")),
            R"(Dimension 'num_drivers' range takes no "steps" in a sobol design)");
  EXPECT_EQ(Message(Request(R"({"num_drivers":{"min":1,"max":9}})", R"({"type":"grid"})")),
            R"(Dimension 'num_drivers' range needs "steps" in a grid design)");
  EXPECT_EQ(Message(Request(R"({"num_drivers":{"min":9,"max":1}})", R"({"type":"sobol","samples":4})")),
            "Dimension 'num_drivers' range has min > max");
  EXPECT_EQ(Message(Request(R"({"surge_enabled":{"min":0,"max":1}})", R"({"type":"random","samples":4})")),
            "Dimension 'surge_enabled' takes a list of values, not a range");
  EXPECT_EQ(Message(Request(R"({"commission_rate":{"min":0,"max":1.5}})", R"({"type":"random","samples":4})")),
            "Dimension 'commission_rate' value 1.5 is outside the allowed range [0, 1]");
  EXPECT_EQ(Message(Request(R"({"num_drivers":{"min":50.5,"max":60}})", R"({"type":"random","samples":4})")),
            "Dimension 'num_drivers' must be an unsigned integer");
  // Points = samples x replications against the 200 000 limit (the limit itself is allowed).
  EXPECT_EQ(Message(Request(kTwoRanges, R"({"type":"sobol","samples":201})", R"(,"replications":1000)")),
            "Parameter space is too large for this deployment (>200000 points)");
  EXPECT_EQ(Message(Request(kTwoRanges, R"({"type":"sobol","samples":200})", R"(,"replications":1000)")),
            "accepted");
  EXPECT_EQ(Message(Request(kTwoRanges, R"({"type":"sobol","samples":100000})", R"(,"replications":2)")),
            "accepted");
}

TEST(DesignTest, GridDesignIsTheDefaultAndLeavesTheCanonicalFormUnchanged) {
  const std::string dims = R"({"num_drivers":[1,2],"num_riders":[5]})";
  ApiResult<ValidatedRequest> absent = Validate(R"({"run_id":"d","dimensions":)" + dims + R"(,"shard_count":4,"seed":3})");
  ApiResult<ValidatedRequest> grid = Validate(Request(dims, R"({"type":"grid"})"));
  ASSERT_TRUE(absent.ok() && grid.ok());
  EXPECT_EQ(absent->normalized_json, grid->normalized_json);
  EXPECT_EQ(absent->config_fingerprint, grid->config_fingerprint);
  EXPECT_EQ(absent->normalized_json.find("design"), std::string::npos);
}

TEST(DesignTest, SamplingDesignCanonicalFormKeepsRangesAndRoundTrips) {
  ApiResult<ValidatedRequest> v = Validate(Request(
      R"({"commission_rate":{"min":0.05,"max":0.5},"num_drivers":{"log":true,"min":50,"max":400},"surge_enabled":[true,false]})",
      R"({"type":"latin_hypercube","samples":60})", R"(,"replications":5)"));
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->request.total_points, 300u);
  EXPECT_EQ(v->request.configurations(), 60u);
  EXPECT_EQ(v->normalized_json,
            R"({"run_id":"d","dimensions":{"commission_rate":{"max":0.5,"min":0.05},)"
            R"("num_drivers":{"log":true,"max":400,"min":50},"surge_enabled":[true,false]},"total_points":300,)"
            R"("shard_count":4,"shard_size":null,"max_shards":1000,"seed":3,"failure_injection_shards":[],)"
            R"("replications":5,"design":{"samples":60,"type":"latin_hypercube"}})");
  Result<JsonValue> parsed = ParseJson(v->normalized_json);
  ASSERT_TRUE(parsed.ok());
  Result<NormalizedRequest> back = NormalizedRequestFromJson(*parsed);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, v->request);
  // The design changes which configurations run, so it is part of the config fingerprint.
  ApiResult<ValidatedRequest> sobol = Validate(Request(
      R"({"commission_rate":{"min":0.05,"max":0.5},"num_drivers":{"log":true,"min":50,"max":400},"surge_enabled":[true,false]})",
      R"({"type":"sobol","samples":60})", R"(,"replications":5)"));
  ASSERT_TRUE(sobol.ok());
  EXPECT_NE(sobol->config_fingerprint, v->config_fingerprint);
}

TEST(DesignTest, SobolTableCoversEverySweepableParameter) {
  EXPECT_GE(kSobolMaxDimensions, SweepParameters().size());
}

TEST(DesignTest, SobolIsTheJoeKuoSequence) {
  // The first eight points of the unscrambled sequence in three dimensions (Gray-code order), as published for
  // the new-joe-kuo-6.21201 direction numbers.
  const double expected[8][3] = {{0, 0, 0},           {0.5, 0.5, 0.5},       {0.75, 0.25, 0.25},
                                 {0.25, 0.75, 0.75},  {0.375, 0.375, 0.625}, {0.875, 0.875, 0.125},
                                 {0.625, 0.125, 0.875}, {0.125, 0.625, 0.375}};
  for (uint64_t i = 0; i < 8; ++i) {
    for (size_t d = 0; d < 3; ++d) EXPECT_EQ(SobolCoordinate(d, i), expected[i][d]) << i << "," << d;
  }
}

// Every dimension's first 2^m (shifted) Sobol coordinates, and every Latin-hypercube column of any size, put
// exactly one sample in each of the n equal strata of [0, 1).
void ExpectOnePerStratum(const Design& design, size_t dimensions, int64_t seed) {
  for (size_t d = 0; d < dimensions; ++d) {
    std::set<uint64_t> strata;
    for (uint64_t i = 0; i < design.samples; ++i) {
      const double u = DesignUnitCoordinate(design, seed, d, i);
      ASSERT_GE(u, 0.0);
      ASSERT_LT(u, 1.0);
      strata.insert(static_cast<uint64_t>(u * static_cast<double>(design.samples)));
    }
    EXPECT_EQ(strata.size(), design.samples) << DesignTypeName(design.type) << " dimension " << d;
  }
}

TEST(DesignTest, LatinHypercubeColumnsArePermutationsOfTheStrata) {
  for (uint64_t n : {1u, 2u, 7u, 60u, 1000u, 4097u}) {
    ExpectOnePerStratum(Design{DesignType::kLatinHypercube, n}, 5, 11);
  }
  ExpectOnePerStratum(Design{DesignType::kLatinHypercube, 60}, 3, -5);
}

TEST(DesignTest, ShiftedSobolKeepsTheNetBalance) {
  ExpectOnePerStratum(Design{DesignType::kSobol, 1024}, kSobolMaxDimensions, 42);
  ExpectOnePerStratum(Design{DesignType::kSobol, 64}, kSobolMaxDimensions, 0);
}

TEST(DesignTest, DifferentSeedsDifferentSamplesSameSeedSameSamples) {
  for (DesignType type : {DesignType::kRandom, DesignType::kLatinHypercube, DesignType::kSobol}) {
    const Design design{type, 32};
    int differing = 0;
    for (uint64_t i = 0; i < 32; ++i) {
      EXPECT_EQ(DesignUnitCoordinate(design, 1, 0, i), DesignUnitCoordinate(design, 1, 0, i));
      differing += DesignUnitCoordinate(design, 1, 0, i) != DesignUnitCoordinate(design, 2, 0, i);
    }
    EXPECT_GT(differing, 28) << DesignTypeName(type);
  }
}

TEST(DesignTest, RandomCoordinatesAreUniform) {
  // 100 000 draws of U[0,1): mean 0.5 with standard error sqrt(1/12/n) = 0.000913; 5 SE = 0.0046. Each of 10 bins
  // expects 10 000 with SE sqrt(n p (1 - p)) = 94.9; 5 SE = 475.
  constexpr uint64_t kN = 100000;
  const Design design{DesignType::kRandom, kN};
  double sum = 0;
  std::vector<int> bins(10, 0);
  for (uint64_t i = 0; i < kN; ++i) {
    const double u = DesignUnitCoordinate(design, 99, 2, i);
    sum += u;
    ++bins[static_cast<size_t>(u * 10)];
  }
  EXPECT_NEAR(sum / kN, 0.5, 0.0046);
  for (int count : bins) EXPECT_NEAR(count, 10000, 475);
}

TEST(DesignTest, IntegerRangesCoverEveryIntegerAndStayInside) {
  Dimension range{"num_drivers", {JsonValue::Unsigned(3), JsonValue::Unsigned(6)}};
  range.is_range = true;
  std::set<uint64_t> seen;
  for (int k = 0; k < 1000; ++k) {
    const JsonValue v = DimensionValueAt(range, true, k / 1000.0);
    ASSERT_TRUE(v.is_unsigned());
    seen.insert(v.as_unsigned());
  }
  EXPECT_EQ(seen, (std::set<uint64_t>{3, 4, 5, 6}));
  // Each integer owns a quarter of [0, 1): u in [0.25, 0.5) gives 4.
  EXPECT_EQ(DimensionValueAt(range, true, 0.25).as_unsigned(), 4u);
  EXPECT_EQ(DimensionValueAt(range, true, 0.4999).as_unsigned(), 4u);
  EXPECT_EQ(DimensionValueAt(range, true, std::nextafter(1.0, 0.0)).as_unsigned(), 6u);
  Dimension signed_range{"epoch_ms", {JsonValue::Signed(-2), JsonValue::Unsigned(1)}};
  signed_range.is_range = true;
  EXPECT_EQ(DimensionValueAt(signed_range, true, 0.0).as_signed(), -2);
  EXPECT_EQ(DimensionValueAt(signed_range, true, 0.99).as_unsigned(), 1u);
  // Log ranges of numbers span [min, max] geometrically; lists take the level at index floor(u n).
  Dimension log_range{"base_fare", {JsonValue::Unsigned(1), JsonValue::Unsigned(100)}};
  log_range.is_range = true;
  log_range.log = true;
  EXPECT_DOUBLE_EQ(DimensionValueAt(log_range, false, 0.5).as_double(), 10.0);
  const Dimension list{"traffic_profile", {JsonValue::String("none"), JsonValue::String("berlin")}};
  EXPECT_EQ(DimensionValueAt(list, false, 0.49).as_string(), "none");
  EXPECT_EQ(DimensionValueAt(list, false, 0.5).as_string(), "berlin");
}

TEST(DesignTest, ResolvedPointsUseTheSampledValuesAndTheReplicateSeed) {
  ApiResult<ValidatedRequest> v =
      Validate(Request(kTwoRanges, R"({"type":"latin_hypercube","samples":60})", R"(,"replications":5)"));
  ASSERT_TRUE(v.ok());
  const NormalizedRequest& r = v->request;
  std::set<uint64_t> drivers;
  for (uint64_t point = 0; point < r.total_points; ++point) {
    Result<ResolvedPoint> p = ResolvePoint(r.dimensions, r.seed, point, r.replications, r.design);
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_EQ(p->config_index, point / 5);
    EXPECT_EQ(p->params.seed, 3u ^ point);
    EXPECT_GE(p->params.num_drivers, 50u);
    EXPECT_LE(p->params.num_drivers, 400u);
    EXPECT_GE(p->params.pricing_config.commission_rate, 0.05);
    EXPECT_LE(p->params.pricing_config.commission_rate, 0.5);
    drivers.insert(p->params.num_drivers);
    // Replicates of one configuration share its values (and so its selected_dimensions).
    Result<ResolvedPoint> first = ResolvePoint(r.dimensions, r.seed, point - point % 5, r.replications, r.design);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(p->params.num_drivers, first->params.num_drivers);
    const size_t cut = p->effective_parameters_json.find("resolved_scenario_parameters");
    EXPECT_EQ(p->effective_parameters_json.substr(0, cut), first->effective_parameters_json.substr(0, cut));
  }
  // 60 strata of width 351/60 ≈ 5.85 integers: the 60 configurations take 60 distinct driver counts.
  EXPECT_EQ(drivers.size(), 60u);
  EXPECT_FALSE(ResolvePoint(r.dimensions, r.seed, r.total_points, r.replications, r.design).ok());
}

TEST(DesignTest, ShardPayloadsCarryTheDesignInBothForms) {
  ApiResult<ValidatedRequest> v =
      Validate(Request(kTwoRanges, R"({"type":"sobol","samples":64})", R"(,"replications":2)"));
  ASSERT_TRUE(v.ok());
  for (size_t inline_limit : {size_t{262144}, size_t{10}}) {
    ShardPayloadEncoder encoder(v->request, v->plan, "2026-01-01", "k", "f", inline_limit);
    EXPECT_EQ(encoder.form(), inline_limit == 10 ? PayloadForm::kReference : PayloadForm::kInline);
    for (const std::string& body : encoder.EncodeAll(v->plan)) {
      EXPECT_TRUE(body.ends_with(R"(,"replications":2,"design":{"samples":64,"type":"sobol"}})")) << body;
      Result<ShardPayload> decoded = DecodeShardPayload(body, "2026-01-01");
      ASSERT_TRUE(decoded.ok()) << decoded.status().message();
      EXPECT_EQ(decoded->design, v->request.design);
      EXPECT_EQ(decoded->replications, 2u);
      if (decoded->dimensions.has_value()) {
        EXPECT_EQ(*decoded->dimensions, v->request.dimensions);
      }
      EXPECT_EQ(EncodeShardPayload(*decoded), body);
    }
  }
  // A range dimension reaches a worker only with its sampling design; the payload keeps both.
  Result<ShardPayload> ranged = DecodeShardPayload(
      R"({"run_id":"d","dimensions":{"num_drivers":{"log":true,"max":9,"min":1}},"total_points":4,"shard_id":0,)"
      R"("start_index":0,"end_index_exclusive":4,"seed":0,"failure_injection_shards":[],)"
      R"("design":{"samples":4,"type":"random"}})",
      "2026-01-01");
  ASSERT_TRUE(ranged.ok()) << ranged.status().message();
  ASSERT_EQ(ranged->dimensions->size(), 1u);
  EXPECT_TRUE((*ranged->dimensions)[0].is_range);
  EXPECT_TRUE((*ranged->dimensions)[0].log);
  EXPECT_EQ(ranged->design, (Design{DesignType::kRandom, 4}));
  Result<ShardPayload> bad = DecodeShardPayload(
      R"({"run_id":"d","dimensions":{"num_drivers":[1]},"total_points":1,"shard_id":0,"start_index":0,)"
      R"("end_index_exclusive":1,"seed":0,"failure_injection_shards":[],"design":{"type":"lhs","samples":1}})",
      "2026-01-01");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("Unsupported design type 'lhs'"), std::string::npos);
}

}  // namespace
}  // namespace ridesweep::sweep
