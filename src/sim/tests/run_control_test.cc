// RunControl: a raised cancel flag or a should_stop callback stops a run with kCancelled.
#include <gtest/gtest.h>

#include <atomic>

#include "ridesweep/sim/scenarios.h"
#include "ridesweep/sim/simulation.h"

namespace ridesweep::sim {
namespace {

TEST(RunControlTest, ShouldStopCallbackCancelsTheRun) {
  SimParams p = *FindScenario("example-large");  // 158k events: polled every 8,192.
  int polls = 0;
  RunControl control;
  control.should_stop = [&] { return ++polls >= 1; };
  auto result = RunSimulation(p, nullptr, control);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(polls, 1);
}

TEST(RunControlTest, ShouldStopReturningFalseChangesNothing) {
  SimParams p = *FindScenario("bench-small");
  RunControl control;
  control.should_stop = [] { return false; };
  auto with = RunSimulation(p, nullptr, control);
  auto without = RunSimulation(p);
  ASSERT_TRUE(with.ok());
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(with->metrics, without->metrics);
}

}  // namespace
}  // namespace ridesweep::sim
