// Validation of the smaller groups, with cases and texts from upstream's
// validation tests.
#include <gtest/gtest.h>

#include "common/api/validation.h"

namespace common::api {
namespace {

Json J(const char* s) { return Json::parse(s); }

std::vector<std::string> Errs(const char* group, const char* version, const char* resource,
                              const Json& obj, const Json* old = nullptr) {
  const ResourceInfo* ri = FindResource(group, version, resource);
  EXPECT_NE(ri, nullptr) << resource;
  std::vector<std::string> out;
  if (!ri) return out;
  for (const FieldError& e : Validate(*ri, obj, old)) out.push_back(e.ToString());
  return out;
}

using V = std::vector<std::string>;

Json Meta(Json obj, bool namespaced = true) {
  obj["metadata"] = {{"name", "x"}};
  if (namespaced) obj["metadata"]["namespace"] = "default";
  return obj;
}

TEST(ValidateHpa, SpecAndMetrics) {
  Json hpa = Meta(J(R"({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "spec": {
      "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
      "minReplicas": 1, "maxReplicas": 5,
      "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]}})"));
  EXPECT_TRUE(Errs("autoscaling", "v2", "horizontalpodautoscalers", hpa).empty());
  Json bad = hpa;
  bad["spec"]["minReplicas"] = 0;
  bad["spec"]["maxReplicas"] = 0;
  bad["spec"]["scaleTargetRef"].erase("name");
  EXPECT_EQ(Errs("autoscaling", "v2", "horizontalpodautoscalers", bad),
            (V{"spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
               "spec.maxReplicas: Invalid value: 0: must be greater than 0",
               "spec.scaleTargetRef.name: Required value"}));
  bad = hpa;
  bad["spec"]["minReplicas"] = 6;
  bad["spec"]["metrics"] = J(R"([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization"}}},
                                 {"type": "Pods", "resource": {"name": "cpu"}},
                                 {"type": ""}])");
  EXPECT_EQ(Errs("autoscaling", "v2", "horizontalpodautoscalers", bad),
            (V{"spec.maxReplicas: Invalid value: 5: must be greater than or equal to `minReplicas`",
               "spec.metrics[0].resource.target.averageUtilization: Required value: must set either a "
               "target raw value or a target utilization",
               "spec.metrics[1].resource.target.type: Required value: must specify a metric target type",
               "spec.metrics[1].resource.target.type: Invalid value: \"\": must be either Utilization, "
               "Value, or AverageValue",
               "spec.metrics[1].resource.target.averageUtilization: Required value: must set either a "
               "target raw value or a target utilization",
               "spec.metrics[1].pods: Required value: must populate information for the given metric source",
               "spec.metrics[2].type: Required value: must specify a metric source type",
               "spec.metrics[2].type: Unsupported value: \"\": supported values: \"ContainerResource\", "
               "\"External\", \"Object\", \"Pods\", \"Resource\"",
               "spec.metrics[2].type: Unsupported value: \"\": supported values: \"ContainerResource\", "
               "\"External\", \"Object\", \"Pods\", \"Resource\""}));
  // autoscaling/v1 objects are validated as upstream's internal (v2) shape.
  Json v1 = Meta(J(R"({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "spec": {
      "scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 3,
      "targetCPUUtilizationPercentage": 0}})"));
  EXPECT_EQ(Errs("autoscaling", "v1", "horizontalpodautoscalers", v1),
            (V{"spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0"}));
}

TEST(ValidatePdb, MinAndMax) {
  Json pdb = Meta(J(R"({"spec": {"minAvailable": "50%", "selector": {"matchLabels": {"a": "b"}}}})"));
  EXPECT_TRUE(Errs("policy", "v1", "poddisruptionbudgets", pdb).empty());
  pdb["spec"]["maxUnavailable"] = "110%";
  pdb["spec"]["unhealthyPodEvictionPolicy"] = "Sometimes";
  EXPECT_EQ(Errs("policy", "v1", "poddisruptionbudgets", pdb),
            (V{"spec: Invalid value: policy.PodDisruptionBudgetSpec{...}: minAvailable and maxUnavailable cannot be both set",
               "spec.maxUnavailable: Invalid value: \"110%\": must not be greater than 100%",
               "spec.unhealthyPodEvictionPolicy: Unsupported value: \"Sometimes\": supported values: "
               "\"AlwaysAllow\", \"IfHealthyBudget\""}));
  pdb = Meta(J(R"({"spec": {"minAvailable": -1}})"));
  EXPECT_EQ(Errs("policy", "v1", "poddisruptionbudgets", pdb),
            (V{"spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"}));
}

