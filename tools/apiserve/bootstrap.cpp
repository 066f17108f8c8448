#include "bootstrap.h"

namespace apiserve {

using common::Json;

std::vector<Json> BootstrapNamespaces() {
  std::vector<Json> out;
  for (const char* n : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    Json ns = {{"kind", "Namespace"},
               {"apiVersion", "v1"},
               {"metadata", {{"name", n}, {"labels", {{"kubernetes.io/metadata.name", n}}}}},
               {"spec", {{"finalizers", Json::array({"kubernetes"})}}},
               {"status", {{"phase", "Active"}}}};
    out.push_back(std::move(ns));
  }
  return out;
}

namespace {

Json Group(const char* g) { return {{"kind", "Group"}, {"group", {{"name", g}}}}; }
Json User(const char* u) { return {{"kind", "User"}, {"user", {{"name", u}}}}; }
Json SA(const char* ns, const char* name) {
  return {{"kind", "ServiceAccount"}, {"serviceAccount", {{"namespace", ns}, {"name", name}}}};
}

Json AllRules() {
  return Json::array({{{"resourceRules", Json::array({{{"verbs", Json::array({"*"})},
                                                       {"apiGroups", Json::array({"*"})},
                                                       {"resources", Json::array({"*"})},
                                                       {"clusterScope", true},
                                                       {"namespaces", Json::array({"*"})}}})},
                       {"nonResourceRules", Json::array({{{"verbs", Json::array({"*"})},
                                                          {"nonResourceURLs", Json::array({"*"})}}})}}});
}

Json ResourceRule(Json verbs, Json groups, Json resources, bool cluster) {
  Json r = {{"verbs", std::move(verbs)}, {"apiGroups", std::move(groups)},
            {"resources", std::move(resources)}};
  if (cluster) r["clusterScope"] = true;
  r["namespaces"] = Json::array({"*"});
  return r;
}

Json FlowSchema(const char* name, int precedence, const char* pl, const char* distinguisher,
                Json rules) {
  Json spec = {{"priorityLevelConfiguration", {{"name", pl}}}, {"matchingPrecedence", precedence}};
  if (distinguisher[0]) spec["distinguisherMethod"] = {{"type", distinguisher}};
  spec["rules"] = std::move(rules);
  return {{"kind", "FlowSchema"},
          {"apiVersion", "flowcontrol.apiserver.k8s.io/v1"},
          {"metadata",
           {{"name", name}, {"annotations", {{"apf.kubernetes.io/autoupdate-spec", "true"}}}}},
          {"spec", std::move(spec)},
          {"status", {{"conditions", Json::array({{{"type", "Dangling"}, {"status", "False"},
                                                   {"reason", "Found"},
                                                   {"message", std::string("This FlowSchema references the PriorityLevelConfiguration object named \"") + pl + "\" and it exists"}}})}}}};
}

Json Rule(Json subjects, Json resource_rules, Json non_resource_rules = nullptr) {
  Json r = {{"subjects", std::move(subjects)}};
  if (!resource_rules.is_null()) r["resourceRules"] = std::move(resource_rules);
  if (!non_resource_rules.is_null()) r["nonResourceRules"] = std::move(non_resource_rules);
  return r;
}

Json WithSubjects(Json subjects) {
  Json rules = AllRules();
  rules[0] = Json{{"subjects", std::move(subjects)}, {"resourceRules", rules[0]["resourceRules"]},
                  {"nonResourceRules", rules[0]["nonResourceRules"]}};
  return rules;
}

}  // namespace

std::vector<Json> BootstrapFlowSchemas() {
  const Json get_create_update = Json::array({"get", "create", "update"});
  std::vector<Json> out;
  out.push_back(FlowSchema("exempt", 1, "exempt", "", WithSubjects(Json::array({Group("system:masters")}))));
  out.push_back(FlowSchema(
      "probes", 2, "exempt", "",
      Json::array({Rule(Json::array({Group("system:unauthenticated"), Group("system:authenticated")}),
                        nullptr,
                        Json::array({{{"verbs", Json::array({"get"})},
                                      {"nonResourceURLs", Json::array({"/healthz", "/readyz", "/livez"})}}}))})));
  out.push_back(FlowSchema(
      "system-leader-election", 100, "leader-election", "ByUser",
      Json::array({Rule(Json::array({User("system:kube-controller-manager"),
                                     User("system:kube-scheduler"), SA("kube-system", "*")}),
                        Json::array({ResourceRule(get_create_update,
                                                  Json::array({"coordination.k8s.io"}),
                                                  Json::array({"leases"}), false)}))})));
  out.push_back(FlowSchema(
      "endpoint-controller", 150, "workload-high", "ByUser",
      Json::array({Rule(Json::array({User("system:kube-controller-manager"),
                                     SA("kube-system", "endpoint-controller"),
                                     SA("kube-system", "endpointslicemirroring-controller")}),
                        Json::array({ResourceRule(get_create_update, Json::array({""}),
                                                  Json::array({"endpoints"}), false)}))})));
  out.push_back(FlowSchema(
      "workload-leader-election", 200, "leader-election", "ByUser",
      Json::array({Rule(Json::array({SA("kube-system", "*")}),
                        Json::array({ResourceRule(get_create_update, Json::array({""}),
                                                  Json::array({"endpoints", "configmaps"}), false),
                                     ResourceRule(get_create_update,
                                                  Json::array({"coordination.k8s.io"}),
                                                  Json::array({"leases"}), false)}))})));
  out.push_back(FlowSchema(
      "system-node-high", 400, "node-high", "ByUser",
      Json::array({Rule(Json::array({Group("system:nodes")}),
                        Json::array({ResourceRule(Json::array({"*"}), Json::array({""}),
                                                  Json::array({"nodes", "nodes/status"}), true),
                                     ResourceRule(Json::array({"*"}),
                                                  Json::array({"coordination.k8s.io"}),
                                                  Json::array({"leases"}), false)}))})));
  out.push_back(FlowSchema("system-nodes", 500, "system", "ByUser",
                           WithSubjects(Json::array({Group("system:nodes")}))));
  out.push_back(FlowSchema("kube-controller-manager", 800, "workload-high", "ByNamespace",
                           WithSubjects(Json::array({User("system:kube-controller-manager")}))));
  out.push_back(FlowSchema("kube-scheduler", 800, "workload-high", "ByNamespace",
                           WithSubjects(Json::array({User("system:kube-scheduler")}))));
  out.push_back(FlowSchema("kube-system-service-accounts", 900, "workload-high", "ByNamespace",
                           WithSubjects(Json::array({SA("kube-system", "*")}))));
  out.push_back(FlowSchema("service-accounts", 9000, "workload-low", "ByUser",
                           WithSubjects(Json::array({Group("system:serviceaccounts")}))));
  out.push_back(FlowSchema("global-default", 9900, "global-default", "ByUser",
                           WithSubjects(Json::array({Group("system:unauthenticated"),
                                                     Group("system:authenticated")}))));
  out.push_back(FlowSchema("catch-all", 10000, "catch-all", "ByUser",
                           WithSubjects(Json::array({Group("system:unauthenticated"),
                                                     Group("system:authenticated")}))));
  return out;
}

namespace {

Json Limited(int ncs, int lendable, bool queue, int queues, int hand, int qlen) {
  Json l = {{"nominalConcurrencyShares", ncs}, {"lendablePercent", lendable}};
  if (queue) {
    l["limitResponse"] = {{"type", "Queue"},
                          {"queuing", {{"queues", queues}, {"handSize", hand},
                                       {"queueLengthLimit", qlen}}}};
  } else {
    l["limitResponse"] = {{"type", "Reject"}};
  }
  return l;
}

Json PriorityLevel(const char* name, Json spec) {
  return {{"kind", "PriorityLevelConfiguration"},
          {"apiVersion", "flowcontrol.apiserver.k8s.io/v1"},
          {"metadata",
           {{"name", name}, {"annotations", {{"apf.kubernetes.io/autoupdate-spec", "true"}}}}},
          {"spec", std::move(spec)},
          {"status", Json::object()}};
}

}  // namespace

std::vector<Json> BootstrapPriorityLevels() {
  std::vector<Json> out;
  out.push_back(PriorityLevel(
      "exempt", {{"type", "Exempt"},
                 {"exempt", {{"nominalConcurrencyShares", 0}, {"lendablePercent", 0}}}}));
  out.push_back(PriorityLevel("catch-all", {{"type", "Limited"}, {"limited", Limited(5, 0, false, 0, 0, 0)}}));
  out.push_back(PriorityLevel("system", {{"type", "Limited"}, {"limited", Limited(30, 33, true, 64, 6, 50)}}));
  out.push_back(PriorityLevel("node-high", {{"type", "Limited"}, {"limited", Limited(40, 25, true, 64, 6, 50)}}));
  out.push_back(PriorityLevel("leader-election", {{"type", "Limited"}, {"limited", Limited(10, 0, true, 16, 4, 50)}}));
  out.push_back(PriorityLevel("workload-high", {{"type", "Limited"}, {"limited", Limited(40, 50, true, 128, 6, 50)}}));
  out.push_back(PriorityLevel("workload-low", {{"type", "Limited"}, {"limited", Limited(100, 90, true, 128, 6, 50)}}));
  out.push_back(PriorityLevel("global-default", {{"type", "Limited"}, {"limited", Limited(20, 50, true, 128, 6, 50)}}));
  return out;
}

Json KubernetesService(const std::string& cluster_ip, int secure_port) {
  return {{"kind", "Service"},
          {"apiVersion", "v1"},
          {"metadata",
           {{"name", "kubernetes"},
            {"namespace", "default"},
            {"labels", {{"component", "apiserver"}, {"provider", "kubernetes"}}}}},
          {"spec",
           {{"ports", Json::array({{{"name", "https"}, {"protocol", "TCP"}, {"port", 443},
                                    {"targetPort", secure_port}}})},
            {"clusterIP", cluster_ip},
            {"clusterIPs", Json::array({cluster_ip})},
            {"type", "ClusterIP"},
            {"sessionAffinity", "None"},
            {"ipFamilies", Json::array({"IPv4"})},
            {"ipFamilyPolicy", "SingleStack"},
            {"internalTrafficPolicy", "Cluster"}}},
          {"status", {{"loadBalancer", Json::object()}}}};
}

Json KubernetesEndpoints(const std::string& address, int secure_port) {
  return {{"kind", "Endpoints"},
          {"apiVersion", "v1"},
          {"metadata",
           {{"name", "kubernetes"},
            {"namespace", "default"},
            {"labels", {{"endpointslice.kubernetes.io/skip-mirror", "true"}}}}},
          {"subsets", Json::array({{{"addresses", Json::array({{{"ip", address}}})},
                                    {"ports", Json::array({{{"name", "https"}, {"port", secure_port},
                                                            {"protocol", "TCP"}}})}}})}};
}

}  // namespace apiserve
