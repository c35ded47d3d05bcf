// SQS batches are told apart from API events only when every record comes from aws:sqs.
#include "ridesweep/sweep/event_detection.h"

#include <gtest/gtest.h>

#include "ridesweep/base/json_parser.h"

namespace ridesweep::sweep {
namespace {

bool Sqs(std::string_view text) {
  Result<JsonValue> event = ParseJson(text);
  EXPECT_TRUE(event.ok()) << text;
  return event.ok() && IsSqsEvent(*event);
}

TEST(EventDetectionTest, OnlyAllSqsRecordsMakeAnSqsEvent) {
  EXPECT_TRUE(Sqs(R"({"Records":[{"eventSource":"aws:sqs","body":"{}"}]})"));
  EXPECT_TRUE(Sqs(R"({"Records":[{"eventSource":"aws:sqs"},{"eventSource":"aws:sqs","messageId":"2"}]})"));
  EXPECT_FALSE(Sqs(R"({"Records":[]})"));
  EXPECT_FALSE(Sqs(R"({"Records":[{"eventSource":"aws:sqs"},{"eventSource":"aws:s3"}]})"));
  EXPECT_FALSE(Sqs(R"({"Records":[{"eventSource":"aws:s3"}]})"));
  EXPECT_FALSE(Sqs(R"({"Records":[{"EventSource":"aws:sqs"}]})"));
  EXPECT_FALSE(Sqs(R"({"Records":[{"eventSource":"AWS:SQS"}]})"));
  EXPECT_FALSE(Sqs(R"({"Records":[1]})"));
  EXPECT_FALSE(Sqs(R"({"Records":{"eventSource":"aws:sqs"}})"));
  EXPECT_FALSE(Sqs(R"({"body":"{}"})"));
  EXPECT_FALSE(Sqs(R"([{"eventSource":"aws:sqs"}])"));
}

}  // namespace
}  // namespace ridesweep::sweep
