// The incremental HTTP/1.1 request parser of http_request_parser.h.
#include "ridesweep/local/http_request_parser.h"

#include <algorithm>
#include <optional>

namespace ridesweep::local {
namespace {

constexpr size_t kMaxChunkLineBytes = 1024;
constexpr std::string_view kCrlf = "\r\n";

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar); }

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The comma-separated elements of a header value, trimmed and lower-cased.
std::vector<std::string> ListElements(std::string_view value) {
  std::vector<std::string> out;
  for (;;) {
    const size_t comma = value.find(',');
    if (std::string_view element = Trim(value.substr(0, comma)); !element.empty()) out.push_back(LowerCase(element));
    if (comma == std::string_view::npos) return out;
    value.remove_prefix(comma + 1);
  }
}

}  // namespace

const std::string* HttpRequest::Header(std::string_view lower_case_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_case_name) return &value;
  }
  return nullptr;
}

HttpRequestParser::HttpRequestParser(size_t max_body_bytes) : max_body_bytes_(max_body_bytes) {}

size_t HttpRequestParser::Fail(int status, std::string message, size_t consumed) {
  state_ = State::kError;
  error_ = HttpParseError{status, std::move(message)};
  line_.clear();
  line_.shrink_to_fit();
  request_.body.clear();
  request_.body.shrink_to_fit();
  return consumed;
}

void HttpRequestParser::Next() {
  request_ = HttpRequest{};
  state_ = State::kIdle;
  phase_ = Phase::kHead;
  line_.clear();
  trailer_bytes_ = 0;
  remaining_ = 0;
  expect_continue_ = false;
}

void HttpRequestParser::FinishInput() {
  if (state_ != State::kPartial) return;
  Fail(400,
       phase_ == Phase::kHead ? "Request truncated: the connection closed before the end of the headers"
                              : "Request truncated: the connection closed before the end of the body",
       0);
}

size_t HttpRequestParser::Feed(std::string_view bytes) {
  size_t used = 0;
  while (used < bytes.size() && (state_ == State::kIdle || state_ == State::kPartial)) {
    const std::string_view rest = bytes.substr(used);
    switch (phase_) {
      case Phase::kHead: {
        if (state_ == State::kIdle) {
          // Empty lines before a request line are ignored (RFC 9112 §2.2).
          const size_t start = rest.find_first_not_of(kCrlf);
          if (start == std::string_view::npos) return bytes.size();
          used += start;
          state_ = State::kPartial;
          continue;
        }
        const size_t search_from = line_.size() >= 3 ? line_.size() - 3 : 0;
        const size_t take = std::min(rest.size(), kMaxHeaderBytes + 4 - line_.size());
        line_.append(rest.substr(0, take));
        const size_t end = line_.find("\r\n\r\n", search_from);
        if (end == std::string::npos) {
          used += take;
          if (line_.size() >= kMaxHeaderBytes + 4) {
            return Fail(431, "Request headers exceed " + std::to_string(kMaxHeaderBytes) + " bytes", used);
          }
          continue;
        }
        used += take - (line_.size() - (end + 4));
        line_.resize(end);
        if (!ParseHead(line_)) return used;
        line_.clear();
        if (!StartBody()) return used;
        continue;
      }
      case Phase::kFixedBody:
      case Phase::kChunkData: {
        const size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, rest.size()));
        request_.body.append(rest.substr(0, take));
        used += take;
        remaining_ -= take;
        if (remaining_ == 0) {
          if (phase_ == Phase::kFixedBody) {
            phase_ = Phase::kDone;
            state_ = State::kComplete;
          } else {
            phase_ = Phase::kChunkDataEnd;
          }
        }
        continue;
      }
      case Phase::kChunkDataEnd: {
        const size_t take = std::min(rest.size(), size_t{2} - line_.size());
        line_.append(rest.substr(0, take));
        used += take;
        if (line_.size() < 2) continue;
        if (line_ != kCrlf) return Fail(400, "Malformed chunked body: chunk data not followed by CRLF", used);
        line_.clear();
        phase_ = Phase::kChunkSize;
        continue;
      }
      case Phase::kChunkSize:
      case Phase::kTrailers: {
        const size_t newline = rest.find('\n');
        const size_t take = newline == std::string_view::npos ? rest.size() : newline + 1;
        line_.append(rest.substr(0, take));
        used += take;
        const size_t limit = phase_ == Phase::kChunkSize ? kMaxChunkLineBytes : kMaxHeaderBytes - trailer_bytes_;
        if (line_.size() > limit) {
          return phase_ == Phase::kChunkSize
                     ? Fail(400, "Malformed chunked body: chunk size line too long", used)
                     : Fail(431, "Request trailers exceed " + std::to_string(kMaxHeaderBytes) + " bytes", used);
        }
        if (newline == std::string_view::npos) continue;
        if (line_.size() < 2 || line_[line_.size() - 2] != '\r') {
          return Fail(400, "Malformed chunked body: line not ended by CRLF", used);
        }
        const std::string_view line = std::string_view(line_).substr(0, line_.size() - 2);
        if (phase_ == Phase::kTrailers) {
          trailer_bytes_ += line_.size();
          const bool last = line.empty();
          line_.clear();
          if (last) {
            phase_ = Phase::kDone;
            state_ = State::kComplete;
          }
          continue;
        }
        // chunk-size [ chunk-ext ] CRLF: hexadecimal, extensions ignored.
        uint64_t size = 0;
        size_t digits = 0;
        for (; digits < line.size(); ++digits) {
          const char c = Lower(line[digits]);
          const int value = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
          if (value < 0) break;
          if (size > (max_body_bytes_ - request_.body.size()) >> 4) {
            return Fail(413, "Request body exceeds " + std::to_string(max_body_bytes_) + " bytes", used);
          }
          size = size * 16 + static_cast<uint64_t>(value);
        }
        const std::string_view after = Trim(line.substr(digits));
        if (digits == 0 || (!after.empty() && after.front() != ';')) {
          return Fail(400, "Malformed chunked body: bad chunk size", used);
        }
        if (size > max_body_bytes_ - request_.body.size()) {
          return Fail(413, "Request body exceeds " + std::to_string(max_body_bytes_) + " bytes", used);
        }
        line_.clear();
        if (size == 0) {
          phase_ = Phase::kTrailers;
        } else {
          remaining_ = size;
          phase_ = Phase::kChunkData;
        }
        continue;
      }
      case Phase::kDone:
        return used;
    }
  }
  return used;
}

