// The unified Lambda handler, its production wiring (LambdaApp) and the bootstrap process (RunBootstrap).
#include "lambda_handler.h"

#include <exception>
#include <future>
#include <utility>
#include <vector>

#include "ridesweep/aws/aws_clients.h"
#include "ridesweep/base/exception_text.h"
#include "ridesweep/base/json_parser.h"
#include "ridesweep/store/parquet_dataset_encoder.h"
#include "ridesweep/store/parquet_shard_spill.h"
#include "ridesweep/sweep/envelope.h"
#include "ridesweep/sweep/event_detection.h"
#include "ridesweep/sweep/responses.h"
#include "ridesweep/sweep/sqs_batch.h"
#include "ridesweep/sweep/submit.h"

namespace ridesweep::bootstrap {
namespace {

constexpr std::string_view kComponent = "sweep_runtime";
constexpr std::string_view kSqsBatchKind = "sqs_batch";

JsonValue Text(std::string_view s) { return JsonValue::String(std::string(s)); }


// A ShardDispatcher whose time budget runs from the request's start (§5.4), not from the Dispatch call.
class BudgetedDispatcher final : public sweep::ShardDispatcher {
 public:
  BudgetedDispatcher(std::string_view target, const DispatchUntilFn* dispatch,
                     std::chrono::steady_clock::time_point no_call_after)
      : target_(target), dispatch_(dispatch), no_call_after_(no_call_after) {}
  std::string_view target() const override { return target_; }
  sweep::DispatchReport Dispatch(std::span<const sweep::ShardMessage> messages) override {
    return (*dispatch_)(messages, no_call_after_);
  }

 private:
  std::string_view target_;
  const DispatchUntilFn* dispatch_;
  std::chrono::steady_clock::time_point no_call_after_;
};

// §1.2 row 2: an object with a `body` key came through API Gateway; anything else is a direct invocation.
std::string_view ApiEventKind(const Result<JsonValue>& event) {
  const bool proxy = event.ok() && event->is_object() && event->as_object().Find("body") != nullptr;
  return sweep::RequestSourceName(proxy ? sweep::RequestSource::kApiGateway : sweep::RequestSource::kLambdaInvoke);
}

}  // namespace

LambdaHandler::LambdaHandler(HandlerComponents components) : c_(std::move(components)) {
  if (!c_.steady_now) c_.steady_now = [] { return std::chrono::steady_clock::now(); };
  if (!c_.spills) c_.spills = store::ParquetShardSpillFactory();
  point_encoders_.push_back(c_.encoder);
  point_encoders_.insert(point_encoders_.end(), c_.point_encoders.begin(), c_.point_encoders.end());
}

int64_t LambdaHandler::ElapsedMs(sweep::WallTime started) const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(c_.clock->Now() - started).count();
}

void LambdaHandler::LogMisconfiguration(const std::string& message) {
  if (c_.log == nullptr) return;
  JsonObject details;
  details.Set("message", Text(message));
  c_.log->Error(kComponent, "misconfiguration", std::move(details));
}

aws::LambdaOutcome LambdaHandler::Handle(const aws::LambdaInvocation& invocation) {
  const sweep::WallTime started = c_.clock->Now();
  std::string_view kind = "lambda_invoke";
  try {
    Result<JsonValue> event = ParseJson(invocation.event);
    const bool sqs = event.ok() && sweep::IsSqsEvent(*event);
    kind = sqs ? kSqsBatchKind : ApiEventKind(event);
    if (c_.log != nullptr) {
      JsonObject details;
      details.Set("event_kind", Text(kind));
      details.Set("request_id", Text(invocation.request_id));
      c_.log->Info(kComponent, "request_received", std::move(details));
    }
    return sqs ? HandleSqs(invocation, *event, started) : HandleApi(invocation, kind, started);
  } catch (...) {
    const std::string error = CurrentExceptionText();
    if (c_.log != nullptr) {
      JsonObject details;
      details.Set("duration_ms", JsonValue::Signed(ElapsedMs(started)));
      details.Set("error", Text(error));
      details.Set("event_kind", Text(kind));
      details.Set("request_id", Text(invocation.request_id));
      c_.log->Error(kComponent, "request_failed", std::move(details));
    }
    if (kind == kSqsBatchKind) return aws::LambdaOutcome::Error(std::string(aws::lambda::kUnhandledErrorType), error);
    // §6: the API path always answers with a proxy response.
    return aws::LambdaOutcome::Response(sweep::LambdaProxyResponse(500, sweep::MakeInternalError(error).Body()));
  }
}

