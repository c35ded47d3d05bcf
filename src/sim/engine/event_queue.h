// EventQueue orders pending events by (time ascending, ordinal descending, seq ascending), the total order of
// spec/simulation.md §1.3: at the same millisecond the higher ordinal pops first, and equal (time, kind) pop
// FIFO. seq is a run-wide counter incremented at every schedule call, never an address, and time is an
// integer, so the order never depends on the platform. Cancellation is lazy: stale events are popped and
// recognised by the caller through handle generations and assignment tokens.
// Not thread-safe: one queue per simulation. A 4-ary implicit heap over a reused vector: no per-event allocation.
#ifndef RIDESWEEP_SIM_ENGINE_EVENT_QUEUE_H_
#define RIDESWEEP_SIM_ENGINE_EVENT_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/event.h"
#include "ridesweep/base/check.h"

namespace ridesweep::sim {

class EventQueue {
 public:
  void Reserve(size_t n) { heap_.reserve(n); }
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  uint64_t next_seq() const { return next_seq_; }

  // REQUIRES: !empty().
  const Event& Top() const { return heap_.front(); }

  void Push(uint64_t time_ms, EventKind kind, uint32_t subject, uint32_t token) {
    RIDESWEEP_DCHECK(next_seq_ < (uint64_t{1} << Event::kSeqBits)) << "sequence overflow";
    const uint64_t order = (static_cast<uint64_t>(17 - static_cast<int>(kind)) << Event::kSeqBits) | next_seq_++;
    heap_.push_back(Event{time_ms, order, subject, token});
    SiftUp(heap_.size() - 1);
  }

  // REQUIRES: !empty().
  Event Pop() {
    Event top = heap_.front();
    Event last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) SiftDown(last);
    return top;
  }

 private:
  static constexpr size_t kArity = 4;
  static bool Before(const Event& a, const Event& b) {
    return a.time_ms < b.time_ms || (a.time_ms == b.time_ms && a.order < b.order);
  }
  void SiftUp(size_t i) {
    Event e = heap_[i];
    while (i > 0) {
      const size_t parent = (i - 1) / kArity;
      if (!Before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }
  // Places `e` (the former last element) starting from the root.
  void SiftDown(Event e) {
    const size_t n = heap_.size();
    size_t i = 0;
    for (;;) {
      const size_t first = i * kArity + 1;
      if (first >= n) break;
      size_t best = first;
      const size_t end = first + kArity < n ? first + kArity : n;
      for (size_t c = first + 1; c < end; ++c) {
        if (Before(heap_[c], heap_[best])) best = c;
      }
      if (!Before(heap_[best], e)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = e;
  }

  std::vector<Event> heap_;
  uint64_t next_seq_ = 0;
};

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_ENGINE_EVENT_QUEUE_H_
