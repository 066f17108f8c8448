// The API side against libcommon's FakeApiServer: node registration and
// leases, pod status updates (coalesced), the final delete of a pod the node
// finished terminating, and the whole path from a bound pod to its Running
// status with the fake runtime.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "agent.h"
#include "common/fake_apiserver.h"
#include "common/file.h"
#include "heartbeats.h"
#include "node_api.h"
#include "status_manager.h"

namespace nodeagent {
namespace {

using common::Json;
const common::GroupVersionResource kNodes{"", "v1", "nodes"};
const common::GroupVersionResource kLeases{"coordination.k8s.io", "v1", "leases"};
const common::GroupVersionResource kPods{"", "v1", "pods"};

template <typename F>
bool Eventually(F f, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return f();
}

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(api_.Start().ok());
    common::HttpClientOptions o;
    o.server = api_.url();
    client_ = std::make_unique<common::RestClient>(o);
    char tmpl[] = "/tmp/nodeapiXXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    api_.Stop();
    std::filesystem::remove_all(dir_);
  }
  common::FakeApiServer api_;
  std::unique_ptr<common::RestClient> client_;
  std::string dir_;
};

NodeReport Report(const std::string& name) {
  NodeReport r;
  r.name = name;
  r.labels = {{"kubernetes.io/hostname", name}, {"kubernetes.io/os", "linux"}};
  r.capacity = {{"cpu", *common::Quantity::Parse("4")}, {"pods", *common::Quantity::Parse("110")}};
  r.allocatable = r.capacity;
  r.internal_ip = "192.0.2.9";
  r.port = 10250;
  r.taints = {{"maint", "", "NoSchedule"}};
  return r;
}

TEST_F(ApiTest, HeartbeatsRegisterNodesAndRenewLeases) {
  HeartbeatOptions o;
  o.lease_duration = std::chrono::seconds(1);  // renewed every 250 ms
  o.update_period = std::chrono::milliseconds(100);
  o.report_period = std::chrono::seconds(2);
  Heartbeats hb(client_.get(), o);
  hb.AddNode("n1", [] { return Report("n1"); });
  hb.AddNode("n2", [] { return Report("n2"); });
  hb.Start();
  ASSERT_TRUE(Eventually([&] { return hb.AllRegistered(); }));
  auto node = api_.Get(kNodes, "", "n1");
  ASSERT_TRUE(node.ok());
  EXPECT_EQ((*node)["metadata"]["labels"]["kubernetes.io/hostname"], "n1");
  EXPECT_EQ((*node)["spec"]["taints"][0]["key"], "maint");
  EXPECT_EQ((*node)["status"]["capacity"]["cpu"], "4");
  EXPECT_EQ((*node)["status"]["daemonEndpoints"]["kubeletEndpoint"]["Port"], 10250);
  bool ready = false;
  for (const auto& c : (*node)["status"]["conditions"])
    if (c["type"] == "Ready") ready = c["status"] == "True" && c["reason"] == "KubeletReady";
  EXPECT_TRUE(ready);
  auto lease = api_.Get(kLeases, "kube-node-lease", "n2");
  ASSERT_TRUE(lease.ok());
  EXPECT_EQ((*lease)["spec"]["holderIdentity"], "n2");
  EXPECT_EQ((*lease)["spec"]["leaseDurationSeconds"], 1);
  EXPECT_EQ((*lease)["metadata"]["ownerReferences"][0]["kind"], "Node");
  std::string first = (*lease)["spec"]["renewTime"];
  ASSERT_TRUE(Eventually([&] {
    auto l = api_.Get(kLeases, "kube-node-lease", "n2");
    return l.ok() && (*l)["spec"]["renewTime"] != first;
  }));
  // Unchanged status is not posted again within the report period.
  uint64_t posts = hb.stats().status_posts;
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(hb.stats().status_posts, posts);
  // A deleted Node registers again (found at the next report).
  ASSERT_TRUE(api_.Delete(kNodes, "", "n1").ok());
  ASSERT_TRUE(Eventually([&] { return api_.Get(kNodes, "", "n1").ok(); }, std::chrono::seconds(15)));
  hb.Stop();
}

