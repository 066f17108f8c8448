#include "cgroups.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "common/file.h"

namespace nodeagent {
namespace {

class CgroupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cgtestXXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Read(const std::string& p) {
    auto r = common::ReadFile(dir_ + "/" + p);
    return r.ok() ? *r : "<missing>";
  }
  std::string dir_;
};

TEST_F(CgroupsTest, DetectsV1WithCoMountedControllers) {
  std::string mi =
      "30 25 0:26 / " + dir_ + "/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct\n"
      "31 25 0:27 / " + dir_ + "/memory rw,nosuid - cgroup cgroup rw,memory\n"
      "32 25 0:28 / " + dir_ + "/pids rw,nosuid - cgroup cgroup rw,pids\n"
      "33 25 0:29 / " + dir_ + "/unified rw - cgroup2 cgroup2 rw\n";
  std::string self = "4:memory:/session/abc\n3:cpu,cpuacct:/\n2:pids:/\n0::/\n";
  ASSERT_TRUE(common::MakeDirs(dir_ + "/unified").ok());
  ASSERT_TRUE(common::WriteFileAtomic(dir_ + "/unified/cgroup.controllers", "hugetlb\n").ok());
  auto abs = DetectCgroups("/", mi, self);
  ASSERT_TRUE(abs.ok()) << abs.status().message();
  EXPECT_EQ(abs->version, 1);
  EXPECT_EQ(abs->v1.at("cpu"), dir_ + "/cpu,cpuacct");
  EXPECT_EQ(abs->v1.at("cpuacct"), dir_ + "/cpu,cpuacct");
  EXPECT_EQ(abs->v1.at("memory"), dir_ + "/memory");
  // A relative root hangs under this process's own cgroup in each hierarchy.
  auto rel = DetectCgroups("kubix-test", mi, self);
  ASSERT_TRUE(rel.ok());
  EXPECT_EQ(rel->v1.at("memory"), dir_ + "/memory/session/abc/kubix-test");
  EXPECT_EQ(rel->v1.at("cpu"), dir_ + "/cpu,cpuacct/kubix-test");
  EXPECT_FALSE(DetectCgroups("/", "", self).ok());
}

TEST_F(CgroupsTest, DetectsV2WhenItHasTheControllers) {
  ASSERT_TRUE(common::WriteFileAtomic(dir_ + "/cgroup.controllers", "cpuset cpu io memory pids\n").ok());
  std::string mi = "30 25 0:26 / " + dir_ + " rw,nosuid - cgroup2 cgroup2 rw\n";
  auto l = DetectCgroups("/kubix", mi, "0::/system.slice/nodeagent.service\n");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->version, 2);
  EXPECT_EQ(l->v2, dir_ + "/kubix");
  auto rel = DetectCgroups("pods", mi, "0::/system.slice/nodeagent.service\n");
  EXPECT_EQ(rel->v2, dir_ + "/system.slice/nodeagent.service/pods");
}

TEST_F(CgroupsTest, WritesV1Files) {
  CgroupLayout l;
  l.version = 1;
  l.v1 = {{"cpu", dir_ + "/cpu"}, {"memory", dir_ + "/memory"}, {"pids", dir_ + "/pids"}};
  CgroupManager m(l);
  CgroupConfig c;
  c.cpu_shares = 102;
  c.cpu_quota_us = 50000;
  c.memory_limit = 64 << 20;
  c.pids_limit = 100;
  ASSERT_TRUE(m.Ensure("kubepods/burstable/podu1", c).ok());
  EXPECT_EQ(Read("cpu/kubepods/burstable/podu1/cpu.shares"), "102");
  EXPECT_EQ(Read("cpu/kubepods/burstable/podu1/cpu.cfs_period_us"), "100000");
  EXPECT_EQ(Read("cpu/kubepods/burstable/podu1/cpu.cfs_quota_us"), "50000");
  EXPECT_EQ(Read("memory/kubepods/burstable/podu1/memory.limit_in_bytes"), "67108864");
  EXPECT_EQ(Read("pids/kubepods/burstable/podu1/pids.max"), "100");
  CgroupConfig unlimited;
  unlimited.cpu_quota_us = 0;
  unlimited.memory_limit = -1;
  unlimited.pids_limit = -1;
  ASSERT_TRUE(m.Apply("kubepods/burstable/podu1", unlimited).ok());
  EXPECT_EQ(Read("cpu/kubepods/burstable/podu1/cpu.cfs_quota_us"), "-1");
  EXPECT_EQ(Read("memory/kubepods/burstable/podu1/memory.limit_in_bytes"), "-1");
  EXPECT_EQ(Read("pids/kubepods/burstable/podu1/pids.max"), "max");
  EXPECT_EQ(m.ProcsFiles("kubepods").size(), 3u);
}

TEST_F(CgroupsTest, WritesV2FilesAndEnablesControllers) {
  ASSERT_TRUE(common::WriteFileAtomic(dir_ + "/cgroup.controllers", "cpu memory pids\n").ok());
  CgroupLayout l;
  l.version = 2;
  l.v2 = dir_;
  CgroupManager m(l);
  CgroupConfig c;
  c.cpu_shares = 1024;
  c.cpu_quota_us = 150000;
  c.memory_limit = 1 << 30;
  ASSERT_TRUE(m.Ensure("kubepods", c).ok());
  EXPECT_EQ(Read("cgroup.subtree_control"), "+cpu +memory +pids");
  EXPECT_EQ(Read("kubepods/cpu.weight"), "39");
  EXPECT_EQ(Read("kubepods/cpu.max"), "150000 100000");
  EXPECT_EQ(Read("kubepods/memory.max"), "1073741824");
  CgroupConfig none;
  none.cpu_quota_us = 0;
  none.memory_limit = -1;
  ASSERT_TRUE(m.Apply("kubepods", none).ok());
  EXPECT_EQ(Read("kubepods/cpu.max"), "max 100000");
  EXPECT_EQ(Read("kubepods/memory.max"), "max");
}

TEST_F(CgroupsTest, ErrorsNameTheFile) {
  CgroupLayout l;
  l.version = 1;
  l.v1 = {{"cpu", dir_ + "/cpu"}, {"memory", dir_ + "/memory"}};
  CgroupManager m(l);
  ASSERT_TRUE(common::MakeDirs(dir_ + "/cpu/x").ok());
  ASSERT_TRUE(common::MakeDirs(dir_ + "/cpu/x/cpu.shares").ok());  // a directory: writes fail
  CgroupConfig c;
  c.cpu_shares = 2;
  auto st = m.Apply("x", c);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cpu.shares"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace nodeagent
