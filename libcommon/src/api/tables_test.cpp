#include "common/api/tables.h"

#include <gtest/gtest.h>

namespace common::api {
namespace {

Json Cells(const char* api_version, const char* kind, const char* obj) {
  return TableRow(*FindKind(api_version, kind), Json::parse(obj), "None")["cells"];
}

// printPod's STATUS/READY/RESTARTS cases.
TEST(Tables, PodStatusCell) {
  struct Case { const char* obj; const char* ready; const char* status; const char* restarts; };
  std::vector<Case> cases = {
      {R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Pending"}})", "0/1", "Pending", "0"},
      {R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"},{"name":"b"}]},"status":{"phase":"Running",
          "containerStatuses":[{"name":"a","ready":true,"restartCount":0,"state":{"running":{}}},
                               {"name":"b","ready":false,"restartCount":2,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}})",
       "1/2", "CrashLoopBackOff", "2"},
      {R"({"metadata":{"name":"p"},"spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"a"}]},"status":{"phase":"Pending",
          "initContainerStatuses":[{"name":"i","restartCount":0,"state":{"running":{}}}],
          "containerStatuses":[{"name":"a","restartCount":0,"state":{"waiting":{"reason":"PodInitializing"}}}]}})",
       "0/1", "Init:0/1", "0"},
      {R"({"metadata":{"name":"p"},"spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"a"}]},"status":{"phase":"Pending",
          "initContainerStatuses":[{"name":"i","restartCount":3,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}})",
       "0/1", "Init:CrashLoopBackOff", "3"},
      {R"({"metadata":{"name":"p"},"spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"a"}]},"status":{"phase":"Failed",
          "initContainerStatuses":[{"name":"i","state":{"terminated":{"exitCode":2}}}]}})",
       "0/1", "Init:ExitCode:2", "0"},
      {R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Succeeded",
          "containerStatuses":[{"name":"a","ready":false,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}})",
       "0/1", "Completed", "0"},
      {R"({"metadata":{"name":"p","deletionTimestamp":"2024-01-01T00:00:00Z"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running",
          "containerStatuses":[{"name":"a","ready":true,"state":{"running":{}}}]}})",
       "1/1", "Terminating", "0"},
      {R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running","reason":"Evicted"}})",
       "0/1", "Evicted", "0"},
      {R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running",
          "containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":137,"signal":9}}}]}})",
       "0/1", "Signal:9", "0"},
      {R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Pending",
          "conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}})",
       "0/1", "SchedulingGated", "0"},
      {R"({"metadata":{"name":"p"},"spec":{"initContainers":[{"name":"s","restartPolicy":"Always"}],"containers":[{"name":"a"}]},
          "status":{"phase":"Running","conditions":[{"type":"Initialized","status":"True"}],
          "initContainerStatuses":[{"name":"s","ready":true,"started":true,"restartCount":1,"state":{"running":{}}}],
          "containerStatuses":[{"name":"a","ready":true,"restartCount":0,"state":{"running":{}}}]}})",
       "2/2", "Running", "1"},
  };
  for (const Case& c : cases) {
    Json cells = Cells("v1", "Pod", c.obj);
    EXPECT_EQ(cells[1], c.ready) << c.obj;
    EXPECT_EQ(cells[2], c.status) << c.obj;
    EXPECT_EQ(cells[3], c.restarts) << c.obj;
  }
}

TEST(Tables, PodColumnsAndWideCells) {
  Json cols = TableColumns(*FindKind("v1", "Pod"));
  std::vector<std::string> names;
  for (const Json& c : cols) names.push_back(c["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"Name", "Ready", "Status", "Restarts", "Age", "IP", "Node",
                                             "Nominated Node", "Readiness Gates"}));
  EXPECT_EQ(cols[0]["format"], "name");
  EXPECT_EQ(cols[5]["priority"], 1);
  Json cells = Cells("v1", "Pod", R"({"metadata":{"name":"p"},"spec":{"nodeName":"n1","containers":[{"name":"a"}]},
      "status":{"phase":"Running","podIPs":[{"ip":"10.1.0.4"}]}})");
  EXPECT_EQ(cells[5], "10.1.0.4");
  EXPECT_EQ(cells[6], "n1");
  EXPECT_EQ(cells[7], "<none>");
  EXPECT_EQ(cells[8], "<none>");
  Json row = TableRow(*FindKind("v1", "Pod"), Json::parse(R"({"metadata":{"name":"p"},"status":{"phase":"Succeeded"}})"), "Metadata");
  EXPECT_EQ(row["object"]["kind"], "PartialObjectMetadata");
  EXPECT_EQ(row["conditions"][0]["type"], "Completed");
}