TEST(ValidatePriorityClass, ReservedNamesValuesAndUpdates) {
  Json pc = Meta(J(R"({"value": 1000})"), false);
  EXPECT_TRUE(Errs("scheduling.k8s.io", "v1", "priorityclasses", pc).empty());
  pc["value"] = 2000000000;
  EXPECT_EQ(Errs("scheduling.k8s.io", "v1", "priorityclasses", pc),
            (V{"value: Forbidden: maximum allowed value of a user defined priority is 1000000000"}));
  pc["metadata"]["name"] = "system-foo";
  EXPECT_EQ(Errs("scheduling.k8s.io", "v1", "priorityclasses", pc),
            (V{"metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for "
               "system use only. error: system-foo is not a known system priority class"}));
  pc["metadata"]["name"] = "system-node-critical";
  pc["value"] = 2000001000;
  EXPECT_TRUE(Errs("scheduling.k8s.io", "v1", "priorityclasses", pc).empty());
  Json old = Meta(J(R"({"value": 10})"), false);
  Json upd = old;
  upd["value"] = 11;
  EXPECT_EQ(Errs("scheduling.k8s.io", "v1", "priorityclasses", upd, &old),
            (V{"value: Forbidden: may not be changed in an update."}));
}

TEST(ValidateLeaseAndStorageClass, Rules) {
  Json lease = Meta(J(R"({"spec": {"holderIdentity": "a", "leaseDurationSeconds": 0, "leaseTransitions": -1,
                                   "preferredHolder": "b"}})"));
  EXPECT_EQ(Errs("coordination.k8s.io", "v1", "leases", lease),
            (V{"spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
               "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0",
               "spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined"}));
  Json sc = Meta(J(R"({"provisioner": "kubernetes.io/no-provisioner", "reclaimPolicy": "Delete",
                       "volumeBindingMode": "WaitForFirstConsumer"})"), false);
  EXPECT_TRUE(Errs("storage.k8s.io", "v1", "storageclasses", sc).empty());
  Json bad = sc;
  bad.erase("provisioner");
  bad["reclaimPolicy"] = "Recycle";
  bad["volumeBindingMode"] = "Later";
  EXPECT_EQ(Errs("storage.k8s.io", "v1", "storageclasses", bad),
            (V{"provisioner: Required value",
               "reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\"",
               "volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\", "
               "\"WaitForFirstConsumer\""}));
  Json upd = sc;
  upd["parameters"] = J(R"({"type": "fast"})");
  EXPECT_EQ(Errs("storage.k8s.io", "v1", "storageclasses", upd, &sc),
            (V{"parameters: Forbidden: updates to parameters are forbidden."}));
}

TEST(ValidateNetworking, NetworkPolicy) {
  Json np = Meta(J(R"({"spec": {"podSelector": {}, "policyTypes": ["Ingress", "Sideways"],
      "ingress": [{"from": [{}, {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["192.168.0.0/16", "10.1.0.0/16"]},
                                 "podSelector": {}}],
                   "ports": [{"port": 80, "endPort": 70}, {"port": "http", "endPort": 90}, {"protocol": "ICMP"}]}]}})"));
  EXPECT_EQ(Errs("networking.k8s.io", "v1", "networkpolicies", np),
            (V{"spec.ingress[0].ports[0].endPort: Invalid value: 70: must be greater than or equal to `port`",
               "spec.ingress[0].ports[1].endPort: Invalid value: 90: may not be specified when `port` is non-numeric",
               "spec.ingress[0].ports[2].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
               "spec.ingress[0].from[0]: Required value: must specify a peer",
               "spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: \"192.168.0.0/16\": must be a strict subset of `cidr`",
               "spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer",
               "spec.policyTypes[1]: Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\""}));
}

