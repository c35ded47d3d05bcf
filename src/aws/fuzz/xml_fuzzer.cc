// libFuzzer target for the XML reader that reads S3 listings and the error bodies of S3, SQS and Athena: arbitrary
// bytes go through ParseXml and ParseAwsError (both error formats, with and without the SQS query-error header).
// Invariants checked (__builtin_trap on violation): a parsed tree respects the depth limit, and writing a parsed
// tree back as XML and reading it again gives the same tree; AwsErrorToStatus and DescribeAwsError accept whatever
// ParseAwsError returns. Crashes and sanitizer reports are findings.
// Build: preset `fuzz`; run with tests/fuzz/corpus/xml (scripts/run_fuzzers.sh, docs/fuzzing.md).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ridesweep/aws/aws_error.h"
#include "ridesweep/aws/http_message.h"
#include "xml_reader.h"

namespace {

using ridesweep::aws::XmlElement;

void Require(bool condition) {
  if (!condition) __builtin_trap();
}

size_t Depth(const XmlElement& e) {
  size_t deepest = 0;
  for (const XmlElement& child : e.children) deepest = std::max(deepest, Depth(child));
  return deepest + 1;
}

// A name the writer below can emit unambiguously: the reader takes "<!…" and "<?…" as markup, not elements.
bool Writable(const XmlElement& e) {
  if (e.name.empty() || e.name[0] == '!' || e.name[0] == '?') return false;
  for (const XmlElement& child : e.children) {
    if (!Writable(child)) return false;
  }
  return true;
}

void Escape(std::string_view text, std::string* out) {
  for (const char c : text) {
    if (c == '&') {
      *out += "&amp;";
    } else if (c == '<') {
      *out += "&lt;";
    } else if (c == '>') {
      *out += "&gt;";
    } else {
      *out += c;
    }
  }
}

// Text first, then the children: the reader concatenates an element's character data, so this order loses nothing.
void Write(const XmlElement& e, std::string* out) {
  *out += '<' + e.name + '>';
  Escape(e.text, out);
  for (const XmlElement& child : e.children) Write(child, out);
  *out += "</" + e.name + '>';
}

bool SameTree(const XmlElement& a, const XmlElement& b) {
  if (a.name != b.name || a.text != b.text || a.children.size() != b.children.size()) return false;
  for (size_t i = 0; i < a.children.size(); ++i) {
    if (!SameTree(a.children[i], b.children[i])) return false;
  }
  return true;
}

void CheckError(const ridesweep::aws::HttpResponse& response, ridesweep::aws::ErrorFormat format) {
  const ridesweep::aws::AwsError error = ridesweep::aws::ParseAwsError(response, format);
  Require(error.http_status == response.status);
  (void)ridesweep::aws::DescribeAwsError(error);
  Require(!ridesweep::aws::AwsErrorToStatus(error).ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  ridesweep::Result<XmlElement> doc = ridesweep::aws::ParseXml(input);
  if (doc.ok()) {
    Require(Depth(*doc) <= ridesweep::aws::kXmlMaxDepth);
    if (Writable(*doc)) {
      std::string written;
      Write(*doc, &written);
      ridesweep::Result<XmlElement> again = ridesweep::aws::ParseXml(written);
      Require(again.ok() && SameTree(*doc, *again));
    }
    // What S3Store::List reads of a page.
    for (const XmlElement* contents : doc->Children("Contents")) (void)contents->ChildText("Key");
    (void)doc->ChildText("NextContinuationToken");
  } else {
    Require(doc.status().message().rfind("malformed XML: ", 0) == 0);
  }

  ridesweep::aws::HttpResponse response;
  response.status = 400 + static_cast<long>(size % 200);  // NOLINT(google-runtime-int): libcurl's type.
  response.body = std::string(input);
  CheckError(response, ridesweep::aws::ErrorFormat::kXml);
  CheckError(response, ridesweep::aws::ErrorFormat::kJson);
  response.headers.push_back({"x-amzn-query-error", std::string(input.substr(0, 64))});
  response.headers.push_back({"x-amzn-ErrorType", std::string(input.substr(0, 64))});
  CheckError(response, ridesweep::aws::ErrorFormat::kJson);
  return 0;
}
