#include "common/api/registry.h"

#include <gtest/gtest.h>

#include <set>

namespace common::api {
namespace {

TEST(Registry, GroupVersionParseAndString) {
  EXPECT_EQ(GroupVersion::Parse("v1"), (GroupVersion{"", "v1"}));
  EXPECT_EQ(GroupVersion::Parse("apps/v1"), (GroupVersion{"apps", "v1"}));
  EXPECT_EQ(GroupVersion::Parse("apps/v1").String(), "apps/v1");
  EXPECT_EQ(GroupVersion::Parse("v1").String(), "v1");
}

TEST(Registry, PodsMatchDiscovery) {
  const ResourceInfo* pods = FindResource("", "v1", "pods");
  ASSERT_NE(pods, nullptr);
  EXPECT_EQ(pods->kind, "Pod");
  EXPECT_EQ(pods->list_kind, "PodList");
  EXPECT_EQ(pods->singular, "pod");
  EXPECT_TRUE(pods->namespaced);
  EXPECT_EQ(pods->short_names, std::vector<std::string>{"po"});
  EXPECT_EQ(pods->categories, std::vector<std::string>{"all"});
  EXPECT_EQ(pods->verbs, (std::vector<std::string>{"create", "delete", "deletecollection", "get",
                                                   "list", "patch", "update", "watch"}));
  EXPECT_TRUE(pods->has_status_subresource);
  EXPECT_FALSE(pods->tracks_generation);
  EXPECT_EQ(pods->storage_segment, "pods");
  auto ev = FindSubresource(*pods, "eviction");
  ASSERT_TRUE(ev.has_value());
  EXPECT_EQ(ev->group, "policy");
  EXPECT_EQ(ev->version, "v1");
  EXPECT_EQ(ev->kind, "Eviction");
  EXPECT_EQ(ev->verbs, std::vector<std::string>{"create"});
  EXPECT_FALSE(FindSubresource(*pods, "scale").has_value());
}

TEST(Registry, HistoricalStorageSegments) {
  EXPECT_EQ(FindResource("", "v1", "services")->storage_segment, "services/specs");
  EXPECT_EQ(FindResource("", "v1", "endpoints")->storage_segment, "services/endpoints");
  EXPECT_EQ(FindResource("", "v1", "nodes")->storage_segment, "minions");
  EXPECT_EQ(FindResource("", "v1", "replicationcontrollers")->storage_segment, "controllers");
  EXPECT_EQ(FindResource("networking.k8s.io", "v1", "ingresses")->storage_segment, "ingress");
  EXPECT_EQ(FindResource("apiextensions.k8s.io", "v1", "customresourcedefinitions")->storage_segment,
            "apiextensions.k8s.io/customresourcedefinitions");
  EXPECT_EQ(FindResource("events.k8s.io", "v1", "events")->storage_segment, "events");
  EXPECT_EQ(FindResource("events.k8s.io", "v1", "events")->storage_version, (GroupVersion{"", "v1"}));
  EXPECT_EQ(FindResource("", "v1", "bindings")->storage_segment, "");
}

TEST(Registry, HpaServedInTwoVersionsStoredAsV2) {
  auto versions = FindResourceVersions("autoscaling", "horizontalpodautoscalers");
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0]->version, "v2");
  EXPECT_EQ(versions[1]->version, "v1");
  for (auto* ri : versions) EXPECT_EQ(ri->storage_version, (GroupVersion{"autoscaling", "v2"}));
  EXPECT_EQ(PreferredVersion("autoscaling"), "v2");
  EXPECT_EQ(PreferredVersion(""), "v1");
  EXPECT_EQ(PreferredVersion("nope"), "");
}

TEST(Registry, ShortNamesAndCategoriesAsUpstream) {
  struct Case { const char* group; const char* resource; std::vector<std::string> shorts; bool all; };
  std::vector<Case> cases = {
      {"", "configmaps", {"cm"}, false},         {"", "componentstatuses", {"cs"}, false},
      {"", "endpoints", {"ep"}, false},          {"", "events", {"ev"}, false},
      {"", "limitranges", {"limits"}, false},    {"", "namespaces", {"ns"}, false},
      {"", "nodes", {"no"}, false},              {"", "persistentvolumeclaims", {"pvc"}, false},
      {"", "persistentvolumes", {"pv"}, false},  {"", "replicationcontrollers", {"rc"}, true},
      {"", "resourcequotas", {"quota"}, false},  {"", "serviceaccounts", {"sa"}, false},
      {"", "services", {"svc"}, true},           {"apps", "daemonsets", {"ds"}, true},
      {"apps", "deployments", {"deploy"}, true}, {"apps", "replicasets", {"rs"}, true},
      {"apps", "statefulsets", {"sts"}, true},   {"batch", "cronjobs", {"cj"}, true},
      {"batch", "jobs", {}, true},               {"autoscaling", "horizontalpodautoscalers", {"hpa"}, true},
      {"policy", "poddisruptionbudgets", {"pdb"}, false},
      {"scheduling.k8s.io", "priorityclasses", {"pc"}, false},
      {"storage.k8s.io", "storageclasses", {"sc"}, false},
      {"networking.k8s.io", "ingresses", {"ing"}, false},
      {"networking.k8s.io", "networkpolicies", {"netpol"}, false},
      {"apiextensions.k8s.io", "customresourcedefinitions", {"crd", "crds"}, false},
  };
  for (const Case& c : cases) {
    auto versions = FindResourceVersions(c.group, c.resource);
    ASSERT_FALSE(versions.empty()) << c.resource;
    EXPECT_EQ(versions[0]->short_names, c.shorts) << c.resource;
    bool all = !versions[0]->categories.empty() && versions[0]->categories[0] == "all";
    EXPECT_EQ(all, c.all) << c.resource;
  }
}

TEST(Registry, ConsistentCatalogue) {
  std::set<std::string> seen;
  for (const ResourceInfo& ri : BuiltinResources()) {
    EXPECT_TRUE(seen.insert(ri.gv().String() + "/" + ri.resource).second) << ri.resource;
    EXPECT_EQ(ri.list_kind, ri.kind + "List");
    EXPECT_FALSE(ri.verbs.empty());
    EXPECT_TRUE(std::is_sorted(ri.verbs.begin(), ri.verbs.end())) << ri.resource;
    bool stored = !ri.storage_segment.empty();
    bool creatable_only = ri.verbs == std::vector<std::string>{"create"};
    // Everything with get/list is stored except componentstatuses (computed).
    if (!stored) {
      EXPECT_TRUE(creatable_only || ri.resource == "componentstatuses") << ri.resource;
    }
    EXPECT_EQ(FindKind(ri.gv().String(), ri.kind)->resource, ri.resource);
    for (const std::string& sub : ri.subresources)
      EXPECT_TRUE(FindSubresource(ri, sub).has_value()) << ri.resource << "/" << sub;
  }
  EXPECT_EQ(BuiltinGroupVersions().front(), (GroupVersion{"", "v1"}));
  EXPECT_EQ(BuiltinGroupVersions()[1], (GroupVersion{"apps", "v1"}));
  EXPECT_EQ(FindResource("", "v1", "namespaces")->verbs.size(), 7u);  // no deletecollection
}

}  // namespace
}  // namespace common::api
