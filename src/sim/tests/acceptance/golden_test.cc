// Golden outputs pin the simulation (style.md item 22, spec/simulation.md §16): every tests/golden/sim/*.params.json
// is run at its fixed seed; the metrics and run statistics are written as JSON, and the ordered event log is hashed
// with SHA-256. Both must equal the checked-in <name>.metrics.json and <name>.events.sha256 exactly. Regenerate only
// with scripts/regen_golden.sh (RIDESWEEP_REGEN_GOLDEN=1), so that every behaviour change shows up in review.
// Formats: tests/golden/sim/README.md.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <bit>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "acceptance_support.h"
#include "engine/event.h"
#include "ridesweep/sim/simulation.h"

namespace ridesweep::sim::acceptance {
namespace {

static_assert(std::endian::native == std::endian::little, "golden hashes encode rows in little-endian");

namespace fs = std::filesystem;
using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

const fs::path kGoldenDir = fs::path(RIDESWEEP_SOURCE_DIR) / "tests" / "golden" / "sim";
constexpr const char* kRegenEnv = "RIDESWEEP_REGEN_GOLDEN";
// The scenarios style.md asks for; more may be added by dropping a .params.json into the folder.
constexpr const char* kRequiredScenarios[] = {"defaults", "surge", "berlin_traffic", "cost_based", "per_rider"};

bool RegenRequested() {
  const char* v = std::getenv(kRegenEnv);
  return v != nullptr && std::string(v) == "1";
}

// Incremental SHA-256 (OpenSSL EVP).
class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
    RIDESWEEP_CHECK(ctx_ != nullptr && EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) == 1);
  }
  void Update(const void* data, size_t n) { RIDESWEEP_CHECK(EVP_DigestUpdate(ctx_.get(), data, n) == 1); }
  void Update(const std::string& bytes) { Update(bytes.data(), bytes.size()); }
  std::string HexDigest() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    RIDESWEEP_CHECK(EVP_DigestFinal_ex(ctx_.get(), md, &len) == 1);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
      out += kHex[md[i] >> 4];
      out += kHex[md[i] & 15];
    }
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

std::string Sha256Hex(const std::string& bytes) {
  Sha256 h;
  h.Update(bytes);
  return h.HexDigest();
}

// Hashes the ordered event log as it is produced: per event, little-endian timestamp_ms (u64), kind (u8),
// subject (u32), token (u32), seq (u64), stale (u8) = 26 bytes. Also keeps every row (PointCollector).
class EventLogHasher : public RunCapture {
 public:
  bool WantsEventTrace() const override { return true; }
  void OnEvent(const EventTrace& e) override {
    ByteSink s;
    s.Put(e.timestamp_ms);
    s.Put(e.kind);
    s.Put(e.subject);
    s.Put(e.token);
    s.Put(e.seq);
    s.Put<uint8_t>(e.stale ? 1 : 0);
    hash_.Update(s.bytes());
    ++events_;
  }
  std::string HexDigest() { return hash_.HexDigest(); }
  uint64_t events() const { return events_; }

 private:
  Sha256 hash_;
  uint64_t events_ = 0;
};

// --- .params.json -> SimParams. Keys are SimParams field names; unknown keys are errors. ---------------------

using Setter = std::function<void(const Json&, SimParams*)>;

template <typename T>
Setter Field(T SimParams::*member) {
  return [member](const Json& v, SimParams* p) { p->*member = v.get<T>(); };
}
template <typename T>
Setter Pricing(T PricingConfig::*member) {
  return [member](const Json& v, SimParams* p) { p->pricing_config.*member = v.get<T>(); };
}
template <typename T>
Setter Behaviour(T BehaviourParams::*member) {
  return [member](const Json& v, SimParams* p) { p->behaviour.*member = v.get<T>(); };
}

void ApplyObject(const Json& object, const std::map<std::string, Setter>& setters, SimParams* p,
                 const std::string& where) {
  if (!object.is_object()) throw std::runtime_error(where + " must be an object");
  for (const auto& [key, value] : object.items()) {
    const auto it = setters.find(key);
    if (it == setters.end()) throw std::runtime_error("unknown key " + where + "." + key);
    it->second(value, p);
  }
}

