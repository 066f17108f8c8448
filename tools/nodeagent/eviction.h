// Node-pressure eviction (pkg/kubelet/eviction): hard thresholds on eviction
// signals, the node conditions they raise, and the order pods are evicted in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace nodeagent {

// One --eviction-hard entry: "memory.available<100Mi", "nodefs.available<10%".
struct Threshold {
  std::string signal;       // memory.available, nodefs.available, nodefs.inodesFree, imagefs.*, pid.available
  int64_t quantity = -1;    // absolute, in bytes or count; -1 when a percentage
  double percentage = 0;    // of capacity, 0..1

  // The threshold in absolute terms for a resource of `capacity`.
  int64_t Value(int64_t capacity) const;
};

common::Result<std::vector<Threshold>> ParseThresholds(const std::string& text);

// The node condition a signal drives ("MemoryPressure", "DiskPressure",
// "PIDPressure").
std::string ConditionFor(const std::string& signal);

// What the ranking knows about one evictable pod.
struct EvictionCandidate {
  std::string uid;
  int32_t priority = 0;
  int64_t memory_usage = 0;    // working set of the pod's cgroup
  int64_t memory_request = 0;
};

// Orders pods for memory pressure the way rankMemoryPressure does: those
// using more than they requested first, then lower priority first, then by
// how far usage exceeds the request (most first). Returns the indices.
std::vector<size_t> RankMemoryPressure(const std::vector<EvictionCandidate>& pods);

// Sticky pressure: a condition observed true stays true until it has been
// clear for the transition period (evictionPressureTransitionPeriod).
class PressureCondition {
 public:
  // Records an observation at `now_s` (seconds) and returns the condition.
  bool Observe(bool pressure, double now_s, double transition_s);
  bool value() const { return value_; }

 private:
  bool value_ = false;
  double last_seen_ = -1e18;
};

}  // namespace nodeagent
