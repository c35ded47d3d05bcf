// runs list|show|delete and cancel over ObjectStore results.
#include "commands/runs_command.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <iomanip>
#include <istream>
#include <ostream>
#include <sstream>

#include "ridesweep/analytics/run_catalog.h"
#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/base/json_value.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/sweep/cancel_marker.h"
#include "ridesweep/sweep/identifiers.h"
#include "ridesweep/sweep/run_manifest.h"

namespace ridesweep::cli {
namespace {

constexpr int kExitNotConfirmed = 1;
constexpr int kExitBadArguments = 2;
constexpr int kExitNotFoundOrStore = 3;

std::string Where(const ResultsLocation& location) {
  return location.Dir() + " (prefix " + location.Prefix() + ")";
}

// Opens the store; prints the error and returns nullptr when it cannot.
std::unique_ptr<ObjectStore> Open(const ResultsLocation& location, std::ostream& err, int* code) {
  auto store = OpenResultsStore(location, /*create=*/false);
  if (!store.ok()) {
    err << "Error: " << store.status().message() << "\n";
    *code = store.status().code() == StatusCode::kInvalidArgument ? kExitBadArguments : kExitNotFoundOrStore;
    return nullptr;
  }
  return std::move(store).value();
}

bool CheckRunId(const std::string& run_id, std::ostream& err) {
  if (sweep::MatchesRunIdPattern(run_id)) return true;
  err << "Error: run_id must match [A-Za-z0-9._-]{1,128}\n";
  return false;
}

// The listing, or the printed error with its exit code.
Result<analytics::RunListing> Describe(ObjectStore& store, const ResultsLocation& location,
                                       const std::string& run_id, std::ostream& err) {
  Result<analytics::RunListing> listing = analytics::DescribeRun(store, location.Prefix(), run_id);
  if (!listing.ok()) {
    if (listing.status().code() == StatusCode::kNotFound) {
      err << "Error: no run '" << run_id << "' in " << Where(location) << "\n";
    } else {
      err << "Error: " << listing.status().message() << "\n";
    }
  }
  return listing;
}

// The opening of the commands that name one run: check the id, open the store, describe the run. Returns 0 with
// *store and *listing set, else the exit code (the error already printed).
int OpenRun(const std::string& run_id, const ResultsLocation& location, std::ostream& err,
            std::unique_ptr<ObjectStore>* store, Result<analytics::RunListing>* listing) {
  if (!CheckRunId(run_id, err)) return kExitBadArguments;
  int code = 0;
  *store = Open(location, err, &code);
  if (!*store) return code;
  *listing = Describe(**store, location, run_id, err);
  return listing->ok() ? 0 : kExitNotFoundOrStore;
}

// The build that accepted the run (from its manifest); empty fields when not recorded.
struct RunBuild {
  std::string version;
  std::string git_revision;
  std::string Text() const { return version.empty() ? "-" : version + " (" + git_revision + ")"; }
};

RunBuild BuildOf(ObjectStore& store, const ResultsLocation& location, const std::string& run_id) {
  Result<analytics::ResolvedRun> run = analytics::ResolveRun(store, location.Prefix(), run_id);
  if (!run.ok() || !run->manifest.has_value()) return {};
  return {run->manifest->build_version, run->manifest->build_git_revision};
}

std::string Fraction(uint64_t done, const std::optional<uint64_t>& planned) {
  return std::to_string(done) + "/" + (planned ? std::to_string(*planned) : std::string("?"));
}

JsonValue ListingJson(const analytics::RunListing& l, const RunBuild& build) {
  const analytics::RunProgress& p = l.progress;
  const auto opt = [](const std::optional<uint64_t>& v) { return v ? JsonValue::Unsigned(*v) : JsonValue::Null(); };
  JsonObject o;
  o.Set("run_id", JsonValue::String(p.run_id));
  o.Set("run_date", p.run_date ? JsonValue::String(*p.run_date) : JsonValue::Null());
  o.Set("state", JsonValue::String(l.State()));
  o.Set("points_planned", opt(p.points_planned));
  o.Set("points_done", JsonValue::Unsigned(p.points_committed));
  o.Set("shards_planned", opt(p.shards_planned));
  o.Set("shards_succeeded", JsonValue::Unsigned(p.shards_succeeded));
  o.Set("shards_failed", JsonValue::Unsigned(p.shards_failed));
  o.Set("cancelled_at", l.cancelled_at ? JsonValue::String(*l.cancelled_at) : JsonValue::Null());
  o.Set("layout", JsonValue::String(l.layout));
  const auto text_or_null = [](const std::string& v) { return v.empty() ? JsonValue::Null() : JsonValue::String(v); };
  o.Set("version", text_or_null(build.version));
  o.Set("git_revision", text_or_null(build.git_revision));
  return JsonValue::Object(std::move(o));
}

}  // namespace

RunsCommands AddRunsCommand(CLI::App& app, RunsOptions& o) {
  CLI::App* runs = app.add_subcommand("runs", "List, show and delete the runs stored in a results location");
  runs->require_subcommand(1);
  RunsCommands c;
  c.list = runs->add_subcommand("list", "One line per stored run: id, date, state, points, shards, layout, version");
  c.list->add_flag("--json", o.json, "Print a JSON array");
  AddResultsLocationOptions(c.list, o.location);
  c.show = runs->add_subcommand("show", "One run's state and request");
  c.show->add_option("run_id", o.run_id, "Run to show")->required();
  c.show->add_flag("--json", o.json, "Print JSON");
  AddResultsLocationOptions(c.show, o.location);
  c.remove = runs->add_subcommand("delete", "Delete every object of a run (its run_id can then be used again)");
  c.remove->add_option("run_id", o.run_id, "Run to delete")->required();
  c.remove->add_flag("--yes,-y", o.yes, "Do not ask for confirmation");
  c.remove->add_flag("--force", o.force, "Also delete a run that may still be running (not cancelled, incomplete)");
  AddResultsLocationOptions(c.remove, o.location);
  return c;
}

int RunRunsList(const RunsOptions& o, std::ostream& out, std::ostream& err) {
  int code = 0;
  std::unique_ptr<ObjectStore> store = Open(o.location, err, &code);
  if (!store) return code;
  Result<std::vector<std::string>> ids = analytics::ListRunIds(*store, o.location.Prefix());
  if (!ids.ok()) {
    err << "Error: " << ids.status().message() << "\n";
    return kExitNotFoundOrStore;
  }
  JsonArray rows;
  std::ostringstream table;
  table << std::left << std::setw(28) << "RUN_ID" << std::setw(12) << "DATE" << std::setw(12) << "STATE"
        << std::setw(16) << "POINTS" << std::setw(16) << "SHARDS OK/FAIL" << std::setw(11) << "LAYOUT" << "VERSION\n";
  for (const std::string& id : *ids) {
    Result<analytics::RunListing> listing = analytics::DescribeRun(*store, o.location.Prefix(), id);
    if (!listing.ok()) {
      err << "Error: run '" << id << "': " << listing.status().message() << "\n";
      return kExitNotFoundOrStore;
    }
    const RunBuild build = BuildOf(*store, o.location, id);
    const analytics::RunProgress& p = listing->progress;
    rows.push_back(ListingJson(*listing, build));
    table << std::setw(28) << id << std::setw(12) << p.run_date.value_or("-") << std::setw(12) << listing->State()
          << std::setw(16) << Fraction(p.points_committed, p.points_planned) << std::setw(16)
          << (std::to_string(p.shards_succeeded) + "/" + std::to_string(p.shards_failed) + " of " +
              (p.shards_planned ? std::to_string(*p.shards_planned) : std::string("?")))
          << std::setw(11) << listing->layout << build.Text() << "\n";
  }
  if (o.json) {
    out << ToCanonicalJson(JsonValue::Array(std::move(rows))) << "\n";
  } else if (ids->empty()) {
    err << "No runs in " << Where(o.location) << ".\n";
  } else {
    out << table.str();
  }
  return 0;
}

int RunRunsShow(const RunsOptions& o, std::ostream& out, std::ostream& err) {
  std::unique_ptr<ObjectStore> store;
  Result<analytics::RunListing> listing = analytics::RunListing{};
  if (const int code = OpenRun(o.run_id, o.location, err, &store, &listing); code != 0) return code;
  const RunBuild build = BuildOf(*store, o.location, o.run_id);
  Result<analytics::ResolvedRun> run = analytics::ResolveRun(*store, o.location.Prefix(), o.run_id);
  if (o.json) {
    JsonValue body = ListingJson(*listing, build);
    if (run.ok() && run->manifest.has_value()) {
      body.as_object().Set("request", JsonValue::String(sweep::NormalizedRequestJson(run->manifest->normalized_request)));
    }
    out << ToCanonicalJson(body) << "\n";
    return 0;
  }
  const analytics::RunProgress& p = listing->progress;
  out << "run " << p.run_id << " (" << p.run_date.value_or("date unknown") << ")\n"
      << "  state:   " << listing->State();
  if (listing->cancelled_at) out << " (cancelled at " << *listing->cancelled_at << ")";
  out << "\n  points:  " << Fraction(p.points_committed, p.points_planned) << " committed\n"
      << "  shards:  " << p.shards_succeeded << " succeeded, " << p.shards_failed << " failed"
      << (p.shards_pending ? ", " + std::to_string(*p.shards_pending) + " without an outcome" : std::string()) << "\n"
      << "  layout:  " << listing->layout << "\n"
      << "  version: " << build.Text() << "\n";
  if (run.ok() && run->manifest.has_value()) {
    out << "  request: " << sweep::NormalizedRequestJson(run->manifest->normalized_request) << "\n";
  }
  return 0;
}

int RunRunsDelete(const RunsOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
  std::unique_ptr<ObjectStore> store;
  Result<analytics::RunListing> listing = analytics::RunListing{};
  if (const int code = OpenRun(o.run_id, o.location, err, &store, &listing); code != 0) return code;
  if (listing->State() == "incomplete" && !o.force) {
    const analytics::RunProgress& p = listing->progress;
    err << "Error: run '" << o.run_id << "' is incomplete ("
        << (p.shards_pending ? std::to_string(*p.shards_pending) : std::string("some")) << " of "
        << (p.shards_planned ? std::to_string(*p.shards_planned) : std::string("?"))
        << " shards have no outcome yet) and may still be running. Cancel it first (ridesweep cancel " << o.run_id
        << "), or pass --force to delete it anyway.\n";
    return kExitBadArguments;
  }
  Result<std::vector<std::string>> keys = analytics::RunObjectKeys(*store, o.location.Prefix(), o.run_id);
  if (!keys.ok()) {
    err << "Error: " << keys.status().message() << "\n";
    return kExitNotFoundOrStore;
  }
  if (!o.yes) {
    err << "Delete run '" << o.run_id << "' (" << keys->size() << " objects in " << Where(o.location)
        << ")? [y/N] " << std::flush;
    std::string answer;
    std::getline(in, answer);
    if (answer != "y" && answer != "Y" && answer != "yes") {
      err << "Not deleted.\n";
      return kExitNotConfirmed;
    }
  }
  Result<analytics::DeleteRunResult> deleted = analytics::DeleteRun(*store, o.location.Prefix(), o.run_id);
  if (!deleted.ok()) {
    err << "Error: " << deleted.status().message() << " (run it again to finish the delete)\n";
    return kExitNotFoundOrStore;
  }
  out << "Deleted run " << o.run_id << ": " << deleted->objects_deleted << " objects.\n";
  return 0;
}

CLI::App* AddCancelCommand(CLI::App& app, CancelOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "cancel", "Cancel a run: workers finish the points in flight and start nothing new (local or s3:// results)");
  cmd->add_option("run_id", o.run_id, "Run to cancel")->required();
  AddResultsLocationOptions(cmd, o.location);
  return cmd;
}

