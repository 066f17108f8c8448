#include <gtest/gtest.h>

#include "cidr.h"
#include "taints.h"
#include "test_env.h"

namespace reconcile {
namespace {

using namespace std::chrono_literals;
using testing::TestEnv;

TEST(Cidr, AllocatesNodeRangesInOrderAndSkipsTheServiceRange) {
  auto range = ParseCidr("10.244.0.0/16");
  ASSERT_TRUE(range.ok());
  auto set = CidrSet::Make(*range, 24);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->AllocateNext()->String(), "10.244.0.0/24");
  ASSERT_TRUE(set->Occupy(*ParseCidr("10.244.1.0/24")).ok());
  set->Exclude(*ParseCidr("10.244.2.128/25"));  // a service range inside
  EXPECT_EQ(set->AllocateNext()->String(), "10.244.3.0/24");
  EXPECT_FALSE(set->Occupy(*ParseCidr("10.245.0.0/24")).ok());
  EXPECT_FALSE(set->Occupy(*ParseCidr("10.244.4.0/25")).ok());
  EXPECT_EQ(set->Free(), 256u - 4);

  auto tiny = CidrSet::Make(*ParseCidr("192.168.0.0/30"), 31);
  ASSERT_TRUE(tiny.ok());
  EXPECT_TRUE(tiny->AllocateNext().ok());
  auto last = tiny->AllocateNext();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->String(), "192.168.0.2/31");
  EXPECT_EQ(tiny->AllocateNext().status().code(), common::Code::kUnavailable);
  tiny->Release(*last);
  EXPECT_EQ(tiny->AllocateNext()->String(), "192.168.0.2/31");

  auto v6 = CidrSet::Make(*ParseCidr("fd00:10:244::/56"), 64);
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->AllocateNext()->String(), "fd00:10:244::/64");
  EXPECT_EQ(v6->AllocateNext()->String(), "fd00:10:244:1::/64");

  EXPECT_FALSE(CidrSet::Make(*range, 8).ok());
  EXPECT_FALSE(ParseCidr("10.0.0.0").ok());
  EXPECT_FALSE(ParseCidr("10.0.0.0/33").ok());
  EXPECT_EQ(ParseCidr("10.1.2.3/8")->String(), "10.0.0.0/8");
}

TEST(Cidr, LoadBalancerPools) {
  auto pool = IpPool::Parse("192.168.100.10-192.168.100.12");
  ASSERT_TRUE(pool.ok());
  EXPECT_EQ(pool->Allocate({}), "192.168.100.10");
  EXPECT_EQ(pool->Allocate({"192.168.100.10", "192.168.100.11"}), "192.168.100.12");
  EXPECT_EQ(pool->Allocate({"192.168.100.10", "192.168.100.11", "192.168.100.12"}), std::nullopt);
  EXPECT_TRUE(pool->Contains("192.168.100.11"));
  EXPECT_FALSE(pool->Contains("192.168.100.13"));
  auto cidr = IpPool::Parse("10.9.0.0/30");
  ASSERT_TRUE(cidr.ok());
  EXPECT_EQ(cidr->Allocate({}), "10.9.0.1");  // not the network address
  EXPECT_EQ(cidr->Allocate({"10.9.0.1"}), "10.9.0.2");
  EXPECT_EQ(cidr->Allocate({"10.9.0.1", "10.9.0.2"}), std::nullopt);  // nor the broadcast
  EXPECT_FALSE(IpPool::Parse("nonsense").ok());
  EXPECT_FALSE(IpPool::Parse("10.0.0.5-10.0.0.1").ok());
}