bool HttpRequestParser::ParseHead(std::string_view head) {
  const size_t line_end = head.find(kCrlf);
  const std::string_view request_line = head.substr(0, line_end);
  head = line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);

  const size_t sp1 = request_line.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : request_line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || request_line.find(' ', sp2 + 1) != std::string_view::npos) {
    Fail(400, "Malformed request line", 0);
    return false;
  }
  const std::string_view method = request_line.substr(0, sp1);
  const std::string_view target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = request_line.substr(sp2 + 1);
  if (!IsToken(method)) {
    Fail(400, "Malformed request line: bad method", 0);
    return false;
  }
  const auto is_control_or_space = [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; };
  if (target.empty() || target.front() != '/' || std::any_of(target.begin(), target.end(), is_control_or_space)) {
    Fail(400, "Malformed request line: the target must be a path", 0);
    return false;
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    Fail(505, "Only HTTP/1.1 and HTTP/1.0 are supported", 0);
    return false;
  }
  request_.method = std::string(method);
  request_.target = std::string(target);
  request_.keep_alive = version == "HTTP/1.1";

  while (!head.empty()) {
    const size_t end = head.find(kCrlf);
    const std::string_view line = head.substr(0, end);
    head = end == std::string_view::npos ? std::string_view() : head.substr(end + 2);
    if (line.empty() || line.front() == ' ' || line.front() == '\t') {
      Fail(400, "Malformed header line", 0);
      return false;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || !IsToken(line.substr(0, colon))) {
      Fail(400, "Malformed header line", 0);
      return false;
    }
    const std::string_view value = Trim(line.substr(colon + 1));
    if (std::any_of(value.begin(), value.end(),
                    [](char c) { return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f; })) {
      Fail(400, "Malformed header value", 0);
      return false;
    }
    if (request_.headers.size() == kMaxHeaderCount) {
      Fail(431, "More than " + std::to_string(kMaxHeaderCount) + " request headers", 0);
      return false;
    }
    request_.headers.emplace_back(LowerCase(line.substr(0, colon)), std::string(value));
  }
  return true;
}

bool HttpRequestParser::StartBody() {
  std::optional<uint64_t> content_length;
  std::vector<std::string> codings;
  for (const auto& [name, value] : request_.headers) {
    if (name == "content-length") {
      if (value.empty() || value.size() > 19 ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        Fail(400, "Malformed Content-Length", 0);
        return false;
      }
      const uint64_t length = std::stoull(value);
      if (content_length.has_value() && *content_length != length) {
        Fail(400, "Conflicting Content-Length headers", 0);
        return false;
      }
      content_length = length;
    } else if (name == "transfer-encoding") {
      for (std::string& coding : ListElements(value)) codings.push_back(std::move(coding));
    } else if (name == "connection") {
      for (const std::string& option : ListElements(value)) {
        if (option == "close") request_.keep_alive = false;
        if (option == "keep-alive") request_.keep_alive = true;
      }
    } else if (name == "expect") {
      expect_continue_ = LowerCase(value) == "100-continue";
    }
  }
  // A "close" wins over any "keep-alive".
  for (const auto& [name, value] : request_.headers) {
    if (name != "connection") continue;
    for (const std::string& option : ListElements(value)) {
      if (option == "close") request_.keep_alive = false;
    }
  }
  const std::string too_large = "Request body exceeds " + std::to_string(max_body_bytes_) + " bytes";
  if (!codings.empty()) {
    if (content_length.has_value()) {
      Fail(400, "Both Transfer-Encoding and Content-Length were sent", 0);
      return false;
    }
    if (codings.size() != 1 || codings.front() != "chunked") {
      Fail(501, "Unsupported Transfer-Encoding (only chunked is accepted)", 0);
      return false;
    }
    phase_ = Phase::kChunkSize;
    return true;
  }
  if (content_length.value_or(0) > max_body_bytes_) {
    Fail(413, too_large, 0);
    return false;
  }
  if (content_length.value_or(0) == 0) {
    phase_ = Phase::kDone;
    state_ = State::kComplete;
    return true;
  }
  remaining_ = *content_length;
  phase_ = Phase::kFixedBody;
  return true;
}

}  // namespace ridesweep::local
