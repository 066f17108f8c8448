#include "common/api/validation.h"

#include <gtest/gtest.h>

#include "common/api/defaults.h"

namespace common::api {
namespace {

std::vector<std::string> Messages(const std::vector<FieldError>& errs) {
  std::vector<std::string> out;
  for (const auto& e : errs) out.push_back(e.ToString());
  return out;
}

Json Defaulted(const char* api_version, const char* kind, const char* text) {
  const ResourceInfo* ri = FindKind(api_version, kind);
  Json obj = Json::parse(text);
  ApplyDefaults(*ri, obj);
  return obj;
}

bool Contains(const std::vector<std::string>& msgs, const std::string& want) {
  for (const auto& m : msgs)
    if (m == want) return true;
  return false;
}

std::vector<std::string> ValidateText(const char* api_version, const char* kind, const char* text) {
  const ResourceInfo* ri = FindKind(api_version, kind);
  return Messages(Validate(*ri, Defaulted(api_version, kind, text), nullptr));
}

TEST(Validation, ValidPodHasNoErrors) {
  auto msgs = ValidateText("v1", "Pod", R"({"metadata":{"name":"web","namespace":"default"},
      "spec":{"containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80}]}]}})");
  EXPECT_TRUE(msgs.empty()) << msgs[0];
}

TEST(Validation, UpstreamTexts) {
  struct Case { const char* api_version; const char* kind; const char* obj; const char* want; };
  std::vector<Case> cases = {
      {"v1", "Pod", R"({"metadata":{"name":"Web","namespace":"default"},"spec":{"containers":[{"name":"c","image":"x"}]}})",
       "metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain must consist of lower case "
       "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
       "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"},
      {"v1", "Pod", R"({"metadata":{"name":"web","namespace":"default"},"spec":{"containers":[{"name":"c"}]}})",
       "spec.containers[0].image: Required value"},
      {"v1", "Pod", R"({"metadata":{"name":"web","namespace":"default"},"spec":{}})",
       "spec.containers: Required value"},
      {"v1", "Pod", R"({"metadata":{"namespace":"default"},"spec":{"containers":[{"name":"c","image":"x"}]}})",
       "metadata.name: Required value: name or generateName is required"},
      {"v1", "Pod", R"({"metadata":{"name":"p","namespace":"default"},"spec":{"restartPolicy":"Sometimes","containers":[{"name":"c","image":"x"}]}})",
       "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""},
      {"v1", "Pod", R"({"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"x"},{"name":"c","image":"y"}]}})",
       "spec.containers[1].name: Duplicate value: \"c\""},
      {"v1", "Pod", R"({"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"x","ports":[{"containerPort":70000}]}]}})",
       "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"},
      {"v1", "Pod", R"({"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"x","volumeMounts":[{"name":"data","mountPath":"/d"}]}]}})",
       "spec.containers[0].volumeMounts[0].name: Not found: \"data\""},
      {"v1", "Pod", R"({"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"x","resources":{"limits":{"cpu":"1"},"requests":{"cpu":"2"}}}]}})",
       "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"},
      {"v1", "Pod", R"({"metadata":{"name":"p","namespace":"default","labels":{"a b":"x"}},"spec":{"containers":[{"name":"c","image":"x"}]}})",
       "metadata.labels: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', "
       "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
       "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"},
      {"apps/v1", "Deployment", R"({"metadata":{"name":"d","namespace":"default"},"spec":{"replicas":-1,
        "selector":{"matchLabels":{"app":"a"}},"template":{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}})",
       "spec.replicas: Invalid value: -1: must be greater than or equal to 0"},
      {"apps/v1", "Deployment", R"({"metadata":{"name":"d","namespace":"default"},"spec":{
        "selector":{"matchLabels":{"app":"a"}},"template":{"metadata":{"labels":{"app":"b"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}})",
       "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template `labels`"},
      {"apps/v1", "Deployment", R"({"metadata":{"name":"d","namespace":"default"},"spec":{
        "template":{"metadata":{"labels":{"app":"b"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}})",
       "spec.selector: Required value"},
      {"v1", "Service", R"({"metadata":{"name":"1svc","namespace":"default"},"spec":{"ports":[{"port":80}]}})",
       "metadata.name: Invalid value: \"1svc\": a DNS-1035 label must consist of lower case alphanumeric characters "
       "or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
       "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"},
      {"v1", "Service", R"({"metadata":{"name":"s","namespace":"default"},"spec":{}})", "spec.ports: Required value"},
      {"v1", "Service", R"({"metadata":{"name":"s","namespace":"default"},"spec":{"ports":[{"port":80},{"port":81}]}})",
       "spec.ports[0].name: Required value"},
      {"v1", "Namespace", R"({"metadata":{"name":"a.b"}})", "metadata.name: Invalid value: \"a.b\": must not contain dots"},
      {"v1", "Node", R"({"metadata":{"name":"n","namespace":"x"}})", "metadata.namespace: Forbidden: not allowed on this type"},
      {"v1", "ConfigMap", R"({"metadata":{"name":"c","namespace":"d"},"data":{"a/b":"x"}})",
       "data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
       "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"},
      {"v1", "Secret", R"({"metadata":{"name":"s","namespace":"d"},"type":"kubernetes.io/tls","data":{"tls.crt":"eA=="}})",
       "data[tls.key]: Required value"},
      {"batch/v1", "Job", R"({"metadata":{"name":"j","namespace":"d","uid":"u1"},"spec":{"selector":{"matchLabels":{"a":"b"}},
        "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}})",
       "spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""},
      {"batch/v1", "CronJob", R"({"metadata":{"name":"cj","namespace":"d"},"spec":{"schedule":"* * *",
        "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"x"}]}}}}}})",
       "spec.schedule: Invalid value: \"* * *\": expected exactly 5 fields, found 3: [* * *]"},
  };
  for (const Case& c : cases) {
    auto msgs = ValidateText(c.api_version, c.kind, c.obj);
    EXPECT_TRUE(Contains(msgs, c.want)) << "want: " << c.want << "\ngot:\n"
                                        << (msgs.empty() ? "(none)" : msgs[0]);
  }
}