TEST(Taints, TolerationsAndEvictionTimes) {
  Json unreachable = {{"key", kTaintUnreachable}, {"effect", "NoExecute"},
                      {"timeAdded", "2024-01-01T00:00:00Z"}};
  EXPECT_TRUE(Tolerates(Json{{"operator", "Exists"}}, unreachable));
  EXPECT_TRUE(Tolerates(Json{{"key", kTaintUnreachable}, {"operator", "Exists"}}, unreachable));
  EXPECT_FALSE(Tolerates(Json{{"key", kTaintUnreachable}, {"operator", "Exists"}, {"effect", "NoSchedule"}},
                         unreachable));
  EXPECT_FALSE(Tolerates(Json{{"key", "other"}, {"operator", "Exists"}}, unreachable));
  EXPECT_TRUE(Tolerates(Json{{"key", "k"}, {"value", "v"}}, Json{{"key", "k"}, {"value", "v"}, {"effect", "NoExecute"}}));
  EXPECT_FALSE(Tolerates(Json{{"key", "k"}, {"value", "w"}}, Json{{"key", "k"}, {"value", "v"}, {"effect", "NoExecute"}}));

  auto now = common::Clock::now();
  Json taints = Json::array({unreachable});
  Json pod = {{"spec", Json::object()}};
  EXPECT_EQ(EvictionTime(pod, taints, now), common::TimePoint{});  // not tolerated: now
  pod["spec"]["tolerations"] = Json::array(
      {{{"key", kTaintUnreachable}, {"operator", "Exists"}, {"effect", "NoExecute"}, {"tolerationSeconds", 300}}});
  auto at = EvictionTime(pod, taints, now);
  ASSERT_TRUE(at);
  EXPECT_EQ(common::FormatRFC3339(*at), "2024-01-01T00:05:00Z");
  pod["spec"]["tolerations"] = Json::array({{{"operator", "Exists"}}});
  EXPECT_EQ(EvictionTime(pod, taints, now), std::nullopt);  // forever
  EXPECT_EQ(EvictionTime(Json::object(), Json::array({{{"key", "x"}, {"effect", "NoSchedule"}}}), now),
            std::nullopt);
}

Json Node(const std::string& name) {
  return Json{{"apiVersion", "v1"},
              {"kind", "Node"},
              {"metadata", {{"name", name}}},
              {"status",
               {{"conditions",
                 Json::array({{{"type", "Ready"}, {"status", "True"}, {"reason", "KubeletReady"},
                               {"lastHeartbeatTime", NowText()}, {"lastTransitionTime", NowText()}}})}}}};
}

Json Lease(const std::string& node) {
  return Json{{"apiVersion", "coordination.k8s.io/v1"},
              {"kind", "Lease"},
              {"metadata", {{"name", node}, {"namespace", "kube-node-lease"}}},
              {"spec", {{"holderIdentity", node}, {"leaseDurationSeconds", 40},
                        {"renewTime", common::FormatRFC3339Micro(common::Clock::now())}}}};
}

