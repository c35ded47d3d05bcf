// ridesweep_scenario_bench runs the named workloads of spec/simulation.md §17.2 under the §17.3 protocol
// (release build, one run at a time, warm-up runs then timed runs, median) and prints wall time, CPU time,
// events/s, spawned agents, rider outcomes, peak RSS and per-kind event counts, then checks the §17.2 load-row
// floors and the §17.5 targets. Each scenario runs in a fresh child process (fork + wait4), so its peak RSS
// (ru_maxrss) is its own and not hidden by an earlier, larger scenario. Numbers go to docs/BENCHMARKS.md.
//
//   ridesweep_scenario_bench [--scenarios a,b,...] [--warmup N] [--runs N] [--json] [--collector]
//                            [--no-fork] [--cpu N] [--strict] [--list]
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ridesweep/base/json_writer.h"
#include "ridesweep/sim/point_collector.h"
#include "ridesweep/sim/records.h"
#include "ridesweep/sim/scenarios.h"
#include "ridesweep/sim/simulation.h"

namespace ridesweep::sim {
namespace {

// Event kind names in ordinal order (spec/simulation.md §1.2); the engine's own table is internal.
constexpr std::array<std::string_view, kEventKindCount> kKindNames = {
    "SimulationStarted", "SpawnRider",    "SpawnDriver",   "ShowQuote",        "QuoteDecision",
    "QuoteAccepted",     "QuoteRejected", "TryMatch",      "BatchMatchRun",    "MatchAccepted",
    "DriverDecision",    "MatchRejected", "MoveStep",      "PickupEtaUpdated", "TripStarted",
    "TripCompleted",     "RiderCancel",   "CheckDriverOffDuty"};

constexpr int kMaxRuns = 100;

// §17.2 floors (minimum events/s of the earlier implementation's load tests) and §17.5 targets.
struct RateFloor {
  std::string_view scenario;
  double events_per_sec;
};
constexpr RateFloor kLoadFloors[] = {
    {"load-sustained", 1'000.0}, {"load-peak", 500.0}, {"load-long", 500.0}, {"example-large", 12'200.0}};
constexpr std::string_view kTargetScenario = "example-large";
constexpr double kTargetWallMs = 300.0;
constexpr double kTargetEventsPerSec = 1'000'000.0;
constexpr double kTargetPeakRssMb = 256.0;

struct Options {
  std::vector<std::string> scenarios;  // Empty: every named scenario.
  int warmup = 1;
  int runs = 5;
  bool json = false;
  bool collector = false;  // Attach a PointCollector (rows kept in memory, as a sweep worker does).
  bool fork = true;
  int cpu = -1;            // Pin to this CPU when >= 0.
  bool strict = false;     // Exit 1 when a check fails.
};

// What one scenario's child process reports back through a pipe. Plain bytes, fixed size.
struct ChildReport {
  bool ok = false;
  char error[240] = {};
  int runs = 0;
  std::array<double, kMaxRuns> wall_ms{};
  std::array<double, kMaxRuns> cpu_ms{};
  bool deterministic = true;  // Every run processed the same number of events with the same per-kind counts.
  RunStats stats;
  PointMetrics metrics;
  long baseline_rss_kb = 0;   // ru_maxrss before the first run (the forked image).
  long self_peak_rss_kb = 0;  // ru_maxrss after the last run, seen by the child itself.
  // With --collector: rows kept, and the batch shapes the matcher saw (Waiting riders, Idle drivers per row).
  uint64_t snapshot_rows = 0;
  uint64_t completed_records = 0;
  double mean_riders_waiting = 0.0;
  int64_t max_riders_waiting = 0;
  double mean_drivers_idle = 0.0;
  int64_t max_drivers_idle = 0;
};
static_assert(std::is_trivially_copyable_v<ChildReport>, "ChildReport crosses a pipe as raw bytes");

struct ScenarioResult {
  std::string name;
  uint64_t expected_riders = 0;
  uint64_t expected_drivers = 0;
  ChildReport report;
  long peak_rss_kb = 0;  // From wait4 (the child's lifetime peak) or the child's own getrusage.
  double wall_median_ms = 0.0;
  double wall_min_ms = 0.0;
  double cpu_median_ms = 0.0;
  double events_per_sec = 0.0;      // events / median wall time.
  double events_per_cpu_sec = 0.0;  // events / median CPU time.
};

struct Check {
  std::string name;
  bool pass;
  std::string detail;
};

[[noreturn]] void Usage(int code) {
  std::fprintf(code == 0 ? stdout : stderr,
               "usage: ridesweep_scenario_bench [options]\n"
               "  --scenarios a,b,...  named scenarios to run (default: all; see --list)\n"
               "  --warmup N           untimed warm-up runs per scenario (default 1)\n"
               "  --runs N             timed runs per scenario, median reported (default 5, max %d)\n"
               "  --json               print one JSON document instead of the tables\n"
               "  --collector          attach a PointCollector (keeps snapshots and trips in memory)\n"
               "  --no-fork            run in this process (for perf/callgrind); peak RSS is then cumulative\n"
               "  --cpu N              pin the runs to CPU N\n"
               "  --strict             exit 1 when a floor, target or spawn check fails\n"
               "  --list               list the named scenarios and exit\n",
               kMaxRuns);
  std::exit(code);
}

int ParseCount(const char* flag, const char* text, int lo, int hi) {
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v < lo || v > hi) {
    std::fprintf(stderr, "%s: expected an integer in [%d, %d], got '%s'\n", flag, lo, hi, text);
    Usage(2);
  }
  return static_cast<int>(v);
}

std::vector<std::string> SplitCommas(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const size_t end = comma == std::string_view::npos ? text.size() : comma;
    if (end > start) out.emplace_back(text.substr(start, end - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

Options ParseOptions(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", argv[i]);
        Usage(2);
      }
      return argv[++i];
    };
    if (arg == "--scenarios") {
      opt.scenarios = SplitCommas(next());
    } else if (arg == "--warmup") {
      opt.warmup = ParseCount("--warmup", next(), 0, 1000);
    } else if (arg == "--runs") {
      opt.runs = ParseCount("--runs", next(), 1, kMaxRuns);
    } else if (arg == "--json") {
      opt.json = true;
    } else if (arg == "--collector") {
      opt.collector = true;
    } else if (arg == "--no-fork") {
      opt.fork = false;
    } else if (arg == "--cpu") {
      opt.cpu = ParseCount("--cpu", next(), 0, 1023);
    } else if (arg == "--strict") {
      opt.strict = true;
    } else if (arg == "--list") {
      for (const NamedScenario& s : NamedScenarios()) std::printf("%.*s\n", static_cast<int>(s.name.size()),
                                                                  s.name.data());
      std::exit(0);
    } else if (arg == "--help" || arg == "-h") {
      Usage(0);
    } else {
      std::fprintf(stderr, "unknown argument '%s'\n", argv[i]);
      Usage(2);
    }
  }
  return opt;
}

double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

long SelfMaxRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // Kilobytes on Linux.
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

void CopyError(ChildReport* report, const std::string& text) {
  std::snprintf(report->error, sizeof(report->error), "%s", text.c_str());
}

void SummariseRows(const PointCollector& collector, ChildReport* report) {
  report->snapshot_rows = collector.snapshots().size();
  report->completed_records = collector.completed().size();
  double waiting = 0.0, idle = 0.0;
  for (const SnapshotRow& row : collector.snapshots()) {
    waiting += static_cast<double>(row.riders_waiting);
    idle += static_cast<double>(row.drivers_idle);
    report->max_riders_waiting = std::max(report->max_riders_waiting, row.riders_waiting);
    report->max_drivers_idle = std::max(report->max_drivers_idle, row.drivers_idle);
  }
  if (report->snapshot_rows > 0) {
    report->mean_riders_waiting = waiting / static_cast<double>(report->snapshot_rows);
    report->mean_drivers_idle = idle / static_cast<double>(report->snapshot_rows);
  }
}

// Runs one scenario warmup + runs times in this process.
ChildReport RunScenario(const SimParams& params, const Options& opt) {
  ChildReport report;
  report.baseline_rss_kb = SelfMaxRssKb();
  PointCollector collector;
  SimObserver* observer = opt.collector ? &collector : nullptr;
  for (int run = 0; run < opt.warmup + opt.runs; ++run) {
    collector.Clear();
    const double cpu_start = ThreadCpuMs();
    const auto wall_start = std::chrono::steady_clock::now();
    Result<SimOutput> out = RunSimulation(params, observer);
    const auto wall_end = std::chrono::steady_clock::now();
    const double cpu_end = ThreadCpuMs();
    if (!out.ok()) {
      CopyError(&report, out.status().ToString());
      return report;
    }
    if (run < opt.warmup) continue;
    const int timed = run - opt.warmup;
    report.wall_ms[static_cast<size_t>(timed)] =
        std::chrono::duration<double, std::milli>(wall_end - wall_start).count();
    report.cpu_ms[static_cast<size_t>(timed)] = cpu_end - cpu_start;
    if (timed == 0) {
      report.stats = out->stats;
      report.metrics = out->metrics;
      if (opt.collector) SummariseRows(collector, &report);
    } else if (out->stats.steps != report.stats.steps ||
               out->stats.events_by_kind != report.stats.events_by_kind) {
      report.deterministic = false;
    }
    report.runs = timed + 1;
  }
  report.self_peak_rss_kb = SelfMaxRssKb();
  report.ok = true;
  return report;
}

bool WriteAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool ReadAll(int fd, void* data, size_t size) {
  char* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// Runs the scenario in a forked child; the peak RSS comes from wait4's rusage of that child alone.
ChildReport RunInChild(const SimParams& params, const Options& opt, long* peak_rss_kb) {
  ChildReport report;
  int fds[2];
  if (pipe(fds) != 0) {
    CopyError(&report, std::string("pipe: ") + std::strerror(errno));
    return report;
  }
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    CopyError(&report, std::string("fork: ") + std::strerror(errno));
    return report;
  }
  if (pid == 0) {
    close(fds[0]);
    const ChildReport child = RunScenario(params, opt);
    _exit(WriteAll(fds[1], &child, sizeof(child)) ? 0 : 3);
  }
  close(fds[1]);
  const bool got = ReadAll(fds[0], &report, sizeof(report));
  close(fds[0]);
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  *peak_rss_kb = usage.ru_maxrss;
  if (!got || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    report = ChildReport{};
    CopyError(&report, "child process failed (status " + std::to_string(status) + ")");
  }
  return report;
}

ScenarioResult Measure(const NamedScenario& scenario, const Options& opt) {
  ScenarioResult r;
  r.name = std::string(scenario.name);
  r.expected_riders = scenario.expected_riders;
  r.expected_drivers = scenario.expected_drivers;
  if (opt.fork) {
    r.report = RunInChild(scenario.params, opt, &r.peak_rss_kb);
  } else {
    r.report = RunScenario(scenario.params, opt);
    r.peak_rss_kb = r.report.self_peak_rss_kb;
  }
  if (!r.report.ok) return r;
  const auto runs = static_cast<size_t>(r.report.runs);
  std::vector<double> wall(r.report.wall_ms.begin(), r.report.wall_ms.begin() + static_cast<std::ptrdiff_t>(runs));
  std::vector<double> cpu(r.report.cpu_ms.begin(), r.report.cpu_ms.begin() + static_cast<std::ptrdiff_t>(runs));
  r.wall_median_ms = Median(wall);
  r.wall_min_ms = *std::min_element(wall.begin(), wall.end());
  r.cpu_median_ms = Median(cpu);
  const auto events = static_cast<double>(r.report.stats.steps);
  r.events_per_sec = r.wall_median_ms > 0 ? events / (r.wall_median_ms / 1e3) : 0.0;
  r.events_per_cpu_sec = r.cpu_median_ms > 0 ? events / (r.cpu_median_ms / 1e3) : 0.0;
  return r;
}

std::string Fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), format, v);
  return buf;
}

