// FaultInjectingStore: rule matching around the forwarded call; see fault_injecting_store.h.
#include "ridesweep/store/fault_injecting_store.h"

#include <algorithm>
#include <utility>

#include "ridesweep/base/check.h"

namespace ridesweep::store {
namespace {

StatusCode CodeOf(const Status& status) { return status.code(); }
template <typename T>
StatusCode CodeOf(const Result<T>& result) {
  return result.status().code();
}

}  // namespace

void FaultInjectingStore::AddRule(FaultRule rule) {
  RIDESWEEP_CHECK(!rule.error.ok()) << "a fault rule needs an error status";
  RIDESWEEP_CHECK(rule.nth >= 0) << "nth must be 0 (every call) or ≥ 1";
  std::lock_guard lock(mu_);
  rules_.push_back(ArmedRule{std::move(rule), 0});
}

void FaultInjectingStore::FailNthPut(int64_t n, Status error) {
  RIDESWEEP_CHECK(n >= 1) << "FailNthPut counts from 1";
  AddRule(FaultRule{.ops = {StoreOp::kPut}, .nth = n, .error = std::move(error)});
}

void FaultInjectingStore::FailPutsUnderPrefix(std::string prefix, Status error) {
  AddRule(FaultRule{
      .ops = {StoreOp::kPut, StoreOp::kPutIfAbsent}, .key_prefix = std::move(prefix), .error = std::move(error)});
}

void FaultInjectingStore::FailCallsContaining(std::vector<StoreOp> ops, std::string substring, Status error) {
  AddRule(FaultRule{.ops = std::move(ops), .key_substring = std::move(substring), .error = std::move(error)});
}

void FaultInjectingStore::ClearRules() {
  std::lock_guard lock(mu_);
  rules_.clear();
}

int64_t FaultInjectingStore::injected_count() const {
  std::lock_guard lock(mu_);
  return injected_;
}

std::optional<FaultInjectingStore::Fault> FaultInjectingStore::Match(StoreOp op, std::string_view key) {
  std::lock_guard lock(mu_);
  std::optional<Fault> fault;
  for (ArmedRule& armed : rules_) {
    const FaultRule& rule = armed.rule;
    if (!rule.ops.empty() && std::find(rule.ops.begin(), rule.ops.end(), op) == rule.ops.end()) continue;
    if (!key.starts_with(rule.key_prefix)) continue;
    if (key.find(rule.key_substring) == std::string_view::npos) continue;
    ++armed.matches;
    const bool fires = rule.nth == 0 || armed.matches == rule.nth;
    if (fires && !fault) fault = Fault{rule.error, rule.after_forwarding};
  }
  if (fault) ++injected_;
  return fault;
}

template <typename R, typename Forward>
R FaultInjectingStore::Apply(StoreOp op, std::string_view key, Forward forward) {
  const std::optional<Fault> fault = Match(op, key);
  if (fault && !fault->after_forwarding) {
    Record(op, key, fault->error.code(), /*injected=*/true);
    return fault->error;
  }
  R result = forward();
  if (fault) {
    Record(op, key, fault->error.code(), /*injected=*/true);
    return fault->error;
  }
  Record(op, key, CodeOf(result), /*injected=*/false);
  return result;
}

Status FaultInjectingStore::Put(std::string_view key, std::string_view data, std::string_view content_type) {
  return Apply<Status>(StoreOp::kPut, key, [&] { return ObjectStoreWrapper::Put(key, data, content_type); });
}

Status FaultInjectingStore::PutIfAbsent(std::string_view key, std::string_view data, std::string_view content_type) {
  return Apply<Status>(StoreOp::kPutIfAbsent, key,
                       [&] { return ObjectStoreWrapper::PutIfAbsent(key, data, content_type); });
}

Result<std::string> FaultInjectingStore::Get(std::string_view key) {
  return Apply<Result<std::string>>(StoreOp::kGet, key, [&] { return ObjectStoreWrapper::Get(key); });
}

Result<ObjectInfo> FaultInjectingStore::Head(std::string_view key) {
  return Apply<Result<ObjectInfo>>(StoreOp::kHead, key, [&] { return ObjectStoreWrapper::Head(key); });
}

Status FaultInjectingStore::Delete(std::string_view key) {
  return Apply<Status>(StoreOp::kDelete, key, [&] { return ObjectStoreWrapper::Delete(key); });
}

Result<std::vector<std::string>> FaultInjectingStore::List(std::string_view prefix) {
  return Apply<Result<std::vector<std::string>>>(StoreOp::kList, prefix,
                                                 [&] { return ObjectStoreWrapper::List(prefix); });
}

}  // namespace ridesweep::store
