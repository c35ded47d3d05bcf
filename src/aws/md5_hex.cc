// MD5 hex via OpenSSL's EVP interface.
#include "md5_hex.h"

#include <openssl/evp.h>

#include "ridesweep/base/check.h"

namespace ridesweep::aws {

std::string Md5Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  RIDESWEEP_CHECK(EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr) == 1) << "MD5 failed";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0F];
  }
  return out;
}

}  // namespace ridesweep::aws
