// SHA-256 through OpenSSL EVP (one-shot digest).
#include "ridesweep/base/sha256.h"

#include <openssl/evp.h>

#include "ridesweep/base/check.h"

namespace ridesweep {

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const int ok = EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  RIDESWEEP_CHECK(ok == 1 && length == 32) << "EVP_Digest(sha256) failed";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.resize(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return hex;
}

}  // namespace ridesweep
