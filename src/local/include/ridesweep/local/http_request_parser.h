// HttpRequestParser reads HTTP/1.1 requests from the bytes a client sends, in whatever pieces they arrive, with
// every size bounded before it is buffered: the request line and headers (kMaxHeaderBytes, 431), the body with
// Content-Length or chunked transfer coding alike (the body limit, 413 as soon as a length or chunk size would
// pass it, before its bytes are read). Malformed input is a 400 (or 501 for an unknown transfer coding); a peer
// that closes its side mid-request gets a 400 "truncated" error. No sockets, no clocks: `serve` feeds it what it
// reads and the fuzzer feeds it bytes. One parser per connection; not thread-safe.
#ifndef RIDESWEEP_LOCAL_HTTP_REQUEST_PARSER_H_
#define RIDESWEEP_LOCAL_HTTP_REQUEST_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ridesweep::local {

inline constexpr size_t kMaxRequestBodyBytes = 10'485'760;  // 10 MiB, the cloud API's limit.
inline constexpr size_t kMaxHeaderBytes = 16'384;          // Request line + headers (+ chunked trailers).
inline constexpr size_t kMaxHeaderCount = 100;

struct HttpRequest {
  std::string method;  // As sent ("GET").
  std::string target;  // Origin form as sent: "/runs/x?y".
  std::vector<std::pair<std::string, std::string>> headers;  // Names lower-cased, values trimmed.
  std::string body;    // Decoded (chunked coding removed).
  bool keep_alive = true;  // HTTP/1.1 without "Connection: close", or HTTP/1.0 with "Connection: keep-alive".

  // The first header of that (lower-case) name, or nullptr.
  const std::string* Header(std::string_view lower_case_name) const;
};

struct HttpParseError {
  int status = 400;  // 400, 413, 431 or 501.
  std::string message;
};

class HttpRequestParser {
 public:
  enum class State : uint8_t {
    kIdle,       // Nothing of a request received yet.
    kPartial,    // Part of a request received.
    kComplete,   // request() is a whole request; Feed() consumes nothing more until Next().
    kError,      // error() says why; the connection cannot be resynchronised.
  };

  explicit HttpRequestParser(size_t max_body_bytes = kMaxRequestBodyBytes);

  // Consumes bytes and returns how many it used: all of them, or fewer when a request completed or an error was
  // found (the rest belongs to the next, pipelined request, or is garbage).
  size_t Feed(std::string_view bytes);
  // The peer closed its side: a partial request becomes a 400 ("truncated"). No effect when idle or complete.
  void FinishInput();
  // Forgets the completed request and gets ready for the next one. REQUIRES: state() == kComplete.
  void Next();

  State state() const { return state_; }
  // The headers are complete and asked for "Expect: 100-continue" (the body has not been read yet).
  bool WantsContinue() const { return phase_ > Phase::kHead && expect_continue_ && state_ == State::kPartial; }
  const HttpRequest& request() const { return request_; }
  HttpRequest& mutable_request() { return request_; }
  const HttpParseError& error() const { return error_; }

 private:
  enum class Phase : uint8_t { kHead, kFixedBody, kChunkSize, kChunkData, kChunkDataEnd, kTrailers, kDone };

  size_t Fail(int status, std::string message, size_t consumed);
  // Parses the buffered head; false after Fail().
  bool ParseHead(std::string_view head);
  bool StartBody();

  size_t max_body_bytes_;
  State state_ = State::kIdle;
  Phase phase_ = Phase::kHead;
  std::string line_;  // The head, or the current chunk-size / trailer line, while incomplete.
  size_t trailer_bytes_ = 0;
  uint64_t remaining_ = 0;  // Bytes left of the fixed body or of the current chunk.
  bool expect_continue_ = false;
  HttpRequest request_;
  HttpParseError error_;
};

}  // namespace ridesweep::local

#endif  // RIDESWEEP_LOCAL_HTTP_REQUEST_PARSER_H_
