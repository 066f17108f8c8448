// The OpenAPI documents checked by the real client: a small server serves
// legacy discovery and the documents of openapi.h, and /usr/bin/kubectl
// (1.32 on the CI image) runs `explain` and `create` against it with its
// default validation. Skipped when kubectl is not installed.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "common/api/openapi.h"
#include "common/api/registry.h"
#include "common/http_server.h"
#include "common/json.h"

namespace common::api {
namespace {

constexpr const char* kKubectl = "/usr/bin/kubectl";

const Json kCronTabCrd = Json::parse(R"({
  "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
  "metadata": {"name": "crontabs.stable.example.com"},
  "spec": {"group": "stable.example.com", "scope": "Namespaced",
    "names": {"plural": "crontabs", "singular": "crontab", "kind": "CronTab", "shortNames": ["ct"]},
    "versions": [{"name": "v1", "served": true, "storage": true,
      "schema": {"openAPIV3Schema": {"type": "object", "description": "A CronTab runs a command on a schedule.",
        "properties": {"spec": {"type": "object", "description": "The desired schedule.",
          "properties": {"cronSpec": {"type": "string", "description": "The cron expression."},
                         "replicas": {"type": "integer", "minimum": 1}}}}}}}]}})");

// Serves what kubectl reads before it validates, explains or creates, and
// records every request.
class FakeServer {
 public:
  FakeServer() {
    HttpServerOptions opts;
    opts.listen = {"127.0.0.1:0"};
    opts.io_threads = 2;
    server_ = std::make_unique<HttpServer>(
        opts, [this](HttpRequest& req, Responder r) { r.Send(Handle(req)); });
  }
  ~FakeServer() { server_->Shutdown(std::chrono::milliseconds(100)); }

  bool Start() { return server_->Start().ok(); }
  std::string url() const { return "http://" + server_->BoundAddresses().at(0); }

  // "GET /openapi/v3", "POST /api/v1/namespaces/default/pods?fieldValidation=Strict&..."
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  bool Requested(const std::string& prefix) {
    for (const std::string& r : requests())
      if (r.rfind(prefix, 0) == 0) return true;
    return false;
  }

  std::vector<Json> crds;

 private:
  static HttpResponse JsonResponse(const Json& j) { return HttpResponse::Json(200, DumpJson(j)); }

  Json ResourceList(const std::string& group, const std::string& version) {
    Json resources = Json::array();
    auto add = [&](const ResourceInfo& ri) {
      Json r = {{"name", ri.resource}, {"singularName", ri.singular},
                {"namespaced", ri.namespaced}, {"kind", ri.kind}, {"verbs", ri.verbs}};
      if (!ri.short_names.empty()) r["shortNames"] = ri.short_names;
      resources.push_back(r);
    };
    for (const ResourceInfo& ri : BuiltinResources())
      if (ri.group == group && ri.version == version) add(ri);
    for (const Json& crd : crds) {
      const Json& spec = crd["spec"];
      if (spec["group"] != group) continue;
      ResourceInfo ri;
      ri.resource = spec["names"]["plural"];
      ri.singular = spec["names"]["singular"];
      ri.kind = spec["names"]["kind"];
      ri.namespaced = spec["scope"] == "Namespaced";
      ri.verbs = {"create", "delete", "get", "list", "patch", "update", "watch"};
      add(ri);
    }
    return {{"kind", "APIResourceList"}, {"apiVersion", "v1"},
            {"groupVersion", group.empty() ? version : group + "/" + version},
            {"resources", resources}};
  }

  std::vector<GroupVersion> AllGroupVersions() {
    std::vector<GroupVersion> gvs = BuiltinGroupVersions();
    for (const Json& crd : crds) gvs.push_back({crd["spec"]["group"], "v1"});
    return gvs;
  }

