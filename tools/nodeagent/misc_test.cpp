// Tests of the small pure helpers: durations, $(VAR) expansion, IPAM,
// eviction thresholds and ranking, taints.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "admission.h"
#include "duration.h"
#include "env.h"
#include "eviction.h"
#include "ipam.h"

namespace nodeagent {
namespace {

TEST(Duration, ParsesGoSyntax) {
  EXPECT_EQ(*ParseDuration("10s"), std::chrono::seconds(10));
  EXPECT_EQ(*ParseDuration("1m30s"), std::chrono::seconds(90));
  EXPECT_EQ(*ParseDuration("100ms"), std::chrono::milliseconds(100));
  EXPECT_EQ(*ParseDuration("1.5h"), std::chrono::minutes(90));
  EXPECT_EQ(*ParseDuration("0"), std::chrono::seconds(0));
  EXPECT_EQ(*ParseDuration("-2s"), std::chrono::seconds(-2));
  EXPECT_EQ(ParseDuration("10").status().message(), "time: missing unit in duration \"10\"");
  EXPECT_EQ(ParseDuration("5x").status().message(), "time: unknown unit \"x\" in duration \"5x\"");
  EXPECT_FALSE(ParseDuration("").ok());
  EXPECT_EQ(FormatDuration(std::chrono::seconds(10)), "10s");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(300)), "5m0s");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(1500)), "1.5s");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(100)), "100ms");
}

TEST(Expand, UpstreamRules) {
  std::map<std::string, std::string> v = {{"A", "x"}, {"B", "$(A)"}};
  EXPECT_EQ(Expand("$(A)-$(A)", v), "x-x");
  EXPECT_EQ(Expand("$(C)", v), "$(C)");      // undefined stays
  EXPECT_EQ(Expand("$$(A)", v), "$(A)");     // escaped
  EXPECT_EQ(Expand("$$", v), "$");
  EXPECT_EQ(Expand("a$b", v), "a$b");
  EXPECT_EQ(Expand("$(A", v), "$(A");        // unterminated
  EXPECT_EQ(Expand("$(B)", v), "$(A)");      // no recursion
  EXPECT_EQ(Expand("end$", v), "end$");
}

TEST(Env, ResolvesValueFromAndOrder) {
  auto pod = ParsePod(*common::ParseJson(R"J({"metadata":{"name":"p","namespace":"ns","uid":"u",
    "labels":{"app":"web"}},"spec":{"containers":[{"name":"c","command":["echo","$(GREETING)"],
    "args":["$(POD_IP)","$$(KEEP)"],
    "resources":{"limits":{"memory":"64Mi","cpu":"250m"}},
    "env":[{"name":"NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
           {"name":"APP","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}},
           {"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}},
           {"name":"MEM","valueFrom":{"resourceFieldRef":{"resource":"limits.memory","divisor":"1Mi"}}},
           {"name":"CPU","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu"}}},
           {"name":"GREETING","value":"hi $(NAME)"}]}]}})J"));
  ASSERT_TRUE(pod.ok());
  DownwardContext ctx;
  ctx.pod_ip = "10.1.0.5";
  auto env = ResolveEnv(*pod, pod->containers[0], ctx, nullptr);
  ASSERT_TRUE(env.ok()) << env.status().message();
  EXPECT_EQ(env->env, (std::vector<std::string>{"NAME=p", "APP=web", "POD_IP=10.1.0.5", "MEM=64",
                                                "CPU=1", "GREETING=hi p"}));
  EXPECT_EQ(env->command, (std::vector<std::string>{"echo", "hi p"}));
  EXPECT_EQ(env->args, (std::vector<std::string>{"10.1.0.5", "$(KEEP)"}));
}

TEST(Env, MissingConfigMapIsAnError) {
  auto pod = ParsePod(*common::ParseJson(R"J({"metadata":{"name":"p","namespace":"ns"},"spec":{"containers":[
    {"name":"c","env":[{"name":"X","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"k"}}},
                       {"name":"Y","valueFrom":{"secretKeyRef":{"name":"s","key":"k","optional":true}}}]}]}})J"));
  ASSERT_TRUE(pod.ok());
  auto env = ResolveEnv(*pod, pod->containers[0], DownwardContext{}, nullptr);
  EXPECT_EQ(env.status().message(), "configmap \"cfg\" not found");
  ObjectLookup lookup = [](const std::string& kind, const std::string&, const std::string& name)
      -> common::Result<std::optional<common::Json>> {
    if (kind == "ConfigMap" && name == "cfg") return std::optional<common::Json>(common::Json{{"data", {{"k", "v"}}}});
    return std::optional<common::Json>();
  };
  auto ok = ResolveEnv(*pod, pod->containers[0], DownwardContext{}, lookup);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->env, std::vector<std::string>{"X=v"});
}

