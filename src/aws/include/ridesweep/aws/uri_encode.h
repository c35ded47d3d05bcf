// Percent-encoding as SigV4 and the S3 REST API define it: every byte except the unreserved characters
// A–Z a–z 0–9 '-' '_' '.' '~' becomes %XY with upper-case hex. UTF-8 text is encoded byte by byte, so "ሴ" becomes
// "%E1%88%B4". Pure functions.
#ifndef RIDESWEEP_AWS_URI_ENCODE_H_
#define RIDESWEEP_AWS_URI_ENCODE_H_

#include <string>
#include <string_view>

#include "ridesweep/base/result.h"

namespace ridesweep::aws {

// Encodes every byte outside the unreserved set, '/' included. Query names and values, header-free tokens.
std::string UriEncode(std::string_view raw);

// Like UriEncode but keeps '/': an S3 object key or a raw path becomes a wire path.
std::string UriEncodePath(std::string_view raw);

// Decodes %XY escapes (either hex case). '+' stays '+'. kInvalidArgument on a malformed escape.
Result<std::string> UriDecode(std::string_view encoded);

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_URI_ENCODE_H_
