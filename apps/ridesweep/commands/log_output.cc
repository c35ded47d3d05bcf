// Log options, the human line format and the stderr sink.
#include "commands/log_output.h"

#include <CLI/CLI.hpp>

#include <cstdlib>

#include "ridesweep/base/json_parser.h"
#include "ridesweep/base/json_writer.h"
#include "ridesweep/base/stderr_line_sink.h"

namespace ridesweep::cli {
namespace {

constexpr size_t kMaxValueChars = 120;

std::string ValueText(const JsonValue& v) {
  std::string text = v.is_string() ? v.as_string() : ToCanonicalJson(v);
  if (text.size() > kMaxValueChars) text = text.substr(0, kMaxValueChars - 3) + "...";
  return text;
}

}  // namespace

sweep::LogLevel LogOutput::Level(sweep::LogLevel command_default) const {
  if (quiet) return sweep::LogLevel::kError;
  if (verbose) return sweep::LogLevel::kDebug;
  if (const char* env = std::getenv("SWEEP_LOG_LEVEL"); env != nullptr && *env != '\0') {
    return sweep::ParseLogLevel(env);
  }
  return command_default;
}

void AddLogOutputOptions(CLI::App& root, LogOutput& o) {
  root.add_option("--log-format", o.format, "Log lines: human, json, or auto (human on a terminal, else json)")
      ->check(CLI::IsMember({"auto", "human", "json"}))
      ->capture_default_str();
  root.add_flag("--quiet,-q", o.quiet, "Log errors only, and no progress bar");
  root.add_flag("--verbose,-v", o.verbose, "Log debug events too");
  root.fallthrough();
}

std::string HumanLogLine(std::string_view json_line) {
  Result<JsonValue> parsed = ParseJson(json_line);
  if (!parsed.ok() || !parsed->is_object()) return std::string(json_line);
  const JsonObject& o = parsed->as_object();
  const JsonValue* event = o.Find("event");
  if (event == nullptr || !event->is_string()) return std::string(json_line);
  std::string line;
  if (const JsonValue* ts = o.Find("timestamp"); ts != nullptr && ts->is_string() && ts->as_string().size() >= 19) {
    line = ts->as_string().substr(11, 8) + " ";  // HH:MM:SS of the RFC 3339 time
  }
  const JsonValue* level = o.Find("level");
  std::string level_text = level != nullptr && level->is_string() ? level->as_string() : "info";
  level_text.resize(5, ' ');
  line += level_text + " " + event->as_string();
  if (const JsonValue* details = o.Find("details"); details != nullptr && details->is_object()) {
    for (const JsonMember& member : details->as_object().members()) {
      line += " " + member.key + "=" + ValueText(member.value);
    }
  }
  return line;
}

sweep::StructuredLog::Sink LogSink(const LogOutput& options, bool stderr_is_terminal) {
  if (!options.Human(stderr_is_terminal)) return &WriteLineToStderr;
  return [](std::string_view line) { WriteLineToStderr(HumanLogLine(line)); };
}

}  // namespace ridesweep::cli
