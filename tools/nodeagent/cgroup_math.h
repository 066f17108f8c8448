// The kubelet's arithmetic from resource requests and limits to cgroup
// settings (pkg/kubelet/cm/helpers_linux.go, KEP-2254 for cgroup v2).
#pragma once

#include <cstdint>
#include <string>

namespace nodeagent {

inline constexpr int64_t kMinShares = 2;
inline constexpr int64_t kMaxShares = 262144;
inline constexpr int64_t kSharesPerCpu = 1024;
inline constexpr int64_t kMilliCpuToCpu = 1000;
// The smallest CFS quota the kubelet writes: 1 ms per period.
inline constexpr int64_t kMinQuotaPeriodUs = 1000;
// cpuCFSQuotaPeriod's default: 100 ms.
inline constexpr int64_t kDefaultCfsPeriodUs = 100000;

// cpu.shares for a CPU request in millicores: request*1024/1000, clamped to
// [2, 262144]; no request (0) gives the minimum 2.
int64_t MilliCpuToShares(int64_t milli_cpu);

// The CFS quota in microseconds per `period_us` for a CPU limit in
// millicores: limit*period/1000, at least 1000 us. 0 (no limit) returns 0,
// which callers write as "unlimited" (-1 on v1, "max" on v2).
int64_t MilliCpuToQuota(int64_t milli_cpu, int64_t period_us);

// cgroup v2 cpu.weight from v1 cpu.shares: 1 + ((shares-2)*9999)/262142,
// which maps [2, 262144] onto [1, 10000] (shares outside are clamped).
int64_t SharesToWeight(int64_t shares);

// The cpu.max line of cgroup v2: "<quota> <period>" or "max <period>".
std::string CpuMaxLine(int64_t quota_us, int64_t period_us);

}  // namespace nodeagent
