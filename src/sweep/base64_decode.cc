// Strict standard base64 decoding.
#include "base64_decode.h"

#include <cstdint>

namespace ridesweep::sweep::internal {
namespace {

int SextetOf(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    uint32_t group = 0;
    for (size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      int sextet = 0;
      if (c == '=') {
        if (!last || j < 4 - padding) return std::nullopt;
      } else {
        sextet = SextetOf(c);
        if (sextet < 0) return std::nullopt;
      }
      group = (group << 6) | static_cast<uint32_t>(sextet);
    }
    const size_t bytes = last ? 3 - padding : 3;
    for (size_t k = 0; k < bytes; ++k) out.push_back(static_cast<char>((group >> (16 - 8 * k)) & 0xFF));
  }
  return out;
}

}  // namespace ridesweep::sweep::internal
