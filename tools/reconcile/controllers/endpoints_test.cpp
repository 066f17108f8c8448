#include "endpoints.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "service_pods.h"
#include "test_env.h"

namespace reconcile {
namespace {

using namespace std::chrono_literals;
using testing::TestEnv;

Json Service(Json ports, bool publish = false, const std::string& cluster_ip = "10.0.0.10") {
  return Json{{"apiVersion", "v1"},
              {"kind", "Service"},
              {"metadata", {{"name", "web"}, {"namespace", "default"}, {"labels", {{"team", "a"}}}}},
              {"spec",
               {{"selector", {{"app", "web"}}},
                {"clusterIP", cluster_ip},
                {"ports", std::move(ports)},
                {"publishNotReadyAddresses", publish}}}};
}

Json Pod(const std::string& name, const std::string& ip, bool ready, int64_t http_port = 8080) {
  return Json{{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata",
               {{"name", name}, {"namespace", "default"}, {"uid", "uid-" + name},
                {"labels", {{"app", "web"}}}}},
              {"spec",
               {{"nodeName", "n1"},
                {"containers",
                 Json::array({{{"name", "c"},
                               {"ports", Json::array({{{"name", "http"},
                                                       {"containerPort", http_port},
                                                       {"protocol", "TCP"}}})}}})}}},
              {"status",
               {{"phase", "Running"},
                {"podIP", ip},
                {"conditions", Json::array({{{"type", "Ready"}, {"status", ready ? "True" : "False"}}})}}}};
}

std::vector<ObjectPtr> Ptrs(std::vector<Json> v) {
  std::vector<ObjectPtr> out;
  for (auto& j : v) out.push_back(std::make_shared<const Json>(std::move(j)));
  return out;
}

TEST(EndpointsBuild, ReadyNotReadyAndNamedPorts) {
  Json svc = Service(Json::array({{{"name", "http"}, {"port", 80}, {"targetPort", "http"}, {"protocol", "TCP"}},
                                  {{"name", "metrics"}, {"port", 9090}, {"protocol", "TCP"}}}));
  bool truncated;
  Json subsets = BuildEndpointSubsets(
      svc, Ptrs({Pod("b", "10.1.0.2", true), Pod("a", "10.1.0.1", false),
                 Pod("c", "10.1.0.3", true, 9000)}),
      &truncated);
  EXPECT_FALSE(truncated);
  // metrics (9090, targetPort absent = port) is offered by all three; http
  // resolves to 8080 for a and b, 9000 for c: three port/address groupings.
  ASSERT_EQ(subsets.size(), 3u) << subsets.dump(2);
  for (const auto& s : subsets) {
    const Json& ports = s["ports"];
    if (ports.size() == 1 && ports[0]["port"] == 9090) {
      ASSERT_EQ(s["addresses"].size(), 2u);
      EXPECT_EQ(s["addresses"][0]["ip"], "10.1.0.2");
      EXPECT_EQ(s["addresses"][1]["ip"], "10.1.0.3");
      ASSERT_EQ(s["notReadyAddresses"].size(), 1u);
      EXPECT_EQ(s["notReadyAddresses"][0]["ip"], "10.1.0.1");
      EXPECT_EQ(s["notReadyAddresses"][0]["targetRef"],
                (Json{{"kind", "Pod"}, {"namespace", "default"}, {"name", "a"}, {"uid", "uid-a"}}));
      EXPECT_EQ(s["addresses"][0]["nodeName"], "n1");
    }
  }
}

TEST(EndpointsBuild, PublishNotReadyTerminatingAndNoIP) {
  Json svc = Service(Json::array({{{"port", 80}, {"targetPort", 8080}}}));
  Json terminating = Pod("t", "10.1.0.9", true);
  terminating["metadata"]["deletionTimestamp"] = "2024-01-01T00:00:00Z";
  Json no_ip = Pod("n", "", true);
  Json failed = Pod("f", "10.1.0.8", false);
  failed["status"]["phase"] = "Failed";
  failed["spec"]["restartPolicy"] = "Never";
  bool truncated;
  Json s = BuildEndpointSubsets(svc, Ptrs({Pod("a", "10.1.0.1", false), terminating, no_ip, failed}), &truncated);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_FALSE(s[0].contains("addresses"));
  ASSERT_EQ(s[0]["notReadyAddresses"].size(), 1u);
  EXPECT_EQ(s[0]["ports"], Json::array({{{"port", 8080}, {"protocol", "TCP"}}}));

  Json publish = Service(Json::array({{{"port", 80}, {"targetPort", 8080}}}), true);
  s = BuildEndpointSubsets(publish, Ptrs({Pod("a", "10.1.0.1", false), terminating}), &truncated);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0]["addresses"].size(), 2u);  // terminating kept, both "ready"
  EXPECT_FALSE(s[0].contains("notReadyAddresses"));
}

