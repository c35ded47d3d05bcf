// `ridesweep submit`: one SigV4-signed POST to the deployed API.
#include "commands/submit_command.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <ostream>
#include <vector>

#include "commands/request_file.h"
#include "ridesweep/aws/ca_bundle.h"
#include "ridesweep/aws/credentials.h"
#include "ridesweep/aws/curl_transport.h"
#include "ridesweep/aws/endpoint.h"
#include "ridesweep/aws/http_message.h"
#include "ridesweep/aws/sigv4.h"
#include "ridesweep/sweep/config.h"

namespace ridesweep::cli {
namespace {

constexpr std::string_view kService = "execute-api";

std::vector<std::string_view> SplitLabels(std::string_view host) {
  std::vector<std::string_view> labels;
  for (size_t start = 0;;) {
    const size_t dot = host.find('.', start);
    labels.push_back(host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return labels;
    start = dot + 1;
  }
}

}  // namespace

std::optional<std::string> RegionOfExecuteApiHost(std::string_view host) {
  if (const size_t colon = host.rfind(':'); colon != std::string_view::npos) host = host.substr(0, colon);
  const std::vector<std::string_view> labels = SplitLabels(host);
  // <id>.execute-api.<region>.amazonaws.com, or .amazonaws.com.cn in the China regions.
  if (labels.size() != 5 && labels.size() != 6) return std::nullopt;
  if (labels[1] != "execute-api" || labels[0].empty() || labels[2].empty() || labels[3] != "amazonaws" ||
      labels[4] != "com" || (labels.size() == 6 && labels[5] != "cn")) {
    return std::nullopt;
  }
  return std::string(labels[2]);
}

CLI::App* AddSubmitCommand(CLI::App& app, SubmitOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "submit",
      "POST a sweep request to the deployed API, SigV4-signed (execute-api) with the AWS_* credential variables; "
      "prints the 202 body. Exit 0 on 202, 1 on any other answer, 2 when nothing was sent. SSO/profile users: "
      "eval \"$(aws configure export-credentials --format env)\" first");
  cmd->add_option("request", o.request_path, "Sweep request JSON file, or - for standard input")->required();
  cmd->add_option("--api-url", o.api_url,
                  "Endpoint to POST to, e.g. https://<id>.execute-api.<region>.amazonaws.com/<stage>/sweep-run "
                  "(terraform output api_url)")
      ->required();
  cmd->add_option("--region", o.region,
                  "Signing region (default: from an execute-api host, else $AWS_REGION or $AWS_DEFAULT_REGION)");
  cmd->add_option("--timeout-seconds", o.timeout_seconds, "Give up waiting for the answer after this long")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 3600.0));
  return cmd;
}

int RunSubmitCommand(const SubmitOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
  Result<aws::Endpoint> endpoint = aws::ParseEndpointUrl(o.api_url);
  if (!endpoint.ok()) {
    err << "Error: invalid --api-url '" << o.api_url << "': " << endpoint.status().message() << "\n";
    return 2;
  }
  Result<std::string> body = ReadRequestFile(o.request_path, in);
  if (!body.ok()) {
    err << "Error: " << body.status().message() << "\n";
    return 2;
  }
  const sweep::EnvironmentLookup environment = sweep::ProcessEnvironment();
  std::optional<std::string> region = o.region.empty() ? RegionOfExecuteApiHost(endpoint->host) : o.region;
  if (!region.has_value()) region = aws::RegionFromEnvironment(environment);
  if (!region.has_value()) {
    err << "Error: AWS region not found: pass --region or set AWS_REGION (the --api-url host is not an "
           "execute-api host that names its region)\n";
    return 2;
  }
  Result<aws::Credentials> credentials = aws::CredentialsFromEnvironment(environment);
  if (!credentials.ok()) {
    err << "Error: " << credentials.status().message() << "\n";
    return 2;
  }

  aws::HttpRequest request;
  request.method = "POST";
  request.scheme = endpoint->scheme;
  request.host = endpoint->host;
  request.path = endpoint->base_path.empty() ? "/" : endpoint->base_path;
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = std::move(*body);
  aws::SignRequestInPlace(&request, *credentials, *region, kService, std::chrono::system_clock::now());

  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(o.timeout_seconds * 1000.0));
  aws::CurlTransport transport(
      aws::CurlTransportOptions{.connect_timeout = std::min(timeout, std::chrono::milliseconds(10'000)),
                                .request_timeout = timeout,
                                .ca_bundle = aws::FindCaBundle(environment).value_or("")});
  Result<aws::HttpResponse> response = transport.Send(request);
  if (!response.ok()) {
    err << "Error: no answer from " << o.api_url << ": " << response.status().message() << "\n";
    return 1;
  }
  const auto with_newline = [](const std::string& text) {
    return text.empty() || text.back() == '\n' ? text : text + "\n";
  };
  if (response->status == 202) {
    out << with_newline(response->body) << std::flush;
    return 0;
  }
  err << "Error: " << o.api_url << " answered HTTP " << response->status << "\n" << with_newline(response->body);
  return 1;
}

}  // namespace ridesweep::cli
