// arc4random for glibc 2.34 (provided.al2023). The statically linked libstdc++ of GCC 12 references arc4random
// (glibc 2.36) from std::random_device; this definition, built into bootstrap, satisfies it from getrandom(2)
// (glibc 2.25) so the binary needs no glibc symbol newer than 2.34. The package test checks the versions.
#include <sys/random.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

extern "C" uint32_t arc4random(void) noexcept {
  uint32_t value = 0;
  auto* bytes = reinterpret_cast<unsigned char*>(&value);
  size_t filled = 0;
  while (filled < sizeof(value)) {
    const ssize_t n = getrandom(bytes + filled, sizeof(value) - filled, 0);
    if (n > 0) {
      filled += static_cast<size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      break;  // Cannot happen on Linux ≥ 3.17 with a blocking getrandom; keep what was filled.
    }
  }
  return value;
}
