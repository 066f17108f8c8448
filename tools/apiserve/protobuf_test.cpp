#include "protobuf.h"

#include <gtest/gtest.h>

namespace apiserve {
namespace {

using common::Json;

TEST(Protobuf, DecodesAHandWrittenConfigMap) {
  std::string body("k8s\0\x0a\x0f\x0a\x02v1\x12\x09"
                   "ConfigMap\x12\x09\x0a\x07\x0a\x05probe",
                   4 + 2 + 15 + 2 + 9);
  auto j = DecodeKubeProtobuf(body);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ(common::DumpJson(*j),
            R"({"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"probe"}})");
}

TEST(Protobuf, RoundTripsADeployment) {
  Json d = Json::parse(R"({"kind":"Deployment","apiVersion":"apps/v1",
    "metadata":{"name":"web","labels":{"app":"web"}},
    "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},
      "template":{"metadata":{"labels":{"app":"web"}},
        "spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":80}],
          "resources":{"requests":{"cpu":"100m"}},"command":["a","b"]}],"restartPolicy":"Always"}},
      "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":1}}}})");
  auto j = DecodeKubeProtobuf(EncodeKubeProtobufForTest(d));
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  // Field order follows the field numbers; compare as unordered JSON.
  EXPECT_EQ(nlohmann::json::parse(common::DumpJson(*j)), nlohmann::json::parse(common::DumpJson(d)));
}

TEST(Protobuf, SecretsDecodeBytesAsBase64AndJunkIsAnError) {
  // Secret{metadata{name:"s"}, data{"p": "hi"}}
  std::string raw("\x0a\x03\x0a\x01s\x12\x07\x0a\x01p\x12\x02hi", 5 + 9);
  std::string tm("\x0a\x02v1\x12\x06Secret", 12);
  std::string body("k8s\0", 4);
  body += '\x0a';
  body += static_cast<char>(tm.size());
  body += tm;
  body += '\x12';
  body += static_cast<char>(raw.size());
  body += raw;
  auto j = DecodeKubeProtobuf(body);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ((*j)["data"]["p"], "aGk=");
  EXPECT_FALSE(DecodeKubeProtobuf("k8s").ok());
  EXPECT_FALSE(DecodeKubeProtobuf(std::string("k8s\0\x0a\xff", 6)).ok());
}

}  // namespace
}  // namespace apiserve
