// S3Store is the ObjectStore (ridesweep/base/object_store.h) on Amazon S3 or any S3-compatible endpoint
// (MinIO, moto): PutObject, PutObject with If-None-Match: * (PutIfAbsent), GetObject, HeadObject, DeleteObject
// and ListObjectsV2 with pagination, signed with SigV4 and retried per spec/sweep.md §7.3 (StoreRetryPolicy).
// Keys go into the URL percent-encoded once (UriEncodePath). Errors follow AwsErrorToStatus(); a key that
// ValidateObjectKey() rejects is kInvalidArgument before anything is sent. Build one per process and reuse it
// (thread-safe; connections are kept alive).
#ifndef RIDESWEEP_AWS_S3_STORE_H_
#define RIDESWEEP_AWS_S3_STORE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/aws/credentials.h"
#include "ridesweep/aws/endpoint.h"
#include "ridesweep/aws/http_client.h"
#include "ridesweep/aws/http_transport.h"
#include "ridesweep/base/object_store.h"

namespace ridesweep::aws {

struct S3StoreOptions {
  std::string bucket;
  std::string region;                       // Signing region.
  std::optional<std::string> endpoint_url;  // SWEEP_S3_ENDPOINT; unset: AWS's regional endpoint.
  std::optional<S3Addressing> addressing;   // Unset: ChooseS3Addressing().
  HttpClientOptions http;                   // Retry policy and test seams (StoreRetryPolicy by default).
  int list_page_size = 1000;                // ListObjectsV2 max-keys (1..1000).
};

class S3Store final : public ObjectStore {
 public:
  // kInvalidArgument for an empty bucket or region, a bad endpoint URL or page size.
  static Result<std::unique_ptr<S3Store>> Create(S3StoreOptions options, Credentials credentials,
                                                 std::shared_ptr<HttpTransport> transport);

  Status Put(std::string_view key, std::string_view data, std::string_view content_type) override;
  Status PutIfAbsent(std::string_view key, std::string_view data, std::string_view content_type) override;
  Result<std::string> Get(std::string_view key) override;
  Result<ObjectInfo> Head(std::string_view key) override;
  Status Delete(std::string_view key) override;
  // DeleteObjects, 1,000 keys per call (quiet mode, Content-MD5); a key the bucket refuses fails the call with
  // its code and message.
  Status DeleteMany(std::span<const std::string> keys) override;
  Result<std::vector<std::string>> List(std::string_view prefix) override;

  const std::string& bucket() const { return bucket_; }
  S3Addressing addressing() const { return addressing_; }

 private:
  S3Store(std::string bucket, Endpoint endpoint, S3Addressing addressing, int list_page_size,
          std::unique_ptr<HttpClient> client);
  // A request for the bucket (empty key) or one object.
  HttpRequest MakeRequest(std::string_view method, std::string_view key) const;
  Status PutObject(std::string_view key, std::string_view data, std::string_view content_type, bool if_absent);

  std::string bucket_;
  Endpoint endpoint_;
  S3Addressing addressing_;
  int list_page_size_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_S3_STORE_H_