// §17.2 floors, §17.5 targets, and the §16.5 S2 spawn-count band, for the scenarios that ran.
std::vector<Check> Evaluate(const std::vector<ScenarioResult>& results) {
  std::vector<Check> checks;
  for (const ScenarioResult& r : results) {
    if (!r.report.ok) {
      checks.push_back({r.name + " ran", false, r.report.error});
      continue;
    }
    if (!r.report.deterministic) checks.push_back({r.name + " deterministic", false, "event counts differ"});
    for (const RateFloor& floor : kLoadFloors) {
      if (floor.scenario != r.name) continue;
      checks.push_back({r.name + " events/s > " + Fmt("%.0f", floor.events_per_sec),
                        r.events_per_sec > floor.events_per_sec, Fmt("%.0f events/s", r.events_per_sec)});
    }
    if (r.name == kTargetScenario) {
      checks.push_back({r.name + " wall <= " + Fmt("%.0f", kTargetWallMs) + " ms", r.wall_median_ms <= kTargetWallMs,
                        Fmt("%.1f ms median", r.wall_median_ms)});
      checks.push_back({r.name + " events/s >= " + Fmt("%.0f", kTargetEventsPerSec),
                        r.events_per_sec >= kTargetEventsPerSec, Fmt("%.0f events/s", r.events_per_sec)});
      const double rss_mb = static_cast<double>(r.peak_rss_kb) / 1024.0;
      checks.push_back({r.name + " peak RSS <= " + Fmt("%.0f", kTargetPeakRssMb) + " MB", rss_mb <= kTargetPeakRssMb,
                        Fmt("%.1f MB", rss_mb)});
    }
    const auto band = [](uint64_t expected) { return 4.0 * std::sqrt(static_cast<double>(expected)) + 1.0; };
    const double dr = std::fabs(static_cast<double>(r.report.stats.riders_spawned) -
                                static_cast<double>(r.expected_riders));
    const double dd = std::fabs(static_cast<double>(r.report.stats.drivers_spawned) -
                                static_cast<double>(r.expected_drivers));
    checks.push_back({r.name + " spawned R/D within 4*sqrt(expected)+1",
                      dr <= band(r.expected_riders) && dd <= band(r.expected_drivers),
                      std::to_string(r.report.stats.riders_spawned) + "/" +
                          std::to_string(r.report.stats.drivers_spawned) + " vs " +
                          std::to_string(r.expected_riders) + "/" + std::to_string(r.expected_drivers)});
  }
  return checks;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(std::min(line.size(), colon + 2));
    }
  }
  return "unknown";
}

