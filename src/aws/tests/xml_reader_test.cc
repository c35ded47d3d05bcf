// The purpose-built XML reader on S3's documents and on malformed input.
#include "xml_reader.h"

#include <gtest/gtest.h>

namespace ridesweep::aws {
namespace {

// Shape of a real ListObjectsV2 answer (S3 API reference), with an escaped key.
constexpr std::string_view kListPage = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name>
  <Prefix>p/</Prefix>
  <KeyCount>2</KeyCount>
  <MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents>
    <Key>p/a&amp;b&lt;c&gt;&quot;&apos;&#233;&#x1F600;</Key>
    <LastModified>2009-10-12T17:50:30.000Z</LastModified>
    <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag>
    <Size>434234</Size>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
  <Contents><Key><![CDATA[p/<raw>&]]></Key><Size>0</Size></Contents>
  <!-- a comment -->
</ListBucketResult>)";

TEST(XmlReaderTest, ReadsAListObjectsV2Page) {
  const Result<XmlElement> doc = ParseXml(kListPage);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->name, "ListBucketResult");
  EXPECT_EQ(doc->ChildText("IsTruncated"), "true");
  EXPECT_EQ(doc->ChildText("NextContinuationToken"), "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  const std::vector<const XmlElement*> contents = doc->Children("Contents");
  ASSERT_EQ(contents.size(), 2u);
  EXPECT_EQ(contents[0]->ChildText("Key"), "p/a&b<c>\"'\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(contents[0]->ChildText("Size"), "434234");
  EXPECT_EQ(contents[1]->ChildText("Key"), "p/<raw>&");
  EXPECT_EQ(doc->Child("Missing"), nullptr);
  EXPECT_EQ(doc->ChildText("Missing"), "");
}

TEST(XmlReaderTest, ReadsAnS3ErrorDocument) {
  const Result<XmlElement> doc = ParseXml(
      "<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate."
      "</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->ChildText("Code"), "SlowDown");
  EXPECT_EQ(doc->ChildText("Message"), "Please reduce your request rate.");
}

TEST(XmlReaderTest, SelfClosingAndAttributes) {
  const Result<XmlElement> doc = ParseXml("<a x='1' y=\"2\"><b/><c k=\"v\">t</c></a>");
  ASSERT_TRUE(doc.ok());
  ASSERT_EQ(doc->children.size(), 2u);
  EXPECT_EQ(doc->children[0].name, "b");
  EXPECT_EQ(doc->ChildText("c"), "t");
}

TEST(XmlReaderTest, RejectsMalformedDocuments) {
  const char* kBad[] = {
      "",                     // no root
      "text",                 // no root
      "<a>",                  // unterminated
      "<a></b>",              // mismatched
      "<a>&unknown;</a>",     // unknown entity
      "<a>&#0;</a>",          // NUL reference
      "<a>&#xD800;</a>",      // surrogate
      "<a><![CDATA[x</a>",    // unterminated CDATA
      "<a></a><b></b>",       // two roots
      "<!DOCTYPE a><a></a>",  // DTD
      "<a x=1></a>",          // unquoted attribute
  };
  for (const char* doc : kBad) {
    SCOPED_TRACE(doc);
    const Result<XmlElement> parsed = ParseXml(doc);
    EXPECT_FALSE(parsed.ok());
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(XmlReaderTest, LimitsNestingDepth) {
  std::string deep;
  for (size_t i = 0; i < kXmlMaxDepth + 1; ++i) deep += "<a>";
  for (size_t i = 0; i < kXmlMaxDepth + 1; ++i) deep += "</a>";
  EXPECT_FALSE(ParseXml(deep).ok());
  std::string ok;
  for (size_t i = 0; i < kXmlMaxDepth; ++i) ok += "<a>";
  for (size_t i = 0; i < kXmlMaxDepth; ++i) ok += "</a>";
  EXPECT_TRUE(ParseXml(ok).ok());
}

}  // namespace
}  // namespace ridesweep::aws