TEST(Tables, WorkloadsServicesNodes) {
  Json d = Cells("apps/v1", "Deployment", R"({"metadata":{"name":"web"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
      "template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25"},{"name":"side","image":"busybox"}]}}},
      "status":{"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}})");
  EXPECT_EQ(d, Json::parse(R"(["web","2/3",3,2,"<unknown>","nginx,side","nginx:1.25,busybox","app=web"])"));
  Json s = Cells("v1", "Service", R"({"metadata":{"name":"svc"},"spec":{"type":"NodePort","clusterIP":"10.96.0.10",
      "ports":[{"port":80,"nodePort":30080,"protocol":"TCP"},{"port":53,"protocol":"UDP"}],"selector":{"b":"2","a":"1"}}})");
  EXPECT_EQ(s, Json::parse(R"(["svc","NodePort","10.96.0.10","<none>","80:30080/TCP,53/UDP","<unknown>","a=1,b=2"])"));
  Json lb = Cells("v1", "Service", R"({"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","clusterIP":"10.0.0.1","ports":[]}})");
  EXPECT_EQ(lb[3], "<pending>");
  EXPECT_EQ(lb[4], "<none>");
  Json n = Cells("v1", "Node", R"({"metadata":{"name":"n1","labels":{"node-role.kubernetes.io/control-plane":""}},
      "spec":{"unschedulable":true},"status":{"conditions":[{"type":"Ready","status":"Unknown"}],
      "addresses":[{"type":"InternalIP","address":"192.0.2.1"}],"nodeInfo":{"kubeletVersion":"v1.32.0","osImage":"Debian"}}})");
  EXPECT_EQ(n, Json::parse(R"(["n1","NotReady,SchedulingDisabled","control-plane","<unknown>","v1.32.0","192.0.2.1","<none>","Debian","<unknown>","<unknown>"])"));
  Json j = Cells("batch/v1", "Job", R"({"metadata":{"name":"pi"},"spec":{"completions":3,"template":{"spec":{"containers":[{"name":"c","image":"perl"}]}}},
      "status":{"succeeded":1}})");
  EXPECT_EQ(j[1], "Running");
  EXPECT_EQ(j[2], "1/3");
}

TEST(Tables, FlowcontrolColumnsFromTheSeed) {
  Json fs = Cells("flowcontrol.apiserver.k8s.io/v1", "FlowSchema", R"({"metadata":{"name":"exempt"},
      "spec":{"priorityLevelConfiguration":{"name":"exempt"},"matchingPrecedence":1},
      "status":{"conditions":[{"type":"Dangling","status":"False"}]}})");
  EXPECT_EQ(fs, Json::parse(R"(["exempt","exempt",1,"<none>","<unknown>","False"])"));
  Json pl = Cells("flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration", R"({"metadata":{"name":"global-default"},
      "spec":{"type":"Limited","limited":{"nominalConcurrencyShares":20,"limitResponse":{"type":"Queue",
      "queuing":{"queues":128,"handSize":6,"queueLengthLimit":50}}}}})");
  EXPECT_EQ(pl, Json::parse(R"(["global-default","Limited","20","128","6","50","<unknown>"])"));
  std::vector<std::string> names;
  for (const Json& c : TableColumns(*FindKind("flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration")))
    names.push_back(c["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"Name", "Type", "AssuredConcurrencyShares", "Queues", "HandSize",
                                             "QueueLengthLimit", "Age"}));
}

TEST(Tables, EveryResourceHasColumnsAndRowsOfTheSameWidth) {
  for (const ResourceInfo& ri : BuiltinResources()) {
    Json cols = TableColumns(ri);
    Json row = TableRow(ri, Json::parse(R"({"metadata":{"name":"x"}})"), "None");
    EXPECT_EQ(cols.size(), row["cells"].size()) << ri.gv().String() << " " << ri.kind;
  }
}

}  // namespace
}  // namespace common::api