TEST(Ipam, AllocatesSkipsReservedAndReleases) {
  char tmpl[] = "/tmp/ipamXXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  auto cidr = Ipv4Cidr::Parse("10.9.0.7/29");
  ASSERT_TRUE(cidr.ok());
  EXPECT_EQ(cidr->String(), "10.9.0.0/29");
  EXPECT_EQ(FormatIpv4(cidr->Gateway()), "10.9.0.1");
  Ipam ipam(*cidr, tmpl);
  std::vector<std::string> got;
  for (int i = 0; i < 5; ++i) got.push_back(*ipam.Allocate("pod" + std::to_string(i)));
  EXPECT_EQ(got, (std::vector<std::string>{"10.9.0.2", "10.9.0.3", "10.9.0.4", "10.9.0.5", "10.9.0.6"}));
  EXPECT_EQ(*ipam.Allocate("pod2"), "10.9.0.4");  // same owner, same address
  EXPECT_FALSE(ipam.Allocate("pod9").ok());      // .7 is the broadcast address
  ipam.Release("pod1");
  EXPECT_EQ(*ipam.Allocate("pod9"), "10.9.0.3");
  EXPECT_FALSE(Ipv4Cidr::Parse("10.0.0.0").ok());
  EXPECT_FALSE(Ipv4Cidr::Parse("10.0.0.0/33").ok());
  std::filesystem::remove_all(tmpl);
}

TEST(Eviction, ParsesThresholds) {
  auto t = ParseThresholds("memory.available<100Mi,nodefs.available<10%,nodefs.inodesFree<5%");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 3u);
  EXPECT_EQ((*t)[0].Value(1 << 30), 100 << 20);
  EXPECT_EQ((*t)[1].Value(1000), 100);
  EXPECT_EQ(ConditionFor("nodefs.inodesFree"), "DiskPressure");
  EXPECT_EQ(ConditionFor("memory.available"), "MemoryPressure");
  EXPECT_EQ(ConditionFor("pid.available"), "PIDPressure");
  EXPECT_FALSE(ParseThresholds("memory.available>1Gi").ok());
  EXPECT_FALSE(ParseThresholds("cpu.available<1").ok());
  EXPECT_FALSE(ParseThresholds("nodefs.available<120%").ok());
}

TEST(Eviction, RanksLikeUpstream) {
  std::vector<EvictionCandidate> pods = {
      {"guaranteed-ish", 0, 100, 200},   // under its request
      {"besteffort-big", 0, 500, 0},     // over by 500
      {"burstable-small", 0, 150, 100},  // over by 50
      {"high-priority", 1000, 900, 0},   // over by 900 but higher priority
      {"low-priority-under", -10, 10, 100}};
  auto order = RankMemoryPressure(pods);
  std::vector<std::string> names;
  for (auto i : order) names.push_back(pods[i].uid);
  EXPECT_EQ(names, (std::vector<std::string>{"besteffort-big", "burstable-small", "high-priority",
                                             "low-priority-under", "guaranteed-ish"}));
}

TEST(Eviction, PressureIsSticky) {
  PressureCondition c;
  EXPECT_TRUE(c.Observe(true, 0, 300));
  EXPECT_TRUE(c.Observe(false, 100, 300));
  EXPECT_TRUE(c.Observe(false, 299, 300));
  EXPECT_FALSE(c.Observe(false, 300, 300));
}

TEST(Taints, ParseAndTolerate) {
  auto t = ParseTaints("dedicated=gpu:NoSchedule,maint:NoExecute");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ((*t)[0].key, "dedicated");
  EXPECT_EQ((*t)[0].value, "gpu");
  EXPECT_EQ((*t)[1].effect, "NoExecute");
  EXPECT_FALSE(ParseTaints("a=b:Sometimes").ok());
  EXPECT_FALSE(ParseTaints("nokey").ok());
  EXPECT_TRUE(Tolerates({{"maint", "Exists", "", "", {}}}, (*t)[1]));
  EXPECT_TRUE(Tolerates({{"", "Exists", "", "", {}}}, (*t)[1]));
  EXPECT_FALSE(Tolerates({{"maint", "Exists", "", "NoSchedule", {}}}, (*t)[1]));
  EXPECT_TRUE(Tolerates({{"dedicated", "Equal", "gpu", "", {}}}, (*t)[0]));
  EXPECT_FALSE(Tolerates({{"dedicated", "Equal", "cpu", "", {}}}, (*t)[0]));
}

}  // namespace
}  // namespace nodeagent
