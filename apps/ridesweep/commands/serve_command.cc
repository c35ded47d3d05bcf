// `ridesweep serve` implementation.
#include "commands/serve_command.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <mutex>
#include <ostream>
#include <set>
#include <thread>

#include "commands/analytics_commands.h"
#include "commands/local_runtime.h"
#include "commands/report_command.h"
#include "commands/runs_command.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/local/sweep_server.h"

namespace ridesweep::cli {

CLI::App* AddServeCommand(CLI::App& app, ServeOptions& o) {
  CLI::App* cmd = app.add_subcommand("serve", "Serve POST /sweep-run, GET /runs[/{run_id}] and DELETE /runs/{run_id} (cancel) on this machine");
  cmd->add_option("--bind", o.bind, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", o.port, "Port (0 = any free port)")->capture_default_str();
  cmd->add_flag("--allow-remote", o.allow_remote, "Allow a non-loopback address (there is no authentication)");
  cmd->add_option("--threads", o.threads, "Worker threads (default: all cores)");
  cmd->add_option("--max-shards", o.max_shards, "Shard ceiling, like the server's MAX_SHARDS")->capture_default_str();
  AddResultsLocationOptions(cmd, o.location);
  return cmd;
}

int RunServeCommand(const ServeOptions& o, const std::atomic<bool>& interrupted, std::ostream& out,
                    std::ostream& err) {
  LocalRuntimeOptions runtime_options;
  runtime_options.location = o.location;
  runtime_options.threads = o.threads;
  runtime_options.max_shards = o.max_shards;
  runtime_options.log_level = sweep::LogLevel::kInfo;
  runtime_options.log_output = o.log;
  auto runtime = LocalRuntime::Create(runtime_options);
  if (!runtime.ok()) {
    err << "Error: " << runtime.status().message() << "\n";
    return 3;
  }
  LocalRuntime& rt = **runtime;
  local::ServerRoutes routes;
  // Runs accepted since the pool was last idle: their report is announced when the pool drains.
  std::mutex accepted_mu;
  std::set<std::string> accepted_runs;
  routes.submit = [&rt, &accepted_mu, &accepted_runs](std::string_view body) {
    sweep::SubmitResponse r = rt.Submit(body, sweep::RequestSource::kLocalHttp);
    if (r.status_code == 202) {
      if (auto parsed = ParseJson(r.body); parsed.ok() && parsed->is_object()) {
        if (const JsonValue* id = parsed->as_object().Find("run_id"); id != nullptr && id->is_string()) {
          std::lock_guard lock(accepted_mu);
          accepted_runs.insert(id->as_string());
        }
      }
    }
    return local::HttpAnswer{r.status_code, "application/json", r.body};
  };
  routes.run_progress = [&rt](std::string_view run_id) {
    local::HttpAnswer answer;
    // From the run's own prefix only: the cost of an answer does not grow with the other runs in the results.
    answer.status = RunProgressJson(rt.store(), rt.options().location.Prefix(), std::string(run_id), &answer.body,
                                    analytics::ProgressScope::kOwnPrefixOnly);
    return answer;
  };
  routes.run_report = [&rt](std::string_view run_id) {
    local::HttpAnswer answer;
    answer.status = RunReportHttp(rt.options().location, std::string(run_id), &answer.body, &answer.content_type);
    return answer;
  };
  routes.list_runs = [&rt] {
    local::HttpAnswer answer;
    answer.status = RunsListJson(rt.store(), rt.options().location.Prefix(), &answer.body);
    return answer;
  };
  // Cancels a running local run: the pool's workers see the marker before their next point (in-flight points
  // finish) and record the shards left as cancelled.
  routes.cancel_run = [&rt](std::string_view run_id) {
    local::HttpAnswer answer;
    answer.status = CancelRunJson(rt.store(), rt.options().location.Prefix(), std::string(run_id), &answer.body);
    return answer;
  };
  local::ServerOptions server_options{o.bind, o.port, o.allow_remote};
  local::SweepServer server(server_options, routes);
  if (Status bound = server.Bind(); !bound.ok()) {
    // A non-loopback address without --allow-remote, or a port already in use: the caller's to fix (exit 2).
    err << "Error: " << bound.message() << "\n";
    return bound.code() == StatusCode::kInvalidArgument || bound.code() == StatusCode::kConflict ? 2 : 3;
  }
  out << "ridesweep serve: listening on http://" << o.bind << ":" << server.port()
      << " (POST /sweep-run, GET /runs, GET /runs/{run_id}, GET /runs/{run_id}/report, DELETE /runs/{run_id});"
      << " results in " << o.location.Dir()
      << std::endl;
  const std::string base_url = "http://" + o.bind + ":" + std::to_string(server.port());
  std::thread watcher([&] {
    while (!interrupted.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      std::set<std::string> finished;
      {
        std::lock_guard lock(accepted_mu);
        if (accepted_runs.empty() || rt.executor().stats().in_flight != 0) continue;
        finished.swap(accepted_runs);
      }
      for (const std::string& run_id : finished) {
        out << "ridesweep serve: run " << run_id << " has no shard left in flight; report: " << base_url << "/runs/"
            << run_id << "/report or " << ReportCommandLine(run_id, o.location) << std::endl;
      }
    }
    server.Stop();
  });
  server.Serve();
  watcher.join();
  out << "ridesweep serve: stopping; finishing the points in flight" << std::endl;
  rt.executor().RequestStop();
  rt.executor().WaitUntilIdle();
  return 0;
}

}  // namespace ridesweep::cli