aws::LambdaOutcome LambdaHandler::HandleSqs(const aws::LambdaInvocation& invocation, const JsonValue& event,
                                            sweep::WallTime started) {
  if (c_.worker_problem.has_value()) {
    // §6: no record can be handled; the whole batch returns to the queue.
    LogMisconfiguration(*c_.worker_problem);
    if (c_.log != nullptr) {
      JsonObject details;
      details.Set("duration_ms", JsonValue::Signed(ElapsedMs(started)));
      details.Set("error", Text(*c_.worker_problem));
      details.Set("event_kind", Text(kSqsBatchKind));
      details.Set("request_id", Text(invocation.request_id));
      c_.log->Error(kComponent, "request_failed", std::move(details));
    }
    return aws::LambdaOutcome::Error(std::string(kMisconfigurationErrorType), *c_.worker_problem);
  }

  sweep::WorkerContext worker;
  worker.store = c_.store;
  worker.clock = c_.clock;
  worker.log = c_.log;
  worker.manifests = c_.manifests;
  worker.cancels = c_.cancels;
  worker.spills = c_.spills;
  worker.config = c_.config.worker();
  std::optional<sweep::DeadlineGuard> guard;
  if (invocation.deadline.has_value()) guard.emplace(c_.clock, *invocation.deadline, worker.config.deadline_margin_ms);
  const sweep::SqsBatchResult result =
      sweep::HandleSqsBatch(event, point_encoders_, worker, guard.has_value() ? &*guard : nullptr);

  if (c_.log != nullptr) {
    JsonObject details;
    details.Set("decoded_payloads", JsonValue::Unsigned(result.decoded_payloads));
    details.Set("duration_ms", JsonValue::Signed(ElapsedMs(started)));
    details.Set("event_kind", Text(kSqsBatchKind));
    details.Set("failed_items", JsonValue::Unsigned(result.failed_message_ids.size()));
    details.Set("request_id", Text(invocation.request_id));
    c_.log->Info(kComponent, "request_completed", std::move(details));
  }
  return aws::LambdaOutcome::Response(result.ResponseJson());
}

aws::LambdaOutcome LambdaHandler::HandleApi(const aws::LambdaInvocation& invocation, std::string_view event_kind,
                                            sweep::WallTime started) {
  const std::chrono::steady_clock::time_point steady_start = c_.steady_now();
  sweep::SubmitContext ctx;
  ctx.store = c_.store;
  ctx.encoder = c_.encoder;
  ctx.clock = c_.clock;
  ctx.log = c_.log;
  ctx.config = c_.config.submit();
  // A missing setting, credential or client answers 500 misconfiguration at §1.4 step 13, after the request checks.
  if (c_.api_problem.has_value()) ctx.config.ingress.misconfiguration = c_.api_problem;
  BudgetedDispatcher dispatcher(c_.dispatch_target, &c_.dispatch, steady_start + kDispatchTimeBudget);
  ctx.dispatcher = &dispatcher;

  sweep::SubmitResponse response;
  if (ctx.config.ingress.misconfiguration.has_value() || (c_.store != nullptr && c_.encoder != nullptr && c_.dispatch)) {
    response = sweep::SubmitLambdaEvent(invocation.event, ctx);
  } else {
    // Unreachable by construction (a missing collaborator always comes with api_problem); never abort on it.
    response.status_code = 500;
    response.body = sweep::MakeInternalError("API path collaborators missing").Body();
  }
  if (response.status_code == 500 && response.body.starts_with(R"({"error":"misconfiguration")")) {
    LogMisconfiguration(ctx.config.ingress.misconfiguration.value_or(""));
  }

  if (c_.log != nullptr) {
    JsonObject details;
    details.Set("duration_ms", JsonValue::Signed(ElapsedMs(started)));
    details.Set("event_kind", Text(event_kind));
    details.Set("request_id", Text(invocation.request_id));
    details.Set("status_code", JsonValue::Signed(response.status_code));
    c_.log->Info(kComponent, "request_completed", std::move(details));
  }
  return aws::LambdaOutcome::Response(sweep::LambdaProxyResponse(response.status_code, response.body));
}

// ------------------------------------------------------------------------------------------------------------------
// LambdaApp: production wiring

struct LambdaApp::Owned {
  std::unique_ptr<aws::S3Store> store;
  std::unique_ptr<aws::SqsDispatcher> dispatcher;
  std::unique_ptr<sweep::DatasetEncoder> encoder;
  std::vector<std::unique_ptr<sweep::DatasetEncoder>> point_encoders;
  sweep::ManifestCache manifests;
  sweep::CancelWatch cancels;
};

LambdaApp::LambdaApp() : owned_(std::make_unique<Owned>()) {}
LambdaApp::~LambdaApp() = default;

