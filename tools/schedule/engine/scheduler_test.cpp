#include "engine/scheduler.h"

#include <gtest/gtest.h>

#include "framework/diagnosis.h"

namespace schedule {
namespace {

// upstream's numFeasibleNodesToFind: all below 100, then 50% - n/125 (min 5%), at least 100.
TEST(Scheduler, NumFeasibleNodesToFind) {
  EXPECT_EQ(Scheduler::NumFeasibleNodesToFind(0, 10), 10);
  EXPECT_EQ(Scheduler::NumFeasibleNodesToFind(0, 99), 99);
  EXPECT_EQ(Scheduler::NumFeasibleNodesToFind(0, 100), 100);
  EXPECT_EQ(Scheduler::NumFeasibleNodesToFind(0, 500), 230);
  EXPECT_EQ(Scheduler::NumFeasibleNodesToFind(0, 1000), 420);
  EXPECT_EQ(Scheduler::NumFeasibleNodesToFind(0, 5000), 500);
  EXPECT_EQ(Scheduler::NumFeasibleNodesToFind(0, 6000), 300);
  EXPECT_EQ(Scheduler::NumFeasibleNodesToFind(0, 15000), 750);
  EXPECT_EQ(Scheduler::NumFeasibleNodesToFind(50, 1000), 500);
  EXPECT_EQ(Scheduler::NumFeasibleNodesToFind(1, 1000), 100);
  EXPECT_EQ(Scheduler::NumFeasibleNodesToFind(100, 5000), 5000);
}

TEST(FitError, ReasonsSortedAsStrings) {
  Diagnosis d;
  for (int i = 0; i < 10; ++i) d.node_to_status.Set("a" + std::to_string(i), Status(Code::kUnschedulable, "Insufficient cpu"));
  d.node_to_status.Set("b1", Status(Code::kUnschedulable, "node(s) didn't match pod topology spread constraints"));
  d.node_to_status.Set("b2", Status(Code::kUnschedulable, "node(s) didn't match pod topology spread constraints"));
  // "10 ..." sorts before "2 ...": upstream sorts the formatted strings.
  EXPECT_EQ(FitErrorMessage(12, d),
            "0/12 nodes are available: 10 Insufficient cpu, 2 node(s) didn't match pod topology spread constraints.");
}

TEST(FitError, NodesWithSeveralReasonsCountEach) {
  Diagnosis d;
  d.node_to_status.Set("n1", Status(Code::kUnschedulable, std::vector<std::string>{"Insufficient cpu", "Insufficient memory"}));
  EXPECT_EQ(FitErrorMessage(1, d), "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.");
}

TEST(FitError, AbsentNodesGetTheAbsentStatus) {
  Diagnosis d;
  d.node_to_status.SetAbsent(Status(Code::kUnschedulableAndUnresolvable, "node(s) didn't satisfy plugin(s) [NodeAffinity]"));
  d.node_to_status.Set("n1", Status(Code::kUnschedulable, "Too many pods"));
  EXPECT_EQ(FitErrorMessage(46, d), "0/46 nodes are available: 1 Too many pods, 45 node(s) didn't satisfy plugin(s) [NodeAffinity].");
}

TEST(FitError, PreFilterMessageReplacesNodeCounts) {
  Diagnosis d;
  d.pre_filter_msg = "persistentvolumeclaim \"x\" not found";
  d.node_to_status.SetAbsent(Status(Code::kUnschedulableAndUnresolvable, d.pre_filter_msg));
  d.post_filter_msg = "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
  EXPECT_EQ(FitErrorMessage(3, d),
            "0/3 nodes are available: persistentvolumeclaim \"x\" not found. preemption: 0/3 nodes are available: 3 "
            "Preemption is not helpful for scheduling.");
}

TEST(FitError, EventNoteIsTruncatedTo1024Bytes) {
  std::string long_msg(2000, 'x');
  std::string t = TruncateEventMessage(long_msg);
  EXPECT_EQ(t.size(), 1024u);
  EXPECT_TRUE(t.ends_with(" ..."));
  EXPECT_EQ(TruncateEventMessage("short"), "short");
}

}  // namespace
}  // namespace schedule