#ifdef NDEBUG
constexpr std::string_view kBuildType = "release (NDEBUG)";
#else
constexpr std::string_view kBuildType = "debug (assertions on: not a valid measurement)";
#endif

void PrintTables(const std::vector<ScenarioResult>& results, const std::vector<Check>& checks, const Options& opt) {
  std::printf("# cpu: %s; compiler: GCC %s; build: %.*s\n", CpuModel().c_str(), __VERSION__,
              static_cast<int>(kBuildType.size()), kBuildType.data());
  std::printf("# protocol: %d warm-up + %d timed runs per scenario, median; %s; observer: %s\n\n", opt.warmup,
              opt.runs, opt.fork ? "one child process per scenario" : "in-process",
              opt.collector ? "PointCollector" : "none");
  std::printf("%-18s %9s %9s %9s %10s %11s %11s %7s %7s %9s %9s %9s %8s %5s\n", "scenario", "wall_ms", "min_ms",
              "cpu_ms", "events", "events/s", "ev/cpu_s", "riders", "drivers", "completed", "cancelled",
              "abandoned", "rss_MB", "trunc");
  for (const ScenarioResult& r : results) {
    if (!r.report.ok) {
      std::printf("%-18s ERROR %s\n", r.name.c_str(), r.report.error);
      continue;
    }
    const RunStats& s = r.report.stats;
    const PointMetrics& m = r.report.metrics;
    std::printf("%-18s %9.1f %9.1f %9.1f %10llu %11.0f %11.0f %7llu %7llu %9lld %9lld %9lld %8.1f %5s\n",
                r.name.c_str(), r.wall_median_ms, r.wall_min_ms, r.cpu_median_ms,
                static_cast<unsigned long long>(s.steps), r.events_per_sec, r.events_per_cpu_sec,
                static_cast<unsigned long long>(s.riders_spawned), static_cast<unsigned long long>(s.drivers_spawned),
                static_cast<long long>(m.completed_riders), static_cast<long long>(m.cancelled_riders),
                static_cast<long long>(m.abandoned_quote_riders), static_cast<double>(r.peak_rss_kb) / 1024.0,
                s.truncated ? "yes" : "no");
  }

  std::printf("\nper-kind event counts\n%-20s", "kind");
  for (const ScenarioResult& r : results) std::printf(" %*s", std::max<int>(9, static_cast<int>(r.name.size())),
                                                      r.name.c_str());
  std::printf("\n");
  for (size_t k = 0; k < kKindNames.size(); ++k) {
    std::printf("%-20.*s", static_cast<int>(kKindNames[k].size()), kKindNames[k].data());
    for (const ScenarioResult& r : results) {
      std::printf(" %*llu", std::max<int>(9, static_cast<int>(r.name.size())),
                  static_cast<unsigned long long>(r.report.stats.events_by_kind[k]));
    }
    std::printf("\n");
  }
  std::printf("%-20s", "stale");
  for (const ScenarioResult& r : results) {
    std::printf(" %*llu", std::max<int>(9, static_cast<int>(r.name.size())),
                static_cast<unsigned long long>(r.report.stats.stale_events));
  }
  if (opt.collector) {
    std::printf("\n\ncollected rows and batch shapes (from snapshot rows)\n%-18s %9s %9s %12s %11s %11s %11s\n",
                "scenario", "snapshots", "completed", "mean_waiting", "max_waiting", "mean_idle", "max_idle");
    for (const ScenarioResult& r : results) {
      const ChildReport& c = r.report;
      std::printf("%-18s %9llu %9llu %12.1f %11lld %11.1f %11lld\n", r.name.c_str(),
                  static_cast<unsigned long long>(c.snapshot_rows),
                  static_cast<unsigned long long>(c.completed_records), c.mean_riders_waiting, static_cast<long long>(c.max_riders_waiting), c.mean_drivers_idle,
                  static_cast<long long>(c.max_drivers_idle));
    }
  }
  std::printf("\n\nchecks\n");
  for (const Check& c : checks) {
    std::printf("  %-4s %-58s %s\n", c.pass ? "PASS" : "FAIL", c.name.c_str(), c.detail.c_str());
  }
}

