// ObjectStore on the S3 REST API.
#include "ridesweep/aws/s3_store.h"

#include <algorithm>
#include <charconv>

#include "ridesweep/aws/uri_encode.h"
#include "ridesweep/store/object_key.h"
#include "md5_hex.h"
#include "xml_reader.h"

namespace ridesweep::aws {
namespace {

constexpr std::string_view kDefaultContentType = "application/octet-stream";

// Character data for an XML element: &, < and > escaped (keys are UTF-8 without control characters).
std::string EscapeXmlText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

Status Context(const Status& status, std::string_view operation, std::string_view key) {
  return status.WithPrefix("S3 " + std::string(operation) + " '" + std::string(key) + "': ");
}

}  // namespace

Result<std::unique_ptr<S3Store>> S3Store::Create(S3StoreOptions options, Credentials credentials,
                                                 std::shared_ptr<HttpTransport> transport) {
  if (options.bucket.empty()) return InvalidArgumentError("S3Store needs a bucket name");
  if (options.region.empty()) return InvalidArgumentError("S3Store needs a region (AWS_REGION)");
  if (options.list_page_size < 1 || options.list_page_size > 1000) {
    return InvalidArgumentError("S3Store list page size must be between 1 and 1000");
  }
  RIDESWEEP_ASSIGN_OR_RETURN(Endpoint endpoint, ResolveEndpoint(options.endpoint_url, "s3", options.region));
  const S3Addressing addressing =
      options.addressing.value_or(ChooseS3Addressing(options.endpoint_url.has_value(), options.bucket));
  auto client = std::make_unique<HttpClient>(std::move(transport), std::move(credentials), options.region, "s3",
                                             ErrorFormat::kXml, std::move(options.http));
  return std::unique_ptr<S3Store>(new S3Store(std::move(options.bucket), std::move(endpoint), addressing,
                                              options.list_page_size, std::move(client)));
}

S3Store::S3Store(std::string bucket, Endpoint endpoint, S3Addressing addressing, int list_page_size,
                 std::unique_ptr<HttpClient> client)
    : bucket_(std::move(bucket)),
      endpoint_(std::move(endpoint)),
      addressing_(addressing),
      list_page_size_(list_page_size),
      client_(std::move(client)) {}

HttpRequest S3Store::MakeRequest(std::string_view method, std::string_view key) const {
  HttpRequest request;
  request.method = std::string(method);
  request.scheme = endpoint_.scheme;
  if (addressing_ == S3Addressing::kVirtualHosted) {
    request.host = bucket_ + "." + endpoint_.host;
    request.path = endpoint_.base_path + "/" + UriEncodePath(key);
  } else {
    request.host = endpoint_.host;
    request.path = endpoint_.base_path + "/" + UriEncode(bucket_);
    if (!key.empty()) request.path += "/" + UriEncodePath(key);
  }
  return request;
}

Status S3Store::PutObject(std::string_view key, std::string_view data, std::string_view content_type, bool if_absent) {
  const std::string_view operation = if_absent ? "PutObject (if absent)" : "PutObject";
  RIDESWEEP_RETURN_IF_ERROR(Context(store::ValidateObjectKey(key), operation, key));
  HttpRequest request = MakeRequest("PUT", key);
  request.headers.push_back({"Content-Type", std::string(content_type.empty() ? kDefaultContentType : content_type)});
  if (if_absent) request.headers.push_back({"If-None-Match", "*"});
  request.body = std::string(data);
  Result<HttpResponse> response = client_->Send(request);
  if (!response.ok()) return Context(response.status(), operation, key);
  return Status::Ok();
}

Status S3Store::Put(std::string_view key, std::string_view data, std::string_view content_type) {
  return PutObject(key, data, content_type, false);
}

Status S3Store::PutIfAbsent(std::string_view key, std::string_view data, std::string_view content_type) {
  // 412 PreconditionFailed (present) and 409 ConditionalRequestConflict (a concurrent writer) both map to
  // kConflict in AwsErrorToStatus.
  return PutObject(key, data, content_type, true);
}

Result<std::string> S3Store::Get(std::string_view key) {
  RIDESWEEP_RETURN_IF_ERROR(Context(store::ValidateObjectKey(key), "GetObject", key));
  Result<HttpResponse> response = client_->Send(MakeRequest("GET", key));
  if (!response.ok()) return Context(response.status(), "GetObject", key);
  return std::move(response->body);
}

Result<ObjectInfo> S3Store::Head(std::string_view key) {
  RIDESWEEP_RETURN_IF_ERROR(Context(store::ValidateObjectKey(key), "HeadObject", key));
  Result<HttpResponse> response = client_->Send(MakeRequest("HEAD", key));
  if (!response.ok()) {
    if (response.status().code() == StatusCode::kNotFound) return ObjectInfo{};
    return Context(response.status(), "HeadObject", key);
  }
  ObjectInfo info{.exists = true, .size = 0};
  if (const std::string* length = response->FindHeader("Content-Length")) {
    uint64_t size = 0;
    const auto [end, ec] = std::from_chars(length->data(), length->data() + length->size(), size);
    if (ec != std::errc() || end != length->data() + length->size()) {
      return InternalError("S3 HeadObject '" + std::string(key) + "': bad Content-Length '" + *length + "'");
    }
    info.size = size;
  }
  return info;
}

Status S3Store::Delete(std::string_view key) {
  RIDESWEEP_RETURN_IF_ERROR(Context(store::ValidateObjectKey(key), "DeleteObject", key));
  Result<HttpResponse> response = client_->Send(MakeRequest("DELETE", key));
  // S3 answers 204 for absent keys too; some compatible stores answer 404.
  if (!response.ok() && response.status().code() != StatusCode::kNotFound) {
    return Context(response.status(), "DeleteObject", key);
  }
  return Status::Ok();
}

Status S3Store::DeleteMany(std::span<const std::string> keys) {
  constexpr size_t kMaxKeysPerCall = 1000;  // DeleteObjects' limit
  for (size_t begin = 0; begin < keys.size(); begin += kMaxKeysPerCall) {
    const std::span<const std::string> batch = keys.subspan(begin, std::min(kMaxKeysPerCall, keys.size() - begin));
    std::string body = "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>";
    for (const std::string& key : batch) {
      RIDESWEEP_RETURN_IF_ERROR(Context(store::ValidateObjectKey(key), "DeleteObjects", key));
      body += "<Object><Key>" + EscapeXmlText(key) + "</Key></Object>";
    }
    body += "</Delete>";
    HttpRequest request = MakeRequest("POST", "");
    if (addressing_ == S3Addressing::kVirtualHosted) request.path = endpoint_.base_path + "/";
    request.query.emplace_back("delete", "");
    request.headers.push_back({"Content-Type", "application/xml"});
    request.headers.push_back({"Content-MD5", Md5Base64(body)});
    request.body = std::move(body);
    Result<HttpResponse> response = client_->Send(request);
    if (!response.ok()) return Context(response.status(), "DeleteObjects", batch.front());
    Result<XmlElement> doc = ParseXml(response->body);
    if (!doc.ok()) return Context(InternalError(doc.status().message()), "DeleteObjects", batch.front());
    // Quiet mode lists only the keys that could not be deleted.
    if (const XmlElement* error = doc->Child("Error"); error != nullptr) {
      return Context(FailedPreconditionError(error->ChildText("Code") + ": " + error->ChildText("Message")),
                     "DeleteObjects", error->ChildText("Key"));
    }
  }
  return Status::Ok();
}

Result<std::vector<std::string>> S3Store::List(std::string_view prefix) {
  RIDESWEEP_RETURN_IF_ERROR(Context(store::ValidateListPrefix(prefix), "ListObjectsV2", prefix));
  std::vector<std::string> keys;
  std::string token;
  for (;;) {
    HttpRequest request = MakeRequest("GET", "");
    if (addressing_ == S3Addressing::kVirtualHosted) request.path = endpoint_.base_path + "/";
    request.query.emplace_back("list-type", "2");
    request.query.emplace_back("max-keys", std::to_string(list_page_size_));
    request.query.emplace_back("prefix", std::string(prefix));
    if (!token.empty()) request.query.emplace_back("continuation-token", token);
    Result<HttpResponse> response = client_->Send(request);
    if (!response.ok()) return Context(response.status(), "ListObjectsV2", prefix);
    Result<XmlElement> doc = ParseXml(response->body);
    if (!doc.ok()) return Context(InternalError(doc.status().message()), "ListObjectsV2", prefix);
    if (doc->name != "ListBucketResult") {
      return Context(InternalError("unexpected root element <" + doc->name + ">"), "ListObjectsV2", prefix);
    }
    for (const XmlElement* contents : doc->Children("Contents")) keys.push_back(contents->ChildText("Key"));
    if (doc->ChildText("IsTruncated") != "true") break;
    std::string next = doc->ChildText("NextContinuationToken");
    if (next.empty() || next == token) {
      return Context(InternalError("truncated listing without a new continuation token"), "ListObjectsV2", prefix);
    }
    token = std::move(next);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace ridesweep::aws
