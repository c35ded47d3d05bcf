// MD5 of a message body as lower-case hex, the form SQS returns in MD5OfMessageBody so senders can check that
// the queue stored what they sent, or as base64 for S3's Content-MD5. Integrity check only, not security. Private to the aws layer. Thread-safe.
#ifndef RIDESWEEP_AWS_MD5_HEX_H_
#define RIDESWEEP_AWS_MD5_HEX_H_

#include <string>
#include <string_view>

namespace ridesweep::aws {

std::string Md5Hex(std::string_view data);
// The same digest in base64, the form of S3's Content-MD5 header (DeleteObjects requires one).
std::string Md5Base64(std::string_view data);

}  // namespace ridesweep::aws

#endif  // RIDESWEEP_AWS_MD5_HEX_H_