// --pod-cidr is asked for in spec.podCIDR when the node registers, and when
// an existing Node has none; a Node with a range of its own keeps it.
TEST_F(ApiTest, RegistrationClaimsPodCidrUnlessTheNodeHasOne) {
  Json owned = {{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", "owned"}}},
                {"spec", {{"podCIDR", "10.244.7.0/24"}, {"podCIDRs", {"10.244.7.0/24"}}}}};
  ASSERT_TRUE(api_.Create(kNodes, owned).ok());
  Json bare = {{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", "bare"}}}};
  ASSERT_TRUE(api_.Create(kNodes, bare).ok());
  HeartbeatOptions o;
  Heartbeats hb(client_.get(), o);
  std::mutex mu;
  std::map<std::string, std::string> seen;  // the podCIDR each on_node saw
  for (std::string name : {"fresh", "owned", "bare"})
    hb.AddNode(
        name,
        [name] {
          NodeReport r = Report(name);
          r.pod_cidr = "10.244.9.0/24";
          return r;
        },
        [&, name](const Json& node) {
          std::lock_guard<std::mutex> lock(mu);
          seen[name] = node["spec"].value("podCIDR", "");
        });
  hb.Start();
  ASSERT_TRUE(Eventually([&] { return hb.AllRegistered(); }));
  for (auto [name, want] : std::map<std::string, std::string>{
           {"fresh", "10.244.9.0/24"}, {"owned", "10.244.7.0/24"}, {"bare", "10.244.9.0/24"}}) {
    auto node = api_.Get(kNodes, "", name);
    ASSERT_TRUE(node.ok());
    EXPECT_EQ((*node)["spec"].value("podCIDR", ""), want) << name;
    EXPECT_EQ((*node)["spec"]["podCIDRs"][0], want) << name;
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(seen[name], want) << name;
  }
  hb.PostSoon("fresh");  // a status post on demand; unknown names are ignored
  hb.PostSoon("nope");
  hb.Stop();
}

TEST_F(ApiTest, StatusManagerCoalescesAndFinalizes) {
  Json pod = {{"apiVersion", "v1"}, {"kind", "Pod"},
              {"metadata", {{"name", "p"}, {"namespace", "default"}, {"finalizers", {"test/keep"}}}},
              {"spec", {{"nodeName", "n1"}}}};
  auto created = api_.Create(kPods, pod);
  ASSERT_TRUE(created.ok());
  std::string uid = (*created)["metadata"]["uid"];
  StatusManager sm(client_.get(), 2);
  for (int i = 0; i < 50; ++i) sm.Set(uid, "default", "p", Json{{"phase", "Running"}, {"n", i}});
  sm.Start();
  ASSERT_TRUE(sm.Flush(std::chrono::seconds(5)));
  auto got = api_.Get(kPods, "default", "p");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)["status"]["n"], 49);
  EXPECT_LT(sm.stats().patches.load(), 50u);
  sm.Set(uid, "default", "p", Json{{"phase", "Succeeded"}});
  sm.Finalize(uid, "default", "p");
  ASSERT_TRUE(sm.Flush(std::chrono::seconds(5)));
  EXPECT_EQ(sm.stats().deletes.load(), 1u);
  bool saw_delete = false;
  for (const auto& r : api_.Requests())
    if (r.method == "DELETE" && r.target.find("/pods/p") != std::string::npos) {
      auto body = common::ParseJson(r.body);
      ASSERT_TRUE(body.ok());
      EXPECT_EQ((*body)["gracePeriodSeconds"], 0);
      EXPECT_EQ((*body)["preconditions"]["uid"], uid);
      saw_delete = true;
    }
  EXPECT_TRUE(saw_delete);
  EXPECT_EQ((*api_.Get(kPods, "default", "p"))["status"]["phase"], "Succeeded");
  sm.Stop();
}

TEST_F(ApiTest, FakeNodesRunTheirPodsThroughTheApi) {
  std::string kubeconfig = dir_ + "/kubeconfig";
  ASSERT_TRUE(common::WriteFileAtomic(kubeconfig,
                                      "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: \"" +
                                          api_.url() +
                                          "\"}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  "
                                          "context: {cluster: c, user: u}\ncurrent-context: x\n")
                  .ok());
  Options o;
  o.kubeconfig = kubeconfig;
  o.runtime = "fake";
  o.fake_nodes = 3;
  o.hostname_override = "kw";
  o.root_dir = dir_ + "/root";
  o.cgroups_per_qos = false;
  o.pod_cidr = "10.88.0.0/16";
  o.capacity = "cpu=4,memory=8Gi,pods=2";
  Agent agent(o);
  ASSERT_TRUE(agent.Start().ok());
  NodeApi api(&agent, 10250);
  ASSERT_TRUE(api.Start().ok());
  ASSERT_TRUE(Eventually([&] { return api.heartbeats()->AllRegistered(); }));
  EXPECT_EQ(api_.List(kNodes).size(), 3u);
  EXPECT_EQ((*api_.Get(kNodes, "", "kw-2"))["metadata"]["labels"]["type"], "kwok");
  auto pod = [](const std::string& name, const std::string& node) {
    return Json{{"apiVersion", "v1"},
                {"kind", "Pod"},
                {"metadata", {{"name", name}, {"namespace", "default"}}},
                {"spec", {{"nodeName", node}, {"containers", {{{"name", "c"}, {"image", "nginx"}}}}}}};
  };
  ASSERT_TRUE(api_.Create(kPods, pod("a", "kw-0")).ok());
  ASSERT_TRUE(api_.Create(kPods, pod("b", "kw-1")).ok());
  ASSERT_TRUE(api_.Create(kPods, pod("elsewhere", "other-node")).ok());
  auto phase = [&](const std::string& name) {
    auto p = api_.Get(kPods, "default", name);
    return p.ok() ? common::GetString(common::Get(*p, "status"), "phase") : "";
  };
  ASSERT_TRUE(Eventually([&] { return phase("a") == "Running" && phase("b") == "Running"; }));
  auto a = *api_.Get(kPods, "default", "a");
  EXPECT_EQ(a["status"]["containerStatuses"][0]["ready"], true);
  EXPECT_TRUE(common::GetString(a["status"], "podIP").rfind("10.88.", 0) == 0);
  EXPECT_EQ(phase("elsewhere"), "");
  // pods=2 per node: the third pod on kw-0 fails admission.
  ASSERT_TRUE(api_.Create(kPods, pod("a2", "kw-0")).ok());
  ASSERT_TRUE(api_.Create(kPods, pod("a3", "kw-0")).ok());
  ASSERT_TRUE(Eventually([&] { return phase("a2") != "" && phase("a3") != ""; }));
  std::string p2 = phase("a2"), p3 = phase("a3");
  EXPECT_TRUE((p2 == "Failed") != (p3 == "Failed")) << p2 << " " << p3;
  auto failed = *api_.Get(kPods, "default", p2 == "Failed" ? "a2" : "a3");
  EXPECT_EQ(failed["status"]["reason"], "OutOfpods");
  // Deletion: the API marks the pod, the node stops it and deletes it for good.
  auto b = *api_.Get(kPods, "default", "b");
  b["metadata"]["deletionTimestamp"] = common::FormatRFC3339(common::Clock::now());
  b["metadata"]["deletionGracePeriodSeconds"] = 30;
  b["metadata"]["finalizers"] = Json::array({"test/keep"});
  ASSERT_TRUE(api_.Update(kPods, b).ok());
  ASSERT_TRUE(Eventually([&] {
    for (const auto& r : api_.Requests())
      if (r.method == "DELETE" && r.target.find("/pods/b") != std::string::npos) return true;
    return false;
  }));
  EXPECT_EQ(phase("b"), "Succeeded");  // a fake container exits 0 on SIGTERM
  api.Stop();
  agent.Stop();
}

}  // namespace
}  // namespace nodeagent
