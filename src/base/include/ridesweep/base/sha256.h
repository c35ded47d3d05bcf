// SHA-256 digests as lowercase hex, the form of every fingerprint (spec/sweep.md §2.3). Backed by OpenSSL's
// EVP interface, which stays private to base. Thread-safe.
#ifndef RIDESWEEP_BASE_SHA256_H_
#define RIDESWEEP_BASE_SHA256_H_

#include <string>
#include <string_view>

namespace ridesweep {

// 64 lowercase hex characters.
std::string Sha256Hex(std::string_view data);

}  // namespace ridesweep

#endif  // RIDESWEEP_BASE_SHA256_H_
