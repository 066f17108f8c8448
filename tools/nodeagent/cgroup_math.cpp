#include "cgroup_math.h"

#include <algorithm>

namespace nodeagent {

int64_t MilliCpuToShares(int64_t milli_cpu) {
  if (milli_cpu <= 0) return kMinShares;
  // Integer division as upstream: 1m gives 1 share, clamped up to 2.
  int64_t shares = milli_cpu * kSharesPerCpu / kMilliCpuToCpu;
  return std::clamp(shares, kMinShares, kMaxShares);
}

int64_t MilliCpuToQuota(int64_t milli_cpu, int64_t period_us) {
  if (milli_cpu <= 0) return 0;
  int64_t quota = milli_cpu * period_us / kMilliCpuToCpu;
  return std::max(quota, kMinQuotaPeriodUs);
}

int64_t SharesToWeight(int64_t shares) {
  shares = std::clamp(shares, kMinShares, kMaxShares);
  return 1 + ((shares - 2) * 9999) / 262142;
}

std::string CpuMaxLine(int64_t quota_us, int64_t period_us) {
  return (quota_us > 0 ? std::to_string(quota_us) : std::string("max")) + " " +
         std::to_string(period_us);
}

}  // namespace nodeagent
