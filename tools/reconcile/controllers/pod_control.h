// What the workload controllers share about pods: making one from a
// template, creating many in slow-start batches, and upstream's ranking of
// which pods to delete first on scale-down.
#pragma once

#include <functional>
#include <vector>

#include "common/status.h"
#include "common/thread_pool.h"
#include "../kube.h"

namespace reconcile {

// Runs fn(0) .. fn(n-1) on `pool` and waits for all; returns their statuses
// in index order. REQUIRES: not called from a thread of `pool`.
std::vector<common::Status> RunParallel(common::ThreadPool& pool, int n,
                                        const std::function<common::Status(int)>& fn);

struct SlowStartResult {
  int successes = 0;
  common::Status error;  // the first error of the batch that failed
};
// Calls fn `count` times in batches of initial, 2*initial, 4*initial...,
// each batch in parallel, stopping after the first batch with an error
// (controller.slowStartBatch): a controller whose creates are refused (quota,
// admission) wastes about one call per sync instead of `count`.
SlowStartResult SlowStartBatch(common::ThreadPool& pool, int count, int initial_batch,
                               const std::function<common::Status(int)>& fn);

// The pod a controller creates from `pod_template` (a PodTemplateSpec):
// template labels, annotations and finalizers, generateName "<owner>-",
// the owner's namespace and `controller_ref` (controller.GetPodFromTemplate).
Json PodFromTemplate(const Json& pod_template, const Json& owner, const Json& controller_ref);

// The `n` pods to delete first, in order (controller.ActivePodsWithRanks):
// unassigned before assigned; Pending, Unknown, then Running; not ready
// before ready; lower controller.kubernetes.io/pod-deletion-cost first; more
// active `related` pods on the same node first; ready for a shorter time
// first; more container restarts first; newer first. Times are compared in
// log2 buckets of their age (LogarithmicScaleDown, GA in 1.31), ties broken
// by UID.
std::vector<ObjectPtr> PodsToDelete(std::vector<ObjectPtr> pods,
                                    const std::vector<ObjectPtr>& related, size_t n,
                                    common::TimePoint now);

}  // namespace reconcile
