// SHA-256 hex matches the FIPS 180-2 test vectors.
#include "ridesweep/base/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace ridesweep {
namespace {

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, HashesBinaryBytes) {
  const std::string bytes("a\0b", 3);
  EXPECT_NE(Sha256Hex(bytes), Sha256Hex("a"));
  EXPECT_EQ(Sha256Hex(bytes).size(), 64u);
}

}  // namespace
}  // namespace ridesweep