TEST(ValidateNetworking, IngressAndClass) {
  Json ing = Meta(J(R"({"spec": {"rules": [{"host": "foo.bar.com", "http": {"paths": [
      {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}})"));
  EXPECT_TRUE(Errs("networking.k8s.io", "v1", "ingresses", ing).empty());
  Json bad = Meta(J(R"({"spec": {"rules": [{"host": "*.foo.com", "http": {"paths": [
      {"path": "relative", "pathType": "Exact", "backend": {"service": {"name": "web", "port": {}}}},
      {"path": "/a", "backend": {}}]}}, {"host": "1.2.3.4"}]}})"));
  EXPECT_EQ(Errs("networking.k8s.io", "v1", "ingresses", bad),
            (V{"spec.rules[0].http.paths[0].path: Invalid value: \"relative\": must be an absolute path",
               "spec.rules[0].http.paths[0].backend.service.port: Required value: port name or number is required",
               "spec.rules[0].http.paths[1].pathType: Required value: pathType must be specified",
               "spec.rules[0].http.paths[1].backend: Invalid value: \"\": resource or service backend is required",
               "spec.rules[1].host: Invalid value: \"1.2.3.4\": must be a DNS name, not an IP address"}));
  EXPECT_EQ(Errs("networking.k8s.io", "v1", "ingresses", Meta(J(R"({"spec": {}})"))),
            (V{"spec: Invalid value: \"\": either `defaultBackend` or `rules` must be specified"}));
  Json cls = Meta(J(R"({"spec": {"controller": "example.com/ingress-controller"}})"), false);
  EXPECT_TRUE(Errs("networking.k8s.io", "v1", "ingressclasses", cls).empty());
  EXPECT_EQ(Errs("networking.k8s.io", "v1", "ingressclasses", Meta(J(R"({"spec": {}})"), false)),
            (V{"spec.controller: Required value"}));
}

TEST(ValidateDiscovery, EndpointSlice) {
  Json es = Meta(J(R"({"addressType": "IPv4", "endpoints": [{"addresses": ["10.0.0.1"], "conditions": {"ready": true}}],
                       "ports": [{"name": "http", "port": 80, "protocol": "TCP"}]})"));
  EXPECT_TRUE(Errs("discovery.k8s.io", "v1", "endpointslices", es).empty());
  Json bad = Meta(J(R"({"addressType": "IPv4", "endpoints": [{"addresses": ["fd00::1"]}, {"addresses": []}],
                        "ports": [{"name": "http", "port": 0}, {"name": "http"}]})"));
  EXPECT_EQ(Errs("discovery.k8s.io", "v1", "endpointslices", bad),
            (V{"endpoints[0].addresses[0]: Invalid value: \"fd00::1\": must be a valid IPv4 address",
               "endpoints[1].addresses: Required value: must contain at least 1 address",
               "ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
               "ports[1].name: Duplicate value: \"http\""}));
  Json old = es;
  Json upd = es;
  upd["addressType"] = "IPv6";
  upd["endpoints"][0]["addresses"][0] = "fd00::1";
  EXPECT_EQ(Errs("discovery.k8s.io", "v1", "endpointslices", upd, &old),
            (V{"addressType: Invalid value: \"IPv6\": field is immutable"}));
}

