// `ridesweep submit REQUEST.json --api-url URL [--region R]` (spec/sweep.md §17): POSTs a sweep request to the
// deployed API (API Gateway with IAM authorisation, `…/sweep-run`), SigV4-signed for the service `execute-api`
// with the credentials of the standard environment variables (ridesweep/aws/credentials.h; SSO and profile users
// first run `eval "$(aws configure export-credentials --format env)"`). The signing region is --region, else the
// region in an execute-api host (`<id>.execute-api.<region>.amazonaws.com`), else AWS_REGION (or
// AWS_DEFAULT_REGION). One attempt, no automatic retry: resubmitting the same request is idempotent (§5.2), so the
// operator reruns it after a 5xx. Exit codes: 0 the API answered 202 (its body printed on stdout); 1 any other
// answer (status and body on stderr) or no answer; 2 nothing was sent (bad arguments, unreadable request file,
// missing credentials or region).
#ifndef RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SUBMIT_COMMAND_H_
#define RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SUBMIT_COMMAND_H_

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace ridesweep::cli {

struct SubmitOptions {
  std::string request_path;  // a file, or "-" for standard input
  std::string api_url;
  std::string region;  // empty: from the URL host, else the environment
  double timeout_seconds = 60;
};

CLI::App* AddSubmitCommand(CLI::App& app, SubmitOptions& options);
int RunSubmitCommand(const SubmitOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

// The region of an API Gateway host `<id>.execute-api.<region>.amazonaws.com[.cn]` (a port is ignored), else
// nullopt.
std::optional<std::string> RegionOfExecuteApiHost(std::string_view host);

}  // namespace ridesweep::cli

#endif  // RIDESWEEP_APPS_RIDESWEEP_COMMANDS_SUBMIT_COMMAND_H_
