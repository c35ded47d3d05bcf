// The tiny XML reader of xml_reader.h.
#include "xml_reader.h"

#include <cstdint>

namespace ridesweep::aws {
namespace {

Status Malformed(std::string_view what) { return InvalidArgumentError("malformed XML: " + std::string(what)); }

bool IsNameChar(char c) {
  return c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '>' && c != '/' && c != '=' && c != '<' && c != '"' &&
         c != '\'';
}

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view doc) : doc_(doc) {}

  Result<XmlElement> Document() {
    RIDESWEEP_RETURN_IF_ERROR(SkipMisc());
    if (AtEnd() || doc_[pos_] != '<') return Malformed("no root element");
    XmlElement root;
    RIDESWEEP_RETURN_IF_ERROR(Element(&root, 1));
    RIDESWEEP_RETURN_IF_ERROR(SkipMisc());
    if (!AtEnd()) return Malformed("content after the root element");
    return root;
  }

 private:
  bool AtEnd() const { return pos_ >= doc_.size(); }
  bool StartsWith(std::string_view s) const { return doc_.substr(pos_, s.size()) == s; }
  void SkipSpace() {
    while (!AtEnd() && (doc_[pos_] == ' ' || doc_[pos_] == '\t' || doc_[pos_] == '\r' || doc_[pos_] == '\n')) ++pos_;
  }

  Status SkipUntil(std::string_view terminator, std::string_view what) {
    const size_t end = doc_.find(terminator, pos_);
    if (end == std::string_view::npos) return Malformed("unterminated " + std::string(what));
    pos_ = end + terminator.size();
    return Status::Ok();
  }

  // Whitespace, the declaration, comments and processing instructions outside the root.
  Status SkipMisc() {
    for (;;) {
      SkipSpace();
      if (StartsWith("<?")) {
        RIDESWEEP_RETURN_IF_ERROR(SkipUntil("?>", "processing instruction"));
      } else if (StartsWith("<!--")) {
        RIDESWEEP_RETURN_IF_ERROR(SkipUntil("-->", "comment"));
      } else if (StartsWith("<!")) {
        return Malformed("DTDs are not supported");
      } else {
        return Status::Ok();
      }
    }
  }

  Result<std::string> Name() {
    const size_t start = pos_;
    while (!AtEnd() && IsNameChar(doc_[pos_])) ++pos_;
    if (pos_ == start) return Malformed("expected a name");
    return std::string(doc_.substr(start, pos_ - start));
  }

  Status Entity(std::string* out) {
    const size_t end = doc_.find(';', pos_);
    if (end == std::string_view::npos || end - pos_ > 12) return Malformed("bad entity reference");
    const std::string_view ref = doc_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    if (ref == "amp")
      *out += '&';
    else if (ref == "lt")
      *out += '<';
    else if (ref == "gt")
      *out += '>';
    else if (ref == "quot")
      *out += '"';
    else if (ref == "apos")
      *out += '\'';
    else if (ref.size() >= 2 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      const std::string_view digits = ref.substr(hex ? 2 : 1);
      if (digits.empty()) return Malformed("bad character reference");
      uint32_t cp = 0;
      for (const char c : digits) {
        uint32_t d = 0;
        if (c >= '0' && c <= '9')
          d = static_cast<uint32_t>(c - '0');
        else if (hex && c >= 'a' && c <= 'f')
          d = static_cast<uint32_t>(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F')
          d = static_cast<uint32_t>(c - 'A' + 10);
        else
          return Malformed("bad character reference");
        cp = cp * (hex ? 16u : 10u) + d;
        if (cp > 0x10FFFF) return Malformed("bad character reference");
      }
      if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return Malformed("bad character reference");
      AppendUtf8(out, cp);
    } else {
      return Malformed("unknown entity &" + std::string(ref) + ";");
    }
    return Status::Ok();
  }

  // At '<' of a start tag.
  Status Element(XmlElement* element, size_t depth) {
    if (depth > kXmlMaxDepth) return Malformed("nesting too deep");
    ++pos_;
    RIDESWEEP_ASSIGN_OR_RETURN(element->name, Name());
    // Attributes: name="value" or name='value', skipped.
    for (;;) {
      SkipSpace();
      if (AtEnd()) return Malformed("unterminated start tag");
      if (StartsWith("/>")) {
        pos_ += 2;
        return Status::Ok();
      }
      if (doc_[pos_] == '>') {
        ++pos_;
        break;
      }
      RIDESWEEP_RETURN_IF_ERROR(Name().status());
      SkipSpace();
      if (AtEnd() || doc_[pos_] != '=') return Malformed("attribute without value");
      ++pos_;
      SkipSpace();
      if (AtEnd() || (doc_[pos_] != '"' && doc_[pos_] != '\'')) return Malformed("unquoted attribute value");
      const char quote = doc_[pos_++];
      const size_t end = doc_.find(quote, pos_);
      if (end == std::string_view::npos) return Malformed("unterminated attribute value");
      pos_ = end + 1;
    }
    // Content.
    for (;;) {
      if (AtEnd()) return Malformed("unterminated element <" + element->name + ">");
      const char c = doc_[pos_];
      if (c == '&') {
        RIDESWEEP_RETURN_IF_ERROR(Entity(&element->text));
      } else if (c != '<') {
        element->text += c;
        ++pos_;
      } else if (StartsWith("</")) {
        pos_ += 2;
        RIDESWEEP_ASSIGN_OR_RETURN(const std::string closing, Name());
        if (closing != element->name) return Malformed("</" + closing + "> closes <" + element->name + ">");
        SkipSpace();
        if (AtEnd() || doc_[pos_] != '>') return Malformed("unterminated end tag");
        ++pos_;
        return Status::Ok();
      } else if (StartsWith("<![CDATA[")) {
        pos_ += 9;
        const size_t end = doc_.find("]]>", pos_);
        if (end == std::string_view::npos) return Malformed("unterminated CDATA section");
        element->text.append(doc_.substr(pos_, end - pos_));
        pos_ = end + 3;
      } else if (StartsWith("<!--")) {
        RIDESWEEP_RETURN_IF_ERROR(SkipUntil("-->", "comment"));
      } else if (StartsWith("<?")) {
        RIDESWEEP_RETURN_IF_ERROR(SkipUntil("?>", "processing instruction"));
      } else {
        element->children.emplace_back();
        RIDESWEEP_RETURN_IF_ERROR(Element(&element->children.back(), depth + 1));
      }
    }
  }

  std::string_view doc_;
  size_t pos_ = 0;
};

}  // namespace

const XmlElement* XmlElement::Child(std::string_view child_name) const {
  for (const XmlElement& child : children) {
    if (child.name == child_name) return &child;
  }
  return nullptr;
}

std::string XmlElement::ChildText(std::string_view child_name) const {
  const XmlElement* child = Child(child_name);
  return child == nullptr ? std::string() : child->text;
}

std::vector<const XmlElement*> XmlElement::Children(std::string_view child_name) const {
  std::vector<const XmlElement*> out;
  for (const XmlElement& child : children) {
    if (child.name == child_name) out.push_back(&child);
  }
  return out;
}

Result<XmlElement> ParseXml(std::string_view document) { return Parser(document).Document(); }

}  // namespace ridesweep::aws
