// FaultInjectingStore makes chosen calls to a wrapped store fail, for fault-tolerance tests (style.md item 24):
// fail the Nth Put, every Put under a prefix, or every Get/Delete/… whose key contains a substring, with a chosen
// Status (kUnavailable for a transient outage, kInvalidArgument or kFailedPrecondition for a permanent one). It
// records every call like RecordingStore, injected failures included (StoreCall::injected), so tests can assert
// the write order and what was attempted. Thread-safe; rules may be added while other threads call the store.
#ifndef RIDESWEEP_STORE_FAULT_INJECTING_STORE_H_
#define RIDESWEEP_STORE_FAULT_INJECTING_STORE_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/store/recording_store.h"

namespace ridesweep::store {

// When a call matches every filter of a rule, the rule counts it; the rule fires on every match (nth == 0) or on
// its nth match only. The first rule (in insertion order) that fires decides the call.
struct FaultRule {
  std::vector<StoreOp> ops = {};   // Operations the rule applies to; empty means all.
  std::string key_prefix = {};     // Keys (List: prefixes) starting with this; empty means any.
  std::string key_substring = {};  // Keys containing this; empty means any.
  int64_t nth = 0;            // 0: every matching call; n ≥ 1: only the nth matching call (1-based).
  Status error = {};               // Returned instead of the real result. REQUIRES: !error.ok().
  // false: the call never reaches the wrapped store (nothing written). true: it does, then the error is returned
  // anyway, like a write whose acknowledgement was lost.
  bool after_forwarding = false;
};

class FaultInjectingStore : public RecordingStore {
 public:
  // REQUIRES: target outlives this store.
  explicit FaultInjectingStore(ObjectStore* target) : RecordingStore(target) {}

  void AddRule(FaultRule rule);
  // The nth Put (1-based, counting Put calls only) fails; later Puts pass.
  void FailNthPut(int64_t n, Status error);
  // Every Put and PutIfAbsent whose key starts with `prefix` fails.
  void FailPutsUnderPrefix(std::string prefix, Status error);
  // Every call of the listed operations (empty: all) whose key contains `substring` fails.
  void FailCallsContaining(std::vector<StoreOp> ops, std::string substring, Status error);
  void ClearRules();
  // Number of calls answered by a rule so far.
  int64_t injected_count() const;

  Status Put(std::string_view key, std::string_view data, std::string_view content_type) override;
  Status PutIfAbsent(std::string_view key, std::string_view data, std::string_view content_type) override;
  Result<std::string> Get(std::string_view key) override;
  Result<ObjectInfo> Head(std::string_view key) override;
  Status Delete(std::string_view key) override;
  Result<std::vector<std::string>> List(std::string_view prefix) override;

 private:
  struct ArmedRule {
    FaultRule rule;
    int64_t matches = 0;
  };
  struct Fault {
    Status error;
    bool after_forwarding = false;
  };
  // Counts the call against every matching rule; returns the fault of the first rule that fires.
  std::optional<Fault> Match(StoreOp op, std::string_view key);
  template <typename R, typename Forward>
  R Apply(StoreOp op, std::string_view key, Forward forward);

  mutable std::mutex mu_;
  std::vector<ArmedRule> rules_;  // Guarded by mu_.
  int64_t injected_ = 0;          // Guarded by mu_.
};

}  // namespace ridesweep::store

#endif  // RIDESWEEP_STORE_FAULT_INJECTING_STORE_H_
