// HttpTransport on libcurl easy handles (one per concurrent caller, reused for keep-alive).
#include "ridesweep/aws/curl_transport.h"

#include <curl/curl.h>

#include <mutex>

#include "ridesweep/base/check.h"

namespace ridesweep::aws {
namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { RIDESWEEP_CHECK(curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK); });
}

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

size_t WriteHeader(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::vector<HttpHeader>*>(user);
  const std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();  // A new status line (after 100 Continue): keep only the final answer's headers.
  } else if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
    headers->push_back({std::string(TrimSpace(line.substr(0, colon))), std::string(TrimSpace(line.substr(colon + 1)))});
  }
  return size * count;
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

CurlTransport::CurlTransport(CurlTransportOptions options) : options_(std::move(options)) { GlobalInitOnce(); }

CurlTransport::~CurlTransport() {
  for (void* handle : idle_handles_) curl_easy_cleanup(static_cast<CURL*>(handle));
}

void* CurlTransport::AcquireHandle() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_handles_.empty()) {
      void* handle = idle_handles_.back();
      idle_handles_.pop_back();
      return handle;
    }
  }
  CURL* handle = curl_easy_init();
  RIDESWEEP_CHECK(handle != nullptr) << "curl_easy_init failed";
  return handle;
}

void CurlTransport::ReleaseHandle(void* handle) {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_handles_.push_back(handle);
}

Result<HttpResponse> CurlTransport::Send(const HttpRequest& request) {
  CURL* curl = static_cast<CURL*>(AcquireHandle());
  // Reset forgets the previous request's options but keeps the handle's live connections.
  curl_easy_reset(curl);

  HttpResponse response;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  const std::string url = request.Url();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));  // NOLINT
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));  // NOLINT
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count()));         // NOLINT
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  if (!options_.ca_bundle.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_bundle.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, WriteHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);

  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (!request.body.empty() || request.method == "PUT" || request.method == "POST") {
      // The body is sent from the request's own buffer, which outlives the transfer.
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
  }

  std::unique_ptr<curl_slist, SlistDeleter> header_list;
  auto append = [&](const std::string& line) {
    curl_slist* next = curl_slist_append(header_list.get(), line.c_str());
    RIDESWEEP_CHECK(next != nullptr) << "curl_slist_append failed";
    (void)header_list.release();
    header_list.reset(next);
  };
  bool has_content_type = false;
  for (const HttpHeader& h : request.headers) {
    if (HeaderNameEquals(h.name, "Content-Type")) has_content_type = true;
    // "Name;" sends an empty header; "Name:" would suppress it.
    append(h.value.empty() ? h.name + ";" : h.name + ": " + h.value);
  }
  // Headers libcurl would add on its own and that nobody signed or wants.
  append("Expect:");
  append("Accept:");
  if (!has_content_type) append("Content-Type:");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list.get());

  const CURLcode code = curl_easy_perform(curl);
  requests_sent_.fetch_add(1);
  long connects = 0;  // NOLINT(google-runtime-int)
  if (curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK && connects > 0) {
    connections_opened_.fetch_add(static_cast<uint64_t>(connects));
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  // Detach the per-request buffers before the handle goes back to the pool.
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  ReleaseHandle(curl);

  if (code != CURLE_OK) {
    std::string message = curl_easy_strerror(code);
    if (error_buffer[0] != '\0') message += std::string(" (") + error_buffer + ")";
    return UnavailableError(message + " [" + request.method + " " + request.scheme + "://" + request.host + "]");
  }
  return response;
}

}  // namespace ridesweep::aws
