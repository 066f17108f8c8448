#include "common/kubeconfig.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <map>

#include "common/base64.h"
#include "common/file.h"
#include "common/http_server.h"
#include "common/rest_client.h"

namespace common {
namespace {

class KubeconfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kubeconfig-test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { ASSERT_EQ(system(("rm -rf '" + dir_ + "'").c_str()), 0); }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    EXPECT_TRUE(MakeDirs(path.substr(0, path.rfind('/'))).ok());
    EXPECT_TRUE(WriteFileAtomic(path, text).ok());
    return path;
  }
  KubeconfigOptions Opts() {
    KubeconfigOptions o;
    o.getenv = [this](const char* name) -> const char* {
      auto it = env_.find(name);
      return it == env_.end() ? nullptr : it->second.c_str();
    };
    return o;
  }

  std::string dir_;
  std::map<std::string, std::string> env_;
};

constexpr char kTwoContexts[] = R"(apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority: pki/ca.crt
- name: dev
  cluster:
    server: https://127.0.0.1:6443
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    client-certificate: pki/admin.crt
    client-key: /abs/admin.key
- name: bot
  user:
    tokenFile: bot.token
contexts:
- name: prod-admin
  context: {cluster: prod, user: admin, namespace: web}
- name: dev-bot
  context: {cluster: dev, user: bot}
current-context: prod-admin
)";

TEST_F(KubeconfigTest, CurrentContextAndRelativePaths) {
  std::string path = Write("kc", kTwoContexts);
  auto o = Opts();
  o.kubeconfig = path;
  auto cfg = LoadClientConfig(o);
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->context, "prod-admin");
  EXPECT_EQ(cfg->http.server, "https://10.0.0.1:6443");
  EXPECT_EQ(cfg->http.ca_file, dir_ + "/pki/ca.crt");
  EXPECT_EQ(cfg->http.cert_file, dir_ + "/pki/admin.crt");
  EXPECT_EQ(cfg->http.key_file, "/abs/admin.key");
  EXPECT_FALSE(cfg->http.insecure_skip_verify);
  EXPECT_EQ(cfg->ns, "web");
  EXPECT_EQ(cfg->files, std::vector<std::string>{path});
}

TEST_F(KubeconfigTest, ContextOverrideAndTokenFile) {
  Write("bot.token", "s3cr3t\n");
  auto o = Opts();
  o.kubeconfig = Write("kc", kTwoContexts);
  o.context = "dev-bot";
  auto cfg = LoadClientConfig(o);
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->http.server, "https://127.0.0.1:6443");
  EXPECT_TRUE(cfg->http.insecure_skip_verify);
  EXPECT_EQ(cfg->http.bearer_token, "s3cr3t");
  EXPECT_EQ(cfg->ns, "default");

  o.context = "nope";
  auto bad = LoadClientConfig(o);
  EXPECT_EQ(bad.status().message(), "context was not found for specified context: nope");

  // --token, --server and --namespace win over the file.
  o.context = "dev-bot";
  o.token = "flag-token";
  o.server = "https://192.168.1.1:443";
  o.ns = "kube-system";
  cfg = LoadClientConfig(o);
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->http.bearer_token, "flag-token");
  EXPECT_EQ(cfg->http.server, "https://192.168.1.1:443");
  EXPECT_EQ(cfg->ns, "kube-system");
}

TEST_F(KubeconfigTest, KubeconfigEnvMergesFirstWins) {
  std::string a = Write("a", R"(
clusters:
- name: c
  cluster: {server: "https://a:1"}
users:
- name: u
  user: {token: from-a}
contexts:
- name: ctx-x
  context: {cluster: c, user: u}
)");
  std::string b = Write("b", R"(
clusters:
- name: c
  cluster: {server: "https://b:1"}
- name: only-b
  cluster: {server: "https://b:2"}
contexts:
- name: ctx-y
  context: {cluster: only-b, user: u}
current-context: ctx-y
)");
  env_["KUBECONFIG"] = a + "::" + dir_ + "/missing:" + b;
  auto cfg = LoadClientConfig(Opts());
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  // current-context from b (a sets none); user u from a.
  EXPECT_EQ(cfg->context, "ctx-y");
  EXPECT_EQ(cfg->http.server, "https://b:2");
  EXPECT_EQ(cfg->http.bearer_token, "from-a");
  EXPECT_EQ(cfg->files, (std::vector<std::string>{a, b}));
  // Cluster "c" is a's.
  auto o = Opts();
  o.context = "ctx-x";
  cfg = LoadClientConfig(o);
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->http.server, "https://a:1");
}

TEST_F(KubeconfigTest, HomeDefaultAndMissingExplicitFile) {
  env_["HOME"] = dir_;
  Write(".kube/config", R"(
clusters: [{name: c, cluster: {server: "http://127.0.0.1:8080"}}]
contexts: [{name: x, context: {cluster: c}}]
current-context: x
)");
  auto cfg = LoadClientConfig(Opts());
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->http.server, "http://127.0.0.1:8080");
  EXPECT_EQ(cfg->http.bearer_token, "");

  auto o = Opts();
  o.kubeconfig = dir_ + "/nope";
  EXPECT_EQ(LoadClientConfig(o).status().code(), Code::kNotFound);
}