TEST(EndpointsBuild, HeadlessWithoutPortsAndHostnames) {
  Json svc = Service(Json::array(), false, "None");
  Json p = Pod("db-0", "10.1.0.1", true);
  p["spec"]["hostname"] = "db-0";
  p["spec"]["subdomain"] = "web";
  bool truncated;
  Json s = BuildEndpointSubsets(svc, Ptrs({p}), &truncated);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_FALSE(s[0].contains("ports"));
  EXPECT_EQ(s[0]["addresses"][0]["hostname"], "db-0");
}

TEST(EndpointsBuild, TruncatesAtAThousand) {
  Json svc = Service(Json::array({{{"port", 80}, {"targetPort", 8080}}}));
  std::vector<Json> pods;
  for (int i = 0; i < 1200; ++i)
    pods.push_back(Pod("p" + std::to_string(i),
                       "10.2." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1), i < 900));
  bool truncated;
  Json s = BuildEndpointSubsets(svc, Ptrs(std::move(pods)), &truncated);
  EXPECT_TRUE(truncated);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0]["addresses"].size(), 900u);  // every ready address kept
  EXPECT_EQ(s[0]["notReadyAddresses"].size(), 100u);
}

class EndpointsControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.options().max_endpoints_per_slice = 3;
    env_.Start({NewEndpointsController, NewEndpointSliceController});
  }
  TestEnv env_;
};

TEST(PodsForService, LabelIndexFindsWhatANamespaceScanFinds) {
  common::Store indexed({{std::string(kLabelIndex), IndexByNamespacedLabels}},
                        common::StoreEncoding::kCompact);
  common::Store plain;
  auto add = [&](const std::string& ns, const std::string& name, Json labels) {
    Json p = Pod(name, "10.1.0.1", true);
    p["metadata"]["namespace"] = ns;
    p["metadata"]["labels"] = std::move(labels);
    indexed.Upsert(std::make_shared<const Json>(p));
    plain.Upsert(std::make_shared<const Json>(p));
  };
  add("default", "a", {{"app", "web"}, {"tier", "front"}});
  add("default", "b", {{"app", "web"}, {"tier", "back"}});
  add("default", "c", {{"app", "db"}, {"tier", "front"}});
  add("other", "d", {{"app", "web"}, {"tier", "front"}});  // same labels, other namespace
  add("default", "e", Json::object());
  auto names = [](const std::vector<ObjectPtr>& pods) {
    std::vector<std::string> out;
    for (const auto& p : pods) out.push_back(Name(*p));
    std::sort(out.begin(), out.end());
    return out;
  };
  for (Json selector : {Json{{"app", "web"}}, Json{{"app", "web"}, {"tier", "front"}},
                        Json{{"tier", "front"}}, Json{{"app", "none"}}, Json::object()}) {
    SCOPED_TRACE(selector.dump());
    Json svc = Service(Json::array());
    svc["spec"]["selector"] = selector;
    EXPECT_EQ(names(PodsForService(indexed, svc)), names(PodsForService(plain, svc)));
  }
  Json svc = Service(Json::array());
  svc["spec"]["selector"] = {{"app", "web"}, {"tier", "front"}};
  EXPECT_EQ(names(PodsForService(indexed, svc)), std::vector<std::string>{"a"});
  // A relabelled pod moves in the index.
  Json b = *indexed.Get("default/b");
  b["metadata"]["labels"]["tier"] = "front";
  indexed.Upsert(std::make_shared<const Json>(b));
  EXPECT_EQ(names(PodsForService(indexed, svc)), (std::vector<std::string>{"a", "b"}));
}