SimParams ParseGoldenParams(const Json& j) {
  static const std::map<std::string, Setter> kPricing = {
      {"base_fare", Pricing(&PricingConfig::base_fare)},
      {"per_km_rate", Pricing(&PricingConfig::per_km_rate)},
      {"commission_rate", Pricing(&PricingConfig::commission_rate)},
      {"surge_enabled", Pricing(&PricingConfig::surge_enabled)},
      {"surge_radius_k", Pricing(&PricingConfig::surge_radius_k)},
      {"surge_max_multiplier", Pricing(&PricingConfig::surge_max_multiplier)},
  };
  static const std::map<std::string, Setter> kBehaviour = {
      {"max_quote_rejections", Behaviour(&BehaviourParams::max_quote_rejections)},
      {"re_quote_delay_secs", Behaviour(&BehaviourParams::re_quote_delay_secs)},
      {"accept_probability", Behaviour(&BehaviourParams::accept_probability)},
      {"max_willingness_to_pay", Behaviour(&BehaviourParams::max_willingness_to_pay)},
      {"max_acceptable_eta_ms", Behaviour(&BehaviourParams::max_acceptable_eta_ms)},
      {"min_wait_secs", Behaviour(&BehaviourParams::min_wait_secs)},
      {"max_wait_secs", Behaviour(&BehaviourParams::max_wait_secs)},
      {"base_acceptance_score", Behaviour(&BehaviourParams::base_acceptance_score)},
      {"fare_weight", Behaviour(&BehaviourParams::fare_weight)},
      {"pickup_distance_penalty", Behaviour(&BehaviourParams::pickup_distance_penalty)},
      {"trip_distance_bonus", Behaviour(&BehaviourParams::trip_distance_bonus)},
      {"earnings_progress_weight", Behaviour(&BehaviourParams::earnings_progress_weight)},
      {"fatigue_penalty", Behaviour(&BehaviourParams::fatigue_penalty)},
      {"snapshot_interval_ms", Behaviour(&BehaviourParams::snapshot_interval_ms)},
      {"fixed_acceptance_draw", Behaviour(&BehaviourParams::fixed_acceptance_draw)},
  };
  static const std::map<std::string, Setter> kTop = {
      {"seed", Field(&SimParams::seed)},
      {"num_riders", Field(&SimParams::num_riders)},
      {"num_drivers", Field(&SimParams::num_drivers)},
      {"initial_rider_count", Field(&SimParams::initial_rider_count)},
      {"initial_driver_count", Field(&SimParams::initial_driver_count)},
      {"lat_min", Field(&SimParams::lat_min)},
      {"lat_max", Field(&SimParams::lat_max)},
      {"lng_min", Field(&SimParams::lng_min)},
      {"lng_max", Field(&SimParams::lng_max)},
      {"request_window_ms", Field(&SimParams::request_window_ms)},
      {"driver_spread_ms", Field(&SimParams::driver_spread_ms)},
      {"match_radius", Field(&SimParams::match_radius)},
      {"min_trip_cells", Field(&SimParams::min_trip_cells)},
      {"max_trip_cells", Field(&SimParams::max_trip_cells)},
      {"epoch_ms", Field(&SimParams::epoch_ms)},
      {"simulation_end_time_ms",
       [](const Json& v, SimParams* p) {
         if (v.is_null()) {
           p->simulation_end_time_ms.reset();
         } else {
           p->simulation_end_time_ms = v.get<uint64_t>();
         }
       }},
      {"max_steps", Field(&SimParams::max_steps)},
      {"matching_algorithm_type",
       [](const Json& v, SimParams* p) {
         const std::string s = v.get<std::string>();
         for (MatchingAlgorithm a : {MatchingAlgorithm::kSimple, MatchingAlgorithm::kCostBased,
                                     MatchingAlgorithm::kHungarian}) {
           if (MatchingAlgorithmName(a) == s) {
             p->matching_algorithm_type = a;
             return;
           }
         }
         throw std::runtime_error("unknown matching_algorithm_type " + s);
       }},
      {"batch_matching_enabled", Field(&SimParams::batch_matching_enabled)},
      {"batch_interval_secs", Field(&SimParams::batch_interval_secs)},
      {"eta_weight", Field(&SimParams::eta_weight)},
      {"traffic_profile",
       [](const Json& v, SimParams* p) {
         if (v == "none") {
           p->traffic_profile.kind = TrafficProfileKind::kNone;
         } else if (v == "berlin") {
           p->traffic_profile.kind = TrafficProfileKind::kBerlin;
         } else if (v.is_object() && v.size() == 1 && v.contains("custom") && v["custom"].size() == 24) {
           p->traffic_profile.kind = TrafficProfileKind::kCustom;
           for (size_t h = 0; h < 24; ++h) p->traffic_profile.custom_factors[h] = v["custom"][h].get<double>();
         } else {
           throw std::runtime_error("traffic_profile must be \"none\", \"berlin\" or {\"custom\": [24 numbers]}");
         }
       }},
      {"congestion_zones_enabled", Field(&SimParams::congestion_zones_enabled)},
      {"dynamic_congestion_enabled", Field(&SimParams::dynamic_congestion_enabled)},
      {"base_speed_kmh",
       [](const Json& v, SimParams* p) {
         if (v.is_null()) {
           p->base_speed_kmh.reset();
         } else {
           p->base_speed_kmh = v.get<double>();
         }
       }},
      {"spawn_weighting",
       [](const Json& v, SimParams* p) {
         if (v == "uniform") {
           p->spawn_weighting = SpawnWeighting::kUniform;
         } else if (v == "berlin_hotspots") {
           p->spawn_weighting = SpawnWeighting::kBerlinHotspots;
         } else {
           throw std::runtime_error("spawn_weighting must be \"uniform\" or \"berlin_hotspots\"");
         }
       }},
      {"pricing_config", [](const Json& v, SimParams* p) { ApplyObject(v, kPricing, p, "pricing_config"); }},
      {"behaviour", [](const Json& v, SimParams* p) { ApplyObject(v, kBehaviour, p, "behaviour"); }},
  };
  SimParams p;
  ApplyObject(j, kTop, &p, "params");
  return p;
}

