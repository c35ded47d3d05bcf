// Standard base64 (RFC 4648 §4, with padding) decoding for API Gateway bodies with isBase64Encoded. Private to
// the sweep layer.
#ifndef RIDESWEEP_SWEEP_BASE64_DECODE_H_
#define RIDESWEEP_SWEEP_BASE64_DECODE_H_

#include <optional>
#include <string>
#include <string_view>

namespace ridesweep::sweep::internal {

// nullopt unless `text` is canonical padded base64 (length a multiple of 4, '=' only as the final one or two
// characters).
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace ridesweep::sweep::internal

#endif  // RIDESWEEP_SWEEP_BASE64_DECODE_H_