Json PodOn(const std::string& name, const std::string& node, std::optional<int64_t> toleration) {
  Json p = {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", {{"nodeName", node}, {"containers", Json::array({{{"name", "c"}, {"image", "i"}}})}}},
            {"status", {{"phase", "Running"},
                        {"conditions", Json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
  if (toleration)
    p["spec"]["tolerations"] = Json::array({{{"key", kTaintUnreachable}, {"operator", "Exists"},
                                             {"effect", "NoExecute"}, {"tolerationSeconds", *toleration}}});
  else
    p["spec"]["tolerations"] = Json::array({{{"operator", "Exists"}}});
  return p;
}

TEST(NodeLifecycle, SilentNodeIsMarkedUnknownTaintedAndItsPodsEvicted) {
  TestEnv env;
  env.options().node_monitor = 100ms;
  env.options().node_monitor_grace = 1s;
  env.options().node_eviction_rate = 100;
  ASSERT_TRUE(env.server().Create(kNodes, Node("n1")).ok());
  ASSERT_TRUE(env.server().Create(kNodes, Node("n2")).ok());
  ASSERT_TRUE(env.server().Create(kLeases, Lease("n1")).ok());
  ASSERT_TRUE(env.server().Create(kLeases, Lease("n2")).ok());
  ASSERT_TRUE(env.server().Create(kPods, PodOn("short", "n1", 1)).ok());
  ASSERT_TRUE(env.server().Create(kPods, PodOn("forever", "n1", std::nullopt)).ok());
  ASSERT_TRUE(env.server().Create(kPods, PodOn("healthy", "n2", 1)).ok());
  env.Start({NewNodeLifecycleController});
  // n2 keeps renewing its Lease; n1 is silent.
  std::atomic<bool> stop{false};
  std::thread kubelet([&] {
    while (!stop) {
      auto l = env.server().Get(kLeases, "kube-node-lease", "n2");
      if (l.ok()) {
        (*l)["spec"]["renewTime"] = common::FormatRFC3339Micro(common::Clock::now());
        (void)env.server().Update(kLeases, *l);
      }
      std::this_thread::sleep_for(200ms);
    }
  });
  auto ready = [&](const std::string& n) {
    Json node = *env.server().Get(kNodes, "", n);
    const Json* c = FindCondition(node["status"], "Ready");
    return c ? common::GetString(*c, "status") : "";
  };
  ASSERT_TRUE(TestEnv::Eventually([&] { return ready("n1") == "Unknown"; })) << env.server().Get(kNodes, "", "n1")->dump();
  Json n1 = *env.server().Get(kNodes, "", "n1");
  const Json* c = FindCondition(n1["status"], "Ready");
  EXPECT_EQ((*c)["reason"], "NodeStatusUnknown");
  EXPECT_EQ((*c)["message"], "Kubelet stopped posting node status.");
  ASSERT_TRUE(TestEnv::Eventually([&] {
    Json t = TaintsOf(*env.server().Get(kNodes, "", "n1"));
    return HasTaint(t, kTaintUnreachable, "NoExecute") && HasTaint(t, kTaintUnreachable, "NoSchedule");
  }));
  // The pod tolerating 1 s goes; the one tolerating forever stays, as do n2's.
  ASSERT_TRUE(TestEnv::Eventually([&] { return !env.server().Get(kPods, "default", "short").ok(); }));
  EXPECT_TRUE(env.server().Get(kPods, "default", "forever").ok());
  Json forever = *env.server().Get(kPods, "default", "forever");
  EXPECT_FALSE(IsPodReady(forever));  // marked not ready with its node
  EXPECT_TRUE(env.server().Get(kPods, "default", "healthy").ok());
  EXPECT_EQ(ready("n2"), "True");
  EXPECT_TRUE(TaintsOf(*env.server().Get(kNodes, "", "n2")).empty());

  // n1 comes back: the NoExecute taint goes at once.
  n1 = *env.server().Get(kNodes, "", "n1");
  n1["status"]["conditions"] = Node("n1")["status"]["conditions"];
  ASSERT_TRUE(env.client().UpdateStatus(kNodes, "", n1).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] {
    return !HasTaint(TaintsOf(*env.server().Get(kNodes, "", "n1")), kTaintUnreachable, "NoExecute");
  }));
  stop = true;
  kubelet.join();
}

// A node that never posted status has --node-startup-grace-period from its
// creation before it is marked Unknown, and no Ready-derived taint until then.
TEST(NodeLifecycle, NeverReadyNodeGetsTheStartupGrace) {
  TestEnv env;
  env.options().node_monitor = 100ms;
  env.options().node_monitor_grace = 200ms;
  env.options().node_startup_grace = 3s;
  env.options().node_eviction_rate = 100;
  ASSERT_TRUE(env.server().Create(kNodes, Node("up")).ok());
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(env.server().Create(kNodes, Json{{"apiVersion", "v1"}, {"kind", "Node"},
                                               {"metadata", {{"name", "new"}}}}).ok());
  env.Start({NewNodeLifecycleController});
  bool early_taint = false;
  auto ready = [&] {
    Json node = *env.server().Get(kNodes, "", "new");
    const Json* c = FindCondition(node["status"], "Ready");
    if (!c) early_taint |= !TaintsOf(node).empty();
    return c ? common::GetString(*c, "status") : "";
  };
  ASSERT_TRUE(TestEnv::Eventually([&] { return ready() == "Unknown"; }, 20s));
  // creationTimestamp has whole seconds: the grace may end up to 1 s early.
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 2s);
  EXPECT_FALSE(early_taint) << "tainted before the startup grace ran out";
  Json n = *env.server().Get(kNodes, "", "new");
  const Json* c = FindCondition(n["status"], "Ready");
  EXPECT_EQ((*c)["reason"], "NodeStatusNeverUpdated");
  EXPECT_EQ((*c)["message"], "Kubelet never posted node status.");
  // Then it is tainted unreachable like any silent node.
  ASSERT_TRUE(TestEnv::Eventually([&] {
    return HasTaint(TaintsOf(*env.server().Get(kNodes, "", "new")), kTaintUnreachable, "NoSchedule");
  }));
}

TEST(NodeIpam, EachNodeGetsItsOwnRange) {
  TestEnv env;
  env.options().allocate_node_cidrs = true;
  env.options().cluster_cidr = "10.244.0.0/16";
  env.options().service_cluster_ip_range = "10.244.0.0/24";
  Json taken = Node("old");
  taken["spec"]["podCIDR"] = "10.244.1.0/24";
  taken["spec"]["podCIDRs"] = {"10.244.1.0/24"};
  ASSERT_TRUE(env.server().Create(kNodes, taken).ok());
  env.Start({NewNodeIpamController});
  ASSERT_TRUE(env.server().Create(kNodes, Node("a")).ok());
  ASSERT_TRUE(env.server().Create(kNodes, Node("b")).ok());
  auto cidr = [&](const std::string& n) {
    return common::GetString(common::Get(*env.server().Get(kNodes, "", n), "spec"), "podCIDR");
  };
  ASSERT_TRUE(TestEnv::Eventually([&] { return !cidr("a").empty() && !cidr("b").empty(); }));
  std::set<std::string> got = {cidr("a"), cidr("b")};
  EXPECT_EQ(got, (std::set<std::string>{"10.244.2.0/24", "10.244.3.0/24"}));
  EXPECT_EQ(cidr("old"), "10.244.1.0/24");
  EXPECT_EQ(common::GetPath(*env.server().Get(kNodes, "", "a"), {"spec", "podCIDRs"}),
            Json::array({cidr("a")}));
}

TEST(ServiceAccounts, DefaultAccountInEveryNamespace) {
  TestEnv env;
  env.Start({NewServiceAccountController});
  ASSERT_TRUE(env.server().Create(kNamespaces, Json{{"apiVersion", "v1"}, {"kind", "Namespace"},
                                                    {"metadata", {{"name", "team"}}}}).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return env.server().Get(kServiceAccounts, "team", "default").ok(); }));
  ASSERT_TRUE(env.server().Delete(kServiceAccounts, "team", "default").ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return env.server().Get(kServiceAccounts, "team", "default").ok(); }));
}

