#include "common/api/defaults.h"

#include <gtest/gtest.h>

namespace common::api {
namespace {

Json Apply(const char* api_version, const char* kind, const char* text) {
  Json obj = Json::parse(text);
  ApplyDefaults(*FindKind(api_version, kind), obj);
  return obj;
}

TEST(Defaults, Pod) {
  Json pod = Apply("v1", "Pod", R"({"spec":{"containers":[{"name":"a","image":"nginx","ports":[{"containerPort":80}],
      "livenessProbe":{"httpGet":{"port":80}},"resources":{"limits":{"cpu":"1"}}},
      {"name":"b","image":"nginx:1.25"},{"name":"c","image":"repo/x@sha256:abc"}],"volumes":[{"name":"v"},{"name":"s","secret":{"secretName":"x"}}]}})");
  const Json& spec = pod["spec"];
  EXPECT_EQ(spec["restartPolicy"], "Always");
  EXPECT_EQ(spec["dnsPolicy"], "ClusterFirst");
  EXPECT_EQ(spec["terminationGracePeriodSeconds"], 30);
  EXPECT_EQ(spec["schedulerName"], "default-scheduler");
  EXPECT_EQ(spec["securityContext"], Json::object());
  EXPECT_EQ(spec["enableServiceLinks"], true);
  const Json& a = spec["containers"][0];
  EXPECT_EQ(a["imagePullPolicy"], "Always");
  EXPECT_EQ(a["terminationMessagePath"], "/dev/termination-log");
  EXPECT_EQ(a["terminationMessagePolicy"], "File");
  EXPECT_EQ(a["ports"][0]["protocol"], "TCP");
  EXPECT_EQ(a["livenessProbe"]["timeoutSeconds"], 1);
  EXPECT_EQ(a["livenessProbe"]["periodSeconds"], 10);
  EXPECT_EQ(a["livenessProbe"]["successThreshold"], 1);
  EXPECT_EQ(a["livenessProbe"]["failureThreshold"], 3);
  EXPECT_EQ(a["livenessProbe"]["httpGet"]["path"], "/");
  EXPECT_EQ(a["livenessProbe"]["httpGet"]["scheme"], "HTTP");
  EXPECT_EQ(a["resources"]["requests"]["cpu"], "1");
  EXPECT_EQ(spec["containers"][1]["imagePullPolicy"], "IfNotPresent");
  EXPECT_EQ(spec["containers"][2]["imagePullPolicy"], "IfNotPresent");
  EXPECT_EQ(spec["volumes"][0]["emptyDir"], Json::object());
  EXPECT_EQ(spec["volumes"][1]["secret"]["defaultMode"], 420);
}

TEST(Defaults, ServiceDeploymentJob) {
  Json svc = Apply("v1", "Service", R"({"spec":{"type":"NodePort","ports":[{"port":80}]}})");
  EXPECT_EQ(svc["spec"]["ports"][0]["targetPort"], 80);
  EXPECT_EQ(svc["spec"]["ports"][0]["protocol"], "TCP");
  EXPECT_EQ(svc["spec"]["sessionAffinity"], "None");
  EXPECT_EQ(svc["spec"]["externalTrafficPolicy"], "Cluster");
  EXPECT_EQ(svc["spec"]["internalTrafficPolicy"], "Cluster");

  Json d = Apply("apps/v1", "Deployment", R"({"spec":{"template":{"spec":{"containers":[{"name":"c","image":"x"}]}}}})");
  EXPECT_EQ(d["spec"]["replicas"], 1);
  EXPECT_EQ(d["spec"]["strategy"]["type"], "RollingUpdate");
  EXPECT_EQ(d["spec"]["strategy"]["rollingUpdate"]["maxSurge"], "25%");
  EXPECT_EQ(d["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"], "25%");
  EXPECT_EQ(d["spec"]["revisionHistoryLimit"], 10);
  EXPECT_EQ(d["spec"]["progressDeadlineSeconds"], 600);
  EXPECT_EQ(d["spec"]["template"]["spec"]["restartPolicy"], "Always");

  Json j = Apply("batch/v1", "Job", R"({"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"x"}]}}}})");
  EXPECT_EQ(j["spec"]["completions"], 1);
  EXPECT_EQ(j["spec"]["parallelism"], 1);
  EXPECT_EQ(j["spec"]["backoffLimit"], 6);
  EXPECT_EQ(j["spec"]["completionMode"], "NonIndexed");
  EXPECT_EQ(j["spec"]["suspend"], false);
  EXPECT_EQ(j["spec"]["podReplacementPolicy"], "TerminatingOrFailed");
}

TEST(Defaults, NamespaceAndPrepareForCreate) {
  const ResourceInfo* ns = FindKind("v1", "Namespace");
  Json obj = Json::parse(R"({"metadata":{"name":"team"}})");
  ApplyDefaults(*ns, obj);
  PrepareForCreate(*ns, obj);
  EXPECT_EQ(obj["metadata"]["labels"]["kubernetes.io/metadata.name"], "team");
  EXPECT_EQ(obj["spec"]["finalizers"], Json::array({"kubernetes"}));
  EXPECT_EQ(obj["status"]["phase"], "Active");

  const ResourceInfo* pod = FindKind("v1", "Pod");
  Json p = Json::parse(R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"x",
      "resources":{"limits":{"cpu":"1","memory":"1Gi"}}}]},"status":{"phase":"Running"}})");
  ApplyDefaults(*pod, p);
  PrepareForCreate(*pod, p);
  EXPECT_EQ(p["status"], (Json{{"phase", "Pending"}, {"qosClass", "Guaranteed"}}));

  const ResourceInfo* job = FindKind("batch/v1", "Job");
  Json jb = Json::parse(R"({"metadata":{"name":"pi","uid":"123"},"spec":{"template":{"spec":{"containers":[]}}}})");
  PrepareForCreate(*job, jb);
  EXPECT_EQ(jb["metadata"]["generation"], 1);
  EXPECT_EQ(jb["spec"]["selector"]["matchLabels"]["batch.kubernetes.io/controller-uid"], "123");
  EXPECT_EQ(jb["spec"]["template"]["metadata"]["labels"]["job-name"], "pi");
  EXPECT_EQ(jb["spec"]["template"]["metadata"]["labels"]["controller-uid"], "123");
}

TEST(Defaults, PrepareForUpdateKeepsStatusAndReportsSpecChange) {
  const ResourceInfo* d = FindKind("apps/v1", "Deployment");
  Json old = Json::parse(R"({"metadata":{"name":"d"},"spec":{"replicas":1},"status":{"replicas":1}})");
  Json now = Json::parse(R"({"metadata":{"name":"d"},"spec":{"replicas":1},"status":{"replicas":9}})");
  EXPECT_FALSE(PrepareForUpdate(*d, now, old));
  EXPECT_EQ(now["status"]["replicas"], 1);
  now["spec"]["replicas"] = 3;
  EXPECT_TRUE(PrepareForUpdate(*d, now, old));

  Json status_update = Json::parse(R"({"metadata":{"name":"d","labels":{"x":"y"}},"spec":{"replicas":5},"status":{"replicas":2}})");
  PrepareForStatusUpdate(*d, status_update, old);
  EXPECT_EQ(status_update["spec"]["replicas"], 1);
  EXPECT_EQ(status_update["status"]["replicas"], 2);
  EXPECT_FALSE(status_update["metadata"].contains("labels"));
}

}  // namespace
}  // namespace common::api
