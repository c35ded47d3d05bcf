// U13 (clock and event order) of spec/simulation.md §16.1: the EventQueue's total order (§1.3), scheduling
// helpers, the run loop's stop rules and counters (§1.4), stale events (§1.5) and snapshots (§12.2).
#include "engine/event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <vector>

#include "engine/engine.h"
#include "random/rng.h"
#include "tests/world_test_support.h"

namespace ridesweep::sim {
namespace {

using fixtures::HandlerParams;
using fixtures::kC0;
using fixtures::kSec;
using fixtures::Pending;
using fixtures::StepOne;

TEST(EventQueueTest, PopsInTimeOrder) {
  EventQueue q;
  for (uint64_t t : {50u, 10u, 40u, 20u, 30u}) q.Push(t, EventKind::kMoveStep, 0, 0);
  std::vector<uint64_t> times;
  while (!q.empty()) times.push_back(q.Pop().time_ms);
  EXPECT_EQ(times, (std::vector<uint64_t>{10, 20, 30, 40, 50}));
}

TEST(EventQueueTest, SameMsHigherOrdinalFirstThenFifo) {
  EventQueue q;
  q.Push(1'000, EventKind::kSpawnRider, kNoSubject, 0);
  q.Push(1'000, EventKind::kQuoteAccepted, 7, 0);
  q.Push(1'000, EventKind::kQuoteAccepted, 3, 0);
  q.Push(1'000, EventKind::kQuoteAccepted, 5, 0);
  EXPECT_EQ(q.Pop().kind(), EventKind::kQuoteAccepted);
  EXPECT_EQ(q.Pop().subject, 3u);
  EXPECT_EQ(q.Pop().subject, 5u);
  const Event last = q.Pop();
  EXPECT_EQ(last.kind(), EventKind::kSpawnRider);
  EXPECT_EQ(last.seq(), 0u);
  EXPECT_TRUE(q.empty());
}

TEST(EventQueueTest, SameMsSituationsOfSection13) {
  struct Case {
    EventKind first_scheduled;
    EventKind second_scheduled;
    EventKind pops_first;
  } const kCases[] = {
      {EventKind::kSpawnRider, EventKind::kQuoteAccepted, EventKind::kQuoteAccepted},
      {EventKind::kSpawnDriver, EventKind::kBatchMatchRun, EventKind::kBatchMatchRun},
      {EventKind::kSpawnRider, EventKind::kBatchMatchRun, EventKind::kBatchMatchRun},
      {EventKind::kQuoteAccepted, EventKind::kBatchMatchRun, EventKind::kBatchMatchRun},
      {EventKind::kBatchMatchRun, EventKind::kCheckDriverOffDuty, EventKind::kCheckDriverOffDuty},
      {EventKind::kBatchMatchRun, EventKind::kMatchRejected, EventKind::kMatchRejected},
  };
  for (const Case& c : kCases) {
    EventQueue q;
    q.Push(5'000, c.first_scheduled, 0, 0);
    q.Push(5'000, c.second_scheduled, 0, 0);
    EXPECT_EQ(q.Pop().kind(), c.pops_first);
  }
}

TEST(EventQueueTest, RandomisedTotalOrder) {
  Xoshiro256 rng = StreamKeys(99).Stream(StreamPurpose::kSpeed, 0);
  EventQueue q;
  std::vector<std::tuple<uint64_t, int, uint64_t>> expected;  // (time, -ordinal, seq)
  for (uint64_t seq = 0; seq < 5'000; ++seq) {
    const uint64_t t = UniformInt(rng, 0, 40);
    const auto kind = static_cast<EventKind>(UniformInt(rng, 0, 17));
    q.Push(t, kind, static_cast<uint32_t>(seq), 0);
    expected.emplace_back(t, -static_cast<int>(kind), seq);
    // Interleave pops to exercise sift-down on a partly drained heap.
    if (seq % 7 == 6) {
      const Event e = q.Pop();
      const auto it = std::min_element(expected.begin(), expected.end());
      EXPECT_EQ(e.time_ms, std::get<0>(*it));
      EXPECT_EQ(e.seq(), std::get<2>(*it));
      expected.erase(it);
    }
  }
  std::sort(expected.begin(), expected.end());
  for (const auto& [t, neg_ordinal, seq] : expected) {
    const Event e = q.Pop();
    EXPECT_EQ(e.time_ms, t);
    EXPECT_EQ(-static_cast<int>(e.kind()), neg_ordinal);
    EXPECT_EQ(e.seq(), seq);
    EXPECT_EQ(e.subject, static_cast<uint32_t>(seq));
  }
  EXPECT_TRUE(q.empty());
}

TEST(EventQueueTest, SeqIsRunGlobalAndKeepsTokens) {
  EventQueue q;
  q.Push(9, EventKind::kMatchAccepted, 4, 77);
  q.Push(3, EventKind::kDriverDecision, 5, 78);
  EXPECT_EQ(q.next_seq(), 2u);
  const Event a = q.Pop();
  EXPECT_EQ(a.kind(), EventKind::kDriverDecision);
  EXPECT_EQ(a.token, 78u);
  EXPECT_EQ(a.seq(), 1u);
  const Event b = q.Pop();
  EXPECT_EQ(b.token, 77u);
  EXPECT_EQ(b.subject, 4u);
}

TEST(ClockTest, ScheduleInAddsToNowAndSaturates) {
  Engine engine(HandlerParams(), nullptr);
  engine.SetNowForTesting(5'000);
  engine.ScheduleIn(1 * kSec, EventKind::kCheckDriverOffDuty, 0);  // in(1 s) = 1,000 ms.
  engine.ScheduleIn(UINT64_MAX, EventKind::kCheckDriverOffDuty, 1);
  engine.ScheduleIn(0, EventKind::kCheckDriverOffDuty, 2);
  const std::vector<Event> pending = Pending(engine);
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending[0].time_ms, 5'000u);
  EXPECT_EQ(pending[1].time_ms, 6'000u);
  EXPECT_EQ(pending[2].time_ms, UINT64_MAX);
}

TEST(ClockTest, NowFollowsPoppedEvents) {
  Engine engine(HandlerParams(), nullptr);
  // Stale events (no such driver) are processed, counted and leave the world unchanged.
  for (uint64_t t : {3'000u, 1'000u, 2'000u}) engine.Schedule(t, EventKind::kCheckDriverOffDuty, 42);
  std::vector<uint64_t> nows;
  while (engine.Step()) nows.push_back(engine.now());
  EXPECT_EQ(nows, (std::vector<uint64_t>{1'000, 2'000, 3'000}));
  EXPECT_EQ(engine.stats().steps, 3u);
  EXPECT_EQ(engine.stats().stale_events, 3u);
  EXPECT_EQ(engine.stats().events_by_kind[static_cast<size_t>(EventKind::kCheckDriverOffDuty)], 3u);
  EXPECT_EQ(engine.stats().stop_reason, StopReason::kQueueEmpty);
  EXPECT_FALSE(engine.stats().truncated);
}

TEST(ClockTest, SchedulingBeforeNowIsABug) {
  Engine engine(HandlerParams(), nullptr);
  engine.SetNowForTesting(10'000);
  EXPECT_DEBUG_DEATH(engine.Schedule(9'999, EventKind::kCheckDriverOffDuty), "before now");
}

TEST(RunLoopTest, StopsAtEndTimeWithoutPopping) {
  SimParams p = HandlerParams();
  p.simulation_end_time_ms = 10'000;
  Engine engine(p, nullptr);
  engine.Schedule(4'000, EventKind::kCheckDriverOffDuty, 9);
  engine.Schedule(9'999, EventKind::kCheckDriverOffDuty, 9);
  engine.Schedule(10'000, EventKind::kCheckDriverOffDuty, 9);  // At the end: never processed.
  EXPECT_TRUE(engine.Run(nullptr, true).ok());
  EXPECT_EQ(engine.stats().stop_reason, StopReason::kEndTime);
  EXPECT_EQ(engine.stats().steps, 2u);
  EXPECT_EQ(engine.now(), 9'999u);  // now keeps the last processed time.
  EXPECT_EQ(engine.stats().final_now, 9'999u);
  EXPECT_EQ(engine.queue().size(), 1u);
  EXPECT_FALSE(engine.stats().truncated);
}

TEST(RunLoopTest, StepCapSetsTruncated) {
  SimParams p = HandlerParams();
  p.max_steps = 2;
  Engine engine(p, nullptr);
  for (uint64_t t = 0; t < 5; ++t) engine.Schedule(t, EventKind::kCheckDriverOffDuty, 9);
  EXPECT_TRUE(engine.Run(nullptr, false).ok());
  EXPECT_EQ(engine.stats().stop_reason, StopReason::kStepCap);
  EXPECT_TRUE(engine.stats().truncated);
  EXPECT_EQ(engine.stats().steps, 2u);
  EXPECT_EQ(engine.now(), 1u);
  const PointMetrics m = engine.Finish();
  EXPECT_TRUE(m.truncated);
  EXPECT_EQ(m.events_processed, 2);
  EXPECT_EQ(m.final_sim_time_ms, 1);
}

TEST(RunLoopTest, EndTimeWinsOverStepCap) {
  SimParams p = HandlerParams();
  p.max_steps = 1;
  p.simulation_end_time_ms = 100;
  Engine engine(p, nullptr);
  engine.Schedule(50, EventKind::kCheckDriverOffDuty, 9);
  engine.Schedule(100, EventKind::kCheckDriverOffDuty, 9);
  EXPECT_TRUE(engine.Run(nullptr, false).ok());
  EXPECT_EQ(engine.stats().stop_reason, StopReason::kEndTime);
  EXPECT_FALSE(engine.stats().truncated);
}

TEST(RunLoopTest, SimulationStartedSchedulesTheChains) {
  SimParams p;  // Batch mode, default spawning.
  Engine engine(p, nullptr);
  engine.ScheduleStart();
  const Event start = StepOne(engine);
  EXPECT_EQ(start.kind(), EventKind::kSimulationStarted);
  const std::vector<Event> pending = Pending(engine);
  ASSERT_EQ(pending.size(), 4u);
  // Same ms at t = 0: the batch (8) before SpawnDriver (2) before SpawnRider (1).
  EXPECT_EQ(pending[0].kind(), EventKind::kBatchMatchRun);
  EXPECT_EQ(pending[0].time_ms, 0u);
  EXPECT_EQ(pending[1].kind(), EventKind::kSpawnDriver);
  EXPECT_EQ(pending[2].kind(), EventKind::kSpawnRider);
  EXPECT_EQ(pending[2].time_ms, 0u);
  EXPECT_EQ(pending[3].kind(), EventKind::kCheckDriverOffDuty);
  EXPECT_EQ(pending[3].time_ms, 300'000u);
  EXPECT_EQ(pending[3].subject, kNoSubject);
}

TEST(RunLoopTest, OffDutyAndBatchChainsReArm) {
  SimParams p;
  p.num_riders = 0;
  p.num_drivers = 0;
  p.simulation_end_time_ms = 3'600'000;
  Engine engine(p, nullptr);
  engine.ScheduleStart();
  ASSERT_TRUE(engine.Run(nullptr, false).ok());
  // One subject-less tick every 300 s strictly before the end (11 for 1 h), one batch every 5 s from 0.
  EXPECT_EQ(engine.stats().events_by_kind[static_cast<size_t>(EventKind::kCheckDriverOffDuty)], 11u);
  EXPECT_EQ(engine.stats().events_by_kind[static_cast<size_t>(EventKind::kBatchMatchRun)], 720u);
  EXPECT_EQ(engine.stats().events_by_kind[static_cast<size_t>(EventKind::kSpawnRider)], 0u);
  EXPECT_EQ(engine.stats().stop_reason, StopReason::kEndTime);
  EXPECT_EQ(engine.stats().stale_events, 0u);
}

TEST(SnapshotTest, TakenAtEventTimesAtLeastOneIntervalApart) {
  SimParams p = HandlerParams();
  Engine engine(p, nullptr);
  engine.KeepSnapshotsForTesting();
  engine.AddDriver(kC0);
  for (uint64_t t : {0u, 500u, 999u, 1'000u, 1'700u, 1'999u, 2'000u, 5'500u}) {
    engine.Schedule(t, EventKind::kCheckDriverOffDuty, 9);
  }
  while (engine.Step()) {
  }
  std::vector<int64_t> times;
  for (const SnapshotRow& row : engine.snapshots_for_testing()) times.push_back(row.timestamp_ms);
  EXPECT_EQ(times, (std::vector<int64_t>{0, 1'000, 2'000, 5'500}));
  EXPECT_EQ(engine.stats().snapshots_taken, 4u);
  EXPECT_EQ(engine.snapshots_for_testing()[0].drivers_idle, 1);
}

TEST(SnapshotTest, CountsFollowStates) {
  SimParams p = HandlerParams();
  p.behaviour.snapshot_interval_ms = 1;
  Engine engine(p, nullptr);
  engine.KeepSnapshotsForTesting();
  engine.AddRider(kC0, fixtures::E(5));
  engine.AddDriver(kC0);
  engine.AddDriver(kC0);
  engine.mutable_drivers()[1].earnings_target = 0.0;
  engine.Schedule(0, EventKind::kCheckDriverOffDuty);
  StepOne(engine);
  ASSERT_EQ(engine.snapshots_for_testing().size(), 1u);
  const SnapshotRow& row = engine.snapshots_for_testing()[0];
  EXPECT_EQ(row.timestamp_ms, 0);
  EXPECT_EQ(row.riders_browsing, 1);
  EXPECT_EQ(row.riders_waiting, 0);
  EXPECT_EQ(row.drivers_idle, 1);
  EXPECT_EQ(row.drivers_off_duty, 1);
  EXPECT_EQ(row.trips_en_route + row.trips_on_trip + row.trips_completed + row.trips_cancelled, 0);
}

}  // namespace
}  // namespace ridesweep::sim
