// bootstrap: the Lambda custom runtime (provided.al2023) of ridesweep. One binary serves API Gateway, direct
// invocations and SQS batches; see apps/bootstrap/lambda_handler.h and docs/runtime.md.
#include <iostream>
#include <string_view>

#include "lambda_handler.h"

int main() {
  return ridesweep::bootstrap::RunBootstrap(ridesweep::sweep::ProcessEnvironment(),
                                            [](std::string_view line) { std::cerr << line << '\n'; });
}