int RunCancelCommand(const CancelOptions& o, std::ostream& out, std::ostream& err) {
  if (!CheckRunId(o.run_id, err)) return kExitBadArguments;
  int code = 0;
  std::unique_ptr<ObjectStore> store = Open(o.location, err, &code);
  if (!store) return code;
  analytics::RunListing listing;
  Result<analytics::CancelOutcome> outcome =
      analytics::CancelRun(*store, o.location.Prefix(), o.run_id, std::chrono::system_clock::now(), &listing);
  if (!outcome.ok()) {
    if (outcome.status().code() == StatusCode::kNotFound) {
      err << "Error: no run '" << o.run_id << "' in " << Where(o.location) << "\n";
    } else {
      err << "Error: cannot cancel: " << outcome.status().message() << "\n";
    }
    return kExitNotFoundOrStore;
  }
  switch (*outcome) {
    case analytics::CancelOutcome::kAlreadyComplete:
      out << "Run " << o.run_id << " already finished: nothing to cancel.\n";
      break;
    case analytics::CancelOutcome::kAlreadyCancelled:
      out << "Run " << o.run_id << " was already cancelled at " << *listing.cancelled_at << ".\n";
      break;
    case analytics::CancelOutcome::kCancelled:
      out << "Cancelled run " << o.run_id
          << ": workers finish the points in flight and start no new point or shard.\n";
      break;
  }
  return 0;
}

