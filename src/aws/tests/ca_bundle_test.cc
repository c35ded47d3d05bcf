// CA bundle probing order and the SSL_CERT_FILE override.
#include "ridesweep/aws/ca_bundle.h"

#include <gtest/gtest.h>

#include <set>

namespace ridesweep::aws {
namespace {

using sweep::EnvironmentFromMap;

TEST(CaBundleTest, SslCertFileWins) {
  const auto exists = [](const std::string&) { return true; };
  EXPECT_EQ(FindCaBundle(EnvironmentFromMap({{"SSL_CERT_FILE", "/custom/ca.pem"}}), exists), "/custom/ca.pem");
}

TEST(CaBundleTest, ProbesRedHatBeforeDebian) {
  const std::set<std::string> present = {"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"};
  const auto exists = [&](const std::string& path) { return present.contains(path); };
  EXPECT_EQ(FindCaBundle(EnvironmentFromMap({}), exists), "/etc/pki/tls/certs/ca-bundle.crt");
  const auto debian_only = [](const std::string& path) { return path == "/etc/ssl/certs/ca-certificates.crt"; };
  EXPECT_EQ(FindCaBundle(EnvironmentFromMap({{"SSL_CERT_FILE", "  "}}), debian_only),
            "/etc/ssl/certs/ca-certificates.crt");
  EXPECT_EQ(FindCaBundle(EnvironmentFromMap({}), [](const std::string&) { return false; }), std::nullopt);
}

}  // namespace
}  // namespace ridesweep::aws
