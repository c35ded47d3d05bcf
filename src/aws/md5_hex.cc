// MD5 hex and base64 via OpenSSL's EVP interface.
#include "md5_hex.h"

#include <openssl/evp.h>

#include <string>

#include "ridesweep/base/check.h"

namespace ridesweep::aws {
namespace {

std::string Md5Digest(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  RIDESWEEP_CHECK(EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr) == 1) << "MD5 failed";
  return std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace

std::string Md5Hex(std::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : Md5Digest(data)) {
    const auto byte = static_cast<unsigned char>(c);
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0F];
  }
  return out;
}

std::string Md5Base64(std::string_view data) {
  const std::string digest = Md5Digest(data);
  std::string out(4 * ((digest.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(digest.data()),
                                      static_cast<int>(digest.size()));
  out.resize(static_cast<size_t>(written));
  return out;
}

}  // namespace ridesweep::aws