TEST(ValidateRbac, RulesBindingsSubjects) {
  Json role = Meta(J(R"({"rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
                                   {"nonResourceURLs": ["/healthz"], "verbs": ["get"]},
                                   {"resources": ["pods"], "verbs": []}]})"));
  EXPECT_EQ(Errs("rbac.authorization.k8s.io", "v1", "roles", role),
            (V{"rules[1].nonResourceURLs: Invalid value: [\"/healthz\"]: namespaced rules cannot apply to non-resource URLs",
               "rules[2].verbs: Required value: verbs must contain at least one value",
               "rules[2].apiGroups: Required value: resource rules must supply at least one api group"}));
  Json cr = Meta(J(R"({"rules": [{"nonResourceURLs": ["/healthz"], "verbs": ["get"]}],
                       "aggregationRule": {"clusterRoleSelectors": []}})"), false);
  cr["metadata"]["name"] = "system:probe";
  EXPECT_EQ(Errs("rbac.authorization.k8s.io", "v1", "clusterroles", cr),
            (V{"aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required "
               "if aggregationRule is non-nil"}));
  Json rb = Meta(J(R"({"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"},
                       "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "default"},
                                    {"kind": "User", "name": "jane", "apiGroup": "rbac.authorization.k8s.io"},
                                    {"kind": "Robot", "name": "r2"},
                                    {"kind": "Group", "name": "g", "apiGroup": "wrong"}]})"));
  EXPECT_EQ(Errs("rbac.authorization.k8s.io", "v1", "rolebindings", rb),
            (V{"subjects[2].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
               "subjects[3].apiGroup: Unsupported value: \"wrong\": supported values: \"rbac.authorization.k8s.io\""}));
  Json upd = rb;
  upd["roleRef"]["name"] = "other";
  std::vector<std::string> errs = Errs("rbac.authorization.k8s.io", "v1", "rolebindings", upd, &rb);
  EXPECT_NE(std::find(errs.begin(), errs.end(),
                      "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", "
                      "Kind:\"Role\", Name:\"other\"}: cannot change roleRef"),
            errs.end())
      << ::testing::PrintToString(errs);
  Json crb = Meta(J(R"({"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"},
                        "subjects": [{"kind": "ServiceAccount", "name": "default"}]})"), false);
  EXPECT_EQ(Errs("rbac.authorization.k8s.io", "v1", "clusterrolebindings", crb),
            (V{"roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
               "subjects[0].namespace: Required value"}));
}

TEST(ValidateFlowcontrol, UpstreamBootstrapObjectsPass) {
  Json exempt = Meta(J(R"({"spec": {"matchingPrecedence": 1, "priorityLevelConfiguration": {"name": "exempt"},
      "rules": [{"subjects": [{"kind": "Group", "group": {"name": "system:masters"}}],
                 "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"], "clusterScope": true, "namespaces": ["*"]}],
                 "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}]}]}})"), false);
  exempt["metadata"]["name"] = "exempt";
  EXPECT_TRUE(Errs("flowcontrol.apiserver.k8s.io", "v1", "flowschemas", exempt).empty());
  Json catch_all_pl = Meta(J(R"({"spec": {"type": "Limited", "limited": {"nominalConcurrencyShares": 5,
      "lendablePercent": 0, "limitResponse": {"type": "Reject"}}}})"), false);
  catch_all_pl["metadata"]["name"] = "catch-all";
  EXPECT_TRUE(Errs("flowcontrol.apiserver.k8s.io", "v1", "prioritylevelconfigurations", catch_all_pl).empty());
  Json exempt_pl = Meta(J(R"({"spec": {"type": "Exempt", "exempt": {"nominalConcurrencyShares": 0, "lendablePercent": 0}}})"), false);
  exempt_pl["metadata"]["name"] = "exempt";
  EXPECT_TRUE(Errs("flowcontrol.apiserver.k8s.io", "v1", "prioritylevelconfigurations", exempt_pl).empty());
}

