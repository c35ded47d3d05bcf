// Finds the PEM bundle of trusted CAs without depending on how libcurl was built: SSL_CERT_FILE when set,
// otherwise the first existing standard location of the Red Hat family (Amazon Linux 2023, the Lambda image)
// or the Debian family (spec/sweep.md §6). Pure apart from the injected existence check.
#ifndef RIDESWEEP_AWS_CA_BUNDLE_H_
#define RIDESWEEP_AWS_CA_BUNDLE_H_

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ridesweep/sweep/config.h"

namespace ridesweep::aws {

inline constexpr std::string_view kSslCertFileVariable = "SSL_CERT_FILE";

// Probed in this order.
inline constexpr std::string_view kCaBundleLocations[] = {
    "/etc/pki/tls/certs/ca-bundle.crt",                   // Amazon Linux 2023, RHEL, Fedora
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // Red Hat family, extracted trust store
    "/etc/ssl/certs/ca-certificates.crt",                 // Debian, Ubuntu, Alpine
    "/etc/ssl/ca-bundle.pem",                             // openSUSE
    "/etc/ssl/cert.pem",                                  // Alpine, macOS
};

// SSL_CERT_FILE (non-blank) wins even if absent, so a misconfiguration shows up as a TLS error rather than
// silently trusting another store. nullopt when nothing is found (libcurl's default then applies).
std::optional<std::string> FindCaBundle(const sweep::EnvironmentLookup& lookup,
                                        const std::function<bool(const std::string&)>& file_exists);

// With the real file system.
std::optional<std::string> FindCaBundle(const sweep::EnvironmentLookup& lookup);

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_CA_BUNDLE_H_