TEST_F(KubeconfigTest, NoConfigurationAndInCluster) {
  auto none = LoadClientConfig(Opts());
  EXPECT_EQ(none.status().message(),
            "invalid configuration: no configuration has been provided, try setting "
            "KUBERNETES_MASTER environment variable");
  // --server alone (a controller's --master) is enough.
  auto o = Opts();
  o.server = "http://127.0.0.1:8080";
  auto cfg = LoadClientConfig(o);
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->http.server, "http://127.0.0.1:8080");

  Write("sa/token", "sa-token\n");
  Write("sa/ca.crt", "PEM");
  Write("sa/namespace", "kube-system");
  env_["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
  env_["KUBERNETES_SERVICE_PORT"] = "443";
  auto in = Opts();
  in.service_account_dir = dir_ + "/sa";
  cfg = LoadClientConfig(in);
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->http.server, "https://10.96.0.1:443");
  EXPECT_EQ(cfg->http.bearer_token, "sa-token");
  EXPECT_EQ(cfg->http.ca_file, dir_ + "/sa/ca.crt");
  EXPECT_EQ(cfg->ns, "kube-system");
}

TEST_F(KubeconfigTest, BadInputs) {
  auto o = Opts();
  o.kubeconfig = Write("bad64", R"(
clusters: [{name: c, cluster: {server: "https://x", certificate-authority-data: "!!!!"}}]
)");
  auto st = LoadClientConfig(o).status();
  EXPECT_EQ(st.code(), Code::kBadRequest);
  EXPECT_NE(st.message().find("illegal base64 data at input byte 0"), std::string::npos)
      << st.message();

  o.kubeconfig = Write("insecure+ca", R"(
clusters: [{name: c, cluster: {server: "https://x", insecure-skip-tls-verify: true, certificate-authority: /ca}}]
contexts: [{name: x, context: {cluster: c}}]
current-context: x
)");
  EXPECT_NE(LoadClientConfig(o).status().message().find("insecure flag is not allowed"),
            std::string::npos);
  // The flag replaces the file's CA instead of clashing with it.
  o.insecure_skip_tls_verify = true;
  EXPECT_TRUE(LoadClientConfig(o).ok());
  o.insecure_skip_tls_verify = false;

  o.kubeconfig = Write("exec", R"(
clusters: [{name: c, cluster: {server: "https://x"}}]
users: [{name: u, user: {exec: {command: aws}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
)");
  EXPECT_NE(LoadClientConfig(o).status().message().find("exec credential plugins"),
            std::string::npos);

  o.kubeconfig = Write("certonly", R"(
clusters: [{name: c, cluster: {server: "https://x"}}]
users: [{name: u, user: {client-certificate: /c}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
)");
  EXPECT_NE(LoadClientConfig(o).status().message().find("client-key-data or client-key"),
            std::string::npos);

  o.kubeconfig = Write("noserver", R"(
clusters: [{name: c, cluster: {}}]
contexts: [{name: x, context: {cluster: c}}]
current-context: x
)");
  EXPECT_EQ(LoadClientConfig(o).status().message(),
            "invalid configuration: no server found for cluster \"c\"");

  o.kubeconfig = Write("notyaml", "clusters: [\n");
  EXPECT_EQ(LoadClientConfig(o).status().code(), Code::kBadRequest);
}

// End to end: embedded CA and client certificate data reach a TLS server
// that verifies both ways.
TEST_F(KubeconfigTest, EmbeddedCertificatesWorkAgainstTlsServer) {
  std::string d = dir_;
  std::string script =
      "cd '" + d + "' && "
      "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 1 "
      "-subj /CN=test-ca 2>/dev/null && "
      "openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj /CN=localhost "
      "2>/dev/null && "
      "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost' > ext && "
      "openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out srv.crt "
      "-days 1 -extfile ext 2>/dev/null && "
      "openssl req -newkey rsa:2048 -nodes -keyout cli.key -out cli.csr "
      "-subj '/O=system:masters/CN=kubix-admin' 2>/dev/null && "
      "openssl x509 -req -in cli.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out cli.crt "
      "-days 1 2>/dev/null";
  if (system(script.c_str()) != 0) GTEST_SKIP() << "openssl could not make test certificates";

  HttpServerOptions so;
  so.listen = {"127.0.0.1:0"};
  so.tls_cert_file = d + "/srv.crt";
  so.tls_key_file = d + "/srv.key";
  so.tls_client_ca_file = d + "/ca.crt";
  HttpServer server(so, [](HttpRequest& req, Responder r) {
    r.Send(HttpResponse::Json(200, "{\"cn\":\"" + req.client_cn + "\"}"));
  });
  ASSERT_TRUE(server.Start().ok());

  auto b64 = [&](const std::string& f) { return Base64Encode(*ReadFile(d + "/" + f)); };
  auto o = Opts();
  o.kubeconfig = Write("tls", "clusters: [{name: c, cluster: {server: \"https://" +
                                  server.BoundAddresses()[0] + "\", certificate-authority-data: " +
                                  b64("ca.crt") + "}}]\n"
                                  "users: [{name: u, user: {client-certificate-data: " +
                                  b64("cli.crt") + ", client-key-data: " + b64("cli.key") +
                                  "}}]\n"
                                  "contexts: [{name: x, context: {cluster: c, user: u}}]\n"
                                  "current-context: x\n");
  auto cfg = LoadClientConfig(o);
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  RestClient client(cfg->http);
  auto got = client.Raw("GET", "/whoami");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(GetString(*got, "cn"), "kubix-admin");
  server.Shutdown(std::chrono::milliseconds(100));
}

}  // namespace
}  // namespace common