// Exactly one of exec/httpGet/tcpSocket/grpc per probe or lifecycle handler:
// defaulting must not add a second one (it once created an httpGet for every
// probe), and two handlers get upstream's Forbidden on the second.
TEST(Validation, ProbeHandlerTypes) {
  const char* handlers[] = {
      R"({"exec":{"command":["true"]}})", R"({"httpGet":{"port":8080}})",
      R"({"tcpSocket":{"port":8080}})", R"({"grpc":{"port":9090}})"};
  for (const char* h : handlers) {
    for (const char* probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
      std::string text = std::string(R"({"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"x",")") +
                         probe + "\":" + h + "}]}}";
      Json pod = Defaulted("v1", "Pod", text.c_str());
      const Json& p = pod["spec"]["containers"][0][probe];
      int n = 0;
      for (const char* k : {"exec", "httpGet", "tcpSocket", "grpc"}) n += p.contains(k) ? 1 : 0;
      EXPECT_EQ(n, 1) << p.dump();
      auto msgs = Messages(Validate(*FindKind("v1", "Pod"), pod, nullptr));
      EXPECT_TRUE(msgs.empty()) << h << " " << probe << ": " << msgs[0];
    }
    std::string life = std::string(R"({"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"x","lifecycle":{"preStop":)") +
                       h + "}}]}}";
    if (std::string(h).find("grpc") != std::string::npos) continue;  // not a lifecycle handler
    auto msgs = ValidateText("v1", "Pod", life.c_str());
    EXPECT_TRUE(msgs.empty()) << h << ": " << msgs[0];
  }
  auto two = ValidateText("v1", "Pod", R"({"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"x",
      "readinessProbe":{"httpGet":{"port":80},"tcpSocket":{"port":80}}}]}})");
  EXPECT_TRUE(Contains(two, "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"))
      << (two.empty() ? "(none)" : two[0]);
  auto none = ValidateText("v1", "Pod", R"({"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"x",
      "readinessProbe":{"periodSeconds":5}}]}})");
  EXPECT_TRUE(Contains(none, "spec.containers[0].readinessProbe: Required value: must specify a handler type"))
      << (none.empty() ? "(none)" : none[0]);
  auto dep = ValidateText("apps/v1", "Deployment", R"({"metadata":{"name":"d","namespace":"default"},"spec":{
      "selector":{"matchLabels":{"app":"a"}},"template":{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[{"name":"c","image":"x",
      "readinessProbe":{"tcpSocket":{"port":8080}},"livenessProbe":{"grpc":{"port":9090}}}]}}}})");
  EXPECT_TRUE(dep.empty()) << dep[0];
}

TEST(Validation, ImmutableSelectorOnUpdate) {
  const ResourceInfo* ri = FindKind("apps/v1", "Deployment");
  const char* base = R"({"metadata":{"name":"d","namespace":"default","resourceVersion":"1"},"spec":{
        "selector":{"matchLabels":{"app":"a"}},"template":{"metadata":{"labels":{"app":"a","v":"2"}},
        "spec":{"containers":[{"name":"c","image":"x"}]}}}})";
  Json old = Defaulted("apps/v1", "Deployment", base);
  Json now = old;
  now["spec"]["selector"]["matchLabels"]["v"] = "2";
  auto msgs = Messages(Validate(*ri, now, &old));
  EXPECT_TRUE(Contains(msgs,
                       "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"a\", "
                       "\"v\":\"2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"))
      << (msgs.empty() ? "" : msgs[0]);
}

TEST(Validation, PodUpdateMayOnlyChangeImages) {
  const ResourceInfo* ri = FindKind("v1", "Pod");
  Json old = Defaulted("v1", "Pod", R"({"metadata":{"name":"p","namespace":"d"},"spec":{"containers":[{"name":"c","image":"x"}]}})");
  Json now = old;
  now["spec"]["containers"][0]["image"] = "y";
  EXPECT_TRUE(Validate(*ri, now, &old).empty());
  now["spec"]["restartPolicy"] = "Never";
  auto msgs = Messages(Validate(*ri, now, &old));
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].rfind("spec: Forbidden: pod updates may not change fields other than", 0), 0u);
}

TEST(Validation, InvalidMessageFormats) {
  FieldError a{"FieldValueRequired", "spec.containers[0].image", "", nullptr};
  FieldError b{"FieldValueInvalid", "spec.replicas", "must be greater than or equal to 0", -1};
  EXPECT_EQ(InvalidMessage("Pod", "web", {a}), "Pod \"web\" is invalid: spec.containers[0].image: Required value");
  EXPECT_EQ(InvalidMessage("Deployment.apps", "web", {a, b, a}),
            "Deployment.apps \"web\" is invalid: [spec.containers[0].image: Required value, "
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0]");
  EXPECT_EQ(QualifiedKind(*FindKind("apps/v1", "Deployment")), "Deployment.apps");
  EXPECT_EQ(QualifiedKind(*FindKind("v1", "Pod")), "Pod");
}

}  // namespace
}  // namespace common::api