Result<std::unique_ptr<LambdaApp>> LambdaApp::Create(const sweep::EnvironmentLookup& lookup,
                                                     sweep::StructuredLog::Sink sink) {
  std::unique_ptr<LambdaApp> app(new LambdaApp());
  HandlerComponents& c = app->components_;
  c.config = sweep::LoadSweepConfig(sweep::DeploymentMode::kCloud, lookup);
  app->log_ = std::make_unique<sweep::StructuredLog>(std::move(sink), &app->clock_, c.config.log_level);

  // Credentials and region (never instance metadata); a problem here blocks both paths, reported per invocation.
  std::optional<std::string> aws_problem;
  std::optional<std::string> store_problem;
  std::optional<std::string> dispatcher_problem;
  Result<aws::AwsContext> context = aws::LoadAwsContext(lookup);
  if (!context.ok()) {
    aws_problem = context.status().message();
  } else {
    if (!c.config.results_bucket.empty()) {
      Result<std::unique_ptr<aws::S3Store>> store = aws::MakeS3Store(c.config, *context);
      if (store.ok()) {
        app->owned_->store = std::move(store).value();
      } else {
        store_problem = "S3 client: " + store.status().message();
      }
    }
    if (!c.config.shard_queue_url.empty()) {
      Result<std::unique_ptr<aws::SqsDispatcher>> dispatcher = aws::MakeSqsDispatcher(c.config, *context);
      if (dispatcher.ok()) {
        app->owned_->dispatcher = std::move(dispatcher).value();
      } else {
        dispatcher_problem = "SQS client: " + dispatcher.status().message();
      }
    }
  }
  auto first = [](std::initializer_list<const std::optional<std::string>*> problems) -> std::optional<std::string> {
    for (const std::optional<std::string>* p : problems) {
      if (p->has_value()) return *p;
    }
    return std::nullopt;
  };
  c.api_problem = first({&c.config.api_misconfiguration, &aws_problem, &store_problem, &dispatcher_problem});
  c.worker_problem = first({&c.config.worker_misconfiguration, &aws_problem, &store_problem});

  // One encoder for the invocation at hand (run_context on the API path, datasets on the SQS path).
  Result<std::unique_ptr<sweep::DatasetEncoder>> encoder = store::ParquetDatasetEncoderFactory()();
  if (!encoder.ok()) return InternalError("Parquet encoder failed to start: " + encoder.status().message());
  app->owned_->encoder = std::move(encoder).value();
  // SWEEP_POINT_THREADS > 1: one more encoder per extra point thread, made in parallel (each a DuckDB database).
  if (!c.worker_problem.has_value() && c.config.point_threads > 1) {
    std::vector<std::future<Result<std::unique_ptr<sweep::DatasetEncoder>>>> extra;
    for (uint64_t i = 1; i < c.config.point_threads; ++i) {
      extra.push_back(std::async(std::launch::async | std::launch::deferred, store::ParquetDatasetEncoderFactory()));
    }
    for (auto& made : extra) {
      Result<std::unique_ptr<sweep::DatasetEncoder>> point_encoder = made.get();
      if (!point_encoder.ok()) {
        return InternalError("Parquet encoder failed to start: " + point_encoder.status().message());
      }
      app->owned_->point_encoders.push_back(std::move(point_encoder).value());
      c.point_encoders.push_back(app->owned_->point_encoders.back().get());
    }
  }

  c.store = app->owned_->store.get();
  c.encoder = app->owned_->encoder.get();
  c.manifests = &app->owned_->manifests;
  c.cancels = &app->owned_->cancels;
  if (aws::SqsDispatcher* sqs = app->owned_->dispatcher.get(); sqs != nullptr) {
    c.dispatch_target = std::string(sqs->target());
    c.dispatch = [sqs](std::span<const sweep::ShardMessage> messages, std::chrono::steady_clock::time_point until) {
      return sqs->DispatchUntil(messages, until);
    };
  }
  c.clock = &app->clock_;
  c.log = app->log_.get();
  app->handler_ = std::make_unique<LambdaHandler>(c);
  return app;
}

// ------------------------------------------------------------------------------------------------------------------
// The process

int RunBootstrap(const sweep::EnvironmentLookup& lookup, sweep::StructuredLog::Sink sink,
                 std::function<bool()> should_stop) {
  const std::optional<std::string> endpoint = lookup(aws::lambda::kRuntimeApiVariable);
  if (!endpoint.has_value() || endpoint->empty()) {
    sweep::SystemClock clock;
    sweep::StructuredLog log(sink, &clock);
    JsonObject details;
    details.Set("error", Text(std::string(aws::lambda::kRuntimeApiVariable) +
                              " is not set: bootstrap runs under the Lambda Runtime API"));
    details.Set("operation", Text("init"));
    log.Error(kComponent, "runtime_api_error", std::move(details));
    return 1;
  }
  aws::LambdaRuntimeClient client = aws::LambdaRuntimeClient::WithCurl(*endpoint);
  Result<std::unique_ptr<LambdaApp>> app = LambdaApp::Create(lookup, sink);
  if (!app.ok()) {
    (void)client.PostInitError("Runtime.InitError", app.status().message());
    return 1;
  }
  LambdaApp& running = **app;

  aws::LambdaLoopOptions options;
  options.should_stop = std::move(should_stop);
  options.on_runtime_error = [&running](std::string_view operation, const Status& status) {
    JsonObject details;
    details.Set("error", Text(status.message()));
    details.Set("operation", Text(operation));
    running.log().Error(kComponent, "runtime_api_error", std::move(details));
  };
  aws::RunLambdaLoop(
      client, [&running](const aws::LambdaInvocation& invocation) { return running.handler().Handle(invocation); },
      options);
  return 0;
}

}  // namespace ridesweep::bootstrap
