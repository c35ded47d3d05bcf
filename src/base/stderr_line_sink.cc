// One write(2) per line, serialized by a mutex.
#include "ridesweep/base/stderr_line_sink.h"

#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <mutex>
#include <string>

namespace ridesweep {

void WriteLineToStderr(std::string_view line) {
  static std::mutex mu;
  std::string text;
  text.reserve(line.size() + 1);
  text.append(line).push_back('\n');
  std::lock_guard lock(mu);
  std::cerr.flush();  // whatever the stream holds goes first
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(STDERR_FILENO, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // stderr is gone: nothing sensible to report it to
    }
    written += static_cast<size_t>(n);
  }
}

}  // namespace ridesweep
