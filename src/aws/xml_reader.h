// A tiny, purpose-built XML reader for the documents S3 sends back (ListObjectsV2 results and <Error> bodies):
// elements, character data, the five predefined entities, numeric character references and CDATA; the
// declaration, comments and processing instructions are skipped; attributes are parsed and ignored (namespaces
// included). Not a general XML parser: no DTDs, no external entities (so nothing to exploit), nesting depth
// limited. Private to the aws layer. Pure.
#ifndef RIDESWEEP_AWS_XML_READER_H_
#define RIDESWEEP_AWS_XML_READER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/base/result.h"

namespace ridesweep::aws {

struct XmlElement {
  std::string name;  // As written, prefix included ("ListBucketResult").
  std::string text;  // Concatenated character data directly inside this element, entities decoded.
  std::vector<XmlElement> children;

  // First child with that name, or nullptr.
  const XmlElement* Child(std::string_view child_name) const;
  // Text of the first child with that name; empty when absent.
  std::string ChildText(std::string_view child_name) const;
  // Every child with that name, in document order.
  std::vector<const XmlElement*> Children(std::string_view child_name) const;
};

inline constexpr size_t kXmlMaxDepth = 64;

// Parses a whole document; kInvalidArgument ("malformed XML: …") when it is not well-formed as far as this
// reader checks (mismatched tags, bad entity, truncated input, no root, depth beyond kXmlMaxDepth).
Result<XmlElement> ParseXml(std::string_view document);

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_XML_READER_H_
