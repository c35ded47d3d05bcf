// Endpoint URLs, AWS defaults and the S3 addressing rule.
#include "ridesweep/aws/endpoint.h"

#include <gtest/gtest.h>

namespace ridesweep::aws {
namespace {

TEST(EndpointTest, ParsesCustomEndpoints) {
  EXPECT_EQ(ParseEndpointUrl("http://127.0.0.1:5000").value(), (Endpoint{"http", "127.0.0.1:5000", ""}));
  EXPECT_EQ(ParseEndpointUrl("HTTPS://MinIO.local:443/").value(), (Endpoint{"https", "minio.local", ""}));
  EXPECT_EQ(ParseEndpointUrl("http://host:80/base/path/").value(), (Endpoint{"http", "host", "/base/path"}));
  EXPECT_EQ(ParseEndpointUrl("http://[::1]:9000").value(), (Endpoint{"http", "[::1]:9000", ""}));
}

TEST(EndpointTest, RejectsBadEndpoints) {
  for (const char* url : {"127.0.0.1:5000", "ftp://host", "http://", "http://host:0", "http://host:70000",
                          "http://host:x", "http://host:", "http://user@host", "http://host/?a=b", "http://host#f"}) {
    SCOPED_TRACE(url);
    EXPECT_EQ(ParseEndpointUrl(url).status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(EndpointTest, DefaultsToRegionalAwsEndpoints) {
  EXPECT_EQ(DefaultEndpoint("sqs", "eu-west-1"), (Endpoint{"https", "sqs.eu-west-1.amazonaws.com", ""}));
  EXPECT_EQ(DefaultEndpoint("s3", "cn-north-1"), (Endpoint{"https", "s3.cn-north-1.amazonaws.com.cn", ""}));
  EXPECT_EQ(ResolveEndpoint(std::nullopt, "athena", "us-east-2").value().host, "athena.us-east-2.amazonaws.com");
  EXPECT_EQ(ResolveEndpoint("http://127.0.0.1:1", "athena", "us-east-2").value().host, "127.0.0.1:1");
}

TEST(EndpointTest, PathStyleWithCustomEndpointsOrDottedBuckets) {
  EXPECT_EQ(ChooseS3Addressing(true, "results"), S3Addressing::kPathStyle);
  EXPECT_EQ(ChooseS3Addressing(false, "results-bucket-1"), S3Addressing::kVirtualHosted);
  EXPECT_EQ(ChooseS3Addressing(false, "my.dotted.bucket"), S3Addressing::kPathStyle);
  EXPECT_EQ(ChooseS3Addressing(false, "Upper"), S3Addressing::kPathStyle);
  EXPECT_EQ(ChooseS3Addressing(false, "-dash"), S3Addressing::kPathStyle);
}

}  // namespace
}  // namespace ridesweep::aws
