#include "pod_cgroups.h"

#include "cgroup_math.h"
#include "resources.h"

namespace nodeagent {

std::string PodCgroupName(const PodSpec& pod) {
  switch (PodQos(pod)) {
    case QosClass::kGuaranteed: return "kubepods/pod" + pod.uid;
    case QosClass::kBurstable: return "kubepods/burstable/pod" + pod.uid;
    case QosClass::kBestEffort: return "kubepods/besteffort/pod" + pod.uid;
  }
  return "kubepods/pod" + pod.uid;
}

CgroupConfig PodCgroupConfig(const PodSpec& pod, const CgroupPolicy& policy) {
  ResourceList reqs = PodRequests(pod), limits = PodLimits(pod);
  bool cpu_limits_declared = true, memory_limits_declared = true;
  for (const ContainerSpec* c : pod.AllContainers()) {
    if (c->resources.CpuLimitMilli() == 0) cpu_limits_declared = false;
    if (c->resources.MemoryLimit() == 0) memory_limits_declared = false;
  }
  int64_t shares = MilliCpuToShares(MilliCpu(reqs));
  int64_t quota = MilliCpuToQuota(MilliCpu(limits), policy.cfs_period_us);
  int64_t memory = MemoryBytes(limits);

  CgroupConfig c;
  c.cpu_period_us = policy.cfs_period_us;
  switch (PodQos(pod)) {
    case QosClass::kGuaranteed:
      c.cpu_shares = shares;
      if (policy.cfs_quota) c.cpu_quota_us = quota;
      c.memory_limit = memory;
      break;
    case QosClass::kBurstable:
      c.cpu_shares = shares;
      if (cpu_limits_declared && policy.cfs_quota) c.cpu_quota_us = quota;
      if (memory_limits_declared) c.memory_limit = memory;
      break;
    case QosClass::kBestEffort:
      c.cpu_shares = kMinShares;
      break;
  }
  if (policy.pod_pids_limit > 0) c.pids_limit = policy.pod_pids_limit;
  return c;
}

CgroupConfig ContainerCgroupConfig(const ContainerSpec& ctr, const CgroupPolicy& policy) {
  CgroupConfig c;
  c.cpu_period_us = policy.cfs_period_us;
  int64_t request = ctr.resources.CpuRequestMilli(), limit = ctr.resources.CpuLimitMilli();
  c.cpu_shares = MilliCpuToShares(request == 0 && limit > 0 ? limit : request);
  if (policy.cfs_quota && limit > 0) c.cpu_quota_us = MilliCpuToQuota(limit, policy.cfs_period_us);
  if (ctr.resources.MemoryLimit() > 0) c.memory_limit = ctr.resources.MemoryLimit();
  return c;
}

}  // namespace nodeagent
