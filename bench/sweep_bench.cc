// ridesweep_sweep_bench measures the sweep-level numbers of design.md ("Numbers we hold ourselves to") in one
// process, so their ratios are comparable on a shared, noisy machine:
//   planning    a 200,000-point request: parse + validate + plan 1,000 shards (ParseAndValidateRequestBytes), then
//               every shard payload serialized (ShardPayloadEncoder::EncodeAll); target ≤ 200 ms in all.
//   output      the demo sweep's points, each simulated (PointCollector attached, as the worker does) and then
//               encoded as its four per-point datasets by ParquetDatasetEncoder, timed apart; also the Put of the
//               four objects into a LocalDirStore; target: encode ≤ 10% of the point's simulation time.
//   throughput  whole requests (a 200-point one and the demo) through the real LocalExecutor with a LocalDirStore
//               in a fresh folder (submit → last point committed), 1 and 2 worker threads, alternating; points/s,
//               CPU/wall and the speed-up; target ≥ 1.85×.
//   encode      (on request) the encoder alone, back to back: the fixed cost per file and the cost per row.
// Each section prints the load average before and after it. Numbers go to docs/BENCHMARKS.md ("Sweep").
//
//   ridesweep_sweep_bench [--sections planning,output,throughput,encode] [--planning-runs N]
//                         [--output-rounds N] [--throughput-rounds N] [--encode-iterations N]
//                         [--encode-scenario NAME] [--demo-request PATH] [--results-root DIR] [--keep-results]
//                         [--print-request planning|throughput]
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/local/local_executor.h"
#include "ridesweep/sim/point_collector.h"
#include "ridesweep/sim/scenarios.h"
#include "ridesweep/sim/simulation.h"
#include "ridesweep/store/local_dir_store.h"
#include "ridesweep/store/parquet_dataset_encoder.h"
#include "ridesweep/store/parquet_shard_spill.h"
#include "ridesweep/sweep/keys.h"
#include "ridesweep/sweep/limits.h"
#include "ridesweep/sweep/point_resolution.h"
#include "ridesweep/sweep/request_validation.h"
#include "ridesweep/sweep/shard_payload.h"
#include "ridesweep/sweep/submit.h"
#include "ridesweep/sweep/worker.h"

namespace ridesweep::bench {
namespace {

// design.md targets.
constexpr double kPlanningTargetMs = 200.0;
constexpr double kOutputTargetRatio = 0.10;
constexpr double kSpeedupTarget = 1.85;
constexpr uint64_t kPlanningShards = 1'000;
constexpr std::string_view kRunDate = "2026-01-01";

struct Options {
  bool planning = true;
  bool output = true;
  bool throughput = true;
  bool encode = false;
  bool compact = false;
  int encode_iterations = 200;
  std::string encode_scenario;  // empty: the demo point with the most snapshot rows
  int planning_runs = 20;
  int output_rounds = 7;
  int throughput_rounds = 3;
  std::string demo_request = RIDESWEEP_SOURCE_DIR "/examples/demo-request.json";
  bool keep_results = false;
  std::string print_request;  // planning | throughput: print that request's JSON and exit
  // Where result folders go. The default is the temporary directory (ext4 here); /dev/shm (tmpfs) takes the file
  // system's inode allocation out of the figures.
  std::filesystem::path results_root = std::filesystem::temp_directory_path();
};

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "ridesweep_sweep_bench: %s\n", message.c_str());
  std::exit(2);
}

int ParseCount(std::string_view flag, const char* text, int lo, int hi) {
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || value < lo || value > hi) {
    Die(std::string(flag) + " needs an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  return static_cast<int>(value);
}

Options ParseOptions(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) Die(std::string(arg) + " needs a value");
      return argv[++i];
    };
    if (arg == "--sections") {
      const std::string list = next();
      opt.planning = list.find("planning") != std::string::npos;
      opt.output = list.find("output") != std::string::npos;
      opt.throughput = list.find("throughput") != std::string::npos;
      opt.encode = list.find("encode") != std::string::npos;
      opt.compact = list.find("compact") != std::string::npos;
      if (!opt.planning && !opt.output && !opt.throughput && !opt.encode && !opt.compact) {
        Die("--sections: planning, output, throughput, encode and/or compact");
      }
    } else if (arg == "--planning-runs") {
      opt.planning_runs = ParseCount(arg, next(), 1, 1000);
    } else if (arg == "--output-rounds") {
      opt.output_rounds = ParseCount(arg, next(), 1, 1000);
    } else if (arg == "--throughput-rounds") {
      opt.throughput_rounds = ParseCount(arg, next(), 1, 100);
    } else if (arg == "--encode-iterations") {
      opt.encode_iterations = ParseCount(arg, next(), 1, 100000);
    } else if (arg == "--encode-scenario") {
      opt.encode_scenario = next();
      if (!sim::FindScenario(opt.encode_scenario).has_value()) Die("unknown scenario '" + opt.encode_scenario + "'");
    } else if (arg == "--demo-request") {
      opt.demo_request = next();
    } else if (arg == "--print-request") {
      opt.print_request = next();
      if (opt.print_request != "planning" && opt.print_request != "throughput") {
        Die("--print-request: planning or throughput");
      }
    } else if (arg == "--results-root") {
      opt.results_root = next();
    } else if (arg == "--keep-results") {
      opt.keep_results = true;
    } else if (arg == "--help" || arg == "-h") {
      std::printf(
          "usage: ridesweep_sweep_bench [options]\n"
          "  --sections LIST        planning,output,throughput,encode,compact (default: the first three)\n"
          "  --encode-iterations N  encode section: back-to-back calls per dataset (default 200)\n"
          "  --encode-scenario S    encode section: rows of a named scenario (e.g. example-large) instead of the\n"
          "                         demo point with the most snapshot rows\n"
          "  --planning-runs N      timed runs of the 200,000-point planning (default 20; 2 untimed first)\n"
          "  --output-rounds N      rounds over the demo points; median per point (default 7; 1 untimed first)\n"
          "  --throughput-rounds N  rounds of [1 thread, 2 threads] per request (default 3; best and median)\n"
          "  --demo-request PATH    the demo request (default: examples/demo-request.json of the source tree)\n"
          "  --print-request NAME   print the planning or throughput request (JSON) and exit, e.g. to run it\n"
          "                         through `ridesweep run`\n"
          "  --results-root DIR     parent of the result folders (default: the temporary directory)\n"
          "  --keep-results         leave the result folders behind (by default they are removed at the end of\n"
          "                         each section, not between runs: on ext4, creating files right after\n"
          "                         deleting thousands is slow, see docs/BENCHMARKS.md)\n");
      std::exit(0);
    } else {
      Die("unknown argument '" + std::string(arg) + "' (see --help)");
    }
  }
  return opt;
}

