// HttpRequest / HttpResponse helpers.
#include "ridesweep/aws/http_message.h"

#include <algorithm>

#include "ridesweep/aws/uri_encode.h"

namespace ridesweep::aws {
namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

const std::string* Find(const std::vector<HttpHeader>& headers, std::string_view name) {
  for (const HttpHeader& h : headers) {
    if (HeaderNameEquals(h.name, name)) return &h.value;
  }
  return nullptr;
}

}  // namespace

bool HeaderNameEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

std::string HttpRequest::EncodedQuery() const {
  std::string out;
  for (const auto& [name, value] : query) {
    if (!out.empty()) out += '&';
    out += UriEncode(name);
    out += '=';
    out += UriEncode(value);
  }
  return out;
}

std::string HttpRequest::Url() const {
  std::string url = scheme + "://" + host + path;
  if (!query.empty()) url += "?" + EncodedQuery();
  return url;
}

const std::string* HttpRequest::FindHeader(std::string_view name) const { return Find(headers, name); }

void HttpRequest::RemoveHeader(std::string_view name) {
  std::erase_if(headers, [&](const HttpHeader& h) { return HeaderNameEquals(h.name, name); });
}

void HttpRequest::SetHeader(std::string_view name, std::string value) {
  RemoveHeader(name);
  headers.push_back(HttpHeader{std::string(name), std::move(value)});
}

const std::string* HttpResponse::FindHeader(std::string_view name) const { return Find(headers, name); }

}  // namespace ridesweep::aws