TEST(ValidateFlowcontrol, Errors) {
  Json fs = Meta(J(R"({"spec": {"matchingPrecedence": 1, "distinguisherMethod": {"type": "ByColour"},
      "priorityLevelConfiguration": {},
      "rules": [{"subjects": [{"kind": "User"}], "resourceRules": [{"verbs": ["get", "*"], "apiGroups": [""], "resources": ["pods"]}]},
                {"subjects": []}]}})"), false);
  EXPECT_EQ(Errs("flowcontrol.apiserver.k8s.io", "v1", "flowschemas", fs),
            (V{"spec.matchingPrecedence: Invalid value: 1: only the schema named 'exempt' may have matchingPrecedence 1",
               "spec.distinguisherMethod.type: Unsupported value: \"ByColour\": supported values: \"ByNamespace\", \"ByUser\"",
               "spec.priorityLevelConfiguration.name: Required value: must reference a priority level",
               "spec.rules[0].subjects[0].user: Required value: user is required when subject kind is 'User'",
               "spec.rules[0].resourceRules[0].verbs: Invalid value: [\"get\",\"*\"]: if '*' is present, must not specify other verbs",
               "spec.rules[0].resourceRules[0].namespaces: Required value: resource rules that are not cluster "
               "scoped must supply at least one namespace",
               "spec.rules[1].subjects: Required value: subjects must contain at least one value",
               "spec.rules[1]: Required value: at least one of resourceRules and nonResourceRules has to be non-empty"}));
  Json pl = Meta(J(R"({"spec": {"type": "Limited", "limited": {"nominalConcurrencyShares": 5, "lendablePercent": 101,
      "limitResponse": {"type": "Queue", "queuing": {"queues": 4, "handSize": 8, "queueLengthLimit": 0}}}}})"), false);
  EXPECT_EQ(Errs("flowcontrol.apiserver.k8s.io", "v1", "prioritylevelconfigurations", pl),
            (V{"spec.limited.limitResponse.queuing.queueLengthLimit: Invalid value: 0: must be positive",
               "spec.limited.limitResponse.queuing.handSize: Invalid value: 8: should not be greater than queues (4)",
               "spec.limited.lendablePercent: Invalid value: 101: must be between 0 and 100, inclusive"}));
  Json missing = Meta(J(R"({"spec": {"type": "Limited"}})"), false);
  EXPECT_EQ(Errs("flowcontrol.apiserver.k8s.io", "v1", "prioritylevelconfigurations", missing),
            (V{"spec.limited: Required value: must not be empty when type is Limited"}));
}

TEST(ValidateEvents, EventsApiIsStrictCoreIsLegacy) {
  Json ev = Meta(J(R"({"apiVersion": "events.k8s.io/v1", "kind": "Event", "eventTime": "2024-01-02T03:04:05.000000Z",
      "reportingController": "kubix.io/scheduler", "reportingInstance": "s-1", "action": "Binding",
      "reason": "Scheduled", "regarding": {"kind": "Pod", "name": "p", "namespace": "default"},
      "note": "ok", "type": "Normal"})"));
  EXPECT_TRUE(Errs("events.k8s.io", "v1", "events", ev).empty()) << ::testing::PrintToString(Errs("events.k8s.io", "v1", "events", ev));
  Json bad = ev;
  bad.erase("eventTime");
  bad["type"] = "Loud";
  bad["deprecatedCount"] = 2;
  EXPECT_EQ(Errs("events.k8s.io", "v1", "events", bad),
            (V{"eventTime: Required value", "type: Invalid value: \"\": has invalid value: Loud",
               "deprecatedCount: Invalid value: \"\": needs to be unset"}));
  bad = ev;
  bad.erase("reportingController");
  bad.erase("action");
  EXPECT_EQ(Errs("events.k8s.io", "v1", "events", bad),
            (V{"reportingController: Required value",
               "reportingController: Invalid value: \"\": name part must be non-empty",
               "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' "
               "or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
               "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
               "action: Required value"}));
  Json upd = ev;
  upd["note"] = "changed";
  EXPECT_EQ(Errs("events.k8s.io", "v1", "events", upd, &ev),
            (V{"note: Invalid value: \"changed\": field is immutable"}));
  // core/v1 events keep the loose legacy rules.
  Json core = Meta(J(R"({"involvedObject": {"kind": "Pod", "name": "p", "namespace": "other"}, "reason": "X"})"));
  EXPECT_EQ(Errs("", "v1", "events", core),
            (V{"involvedObject.namespace: Invalid value: \"other\": does not match event.namespace"}));
  core["involvedObject"]["namespace"] = "default";
  core["eventTime"] = "2024-01-02T03:04:05.000000Z";
  EXPECT_EQ(Errs("", "v1", "events", core),
            (V{"reportingComponent: Required value",
               "reportingComponent: Invalid value: \"\": name part must be non-empty",
               "reportingComponent: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' "
               "or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
               "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
               "reportingInstance: Required value", "action: Required value"}));
}

}  // namespace
}  // namespace common::api