void PrintJson(const std::vector<ScenarioResult>& results, const std::vector<Check>& checks, const Options& opt) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("cpu").String(CpuModel()).Key("compiler").String(std::string("GCC ") + __VERSION__);
  w.Key("build").String(kBuildType).Key("warmup").Unsigned(static_cast<uint64_t>(opt.warmup));
  w.Key("runs").Unsigned(static_cast<uint64_t>(opt.runs)).Key("forked").Bool(opt.fork);
  w.Key("collector").Bool(opt.collector);
  w.Key("scenarios").BeginArray();
  for (const ScenarioResult& r : results) {
    w.BeginObject().Key("name").String(r.name).Key("ok").Bool(r.report.ok);
    if (!r.report.ok) {
      w.Key("error").String(r.report.error).EndObject();
      continue;
    }
    const RunStats& s = r.report.stats;
    const PointMetrics& m = r.report.metrics;
    w.Key("wall_ms").BeginArray();
    for (int i = 0; i < r.report.runs; ++i) w.Double(r.report.wall_ms[static_cast<size_t>(i)]);
    w.EndArray().Key("cpu_ms").BeginArray();
    for (int i = 0; i < r.report.runs; ++i) w.Double(r.report.cpu_ms[static_cast<size_t>(i)]);
    w.EndArray();
    w.Key("wall_median_ms").Double(r.wall_median_ms).Key("cpu_median_ms").Double(r.cpu_median_ms);
    w.Key("events").Unsigned(s.steps).Key("events_per_sec").Double(r.events_per_sec);
    w.Key("events_per_cpu_sec").Double(r.events_per_cpu_sec);
    w.Key("riders_spawned").Unsigned(s.riders_spawned).Key("drivers_spawned").Unsigned(s.drivers_spawned);
    w.Key("expected_riders").Unsigned(r.expected_riders).Key("expected_drivers").Unsigned(r.expected_drivers);
    w.Key("completed").Signed(m.completed_riders).Key("cancelled").Signed(m.cancelled_riders);
    w.Key("abandoned").Signed(m.abandoned_quote_riders).Key("trips_created").Unsigned(s.trips_created);
    w.Key("truncated").Bool(s.truncated).Key("stop_reason").String(StopReasonName(s.stop_reason));
    w.Key("stale_events").Unsigned(s.stale_events).Key("deterministic").Bool(r.report.deterministic);
    w.Key("peak_rss_kb").Signed(r.peak_rss_kb).Key("baseline_rss_kb").Signed(r.report.baseline_rss_kb);
    if (opt.collector) {
      w.Key("snapshot_rows").Unsigned(r.report.snapshot_rows);
      w.Key("completed_records").Unsigned(r.report.completed_records);
      w.Key("mean_riders_waiting").Double(r.report.mean_riders_waiting);
      w.Key("max_riders_waiting").Signed(r.report.max_riders_waiting);
      w.Key("mean_drivers_idle").Double(r.report.mean_drivers_idle);
      w.Key("max_drivers_idle").Signed(r.report.max_drivers_idle);
    }
    w.Key("events_by_kind").BeginObject();
    for (size_t k = 0; k < kKindNames.size(); ++k) w.Key(kKindNames[k]).Unsigned(s.events_by_kind[k]);
    w.EndObject().EndObject();
  }
  w.EndArray().Key("checks").BeginArray();
  for (const Check& c : checks) {
    w.BeginObject().Key("name").String(c.name).Key("pass").Bool(c.pass).Key("detail").String(c.detail).EndObject();
  }
  w.EndArray().EndObject();
  std::printf("%s\n", out.c_str());
}