// --- Outputs ----------------------------------------------------------------------------------------------

OrderedJson Optional(const std::optional<double>& v) { return v ? OrderedJson(*v) : OrderedJson(nullptr); }

OrderedJson MetricsJson(const PointMetrics& m) {
  OrderedJson j;
  j["total_riders"] = m.total_riders;
  j["total_drivers"] = m.total_drivers;
  j["completed_riders"] = m.completed_riders;
  j["abandoned_quote_riders"] = m.abandoned_quote_riders;
  j["cancelled_riders"] = m.cancelled_riders;
  j["conversion_rate"] = m.conversion_rate;
  j["platform_revenue"] = m.platform_revenue;
  j["driver_payouts"] = m.driver_payouts;
  j["total_fares_collected"] = m.total_fares_collected;
  j["avg_time_to_match_ms"] = Optional(m.avg_time_to_match_ms);
  j["median_time_to_match_ms"] = Optional(m.median_time_to_match_ms);
  j["p90_time_to_match_ms"] = Optional(m.p90_time_to_match_ms);
  j["avg_time_to_pickup_ms"] = Optional(m.avg_time_to_pickup_ms);
  j["median_time_to_pickup_ms"] = Optional(m.median_time_to_pickup_ms);
  j["p90_time_to_pickup_ms"] = Optional(m.p90_time_to_pickup_ms);
  j["completed_trips"] = m.completed_trips;
  j["riders_abandoned_price"] = m.riders_abandoned_price;
  j["riders_abandoned_eta"] = m.riders_abandoned_eta;
  j["riders_abandoned_stochastic"] = m.riders_abandoned_stochastic;
  j["riders_spawned"] = m.riders_spawned;
  j["riders_unresolved"] = m.riders_unresolved;
  j["trips_cancelled"] = m.trips_cancelled;
  j["events_processed"] = m.events_processed;
  j["final_sim_time_ms"] = m.final_sim_time_ms;
  j["truncated"] = m.truncated;
  j["riders_abandoned_no_driver"] = m.riders_abandoned_no_driver;
  j["match_rate"] = Optional(m.match_rate);
  j["share_matched_within_60s"] = Optional(m.share_matched_within_60s);
  j["share_matched_within_180s"] = Optional(m.share_matched_within_180s);
  return j;
}

