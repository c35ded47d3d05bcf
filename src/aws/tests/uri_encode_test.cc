// Percent-encoding as SigV4 and S3 define it.
#include "ridesweep/aws/uri_encode.h"

#include <gtest/gtest.h>

namespace ridesweep::aws {
namespace {

TEST(UriEncodeTest, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(UriEncode("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(UriEncode("a b+c=d/e&f"), "a%20b%2Bc%3Dd%2Fe%26f");
  EXPECT_EQ(UriEncode("!'()*"), "%21%27%28%29%2A");  // encodeURIComponent would keep these; AWS does not.
  EXPECT_EQ(UriEncode("\xE1\x88\xB4"), "%E1%88%B4");
  EXPECT_EQ(UriEncode(std::string("\0\x7f\xff", 3)), "%00%7F%FF");
  EXPECT_EQ(UriEncode(""), "");
}

TEST(UriEncodeTest, PathFormKeepsSlashes) {
  EXPECT_EQ(UriEncodePath("runs/run_id=r 1/manifest.json"), "runs/run_id%3Dr%201/manifest.json");
  EXPECT_EQ(UriEncodePath("/test$file.text"), "/test%24file.text");
}

TEST(UriEncodeTest, DecodeInvertsEncode) {
  const std::string raw = "a b/c=d%e\xE1\x88\xB4~";
  EXPECT_EQ(UriDecode(UriEncode(raw)).value(), raw);
  EXPECT_EQ(UriDecode("%2f%2F+").value(), "//+");
  EXPECT_EQ(UriDecode("%").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(UriDecode("%4").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(UriDecode("%zz").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ridesweep::aws
