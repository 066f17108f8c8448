#include "cgroup_math.h"

#include <gtest/gtest.h>

#include "pod_cgroups.h"

namespace nodeagent {
namespace {

TEST(CgroupMath, SharesFromMillicores) {
  EXPECT_EQ(MilliCpuToShares(0), 2);       // no request: the minimum
  EXPECT_EQ(MilliCpuToShares(1), 2);       // 1*1024/1000 = 1, clamped up
  EXPECT_EQ(MilliCpuToShares(2), 2);
  EXPECT_EQ(MilliCpuToShares(3), 3);
  EXPECT_EQ(MilliCpuToShares(100), 102);   // 102.4 truncated
  EXPECT_EQ(MilliCpuToShares(250), 256);
  EXPECT_EQ(MilliCpuToShares(1000), 1024);
  EXPECT_EQ(MilliCpuToShares(4000), 4096);
  EXPECT_EQ(MilliCpuToShares(1000000), 262144);  // clamped to the maximum
}

TEST(CgroupMath, QuotaFromMillicores) {
  EXPECT_EQ(MilliCpuToQuota(0, 100000), 0);         // no limit
  EXPECT_EQ(MilliCpuToQuota(500, 100000), 50000);
  EXPECT_EQ(MilliCpuToQuota(1500, 100000), 150000);
  EXPECT_EQ(MilliCpuToQuota(1, 100000), 1000);      // at least 1 ms
  EXPECT_EQ(MilliCpuToQuota(10, 100000), 1000);
  EXPECT_EQ(MilliCpuToQuota(250, 50000), 12500);    // another period
}

TEST(CgroupMath, V1SharesToV2Weight) {
  // KEP-2254: [2, 262144] maps linearly onto [1, 10000].
  EXPECT_EQ(SharesToWeight(2), 1);
  EXPECT_EQ(SharesToWeight(262144), 10000);
  EXPECT_EQ(SharesToWeight(1024), 39);   // 1 + 1022*9999/262142
  EXPECT_EQ(SharesToWeight(102), 4);     // 100m
  EXPECT_EQ(SharesToWeight(1), 1);       // clamped
  EXPECT_EQ(SharesToWeight(1 << 30), 10000);
}

TEST(CgroupMath, CpuMaxLine) {
  EXPECT_EQ(CpuMaxLine(50000, 100000), "50000 100000");
  EXPECT_EQ(CpuMaxLine(0, 100000), "max 100000");
}

PodSpec Pod(const std::string& json) {
  auto j = common::ParseJson(json);
  EXPECT_TRUE(j.ok());
  auto p = ParsePod(*j);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return *p;
}

TEST(PodCgroups, GuaranteedGetsEverything) {
  PodSpec p = Pod(R"({"metadata":{"name":"g","uid":"u1"},"spec":{"containers":[
    {"name":"a","resources":{"limits":{"cpu":"500m","memory":"64Mi"}}},
    {"name":"b","resources":{"limits":{"cpu":"250m","memory":"32Mi"}}}]}})");
  EXPECT_EQ(PodCgroupName(p), "kubepods/podu1");
  CgroupConfig c = PodCgroupConfig(p, CgroupPolicy{});
  EXPECT_EQ(c.cpu_shares, 768);
  EXPECT_EQ(c.cpu_quota_us, 75000);
  EXPECT_EQ(c.memory_limit, 96 << 20);
  EXPECT_FALSE(c.pids_limit.has_value());
}

TEST(PodCgroups, BurstableGetsLimitsOnlyWhenEveryContainerHasThem) {
  PodSpec p = Pod(R"({"metadata":{"name":"b","uid":"u2"},"spec":{"containers":[
    {"name":"a","resources":{"requests":{"cpu":"100m"},"limits":{"cpu":"1","memory":"64Mi"}}},
    {"name":"b","resources":{"requests":{"memory":"16Mi"}}}]}})");
  EXPECT_EQ(PodCgroupName(p), "kubepods/burstable/podu2");
  CgroupConfig c = PodCgroupConfig(p, CgroupPolicy{.pod_pids_limit = 100});
  EXPECT_EQ(c.cpu_shares, 102);
  EXPECT_FALSE(c.cpu_quota_us.has_value());   // b has no cpu limit
  EXPECT_FALSE(c.memory_limit.has_value());   // b has no memory limit
  EXPECT_EQ(c.pids_limit, 100);
}

TEST(PodCgroups, BestEffortGetsMinimumShares) {
  PodSpec p = Pod(R"({"metadata":{"name":"e","uid":"u3"},"spec":{"containers":[{"name":"a"}]}})");
  EXPECT_EQ(PodCgroupName(p), "kubepods/besteffort/podu3");
  CgroupConfig c = PodCgroupConfig(p, CgroupPolicy{});
  EXPECT_EQ(c.cpu_shares, 2);
  EXPECT_FALSE(c.cpu_quota_us.has_value());
  EXPECT_FALSE(c.memory_limit.has_value());
}

TEST(PodCgroups, InitContainersRaiseThePodLimit) {
  // The seed's example: CPU 3 from the two containers, memory 3Gi from an init container.
  PodSpec p = Pod(R"({"metadata":{"name":"s","uid":"u4"},"spec":{
    "containers":[{"name":"n1","resources":{"limits":{"cpu":"2","memory":"1Gi"}}},
                  {"name":"n2","resources":{"limits":{"cpu":"1","memory":"1Gi"}}}],
    "initContainers":[{"name":"i1","resources":{"limits":{"cpu":"2","memory":"3Gi"}}},
                      {"name":"i2","resources":{"limits":{"cpu":"2","memory":"1Gi"}}}]}})");
  CgroupConfig c = PodCgroupConfig(p, CgroupPolicy{});
  EXPECT_EQ(c.cpu_quota_us, 300000);
  EXPECT_EQ(c.memory_limit, int64_t{3} << 30);
  EXPECT_EQ(c.cpu_shares, 3072);
}

TEST(PodCgroups, ContainerSharesFallBackToTheLimit) {
  ContainerSpec c;
  c.resources.limits["cpu"] = *common::Quantity::Parse("2");
  CgroupConfig cfg = ContainerCgroupConfig(c, CgroupPolicy{});
  EXPECT_EQ(cfg.cpu_shares, 2048);
  EXPECT_EQ(cfg.cpu_quota_us, 200000);
  CgroupConfig noquota = ContainerCgroupConfig(c, CgroupPolicy{.cfs_quota = false});
  EXPECT_FALSE(noquota.cpu_quota_us.has_value());
}

}  // namespace
}  // namespace nodeagent
