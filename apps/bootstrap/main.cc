// bootstrap: the Lambda custom runtime (provided.al2023) of ridesweep. One binary serves API Gateway, direct
// invocations and SQS batches; see apps/bootstrap/lambda_handler.h and docs/runtime.md.
#include "lambda_handler.h"
#include "ridesweep/base/stderr_line_sink.h"

int main() {
  return ridesweep::bootstrap::RunBootstrap(ridesweep::sweep::ProcessEnvironment(),
                                            &ridesweep::WriteLineToStderr);
}