int RunsListJson(ObjectStore& store, const std::string& results_prefix, std::string* body) {
  Result<std::vector<std::string>> ids = analytics::ListRunIds(store, results_prefix);
  JsonArray rows;
  if (ids.ok()) {
    for (const std::string& id : *ids) {
      Result<analytics::RunListing> listing = analytics::DescribeRun(store, results_prefix, id);
      if (!listing.ok()) {
        ids = listing.status();
        break;
      }
      ResultsLocation location;
      location.results_prefix = results_prefix;
      rows.push_back(ListingJson(*listing, BuildOf(store, location, id)));
    }
  }
  if (!ids.ok()) {
    JsonObject e;
    e.Set("error", JsonValue::String("store_error"));
    e.Set("message", JsonValue::String(ids.status().message()));
    *body = ToCanonicalJson(JsonValue::Object(std::move(e)));
    return 502;
  }
  *body = ToCanonicalJson(JsonValue::Array(std::move(rows)));
  return 200;
}

int CancelRunJson(ObjectStore& store, const std::string& results_prefix, const std::string& run_id,
                  std::string* body) {
  JsonObject o;
  const auto answer = [&](int status) {
    *body = ToCanonicalJson(JsonValue::Object(std::move(o)));
    return status;
  };
  if (!sweep::MatchesRunIdPattern(run_id)) {
    o.Set("error", JsonValue::String("validation_error"));
    o.Set("message", JsonValue::String("run_id must match [A-Za-z0-9._-]{1,128}"));
    return answer(400);
  }
  Result<analytics::CancelOutcome> outcome =
      analytics::CancelRun(store, results_prefix, run_id, std::chrono::system_clock::now());
  if (!outcome.ok()) {
    const bool missing = outcome.status().code() == StatusCode::kNotFound;
    o.Set("error", JsonValue::String(missing ? "not_found" : "store_error"));
    o.Set("message", JsonValue::String(missing ? "no run '" + run_id + "' in the results" : outcome.status().message()));
    return answer(missing ? 404 : 502);
  }
  o.Set("run_id", JsonValue::String(run_id));
  switch (*outcome) {
    case analytics::CancelOutcome::kAlreadyComplete:
      o.Set("status", JsonValue::String("already_complete"));
      return answer(200);
    case analytics::CancelOutcome::kAlreadyCancelled:
      o.Set("status", JsonValue::String("already_cancelled"));
      return answer(200);
    case analytics::CancelOutcome::kCancelled:
      break;
  }
  o.Set("status", JsonValue::String("cancel_requested"));
  return answer(202);
}

}  // namespace ridesweep::cli
