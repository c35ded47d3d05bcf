// SignV4 against published vectors: AWS's Signature Version 4 test suite (credentials AKIDEXAMPLE, region
// us-east-1, service "service", 2015-08-30T12:36:00Z) and the worked examples of the Amazon S3 API reference
// ("Signature Calculations for the Authorization Header"). A matching signature implies a byte-identical
// canonical request and string to sign (SHA-256 and HMAC), which are also compared where published.
#include "ridesweep/aws/sigv4.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "ridesweep/base/sha256.h"

namespace ridesweep::aws {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

constexpr std::string_view kEmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const system_clock::time_point kSuiteTime{seconds(1'440'938'160)};  // 2015-08-30T12:36:00Z
const system_clock::time_point kS3DocTime{seconds(1'369'353'600)};  // 2013-05-24T00:00:00Z
const Credentials kSuiteCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
const Credentials kS3DocCredentials{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};

// The suite's example STS token (post-sts-token/post-sts-header-before).
constexpr std::string_view kSuiteStsToken =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuw"
    "thAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQc"
    "HNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/o"
    "LxBA==";

struct SuiteCase {
  std::string name;
  std::string method;
  std::string path;  // As in the suite's .req (raw).
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<HttpHeader> headers;  // Besides Host and X-Amz-Date.
  std::string body;
  std::string session_token;
  std::string canonical_request;  // Empty: not compared (only the signature is published for this case).
  std::string string_to_sign_hash;
  std::string authorization;
};

std::string Vanilla(std::string_view method, std::string_view path, std::string_view query,
                    std::string_view extra_headers, std::string_view signed_headers) {
  return std::string(method) + "\n" + std::string(path) + "\n" + std::string(query) + "\nhost:example.amazonaws.com\n" +
         std::string(extra_headers) + "x-amz-date:20150830T123600Z\n\n" + std::string(signed_headers) + "\n" +
         std::string(kEmptyHash);
}

std::string SuiteAuthorization(std::string_view signed_headers, std::string_view signature) {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=" +
         std::string(signed_headers) + ", Signature=" + std::string(signature);
}

const std::string kUnreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

std::vector<SuiteCase> SuiteCases() {
  const std::string hd = "host;x-amz-date";
  const std::string hmd = "host;my-header1;x-amz-date";
  return {
      {"get-vanilla",
       "GET",
       "/",
       {},
       {},
       "",
       "",
       Vanilla("GET", "/", "", "", hd),
       "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
       SuiteAuthorization(hd, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")},
      {"get-vanilla-empty-query-key",
       "GET",
       "/",
       {{"Param1", "value1"}},
       {},
       "",
       "",
       Vanilla("GET", "/", "Param1=value1", "", hd),
       "1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab",
       SuiteAuthorization(hd, "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb")},
      {"get-vanilla-query-order-key",
       "GET",
       "/",
       {{"Param1", "value2"}, {"Param1", "Value1"}},
       {},
       "",
       "",
       Vanilla("GET", "/", "Param1=Value1&Param1=value2", "", hd),
       "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89",
       SuiteAuthorization(hd, "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1")},
      {"get-vanilla-query-order-key-case",
       "GET",
       "/",
       {{"Param2", "value2"}, {"Param1", "value1"}},
       {},
       "",
       "",
       Vanilla("GET", "/", "Param1=value1&Param2=value2", "", hd),
       "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
       SuiteAuthorization(hd, "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")},
      {"get-vanilla-query-order-value",
       "GET",
       "/",
       {{"Param1", "value2"}, {"Param1", "value1"}},
       {},
       "",
       "",
       Vanilla("GET", "/", "Param1=value1&Param1=value2", "", hd),
       "c968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606",
       SuiteAuthorization(hd, "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694")},
      {"get-vanilla-query-unreserved",
       "GET",
       "/",
       {{kUnreserved, kUnreserved}},
       {},
       "",
       "",
       Vanilla("GET", "/", kUnreserved + "=" + kUnreserved, "", hd),
       "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
       SuiteAuthorization(hd, "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197")},
      {"get-vanilla-utf8-query",
       "GET",
       "/",
       {{"\xE1\x88\xB4", "bar"}},
       {},
       "",
       "",
       Vanilla("GET", "/", "%E1%88%B4=bar", "", hd),
       "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
       SuiteAuthorization(hd, "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04")},
      {"get-header-key-duplicate",
       "GET",
       "/",
       {},
       {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}},
       "",
       "",
       Vanilla("GET", "/", "", "my-header1:value2,value2,value1\n", hmd),
       "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
       SuiteAuthorization(hmd, "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea")},
      {"get-header-value-order",
       "GET",
       "/",
       {},
       {{"My-Header1", "value4"}, {"My-Header1", "value1"}, {"My-Header1", "value3"}, {"My-Header1", "value2"}},
       "",
       "",
       Vanilla("GET", "/", "", "my-header1:value4,value1,value3,value2\n", hmd),
       "31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
       SuiteAuthorization(hmd, "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01")},
      {"get-header-value-trim",
       "GET",
       "/",
       {},
       {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}},
       "",
       "",
       Vanilla("GET", "/", "", "my-header1:value1\nmy-header2:\"a b c\"\n", "host;my-header1;my-header2;x-amz-date"),
       "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
       SuiteAuthorization("host;my-header1;my-header2;x-amz-date",
                          "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736")},
      {"get-unreserved",
       "GET",
       "/" + kUnreserved,
       {},
       {},
       "",
       "",
       Vanilla("GET", "/" + kUnreserved, "", "", hd),
       "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
       SuiteAuthorization(hd, "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f")},
      {"get-utf8",
       "GET",
       "/\xE1\x88\xB4",
       {},
       {},
       "",
       "",
       Vanilla("GET", "/%E1%88%B4", "", "", hd),
       "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
       SuiteAuthorization(hd, "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85")},
      {"get-space",
       "GET",
       "/example space/",
       {},
       {},
       "",
       "",
       Vanilla("GET", "/example%20space/", "", "", hd),
       "",
       SuiteAuthorization(hd, "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741")},
      {"get-relative-relative (normalize-path)",
       "GET",
       "/example1/example2/../..",
       {},
       {},
       "",
       "",
       Vanilla("GET", "/", "", "", hd),
       "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
       SuiteAuthorization(hd, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")},
      {"post-vanilla",
       "POST",
       "/",
       {},
       {},
       "",
       "",
       Vanilla("POST", "/", "", "", hd),
       "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
       SuiteAuthorization(hd, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")},
      {"post-vanilla-query",
       "POST",
       "/",
       {{"Param1", "value1"}},
       {},
       "",
       "",
       Vanilla("POST", "/", "Param1=value1", "", hd),
       "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
       SuiteAuthorization(hd, "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11")},
      {"post-header-key-sort",
       "POST",
       "/",
       {},
       {{"My-Header1", "value1"}},
       "",
       "",
       Vanilla("POST", "/", "", "my-header1:value1\n", hmd),
       "9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65",
       SuiteAuthorization(hmd, "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c")},
      {"post-header-value-case",
       "POST",
       "/",
       {},
       {{"My-Header1", "VALUE1"}},
       "",
       "",
       Vanilla("POST", "/", "", "my-header1:VALUE1\n", hmd),
       "d51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93",
       SuiteAuthorization(hmd, "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d")},
      {"post-sts-header-before",
       "POST",
       "/",
       {},
       {},
       "",
       std::string(kSuiteStsToken),
       "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:" +
           std::string(kSuiteStsToken) + "\n\nhost;x-amz-date;x-amz-security-token\n" + std::string(kEmptyHash),
       "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6",
       SuiteAuthorization("host;x-amz-date;x-amz-security-token",
                          "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead")},
      // The current suite (awslabs/aws-c-auth tests/aws-signing-test-suite/v4/get-vanilla-with-session-token).
      {"get-vanilla-with-session-token",
       "GET",
       "/",
       {},
       {},
       "",
       "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267",
       "",
       "",
       SuiteAuthorization("host;x-amz-date;x-amz-security-token",
                          "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8")},
      // The current suite's post-x-www-form-urlencoded: the body is hashed and, as that suite's signer does,
      // announced in x-amz-content-sha256 (a signed header for a non-S3 service when the caller sets it).
      {"post-x-www-form-urlencoded",
       "POST",
       "/",
       {},
       {{"Content-Type", "application/x-www-form-urlencoded"},
        {"Content-Length", "13"},
        {"x-amz-content-sha256", "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"}},
       "Param1=value1",
       "",
       "",
       "",
       SuiteAuthorization("content-length;content-type;host;x-amz-content-sha256;x-amz-date",
                          "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b")},
  };
}

HttpRequest SuiteRequest(const SuiteCase& c) {
  HttpRequest request;
  request.method = c.method;
  request.host = "example.amazonaws.com";
  request.path = c.path;
  request.query = c.query;
  request.headers.push_back({"Host", "example.amazonaws.com"});
  for (const HttpHeader& h : c.headers) request.headers.push_back(h);
  request.headers.push_back({"X-Amz-Date", "20150830T123600Z"});
  request.body = c.body;
  return request;
}

TEST(SigV4SuiteTest, ReproducesEveryPublishedVectorByteForByte) {
  for (const SuiteCase& c : SuiteCases()) {
    SCOPED_TRACE(c.name);
    Credentials credentials = kSuiteCredentials;
    credentials.session_token = c.session_token;
    const SigV4Result r = SignV4(SuiteRequest(c), credentials, "us-east-1", "service", kSuiteTime);
    if (!c.canonical_request.empty()) {
      EXPECT_EQ(r.canonical_request, c.canonical_request);
    }
    if (!c.string_to_sign_hash.empty()) {
      EXPECT_EQ(r.string_to_sign, "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" +
                                      c.string_to_sign_hash);
    }
    EXPECT_EQ(r.authorization, c.authorization);
  }
}

TEST(SigV4SuiteTest, StringToSignHashesTheCanonicalRequest) {
  const SuiteCase c = SuiteCases().front();
  const SigV4Result r = SignV4(SuiteRequest(c), kSuiteCredentials, "us-east-1", "service", kSuiteTime);
  EXPECT_EQ(r.string_to_sign.substr(r.string_to_sign.rfind('\n') + 1), Sha256Hex(r.canonical_request));
  EXPECT_EQ(r.credential_scope, "20150830/us-east-1/service/aws4_request");
  EXPECT_EQ(r.amz_date, "20150830T123600Z");
}

// Amazon S3 API reference, "Examples: Signature Calculations" (bucket examplebucket, us-east-1).
struct S3DocCase {
  std::string name;
  std::string method;
  std::string path;  // Wire form.
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<HttpHeader> headers;
  std::string body;
  std::string canonical_request;  // Empty: not compared.
  std::string signed_headers;
  std::string signature;
};

TEST(SigV4S3DocumentationTest, ReproducesTheWorkedExamples) {
  const std::vector<S3DocCase> cases = {
      {"GET Object (range)",
       "GET",
       "/test.txt",
       {},
       {{"Range", "bytes=0-9"}},
       "",
       "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:" +
           std::string(kEmptyHash) + "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n" +
           std::string(kEmptyHash),
       "host;range;x-amz-content-sha256;x-amz-date",
       "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
      {"PUT Object",
       "PUT",
       "/test%24file.text",
       {},
       {{"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
       "Welcome to Amazon S3.",
       "",
       "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
       "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"},
      {"GET Bucket Lifecycle",
       "GET",
       "/",
       {{"lifecycle", ""}},
       {},
       "",
       "",
       "host;x-amz-content-sha256;x-amz-date",
       "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"},
      {"GET Bucket (List Objects)",
       "GET",
       "/",
       {{"prefix", "J"}, {"max-keys", "2"}},
       {},
       "",
       "",
       "host;x-amz-content-sha256;x-amz-date",
       "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"},
  };
  for (const S3DocCase& c : cases) {
    SCOPED_TRACE(c.name);
    HttpRequest request;
    request.method = c.method;
    request.host = "examplebucket.s3.amazonaws.com";
    request.path = c.path;
    request.query = c.query;
    request.headers = c.headers;
    request.body = c.body;
    const SigV4Result r = SignV4(request, kS3DocCredentials, "us-east-1", "s3", kS3DocTime);
    if (!c.canonical_request.empty()) {
      EXPECT_EQ(r.canonical_request, c.canonical_request);
    }
    EXPECT_EQ(r.authorization,
              "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
              "SignedHeaders=" +
                  c.signed_headers + ", Signature=" + c.signature);
    EXPECT_EQ(r.payload_hash, Sha256Hex(c.body));
  }
}

TEST(SigV4Test, S3PathIsSignedAsSentWhileOtherServicesEncodeItAgain) {
  // An S3 key "a b/c%d" goes on the wire as "/bucket/a%20b/c%25d"; S3 signs that text, other services encode
  // the wire path once more (botocore's rule), so '%' becomes "%25".
  EXPECT_EQ(CanonicalUri("/bucket/a%20b/c%25d", "s3"), "/bucket/a%20b/c%25d");
  EXPECT_EQ(CanonicalUri("/bucket/a%20b", "sqs"), "/bucket/a%2520b");
  // S3 never normalises; others drop dot segments and empty segments.
  EXPECT_EQ(CanonicalUri("/a/./b//../c", "s3"), "/a/./b//../c");
  EXPECT_EQ(CanonicalUri("/a/./b//../c", "execute-api"), "/a/c");
  EXPECT_EQ(CanonicalUri("", "s3"), "/");
  EXPECT_EQ(CanonicalUri("", "sqs"), "/");
  EXPECT_EQ(CanonicalUri("/a/b/", "sqs"), "/a/b/");
}

TEST(SigV4Test, AddsDateTokenAndS3PayloadHeadersAndSignsThem) {
  HttpRequest request;
  request.method = "PUT";
  request.host = "bucket.s3.eu-west-1.amazonaws.com";
  request.path = "/k";
  request.body = "payload";
  const Credentials credentials{"AKID", "SECRET", "TOKEN"};
  const SigV4Result r = SignV4(request, credentials, "eu-west-1", "s3", kSuiteTime);
  ASSERT_EQ(r.headers_to_add.size(), 4u);
  EXPECT_EQ(r.headers_to_add[0], (HttpHeader{"X-Amz-Date", "20150830T123600Z"}));
  EXPECT_EQ(r.headers_to_add[1], (HttpHeader{"X-Amz-Security-Token", "TOKEN"}));
  EXPECT_EQ(r.headers_to_add[2], (HttpHeader{"X-Amz-Content-SHA256", Sha256Hex("payload")}));
  EXPECT_EQ(r.headers_to_add[3].name, "Authorization");
  EXPECT_EQ(r.signed_headers, "host;x-amz-content-sha256;x-amz-date;x-amz-security-token");
  EXPECT_NE(r.canonical_request.find("x-amz-security-token:TOKEN\n"), std::string::npos);
}

TEST(SigV4Test, SignRequestInPlaceReplacesStaleSigningHeaders) {
  HttpRequest request;
  request.method = "POST";
  request.host = "sqs.us-east-1.amazonaws.com";
  request.headers = {{"Authorization", "old"}, {"X-Amz-Date", "19990101T000000Z"}, {"x-amz-security-token", "old"}};
  const Credentials credentials{"AKID", "SECRET", "NEW"};
  SignRequestInPlace(&request, credentials, "us-east-1", "sqs", kSuiteTime);
  int authorizations = 0;
  for (const HttpHeader& h : request.headers) authorizations += HeaderNameEquals(h.name, "authorization") ? 1 : 0;
  EXPECT_EQ(authorizations, 1);
  EXPECT_EQ(*request.FindHeader("x-amz-date"), "20150830T123600Z");
  EXPECT_EQ(*request.FindHeader("X-Amz-Security-Token"), "NEW");
  // Signing the already-signed request again gives the same signature: the stale values do not leak in.
  const std::string first = *request.FindHeader("Authorization");
  SignRequestInPlace(&request, credentials, "us-east-1", "sqs", kSuiteTime);
  EXPECT_EQ(*request.FindHeader("Authorization"), first);
}

TEST(SigV4Test, HopByHopHeadersAreNotSigned) {
  HttpRequest request;
  request.host = "example.amazonaws.com";
  request.headers = {{"User-Agent", "ridesweep"}, {"Expect", "100-continue"}, {"X-Amzn-Trace-Id", "t"}};
  const SigV4Result r = SignV4(request, kSuiteCredentials, "us-east-1", "service", kSuiteTime);
  EXPECT_EQ(r.signed_headers, "host;x-amz-date");
  EXPECT_EQ(r.authorization,
            SuiteAuthorization("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
}

TEST(SigV4Test, FormatsAmzDateInUtc) {
  EXPECT_EQ(FormatAmzDate(system_clock::time_point(seconds(0))), "19700101T000000Z");
  EXPECT_EQ(FormatAmzDate(kS3DocTime), "20130524T000000Z");
  EXPECT_EQ(FormatAmzDate(system_clock::time_point(seconds(951'782'400))), "20000229T000000Z");
}

TEST(SigV4Test, HmacSha256MatchesRfc4231TestCase2) {
  const std::string mac = HmacSha256("Jefe", "what do ya want for nothing?");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (const char ch : mac) {
    hex += kHex[static_cast<unsigned char>(ch) >> 4];
    hex += kHex[static_cast<unsigned char>(ch) & 0x0F];
  }
  EXPECT_EQ(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace ridesweep::aws