OrderedJson RunJson(const RunStats& st, const RunCapture& capture) {
  OrderedJson j;
  j["stop_reason"] = std::string(StopReasonName(st.stop_reason));
  j["steps"] = st.steps;
  j["stale_events"] = st.stale_events;
  OrderedJson kinds;
  for (int k = 0; k < kEventKindCount; ++k) {
    kinds[std::string(EventKindName(static_cast<EventKind>(k)))] = st.events_by_kind[static_cast<size_t>(k)];
  }
  j["events_by_kind"] = kinds;
  j["riders_spawned"] = st.riders_spawned;
  j["drivers_spawned"] = st.drivers_spawned;
  j["trips_created"] = st.trips_created;
  j["snapshots_taken"] = st.snapshots_taken;
  // The exported rows, in their byte encoding (acceptance_support.h), so any change to a row shows up.
  j["trip_data_sha256"] = Sha256Hex(TripRowsBytes(capture.trips()));
  j["snapshot_counts_sha256"] = Sha256Hex(SnapshotRowsBytes(capture.snapshots()));
  j["completed_records_sha256"] = Sha256Hex(RecordsBytes(capture.completed()));
  return j;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::vector<std::string> ScenarioNames() {
  std::vector<std::string> names;
  const std::string suffix = ".params.json";
  for (const fs::directory_entry& e : fs::directory_iterator(kGoldenDir)) {
    const std::string file = e.path().filename().string();
    if (file.size() > suffix.size() && file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0) {
      names.push_back(file.substr(0, file.size() - suffix.size()));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct GoldenOutput {
  std::string metrics_json;
  std::string events_sha256;
};

GoldenOutput RunGolden(const std::string& name, const SimParams& p) {
  EventLogHasher hasher;
  RunControl control;
  control.check_invariants_each_event = true;
  Result<SimOutput> out = RunSimulation(p, &hasher, control);
  EXPECT_TRUE(out.ok()) << name << ": " << out.status().ToString();
  if (!out.ok()) return {};
  EXPECT_TRUE(CheckExportedRun(p, *out, hasher)) << name;
  EXPECT_EQ(hasher.events(), out->stats.steps);
  OrderedJson j;
  j["scenario"] = name;
  j["metrics"] = MetricsJson(out->metrics);
  j["run"] = RunJson(out->stats, hasher);
  return {j.dump(2) + "\n", hasher.HexDigest() + "\n"};
}

TEST(GoldenSimTest, RequiredScenariosExist) {
  const std::vector<std::string> names = ScenarioNames();
  for (const char* required : kRequiredScenarios) {
    EXPECT_NE(std::find(names.begin(), names.end(), required), names.end()) << required << ".params.json missing";
  }
}

TEST(GoldenSimTest, ParamsParserRejectsUnknownKeysAndBadValues) {
  EXPECT_THROW(ParseGoldenParams(Json::parse(R"({"sead": 1})")), std::runtime_error);
  EXPECT_THROW(ParseGoldenParams(Json::parse(R"({"pricing_config": {"surge": true}})")), std::runtime_error);
  EXPECT_THROW(ParseGoldenParams(Json::parse(R"({"traffic_profile": "paris"})")), std::runtime_error);
  EXPECT_THROW(ParseGoldenParams(Json::parse(R"({"matching_algorithm_type": "greedy"})")), std::runtime_error);
  EXPECT_THROW(ParseGoldenParams(Json::parse(R"({"num_riders": "many"})")), nlohmann::json::exception);
  const SimParams p = ParseGoldenParams(Json::parse(
      R"({"seed": 9, "simulation_end_time_ms": null, "base_speed_kmh": 30, "traffic_profile": {"custom": )"
      R"([1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,0.5]}, "behaviour": {"fixed_acceptance_draw": true},)"
      R"( "matching_algorithm_type": "cost_based", "spawn_weighting": "berlin_hotspots"})"));
  EXPECT_EQ(p.seed, 9u);
  EXPECT_FALSE(p.simulation_end_time_ms.has_value());
  EXPECT_EQ(p.base_speed_kmh, 30.0);
  EXPECT_EQ(p.traffic_profile.kind, TrafficProfileKind::kCustom);
  EXPECT_EQ(p.traffic_profile.custom_factors[23], 0.5);
  EXPECT_TRUE(p.behaviour.fixed_acceptance_draw);
  EXPECT_EQ(p.matching_algorithm_type, MatchingAlgorithm::kCostBased);
  EXPECT_EQ(p.spawn_weighting, SpawnWeighting::kBerlinHotspots);
}

TEST(GoldenSimTest, OutputsMatchCheckedInGoldens) {
  const bool regen = RegenRequested();
  const std::vector<std::string> names = ScenarioNames();
  ASSERT_FALSE(names.empty()) << "no scenarios in " << kGoldenDir;
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    SimParams p;
    try {
      p = ParseGoldenParams(Json::parse(ReadFile(kGoldenDir / (name + ".params.json"))));
    } catch (const std::exception& e) {
      ADD_FAILURE() << name << ".params.json: " << e.what();
      continue;
    }
    const GoldenOutput got = RunGolden(name, p);
    ASSERT_FALSE(got.metrics_json.empty());
    // The same scenario twice gives the same event log.
    EXPECT_EQ(RunGolden(name, p).events_sha256, got.events_sha256);

    const fs::path metrics_path = kGoldenDir / (name + ".metrics.json");
    const fs::path events_path = kGoldenDir / (name + ".events.sha256");
    if (regen) {
      WriteFile(metrics_path, got.metrics_json);
      WriteFile(events_path, got.events_sha256);
      std::printf("[ REGEN    ] %s\n", name.c_str());
      continue;
    }
    if (!fs::exists(metrics_path) || !fs::exists(events_path)) {
      ADD_FAILURE() << "missing golden files for " << name << "; run scripts/regen_golden.sh";
      continue;
    }
    EXPECT_EQ(ReadFile(metrics_path), got.metrics_json)
        << name << ": metrics changed; if intended, run scripts/regen_golden.sh and review the diff";
    EXPECT_EQ(ReadFile(events_path), got.events_sha256)
        << name << ": event log changed; if intended, run scripts/regen_golden.sh and review the diff";
  }
}

}  // namespace
}  // namespace ridesweep::sim::acceptance