// ---------------------------------------------------------------------------------------------------------------
// Clocks and statistics.

double NowMs() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double CpuMs(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}
double ThreadCpuMs() { return CpuMs(CLOCK_THREAD_CPUTIME_ID); }
double ProcessCpuMs() { return CpuMs(CLOCK_PROCESS_CPUTIME_ID); }

// Each round of the output sections writes its own run's keys, as a run writes each object once into new folders.
// Overwriting the previous round's files instead freed an inode per write, and ext4 skips recently freed inodes
// when it allocates, which a real run never pays for (docs/BENCHMARKS.md, "Whole-command speed-up").
std::string RoundRunId(std::string_view run_id, int round) {
  return std::string(run_id) + "-round-" + std::to_string(round + 1);
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}
double Min(const std::vector<double>& values) { return *std::min_element(values.begin(), values.end()); }
double Max(const std::vector<double>& values) { return *std::max_element(values.begin(), values.end()); }

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die("cannot read '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

template <typename T>
T ValueOrDie(Result<T> result, std::string_view what) {
  if (!result.ok()) Die(std::string(what) + ": " + result.status().message());
  return std::move(result).value();
}

sweep::ValidatedRequest ValidateOrDie(std::string_view body, std::string_view what) {
  sweep::IngressConfig config;
  config.max_shards_ceiling = sweep::kDefaultMaxShardsCeiling;  // 1,000, as `ridesweep run`
  sweep::ApiResult<sweep::ValidatedRequest> validated = sweep::ParseAndValidateRequestBytes(body, config);
  if (!validated.ok()) Die(std::string(what) + " rejected: " + validated.error().message);
  return std::move(validated).value();
}

// "[a,b,c]" of `count` values first, first + step, ….
std::string NumberList(double first, double step, int count) {
  std::string out = "[";
  for (int i = 0; i < count; ++i) {
    if (i > 0) out += ',';
    const double value = first + step * i;
    char text[32];
    std::snprintf(text, sizeof text, value == static_cast<double>(static_cast<int64_t>(value)) ? "%.0f" : "%.4g",
                  value);
    out += text;
  }
  return out + "]";
}

// ---------------------------------------------------------------------------------------------------------------
// planning: 10 × 20 × 20 × 50 = 200,000 points, 1,000 shards of 200.

std::string PlanningRequest() {
  return std::string(R"({"run_id":"bench-planning-200k","dimensions":{)") + R"("commission_rate":)" +
         NumberList(0.05, 0.025, 10) + R"(,"num_drivers":)" + NumberList(100, 10, 20) + R"(,"num_riders":)" +
         NumberList(200, 20, 20) + R"(,"match_radius":)" + NumberList(1, 1, 50) + R"(},"shard_count":)" +
         std::to_string(kPlanningShards) + R"(,"seed":7})";
}

// The same 200,000 points as 200 configurations x 1,000 replications (replicate fastest).
std::string PlanningReplicatedRequest() {
  return std::string(R"({"run_id":"bench-planning-200k","dimensions":{)") + R"("commission_rate":)" +
         NumberList(0.05, 0.025, 10) + R"(,"num_drivers":)" + NumberList(100, 10, 20) + R"(},"shard_count":)" +
         std::to_string(kPlanningShards) + R"(,"seed":7,"replications":1000})";
}

// 200,000 Sobol samples of four dimensions (three ranges, one log, and a list), one replication each.
std::string PlanningSobolRequest() {
  return std::string(R"({"run_id":"bench-planning-200k","dimensions":{)") +
         R"("commission_rate":{"min":0.05,"max":0.5},"num_drivers":{"min":50,"max":400},)" +
         R"("base_fare":{"min":0.5,"max":10,"log":true},"traffic_profile":["none","berlin"]},)" +
         R"("design":{"type":"sobol","samples":200000},"shard_count":)" + std::to_string(kPlanningShards) +
         R"(,"seed":7})";
}

// The same dimensions as a 200,000-sample Latin hypercube (a keyed permutation per dimension, cycle-walked).
std::string PlanningLatinHypercubeRequest() {
  std::string body = PlanningSobolRequest();
  body.replace(body.find(R"("type":"sobol")"), 14, R"("type":"latin_hypercube")");
  return body;
}

// sweep::ResolvePoint over 20,000 points spread evenly over the request (5 timed passes after an untimed one):
// median wall and thread-CPU ns per point (the CPU figure holds on a loaded machine).
struct ResolveCost {
  double wall_ns = 0;
  double cpu_ns = 0;
};
ResolveCost ResolveNsPerPoint(const sweep::NormalizedRequest& request) {
  std::vector<double> wall_ns, cpu_ns;
  constexpr uint64_t kSample = 20'000;
  const uint64_t stride = request.total_points / kSample;
  for (int pass = -1; pass < 5; ++pass) {
    const double c0 = ThreadCpuMs();
    const double t0 = NowMs();
    size_t bytes = 0;
    for (uint64_t i = 0; i < kSample; ++i) {
      const sweep::ResolvedPoint p = ValueOrDie(
          sweep::ResolvePoint(request.dimensions, request.seed, i * stride, request.replications, request.design),
          "ResolvePoint");
      bytes += p.effective_parameters_json.size();
    }
    const double t1 = NowMs();
    const double c1 = ThreadCpuMs();
    if (bytes == 0) Die("empty effective parameters");
    if (pass < 0) continue;
    wall_ns.push_back((t1 - t0) * 1e6 / kSample);
    cpu_ns.push_back((c1 - c0) * 1e6 / kSample);
  }
  return {Median(wall_ns), Median(cpu_ns)};
}

void RunPlanningOf(const Options& opt, const std::string& body, const char* shape);

void RunPlanning(const Options& opt) {
  RunPlanningOf(opt, PlanningRequest(), "grid 10 x 20 x 20 x 50");
  RunPlanningOf(opt, PlanningReplicatedRequest(), "grid 10 x 20 with replications 1000");
  RunPlanningOf(opt, PlanningSobolRequest(), "sobol 200000 samples of 4 dimensions");
  RunPlanningOf(opt, PlanningLatinHypercubeRequest(), "latin_hypercube 200000 samples of 4 dimensions");
}

void RunPlanningOf(const Options& opt, const std::string& body, const char* shape) {
  std::printf("== planning: 200,000-point request (%s) -> validate + plan %llu shards + serialize every payload ==\n",
              shape, static_cast<unsigned long long>(kPlanningShards));
  std::printf("load average before: %s\n", LoadAverage().c_str());
  const std::string request_key =
      sweep::StorageLayout(sweep::kDefaultResultsPrefix).RunManifestKey("bench-planning-200k");

  std::vector<double> validate_ms, encode_ms, total_ms, total_cpu_ms;
  size_t payload_bytes = 0;
  size_t shards = 0;
  uint64_t points = 0;
  sweep::PayloadForm form = sweep::PayloadForm::kInline;
  for (int run = -2; run < opt.planning_runs; ++run) {  // two untimed warm-up runs
    const double cpu0 = ThreadCpuMs();
    const double t0 = NowMs();
    sweep::ValidatedRequest validated = ValidateOrDie(body, "planning request");
    const double t1 = NowMs();
    const sweep::ShardPayloadEncoder encoder(validated.request, validated.plan, kRunDate, request_key,
                                             validated.request_fingerprint, sweep::kDefaultInlinePayloadMaxBytes);
    const std::vector<std::string> payloads = encoder.EncodeAll(validated.plan);
    const double t2 = NowMs();
    const double cpu1 = ThreadCpuMs();
    if (run < 0) continue;
    validate_ms.push_back(t1 - t0);
    encode_ms.push_back(t2 - t1);
    total_ms.push_back(t2 - t0);
    total_cpu_ms.push_back(cpu1 - cpu0);
    shards = payloads.size();
    points = validated.plan.total_points;
    form = encoder.form();
    payload_bytes = 0;
    for (const std::string& payload : payloads) payload_bytes += payload.size();
  }
  if (shards != kPlanningShards || points != 200'000) Die("planning produced an unexpected plan");
  std::printf("request %zu bytes, %llu points, %zu shards, %s payloads, %zu payload bytes in all\n", body.size(),
              static_cast<unsigned long long>(points), shards, std::string(sweep::PayloadFormName(form)).c_str(),
              payload_bytes);
  const std::string header = "phase (ms, " + std::to_string(opt.planning_runs) + " runs)";
  std::printf("%-44s %10s %10s %10s\n", header.c_str(), "median", "min", "max");
  auto row = [](const char* name, const std::vector<double>& v) {
    std::printf("%-44s %10.2f %10.2f %10.2f\n", name, Median(v), Min(v), Max(v));
  };
  row("parse + validate + plan (wall)", validate_ms);
  row("ShardPayloadEncoder + EncodeAll (wall)", encode_ms);
  row("total (wall)", total_ms);
  row("total (thread CPU)", total_cpu_ms);
  std::printf("target <= %.0f ms: %s (median wall %.2f ms)\n", kPlanningTargetMs,
              Median(total_ms) <= kPlanningTargetMs ? "PASS" : "FAIL", Median(total_ms));
  const ResolveCost resolve = ResolveNsPerPoint(ValidateOrDie(body, "planning request").request);
  std::printf("ResolvePoint per point (20,000 points, median of 5 passes): wall %.0f ns, thread CPU %.0f ns; "
              "target <= 10000 ns: %s\n",
              resolve.wall_ns, resolve.cpu_ns, resolve.cpu_ns <= 10'000 ? "PASS" : "FAIL");
  std::printf("load average after: %s\n\n", LoadAverage().c_str());
}

// ---------------------------------------------------------------------------------------------------------------
// output: per point, simulation time against the time to encode (and store) its four datasets.

struct PointTimes {
  std::vector<double> sim_ms, sim_cpu_ms;
  std::vector<double> metrics_ms, trips_ms, snapshots_ms, effective_ms, encode_ms, encode_cpu_ms;
  std::vector<double> put_ms;
  size_t trips = 0, snapshots = 0, bytes = 0;
};

void RunOutput(const Options& opt) {
  std::printf("== output cost: demo sweep points, simulation vs encoding of the four per-point datasets ==\n");
  std::printf("load average before: %s\n", LoadAverage().c_str());
  const sweep::ValidatedRequest validated = ValidateOrDie(ReadFile(opt.demo_request), opt.demo_request);
  const sweep::NormalizedRequest& request = validated.request;
  const uint64_t total = validated.plan.total_points;
  std::unique_ptr<store::ParquetDatasetEncoder> encoder =
      ValueOrDie(store::ParquetDatasetEncoder::Create(), "ParquetDatasetEncoder::Create");

  const std::filesystem::path dir = opt.results_root / ("ridesweep-sweep-bench-output-" + std::to_string(::getpid()));
  std::unique_ptr<store::LocalDirStore> local = ValueOrDie(store::LocalDirStore::Open(dir), "LocalDirStore::Open");
  const sweep::StorageLayout layout(sweep::kDefaultResultsPrefix);

  std::vector<PointTimes> times(total);
  for (int round = -1; round < opt.output_rounds; ++round) {  // one untimed warm-up round
    for (uint64_t point = 0; point < total; ++point) {
      sweep::ResolvedPoint resolved =
          ValueOrDie(sweep::ResolvePoint(request.dimensions, request.seed, point), "ResolvePoint");
      uint64_t shard_id = 0;
      for (const sweep::ShardRange& shard : validated.plan.shards) {
        if (point >= shard.start_index && point < shard.end_index_exclusive) shard_id = shard.shard_id;
      }

      sim::PointCollector collector;
      const double s_cpu0 = ThreadCpuMs();
      const double s0 = NowMs();
      sim::SimOutput run = ValueOrDie(sim::RunSimulation(resolved.params, &collector), "RunSimulation");
      const double s1 = NowMs();
      const double s_cpu1 = ThreadCpuMs();

      sweep::EffectiveParametersRow row;
      row.run_id = request.run_id;
      row.shard_id = static_cast<int64_t>(shard_id);
      row.point_index = static_cast<int64_t>(point);
      row.parameter_fingerprint = resolved.parameter_fingerprint;
      row.effective_parameters_json = std::move(resolved.effective_parameters_json);

      // The worker's order: shard_metrics, trip_data, snapshot_counts, effective_parameters.
      const double e_cpu0 = ThreadCpuMs();
      const double e0 = NowMs();
      std::string metrics = ValueOrDie(encoder->EncodeShardMetrics(run.metrics), "EncodeShardMetrics");
      const double e1 = NowMs();
      std::string trips = ValueOrDie(encoder->EncodeTripData(collector.trips()), "EncodeTripData");
      const double e2 = NowMs();
      std::string snapshots = ValueOrDie(encoder->EncodeSnapshotCounts(collector.snapshots()), "EncodeSnapshots");
      const double e3 = NowMs();
      std::string effective = ValueOrDie(encoder->EncodeEffectiveParameters(row), "EncodeEffectiveParameters");
      const double e4 = NowMs();
      const double e_cpu1 = ThreadCpuMs();

      const std::string* files[] = {&metrics, &trips, &snapshots, &effective};
      const sweep::Dataset datasets[] = {sweep::Dataset::kShardMetrics, sweep::Dataset::kTripData,
                                         sweep::Dataset::kSnapshotCounts, sweep::Dataset::kEffectiveParameters};
      const double p0 = NowMs();
      for (int i = 0; i < 4; ++i) {
        const std::string key =
            layout.PointKey(datasets[i], kRunDate, RoundRunId(request.run_id, round), shard_id, point);
        if (Status put = local->Put(key, *files[i], sweep::kParquetContentType); !put.ok()) Die(put.message());
      }
      const double p1 = NowMs();

      if (round < 0) continue;
      PointTimes& t = times[point];
      t.sim_ms.push_back(s1 - s0);
      t.sim_cpu_ms.push_back(s_cpu1 - s_cpu0);
      t.metrics_ms.push_back(e1 - e0);
      t.trips_ms.push_back(e2 - e1);
      t.snapshots_ms.push_back(e3 - e2);
      t.effective_ms.push_back(e4 - e3);
      t.encode_ms.push_back(e4 - e0);
      t.encode_cpu_ms.push_back(e_cpu1 - e_cpu0);
      t.put_ms.push_back(p1 - p0);
      t.trips = collector.trips().size();
      t.snapshots = collector.snapshots().size();
      t.bytes = metrics.size() + trips.size() + snapshots.size() + effective.size();
    }
  }
  if (!opt.keep_results) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  std::printf("medians of %d rounds; wall ms unless marked CPU (thread CPU time)\n", opt.output_rounds);
  std::printf("%5s %6s %6s %8s %8s | %7s %7s %7s %7s %7s %8s | %6s | %7s %7s\n", "point", "trips", "snaps", "sim",
              "sim CPU", "metrics", "trips", "snaps", "params", "encode", "enc CPU", "put", "enc/sim", "+put/sim");
  double sum_sim = 0, sum_sim_cpu = 0, sum_encode = 0, sum_encode_cpu = 0, sum_put = 0;
  double worst = 0;
  for (uint64_t point = 0; point < total; ++point) {
    const PointTimes& t = times[point];
    const double sim = Median(t.sim_ms), sim_cpu = Median(t.sim_cpu_ms), encode = Median(t.encode_ms),
                 encode_cpu = Median(t.encode_cpu_ms), put = Median(t.put_ms);
    sum_sim += sim;
    sum_sim_cpu += sim_cpu;
    sum_encode += encode;
    sum_encode_cpu += encode_cpu;
    sum_put += put;
    worst = std::max(worst, encode_cpu / sim_cpu);
    std::printf("%5llu %6zu %6zu %8.2f %8.2f | %7.2f %7.2f %7.2f %7.2f %7.2f %8.2f | %6.2f | %6.1f%% %6.1f%%\n",
                static_cast<unsigned long long>(point), t.trips, t.snapshots, sim, sim_cpu, Median(t.metrics_ms),
                Median(t.trips_ms), Median(t.snapshots_ms), Median(t.effective_ms), encode, encode_cpu, put,
                100.0 * encode / sim, 100.0 * (encode + put) / sim);
  }
  std::printf("%5s %6s %6s %8.2f %8.2f | %7s %7s %7s %7s %7.2f %8.2f | %6.2f | %6.1f%% %6.1f%%\n", "all", "", "",
              sum_sim, sum_sim_cpu, "", "", "", "", sum_encode, sum_encode_cpu, sum_put, 100.0 * sum_encode / sum_sim,
              100.0 * (sum_encode + sum_put) / sum_sim);
  const double overall_cpu = sum_encode_cpu / sum_sim_cpu;
  std::printf("encode / simulation, thread CPU: overall %.1f%%, worst point %.1f%%\n", 100.0 * overall_cpu,
              100.0 * worst);
  std::printf("target encode <= %.0f%% of simulation on every point: %s\n", 100.0 * kOutputTargetRatio,
              worst <= kOutputTargetRatio ? "PASS" : "FAIL");
  std::printf("load average after: %s\n\n", LoadAverage().c_str());
}

// ---------------------------------------------------------------------------------------------------------------
// compact: the output section in the per_shard layout. Each point's rows go to its shard's spill right after its
// simulation (timed per point); after a shard's last point its four objects are encoded from the spill and stored
// (timed per shard and shared evenly by its points). Output per point = its append + its share of the shard's write.

void RunOutputCompact(const Options& opt) {
  std::printf("== output cost, per_shard layout: demo sweep points, simulation vs spill + one file per dataset per "
              "shard ==\n");
  std::printf("load average before: %s\n", LoadAverage().c_str());
  const sweep::ValidatedRequest validated = ValidateOrDie(ReadFile(opt.demo_request), opt.demo_request);
  const sweep::NormalizedRequest& request = validated.request;
  const uint64_t total = validated.plan.total_points;
  const std::filesystem::path dir =
      opt.results_root / ("ridesweep-sweep-bench-compact-" + std::to_string(::getpid()));
  std::unique_ptr<store::LocalDirStore> local = ValueOrDie(store::LocalDirStore::Open(dir), "LocalDirStore::Open");
  const sweep::StorageLayout layout(sweep::kDefaultResultsPrefix);
  const sweep::Dataset datasets[] = {sweep::Dataset::kShardMetrics, sweep::Dataset::kTripData,
                                     sweep::Dataset::kSnapshotCounts, sweep::Dataset::kEffectiveParameters};

  // As the worker gets them: from one factory, whose pool hands the same open spill to every shard in turn.
  const sweep::ShardSpillFactory spills = store::ParquetShardSpillFactory();
  std::vector<std::vector<double>> sim_ms(total), sim_cpu_ms(total), out_ms(total), out_cpu_ms(total);
  std::vector<double> append_all_ms, write_all_ms, encode_all_ms, put_all_ms;  // per point / per shard
  for (int round = -1; round < opt.output_rounds; ++round) {  // one untimed warm-up round
    for (const sweep::ShardRange& shard : validated.plan.shards) {
      const double open_cpu0 = ThreadCpuMs();
      const double open0 = NowMs();
      std::unique_ptr<sweep::ShardSpill> spill = ValueOrDie(spills(), "ShardSpillFactory");
      double shard_ms = NowMs() - open0;
      double shard_cpu_ms = ThreadCpuMs() - open_cpu0;
      std::vector<double> append_ms, append_cpu_ms;
      for (uint64_t point = shard.start_index; point < shard.end_index_exclusive; ++point) {
        sweep::ResolvedPoint resolved =
            ValueOrDie(sweep::ResolvePoint(request.dimensions, request.seed, point), "ResolvePoint");
        sim::PointCollector collector;
        const double s_cpu0 = ThreadCpuMs();
        const double s0 = NowMs();
        sim::SimOutput run = ValueOrDie(sim::RunSimulation(resolved.params, &collector), "RunSimulation");
        const double s1 = NowMs();
        const double s_cpu1 = ThreadCpuMs();
        sweep::EffectiveParametersRow row;
        row.run_id = request.run_id;
        row.shard_id = static_cast<int64_t>(shard.shard_id);
        row.point_index = static_cast<int64_t>(point);
        row.parameter_fingerprint = resolved.parameter_fingerprint;
        row.effective_parameters_json = std::move(resolved.effective_parameters_json);
        const sweep::ShardMetricsRow metrics(run.metrics, static_cast<int64_t>(point), 0);
        const double a_cpu0 = ThreadCpuMs();
        const double a0 = NowMs();
        if (Status appended = spill->AppendPoint(point, metrics, collector.trips(), collector.snapshots(), row);
            !appended.ok()) {
          Die(appended.message());
        }
        append_ms.push_back(NowMs() - a0);
        append_cpu_ms.push_back(ThreadCpuMs() - a_cpu0);
        if (round >= 0) {
          sim_ms[point].push_back(s1 - s0);
          sim_cpu_ms[point].push_back(s_cpu1 - s_cpu0);
        }
      }
      const double w_cpu0 = ThreadCpuMs();
      const double w0 = NowMs();
      double encode_ms = 0, put_ms = 0;
      for (sweep::Dataset dataset : datasets) {
        const double c0 = NowMs();
        const std::string bytes = ValueOrDie(spill->Encode(dataset), "ShardSpill::Encode");
        const double c1 = NowMs();
        const std::string key = layout.ShardKey(dataset, kRunDate, RoundRunId(request.run_id, round), shard.shard_id);
        if (Status put = local->Put(key, bytes, sweep::kParquetContentType); !put.ok()) Die(put.message());
        encode_ms += c1 - c0;
        put_ms += NowMs() - c1;
      }
      spill.reset();  // emptying it for the next shard is part of the cost
      shard_ms += NowMs() - w0;
      shard_cpu_ms += ThreadCpuMs() - w_cpu0;
      if (round < 0) continue;
      write_all_ms.push_back(shard_ms);
      encode_all_ms.push_back(encode_ms);
      put_all_ms.push_back(put_ms);
      append_all_ms.insert(append_all_ms.end(), append_ms.begin(), append_ms.end());
      const double points = static_cast<double>(shard.end_index_exclusive - shard.start_index);
      for (uint64_t point = shard.start_index; point < shard.end_index_exclusive; ++point) {
        out_ms[point].push_back(append_ms[point - shard.start_index] + shard_ms / points);
        out_cpu_ms[point].push_back(append_cpu_ms[point - shard.start_index] + shard_cpu_ms / points);
      }
    }
  }
  if (!opt.keep_results) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  std::printf("medians of %d rounds; wall ms unless marked CPU (thread CPU time); output = append + share of the "
              "shard's spill open, encode, put and close\n", opt.output_rounds);
  std::printf("%5s %8s %8s | %8s %8s | %7s %7s\n", "point", "sim", "sim CPU", "output", "out CPU", "out/sim",
              "CPU");
  double sum_sim = 0, sum_sim_cpu = 0, sum_out = 0, sum_out_cpu = 0, worst = 0;
  for (uint64_t point = 0; point < total; ++point) {
    const double sim = Median(sim_ms[point]), sim_cpu = Median(sim_cpu_ms[point]), out = Median(out_ms[point]),
                 out_cpu = Median(out_cpu_ms[point]);
    sum_sim += sim;
    sum_sim_cpu += sim_cpu;
    sum_out += out;
    sum_out_cpu += out_cpu;
    worst = std::max(worst, out_cpu / sim_cpu);
    std::printf("%5llu %8.2f %8.2f | %8.2f %8.2f | %6.1f%% %6.1f%%\n", static_cast<unsigned long long>(point), sim,
                sim_cpu, out, out_cpu, 100.0 * out / sim, 100.0 * out_cpu / sim_cpu);
  }
  std::printf("%5s %8.2f %8.2f | %8.2f %8.2f | %6.1f%% %6.1f%%\n", "all", sum_sim, sum_sim_cpu, sum_out, sum_out_cpu,
              100.0 * sum_out / sum_sim, 100.0 * sum_out_cpu / sum_sim_cpu);
  std::printf("median append per point %.3f ms; per shard: take + encode + put + reset %.2f ms, of which encode "
              "(4 COPY) %.2f ms and put (4 files) %.2f ms\n",
              Median(append_all_ms), Median(write_all_ms), Median(encode_all_ms), Median(put_all_ms));
  std::printf("target output <= %.0f%% of simulation (thread CPU, overall): %s; worst point %.1f%%\n",
              100.0 * kOutputTargetRatio, sum_out_cpu / sum_sim_cpu <= kOutputTargetRatio ? "PASS" : "FAIL",
              100.0 * worst);
  std::printf("load average after: %s\n\n", LoadAverage().c_str());
}

// ---------------------------------------------------------------------------------------------------------------
// encode: the encoder alone, back to back, on the rows of the demo point with the most snapshot rows. Shows the
// fixed cost per file and the per-row cost without a simulation between calls (warm caches).

void RunEncode(const Options& opt) {
  std::printf("== encode: ParquetDatasetEncoder back to back, %d calls per dataset ==\n", opt.encode_iterations);
  std::printf("load average before: %s\n", LoadAverage().c_str());
  const sweep::ValidatedRequest validated = ValidateOrDie(ReadFile(opt.demo_request), opt.demo_request);
  const sweep::NormalizedRequest& request = validated.request;
  sim::PointCollector best;
  sim::PointMetrics best_metrics;
  sweep::EffectiveParametersRow row;
  row.run_id = request.run_id;
  std::string source;
  if (!opt.encode_scenario.empty()) {
    const sim::SimParams params = *sim::FindScenario(opt.encode_scenario);
    best_metrics = ValueOrDie(sim::RunSimulation(params, &best), "RunSimulation").metrics;
    // The effective-parameters row of demo point 0 stands in: its size does not depend on the scenario.
    sweep::ResolvedPoint resolved = ValueOrDie(sweep::ResolvePoint(request.dimensions, request.seed, 0), "Resolve");
    row.parameter_fingerprint = resolved.parameter_fingerprint;
    row.effective_parameters_json = resolved.effective_parameters_json;
    source = "scenario " + opt.encode_scenario;
  }
  for (uint64_t point = 0; opt.encode_scenario.empty() && point < validated.plan.total_points; ++point) {
    sweep::ResolvedPoint resolved =
        ValueOrDie(sweep::ResolvePoint(request.dimensions, request.seed, point), "ResolvePoint");
    sim::PointCollector collector;
    sim::SimOutput run = ValueOrDie(sim::RunSimulation(resolved.params, &collector), "RunSimulation");
    if (collector.snapshots().size() > best.snapshots().size()) {
      best = std::move(collector);
      best_metrics = run.metrics;
      row.point_index = static_cast<int64_t>(point);
      row.parameter_fingerprint = resolved.parameter_fingerprint;
      row.effective_parameters_json = resolved.effective_parameters_json;
      source = "demo point " + std::to_string(point);
    }
  }
  std::unique_ptr<store::ParquetDatasetEncoder> encoder =
      ValueOrDie(store::ParquetDatasetEncoder::Create(), "ParquetDatasetEncoder::Create");
  std::printf("%s: %zu trips, %zu snapshot rows\n", source.c_str(), best.trips().size(), best.snapshots().size());
  std::printf("%-24s %8s %10s %10s %10s\n", "dataset", "bytes", "med ms", "min ms", "med CPU ms");
  struct Case {
    const char* name;
    std::function<Result<std::string>()> call;
  };
  const Case cases[] = {
      {"shard_metrics", [&] { return encoder->EncodeShardMetrics(best_metrics); }},
      {"trip_data", [&] { return encoder->EncodeTripData(best.trips()); }},
      {"snapshot_counts", [&] { return encoder->EncodeSnapshotCounts(best.snapshots()); }},
      {"effective_parameters", [&] { return encoder->EncodeEffectiveParameters(row); }},
      {"trip_data, 0 rows", [&] { return encoder->EncodeTripData({}); }},
      {"snapshot_counts, 0 rows", [&] { return encoder->EncodeSnapshotCounts({}); }},
      {"all four",
       [&]() -> Result<std::string> {
         std::string all;
         all += ValueOrDie(encoder->EncodeShardMetrics(best_metrics), "metrics");
         all += ValueOrDie(encoder->EncodeTripData(best.trips()), "trips");
         all += ValueOrDie(encoder->EncodeSnapshotCounts(best.snapshots()), "snapshots");
         all += ValueOrDie(encoder->EncodeEffectiveParameters(row), "effective");
         return all;
       }},
  };
  for (const Case& c : cases) {
    std::vector<double> wall, cpu;
    size_t bytes = 0;
    for (int i = -5; i < opt.encode_iterations; ++i) {
      const double c0 = ThreadCpuMs();
      const double t0 = NowMs();
      std::string file = ValueOrDie(c.call(), c.name);
      const double t1 = NowMs();
      const double c1 = ThreadCpuMs();
      if (i < 0) continue;
      wall.push_back(t1 - t0);
      cpu.push_back(c1 - c0);
      bytes = file.size();
    }
    std::printf("%-24s %8zu %10.3f %10.3f %10.3f\n", c.name, bytes, Median(wall), Min(wall), Median(cpu));
  }
  std::printf("load average after: %s\n\n", LoadAverage().c_str());
}

// ---------------------------------------------------------------------------------------------------------------
// throughput: whole requests through the LocalExecutor.

// commission_rate 5 × num_drivers 5 × num_riders 4 × match_radius 2 = 200 points in 20 shards of 10.
std::string ThroughputRequest() {
  return std::string(R"({"run_id":"bench-throughput-200","dimensions":{)") + R"("commission_rate":)" +
         NumberList(0.1, 0.05, 5) + R"(,"num_drivers":)" + NumberList(100, 50, 5) + R"(,"num_riders":)" +
         NumberList(400, 200, 4) + R"(,"match_radius":)" + NumberList(3, 2, 2) + R"(},"shard_count":20,"seed":11})";
}

struct SweepRun {
  double wall_ms = 0;    // submit → idle
  double cpu_ms = 0;     // process CPU over the same span (all threads)
  double start_ms = 0;   // Start(): one encoder (DuckDB database) per worker thread
  double submit_ms = 0;  // validate, manifest, run_context, payloads, enqueue (serial, on this thread)
  uint64_t points = 0;
};

// Runs `body` in a fresh result folder under `root`, which it appends to `dirs` for later removal.
SweepRun RunSweepOnce(const std::string& body, size_t threads, uint64_t expected_points,
                      const std::filesystem::path& root, std::vector<std::filesystem::path>* dirs) {
  static int counter = 0;
  const std::filesystem::path dir =
      root / ("ridesweep-sweep-bench-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  dirs->push_back(dir);
  std::unique_ptr<store::LocalDirStore> local = ValueOrDie(store::LocalDirStore::Open(dir), "LocalDirStore::Open");
  sweep::SystemClock clock;
  sweep::ManifestCache manifests;
  std::unique_ptr<store::ParquetDatasetEncoder> submit_encoder =
      ValueOrDie(store::ParquetDatasetEncoder::Create(), "ParquetDatasetEncoder::Create");

  sweep::WorkerContext worker;
  worker.store = local.get();
  worker.clock = &clock;
  worker.manifests = &manifests;
  worker.spills = store::ParquetShardSpillFactory();
  local::ExecutorOptions exec;
  exec.threads = threads;
  exec.max_attempts = 1;
  SweepRun out;
  {
    local::LocalExecutor executor(worker, store::ParquetDatasetEncoderFactory(), exec);
    const double s0 = NowMs();
    if (Status started = executor.Start(); !started.ok()) Die(started.message());
    out.start_ms = NowMs() - s0;

    sweep::SubmitContext ctx;
    ctx.store = local.get();
    ctx.encoder = submit_encoder.get();
    ctx.dispatcher = &executor;
    ctx.clock = &clock;
    const double cpu0 = ProcessCpuMs();
    const double t0 = NowMs();
    sweep::SubmitResponse response = sweep::SubmitRequestBytes(body, sweep::RequestSource::kLocalCli, ctx);
    if (response.status_code != 202) Die("submit: " + response.body);
    out.submit_ms = NowMs() - t0;
    executor.WaitUntilIdle();
    out.wall_ms = NowMs() - t0;
    out.cpu_ms = ProcessCpuMs() - cpu0;
    const local::ExecutorStats stats = executor.stats();
    out.points = stats.points_done;
    if (stats.points_done != expected_points || stats.points_skipped != 0 || stats.shards_failed != 0 ||
        stats.shards_dead_lettered != 0) {
      Die("sweep did not complete cleanly");
    }
  }
  return out;
}

void RunThroughputFor(const Options& opt, const std::string& name, const std::string& body,
                      std::vector<std::filesystem::path>* dirs) {
  const sweep::ValidatedRequest validated = ValidateOrDie(body, name);
  const uint64_t points = validated.plan.total_points;
  std::printf("-- %s: %llu points in %zu shards --\n", name.c_str(), static_cast<unsigned long long>(points),
              validated.plan.shards.size());
  RunSweepOnce(body, 1, points, opt.results_root, dirs);  // warm-up: page cache, allocator, DuckDB code
  std::vector<double> rate[2], cpu_util[2], cpu_per_point[2];
  for (int round = 0; round < opt.throughput_rounds; ++round) {
    for (size_t threads = 1; threads <= 2; ++threads) {
      const SweepRun run = RunSweepOnce(body, threads, points, opt.results_root, dirs);
      const double points_per_s = static_cast<double>(run.points) / (run.wall_ms / 1e3);
      rate[threads - 1].push_back(points_per_s);
      cpu_util[threads - 1].push_back(run.cpu_ms / run.wall_ms);
      cpu_per_point[threads - 1].push_back(run.cpu_ms / static_cast<double>(run.points));
      std::printf(
          "round %d, %zu thread%s: %8.1f ms wall (submit %.1f), %8.1f ms CPU (%.2f ms/point), %7.1f points/s; "
          "pool start %.1f ms; load %s\n",
          round, threads, threads == 1 ? " " : "s", run.wall_ms, run.submit_ms, run.cpu_ms,
          run.cpu_ms / static_cast<double>(run.points), points_per_s, run.start_ms, LoadAverage().c_str());
    }
  }
  std::vector<double> speedups;
  for (int round = 0; round < opt.throughput_rounds; ++round) speedups.push_back(rate[1][round] / rate[0][round]);
  std::printf("%-10s %12s %12s %14s %14s\n", "threads", "median pt/s", "best pt/s", "CPU/wall med", "CPU ms/pt med");
  for (int t = 0; t < 2; ++t) {
    std::printf("%-10d %12.1f %12.1f %14.2f %14.2f\n", t + 1, Median(rate[t]), Max(rate[t]), Median(cpu_util[t]),
                Median(cpu_per_point[t]));
  }
  const double best_speedup = Max(rate[1]) / Max(rate[0]);
  std::printf("speed-up 2 vs 1 threads: median of rounds %.2fx, best vs best %.2fx, per round", Median(speedups),
              best_speedup);
  for (double s : speedups) std::printf(" %.2f", s);
  std::printf(
      "\ntarget >= %.2fx: %s (median of rounds; a round whose CPU/wall with 2 threads is well below 2 "
      "did not get both cores)\n",
      kSpeedupTarget, Median(speedups) >= kSpeedupTarget ? "PASS" : "FAIL");
}

void RunThroughput(const Options& opt) {
  std::printf("== throughput: LocalExecutor + LocalDirStore, submit -> last point committed ==\n");
  std::printf("load average before: %s; results under %s\n", LoadAverage().c_str(), opt.results_root.c_str());
  std::vector<std::filesystem::path> dirs;
  RunThroughputFor(opt, "200-point request", ThroughputRequest(), &dirs);
  RunThroughputFor(opt, "demo request (" + opt.demo_request + ")", ReadFile(opt.demo_request), &dirs);
  std::printf("load average after: %s\n\n", LoadAverage().c_str());
  if (!opt.keep_results) {
    for (const std::filesystem::path& dir : dirs) {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  }
}

int Main(int argc, char** argv) {
  const Options opt = ParseOptions(argc, argv);
  if (!opt.print_request.empty()) {
    std::printf("%s\n", (opt.print_request == "planning" ? PlanningRequest() : ThroughputRequest()).c_str());
    return 0;
  }
  std::printf("ridesweep_sweep_bench, pid %d, load average %s\n\n", static_cast<int>(::getpid()),
              LoadAverage().c_str());
  if (opt.planning) RunPlanning(opt);
  if (opt.output) RunOutput(opt);
  if (opt.throughput) RunThroughput(opt);
  if (opt.encode) RunEncode(opt);
  if (opt.compact) RunOutputCompact(opt);
  return 0;
}

}  // namespace
}  // namespace ridesweep::bench

int main(int argc, char** argv) { return ridesweep::bench::Main(argc, argv); }