Json LbService(const std::string& name, const std::string& want_ip = "") {
  Json s = {{"apiVersion", "v1"},
            {"kind", "Service"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", {{"type", "LoadBalancer"}, {"ports", Json::array({{{"port", 80}}})}}}};
  if (!want_ip.empty()) s["spec"]["loadBalancerIP"] = want_ip;
  return s;
}

TEST(ServiceLb, AddressesFromThePool) {
  TestEnv env;
  env.options().lb_ip_range = "192.168.50.10-192.168.50.12";
  env.Start({NewServiceLbController});
  auto ip = [&](const std::string& n) {
    auto s = env.server().Get(kServices, "default", n);
    if (!s.ok()) return std::string();
    const Json& ing = common::GetPath(*s, {"status", "loadBalancer", "ingress"});
    return ing.is_array() && !ing.empty() ? common::GetString(ing[0], "ip") : std::string();
  };
  ASSERT_TRUE(env.server().Create(kServices, LbService("a")).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return ip("a") == "192.168.50.10"; })) << ip("a");
  ASSERT_TRUE(env.server().Create(kServices, LbService("b", "192.168.50.12")).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return ip("b") == "192.168.50.12"; }));
  ASSERT_TRUE(env.server().Create(kServices, LbService("c")).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return ip("c") == "192.168.50.11"; }));
  EXPECT_TRUE(HasFinalizer(*env.server().Get(kServices, "default", "a"), "service.kubernetes.io/load-balancer-cleanup"));
  // Pool exhausted: d waits.
  ASSERT_TRUE(env.server().Create(kServices, LbService("d")).ok());
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(ip("d"), "");
  // Deleting a frees its address (finalizer released) and d gets it.
  ASSERT_TRUE(env.client().Delete(kServices, "default", "a").ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return !env.server().Get(kServices, "default", "a").ok(); }));
  ASSERT_TRUE(TestEnv::Eventually([&] { return ip("d") == "192.168.50.10"; }, 15s)) << ip("d");
  // A ClusterIP service is not touched.
  Json plain = LbService("e");
  plain["spec"]["type"] = "ClusterIP";
  ASSERT_TRUE(env.server().Create(kServices, plain).ok());
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(ip("e"), "");
}

}  // namespace
}  // namespace reconcile
