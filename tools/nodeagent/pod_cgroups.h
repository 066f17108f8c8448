// Which cgroup a pod and its containers get and what is written there
// (pkg/kubelet/cm/helpers_linux.go ResourceConfigForPod, and the container
// settings the kubelet hands the runtime).
#pragma once

#include <string>

#include "cgroups.h"
#include "podspec.h"
#include "qos.h"

namespace nodeagent {

struct CgroupPolicy {
  bool cfs_quota = true;          // --cpu-cfs-quota
  int64_t cfs_period_us = 100000; // --cpu-cfs-quota-period
  int64_t pod_pids_limit = -1;    // --pod-max-pids
};

// "kubepods/pod<uid>" (Guaranteed), "kubepods/burstable/pod<uid>",
// "kubepods/besteffort/pod<uid>".
std::string PodCgroupName(const PodSpec& pod);

// The pod cgroup's settings by QoS class: Guaranteed gets shares, quota and
// memory; Burstable gets shares, plus quota only if every container has a
// CPU limit and memory only if every container has a memory limit;
// BestEffort gets the minimum shares. Pids from --pod-max-pids.
CgroupConfig PodCgroupConfig(const PodSpec& pod, const CgroupPolicy& policy);

// A container's own settings: shares from its CPU request (its limit when
// the request is zero), quota from its CPU limit, memory from its limit.
CgroupConfig ContainerCgroupConfig(const ContainerSpec& c, const CgroupPolicy& policy);

}  // namespace nodeagent