TEST_F(EndpointsControllerTest, FollowPodReadinessIntoEndpointsAndSlices) {
  ASSERT_TRUE(env_.server().Create(kServices, Service(Json::array({{{"name", "http"},
                                                                      {"port", 80},
                                                                      {"targetPort", "http"},
                                                                      {"protocol", "TCP"}}})))
                  .ok());
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(env_.server().Create(kPods, Pod("p" + std::to_string(i), "10.1.0." + std::to_string(i + 1), i != 0)).ok());
  auto ready_count = [&] {
    auto ep = env_.server().Get(kEndpoints, "default", "web");
    if (!ep.ok()) return -1;
    const Json& subsets = common::Get(*ep, "subsets");
    if (!subsets.is_array() || subsets.empty()) return 0;
    return static_cast<int>(common::Get(subsets[0], "addresses").size());
  };
  ASSERT_TRUE(TestEnv::Eventually([&] { return ready_count() == 4; }));
  auto ep = *env_.server().Get(kEndpoints, "default", "web");
  EXPECT_EQ(ep["subsets"][0]["notReadyAddresses"].size(), 1u);
  EXPECT_EQ(common::GetPath(ep, {"metadata", "labels", "team"}), "a");

  // Slices: 5 endpoints, at most 3 per slice.
  auto slices = [&] { return env_.server().List(kEndpointSlices); };
  ASSERT_TRUE(TestEnv::Eventually([&] {
    size_t n = 0;
    for (const auto& s : slices()) n += s["endpoints"].size();
    return slices().size() == 2 && n == 5;
  }));
  for (const auto& s : slices()) {
    EXPECT_EQ(common::GetPath(s, {"metadata", "labels", "kubernetes.io/service-name"}), "web");
    EXPECT_EQ(common::GetPath(s, {"metadata", "labels", "endpointslice.kubernetes.io/managed-by"}),
              "endpointslice-controller.k8s.io");
    EXPECT_EQ(s["addressType"], "IPv4");
    EXPECT_EQ(s["ports"], Json::array({{{"name", "http"}, {"port", 8080}, {"protocol", "TCP"}}}));
    ASSERT_TRUE(ControllerRefOf(s));
    EXPECT_EQ((*ControllerRefOf(s))["kind"], "Service");
  }

  // p0 becomes ready; p1 goes away.
  Json p0 = *env_.server().Get(kPods, "default", "p0");
  p0["status"]["conditions"][0]["status"] = "True";
  ASSERT_TRUE(env_.client().UpdateStatus(kPods, "default", p0).ok());
  ASSERT_TRUE(env_.server().Delete(kPods, "default", "p1").ok());
  ASSERT_TRUE(TestEnv::Eventually([&] {
    auto e = env_.server().Get(kEndpoints, "default", "web");
    return ready_count() == 4 && !common::Get((*e)["subsets"][0], "notReadyAddresses").is_array();
  })) << env_.server().Get(kEndpoints, "default", "web")->dump();
  ASSERT_TRUE(TestEnv::Eventually([&] {
    size_t n = 0, ready = 0;
    for (const auto& s : slices())
      for (const auto& e : s["endpoints"]) {
        ++n;
        ready += e["conditions"]["ready"] == true;
      }
    return n == 4 && ready == 4;
  }));

  // The Service goes: its Endpoints and slices follow.
  ASSERT_TRUE(env_.server().Delete(kServices, "default", "web").ok());
  ASSERT_TRUE(TestEnv::Eventually([&] {
    return !env_.server().Get(kEndpoints, "default", "web").ok() && slices().empty();
  }));
}

TEST_F(EndpointsControllerTest, ServicesWithoutSelectorAreLeftAlone) {
  Json svc = Service(Json::array({{{"port", 80}}}));
  svc["spec"].erase("selector");
  ASSERT_TRUE(env_.server().Create(kServices, svc).ok());
  Json manual = {{"apiVersion", "v1"}, {"kind", "Endpoints"},
                 {"metadata", {{"name", "web"}, {"namespace", "default"}}},
                 {"subsets", Json::array({{{"addresses", Json::array({{{"ip", "192.168.1.1"}}})},
                                           {"ports", Json::array({{{"port", 80}}})}}})}};
  ASSERT_TRUE(env_.server().Create(kEndpoints, manual).ok());
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ((*env_.server().Get(kEndpoints, "default", "web"))["subsets"], manual["subsets"]);
  EXPECT_TRUE(env_.server().List(kEndpointSlices).empty());
}

}  // namespace
}  // namespace reconcile