int Main(int argc, char** argv) {
  const Options opt = ParseOptions(argc, argv);
  std::vector<const NamedScenario*> selected;
  if (opt.scenarios.empty()) {
    for (const NamedScenario& s : NamedScenarios()) selected.push_back(&s);
  } else {
    for (const std::string& name : opt.scenarios) {
      const auto it = std::find_if(NamedScenarios().begin(), NamedScenarios().end(),
                                   [&](const NamedScenario& s) { return s.name == name; });
      if (it == NamedScenarios().end()) {
        std::fprintf(stderr, "unknown scenario '%s' (see --list)\n", name.c_str());
        return 2;
      }
      selected.push_back(&*it);
    }
  }
  if (opt.cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(opt.cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) != 0) {
      std::fprintf(stderr, "sched_setaffinity(%d): %s\n", opt.cpu, std::strerror(errno));
      return 2;
    }
  }

  std::vector<ScenarioResult> results;
  for (const NamedScenario* s : selected) {
    if (!opt.json) {
      std::fprintf(stderr, "running %.*s ...\n", static_cast<int>(s->name.size()), s->name.data());
    }
    results.push_back(Measure(*s, opt));
  }
  const std::vector<Check> checks = Evaluate(results);
  if (opt.json) {
    PrintJson(results, checks, opt);
  } else {
    PrintTables(results, checks, opt);
  }
  const bool any_error = std::any_of(results.begin(), results.end(), [](const auto& r) { return !r.report.ok; });
  const bool any_fail = std::any_of(checks.begin(), checks.end(), [](const Check& c) { return !c.pass; });
  if (any_error) return 2;
  return opt.strict && any_fail ? 1 : 0;
}

}  // namespace
}  // namespace ridesweep::sim

int main(int argc, char** argv) { return ridesweep::sim::Main(argc, argv); }