  HttpResponse Handle(HttpRequest& req) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(req.method + " " + req.path + (req.query.empty() ? "" : "?" + req.query));
    }
    const std::string& p = req.path;
    if (p == "/version")
      return JsonResponse({{"major", "1"}, {"minor", "32"}, {"gitVersion", "v1.32.0"},
                           {"platform", "linux/amd64"}});
    if (p == "/api")
      return JsonResponse({{"kind", "APIVersions"}, {"versions", {"v1"}},
                           {"serverAddressByClientCIDRs",
                            {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", "127.0.0.1"}}}}});
    if (p == "/apis") {
      Json groups = Json::array();
      for (const GroupVersion& gv : AllGroupVersions()) {
        if (gv.group.empty()) continue;
        Json v = {{"groupVersion", gv.String()}, {"version", gv.version}};
        if (!groups.empty() && groups.back()["name"] == gv.group) {
          groups.back()["versions"].push_back(v);
          continue;
        }
        groups.push_back({{"name", gv.group}, {"versions", {v}}, {"preferredVersion", v}});
      }
      return JsonResponse({{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}});
    }
    if (p == "/api/v1") return JsonResponse(ResourceList("", "v1"));
    if (p.rfind("/apis/", 0) == 0 && std::count(p.begin(), p.end(), '/') == 3) {
      GroupVersion gv = GroupVersion::Parse(p.substr(6));
      return JsonResponse(ResourceList(gv.group, gv.version));
    }
    if (p == "/openapi/v3") return JsonResponse(OpenApiV3Index(AllGroupVersions(), crds));
    if (p.rfind("/openapi/v3/", 0) == 0) {
      std::string doc = OpenApiV3(p.substr(12), BuiltinResources(), crds);
      if (doc.empty()) return HttpResponse::Text(404, "404 page not found");
      HttpResponse r = HttpResponse::Json(200, doc);
      r.SetHeader("Etag", "\"" + OpenApiHash(doc) + "\"");
      return r;
    }
    if (p == "/openapi/v2") {
      // kubectl asks for protobuf here; a JSON body would not parse.
      if (req.Header("Accept").find("protobuf") == std::string_view::npos)
        return HttpResponse::Json(200, OpenApiV2(BuiltinResources(), crds));
      HttpResponse r;
      r.body = OpenApiV2Protobuf(BuiltinResources(), crds);
      r.SetHeader("Content-Type", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
      return r;
    }
    if (req.method == "POST") {
      // A server-side dry run: echo the object back.
      return HttpResponse::Json(201, req.body);
    }
    return HttpResponse::Text(404, "404 page not found");
  }

  std::unique_ptr<HttpServer> server_;
  std::mutex mu_;
  std::vector<std::string> requests_;
};

struct RunResult {
  int status = -1;
  std::string out;  // stdout and stderr
};

class KubectlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kKubectl, X_OK) != 0) GTEST_SKIP() << kKubectl << " not installed";
    char tmpl[] = "/tmp/openapi-kubectl-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    server_.crds = {kCronTabCrd};
    ASSERT_TRUE(server_.Start());
    std::ofstream(dir_ + "/kubeconfig")
        << "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: "
        << server_.url()
        << "\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context:\n    cluster: c\n"
           "    user: u\n    namespace: default\ncurrent-context: x\n";
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Runs kubectl with `args` (shell words, trusted test text).
  RunResult Kubectl(const std::string& args) {
    std::string cmd = std::string(kKubectl) + " --kubeconfig " + dir_ + "/kubeconfig --cache-dir " +
                      dir_ + "/cache " + args + " 2>&1";
    RunResult r;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    // OPENAPI_TEST_VERBOSE=1 shows what kubectl printed.
    if (getenv("OPENAPI_TEST_VERBOSE")) fprintf(stderr, "$ kubectl %s\n%s", args.c_str(), r.out.c_str());
    return r;
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  FakeServer server_;
  std::string dir_;
};

TEST_F(KubectlTest, ExplainPodSpecContainers) {
  RunResult r = Kubectl("explain pod.spec.containers");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("KIND:       Pod"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("VERSION:    v1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FIELD: containers <[]Container>"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("image\t<string>"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("name\t<string> -required-"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ports\t<[]ContainerPort>"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("imagePullPolicy\t<string>\n  enum: Always, IfNotPresent, Never"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(server_.Requested("GET /openapi/v3/api/v1")) << ::testing::PrintToString(server_.requests());
}

TEST_F(KubectlTest, ExplainGroupedKindAndRecursive) {
  RunResult r = Kubectl("explain deployments.spec.strategy --recursive");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("GROUP:      apps"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("KIND:       Deployment"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("maxSurge"), std::string::npos) << r.out;
  r = Kubectl("explain deploy.spec.strategy.rollingUpdate.maxSurge");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("FIELD: maxSurge <IntOrString>"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("The maximum number of pods that can be scheduled above the desired"),
            std::string::npos)
      << r.out;
  r = Kubectl("explain hpa --api-version=autoscaling/v1");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("VERSION:    v1"), std::string::npos) << r.out;
}

TEST_F(KubectlTest, ExplainCustomResource) {
  RunResult r = Kubectl("explain crontabs.spec");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("GROUP:      stable.example.com"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("The desired schedule."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cronSpec\t<string>"), std::string::npos) << r.out;
}

TEST_F(KubectlTest, ExplainCrdSchema) {
  RunResult r = Kubectl("explain crd.spec.versions.schema.openAPIV3Schema.x-kubernetes-preserve-unknown-fields");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("FIELD: x-kubernetes-preserve-unknown-fields <boolean>"), std::string::npos) << r.out;
  r = Kubectl("explain crd.spec.versions.schema.openAPIV3Schema");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("properties\t<map[string]JSONSchemaProps>"), std::string::npos) << r.out;
}

TEST_F(KubectlTest, ExplainUnknownFieldFails) {
  RunResult r = Kubectl("explain pod.spec.nosuchfield");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("field \"nosuchfield\" does not exist"), std::string::npos) << r.out;
}

// With the default --validate=strict kubectl reads the group version's v3
// document, finds fieldValidation on the kind's PATCH operation, and leaves
// validation to the server: it sends fieldValidation=Strict and never asks
// for /openapi/v2.
TEST_F(KubectlTest, CreateUsesServerSideFieldValidation) {
  std::string pod = WriteFile("pod.yaml",
                              "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                              "  containers:\n  - name: c\n    image: nginx\n");
  RunResult r = Kubectl("create --dry-run=server -f " + pod);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(server_.Requested("POST /api/v1/namespaces/default/pods?"))
      << ::testing::PrintToString(server_.requests());
  bool strict = false;
  for (const std::string& q : server_.requests())
    if (q.find("POST") == 0 && q.find("fieldValidation=Strict") != std::string::npos) strict = true;
  EXPECT_TRUE(strict) << ::testing::PrintToString(server_.requests());
  EXPECT_FALSE(server_.Requested("GET /openapi/v2")) << ::testing::PrintToString(server_.requests());

  std::string deploy = WriteFile(
      "deploy.yaml",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n"
      "    matchLabels: {app: d}\n  template:\n    metadata:\n      labels: {app: d}\n"
      "    spec:\n      containers:\n      - name: c\n        image: nginx\n");
  r = Kubectl("create --dry-run=client -f " + deploy);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("deployment.apps/d created (dry run)"), std::string::npos) << r.out;

  std::string ct = WriteFile("ct.yaml",
                             "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n"
                             "  name: c\nspec:\n  cronSpec: '* * * * */5'\n");
  r = Kubectl("create --dry-run=server -f " + ct);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_FALSE(server_.Requested("GET /openapi/v2")) << ::testing::PrintToString(server_.requests());
}

// A `kind: List` file (what `kubectl get -o yaml` writes) is the case the v3
// check cannot settle: kubectl validates it on the client against the
// /openapi/v2 protobuf, so the definitions must be right in that encoding.
TEST_F(KubectlTest, ListFilesAreValidatedAgainstTheV2Protobuf) {
  std::string good = WriteFile("good.yaml",
                               "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n"
                               "  kind: ConfigMap\n  metadata:\n    name: x\n  data: {a: b}\n");
  RunResult r = Kubectl("apply --dry-run=server -f " + good);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(server_.Requested("GET /openapi/v2")) << ::testing::PrintToString(server_.requests());

  std::string bad = WriteFile(
      "bad.yaml",
      "apiVersion: v1\nkind: List\nitems:\n"
      "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: x\n  dataa: {}\n"
      "- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: d\n  spec:\n"
      "    replicas: many\n    selector: {matchLabels: {a: b}}\n    template:\n      spec:\n"
      "        containers:\n        - name: c\n          image: x\n          ports:\n"
      "          - containerPort: 80\n            bogus: 1\n"
      "- apiVersion: stable.example.com/v1\n  kind: CronTab\n  metadata:\n    name: c\n"
      "  spec:\n    cronSpec: x\n    unknownx: 1\n");
  r = Kubectl("create --dry-run=server -f " + bad);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("unknown field \"dataa\" in io.k8s.api.core.v1.ConfigMap"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("invalid type for io.k8s.api.apps.v1.DeploymentSpec.replicas: got "
                       "\"string\", expected \"integer\""),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("unknown field \"bogus\" in io.k8s.api.core.v1.ContainerPort"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("unknown field \"unknownx\" in com.example.stable.v1.CronTab.spec"),
            std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace common::api
