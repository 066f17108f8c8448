#include "daemon.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <thread>

#include "../iptables/dump.h"
#include "../model/chain_names.h"
#include "common/fake_apiserver.h"
#include "common/http_client.h"
#include "common/objects.h"

namespace proxyrules {
namespace {

using common::Json;
using namespace std::chrono_literals;

const common::GroupVersionResource kServices{"", "v1", "services"};
const common::GroupVersionResource kSlices{"discovery.k8s.io", "v1", "endpointslices"};
const common::GroupVersionResource kNodes{"", "v1", "nodes"};

// Records every restore and keeps the chain set a real table would have.
class FakeBackend : public Backend {
 public:
  std::string_view name() const override { return "fake"; }
  std::string_view mode() const override { return "legacy"; }
  common::Status Restore(const std::string& data) override {
    // A failed iptables-restore changes nothing.
    if (fail_.load()) return common::Status::Internal("iptables-restore: line 3 failed");
    auto dump = iptables::ParseDump(data);
    if (!dump.ok()) return dump.status();
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& t : dump->tables)
      for (const auto& c : t.chains) {
        if (c.deleted)
          chains_[t.name].erase(c.name);
        else
          chains_[t.name].insert(c.name);
      }
    restores_.push_back(data);
    cv_.notify_all();
    return common::Status::Ok();
  }
  common::Result<std::string> Save(std::string_view) override { return std::string(); }
  common::Result<std::vector<std::string>> ListChains(std::string_view table) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto& s = chains_[std::string(table)];
    return std::vector<std::string>(s.begin(), s.end());
  }
  bool ChainExists(std::string_view table, std::string_view chain) override {
    std::lock_guard<std::mutex> lock(mu_);
    return chains_[std::string(table)].count(std::string(chain)) > 0;
  }
  common::Status EnsureChain(std::string_view table, std::string_view chain) override {
    std::lock_guard<std::mutex> lock(mu_);
    chains_[std::string(table)].insert(std::string(chain));
    return common::Status::Ok();
  }
  common::Status EnsureRule(std::string_view, std::string_view, const std::vector<std::string>&) override {
    return common::Status::Ok();
  }
  common::Status DeleteRule(std::string_view, std::string_view, const std::vector<std::string>&) override {
    return common::Status::Ok();
  }

  // Waits for a restore whose data satisfies `pred`; returns it ("" on timeout).
  template <typename Pred>
  std::string WaitFor(Pred pred, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock<std::mutex> lock(mu_);
    std::string found;
    cv_.wait_for(lock, timeout, [&] {
      for (size_t i = seen_; i < restores_.size(); ++i) {
        if (pred(restores_[i])) {
          found = restores_[i];
          seen_ = i + 1;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  void SetFail(bool fail) { fail_.store(fail); }
  bool HasChain(const std::string& table, const std::string& chain) { return ChainExists(table, chain); }
  void DropTable(const std::string& table) {
    std::lock_guard<std::mutex> lock(mu_);
    chains_.erase(table);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> restores_;
  size_t seen_ = 0;
  std::atomic<bool> fail_{false};
  std::map<std::string, std::set<std::string>> chains_;
};

Json Yaml(const std::string& text) {
  auto objs = common::ParseObjects(text);
  EXPECT_TRUE(objs.ok());
  return (*objs)[0];
}

Json Service(const std::string& name, const std::string& ip) {
  return Yaml("apiVersion: v1\nkind: Service\nmetadata: {namespace: default, name: " + name +
              "}\nspec:\n  clusterIP: " + ip +
              "\n  ports: [{name: http, port: 80, protocol: TCP}]\n");
}

Json Slice(const std::string& svc, const std::vector<std::string>& ips, const std::string& trigger = "") {
  std::string eps;
  for (const auto& ip : ips) eps += "- {addresses: [" + ip + "], nodeName: n1}\n";
  std::string annotations =
      trigger.empty() ? "" : ", annotations: {endpoints.kubernetes.io/last-change-trigger-time: '" + trigger + "'}";
  return Yaml("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {namespace: default, name: " +
              svc + "-1, labels: {kubernetes.io/service-name: " + svc + "}" + annotations +
              "}\naddressType: IPv4\nports: [{name: http, port: 8080, protocol: TCP}]\nendpoints:\n" + eps);
}

std::string SvcChain(const std::string& svc) {
  return std::string(kServiceChainPrefix) + PortProtoHash("default/" + svc + ":http", "tcp");
}
std::string SepChain(const std::string& svc, const std::string& ep) {
  return EndpointChainName("default/" + svc + ":http", "tcp", ep);
}
bool Has(const std::string& data, const std::string& what) { return data.find(what) != std::string::npos; }

// The value of the sample `series` (name{labels}) in a /metrics body; -1 if absent.
double MetricValue(const std::string& body, const std::string& series) {
  size_t pos = 0;
  while ((pos = body.find(series + " ", pos)) != std::string::npos) {
    if (pos == 0 || body[pos - 1] == '\n') return std::stod(body.substr(pos + series.size() + 1));
    pos += series.size();
  }
  return -1;
}

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    common::HttpClientOptions http;
    http.server = server_.url();
    client_ = std::make_unique<common::RestClient>(http);
  }
  std::unique_ptr<Daemon> MakeDaemon(std::chrono::milliseconds sync_period = 2s) {
    DaemonConfig dc;
    dc.node_name = "n1";
    dc.proxier.render.masquerade_mark = "0x4000";
    dc.proxier.sync_period = sync_period;
    dc.min_sync_period = 20ms;
    dc.listen = {"127.0.0.1:0"};
    dc.informer.backoff_initial = 50ms;
    auto d = std::make_unique<Daemon>(dc, client_.get(), &backend_);
    EXPECT_TRUE(d->Start().ok());
    return d;
  }

  common::FakeApiServer server_;
  std::unique_ptr<common::RestClient> client_;
  FakeBackend backend_;
};

TEST_F(DaemonTest, SyncsFullThenPartialAndDeletesChains) {
  ASSERT_TRUE(server_.Create(kServices, Service("web", "10.96.0.10")).ok());
  ASSERT_TRUE(server_.Create(kServices, Service("db", "10.96.0.11")).ok());
  ASSERT_TRUE(server_.Create(kSlices, Slice("web", {"10.244.0.2", "10.244.0.3"})).ok());
  ASSERT_TRUE(server_.Create(kSlices, Slice("db", {"10.244.0.9"})).ok());
  auto daemon = MakeDaemon();
  ASSERT_TRUE(daemon->WaitForFirstSync(10s));
  EXPECT_TRUE(daemon->Healthy());

  // The first sync is full: both services' chains.
  std::string first = backend_.WaitFor([](const std::string& d) { return Has(d, "COMMIT"); });
  EXPECT_TRUE(Has(first, ":" + SvcChain("web") + " - [0:0]"));
  EXPECT_TRUE(Has(first, ":" + SvcChain("db") + " - [0:0]"));
  EXPECT_TRUE(Has(first, "--probability 0.5000000000 -j " + SepChain("web", "10.244.0.2:8080")));

  // An endpoint change: a partial sync rewrites web's chains only and
  // deletes the removed endpoint's chain.
  Json slice = Slice("web", {"10.244.0.2"}, "2024-05-01T10:00:00Z");
  slice["metadata"]["resourceVersion"] = server_.Get(kSlices, "default", "web-1")->at("metadata").at("resourceVersion");
  ASSERT_TRUE(server_.Update(kSlices, slice).ok());
  std::string partial = backend_.WaitFor(
      [](const std::string& d) { return Has(d, "-X " + SepChain("web", "10.244.0.3:8080")); });
  ASSERT_FALSE(partial.empty());
  EXPECT_TRUE(Has(partial, ":" + SvcChain("web") + " - [0:0]"));
  EXPECT_FALSE(Has(partial, ":" + SvcChain("db") + " - [0:0]"));
  // KUBE-SERVICES is always written whole.
  EXPECT_TRUE(Has(partial, "-A KUBE-SERVICES -m comment --comment \"default/db:http cluster IP\""));

  // Deleting a service and its slice removes its chains.
  ASSERT_TRUE(server_.Delete(kSlices, "default", "db-1").ok());
  ASSERT_TRUE(server_.Delete(kServices, "default", "db").ok());
  std::string gone = backend_.WaitFor([](const std::string& d) { return Has(d, "-X " + SvcChain("db")); });
  ASSERT_FALSE(gone.empty());
  EXPECT_TRUE(Has(gone, "-X " + SepChain("db", "10.244.0.9:8080")));
  EXPECT_FALSE(Has(gone, "default/db:http cluster IP"));
  daemon->Stop();
}

TEST_F(DaemonTest, ServesHealthAndKubeProxyMetrics) {
  ASSERT_TRUE(server_.Create(kServices, Service("web", "10.96.0.10")).ok());
  auto daemon = MakeDaemon();
  ASSERT_TRUE(daemon->WaitForFirstSync(10s));
  common::HttpClientOptions o;
  o.server = "http://" + daemon->BoundAddresses()[0];
  common::HttpClient http(o);
  auto health = http.Do("GET", "/healthz", "", {});
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
  EXPECT_TRUE(Has(health->body, "\"lastUpdated\""));
  auto metrics = http.Do("GET", "/metrics", "", {});
  ASSERT_TRUE(metrics.ok());
  for (const char* name : {"kubeproxy_sync_proxy_rules_duration_seconds_bucket",
                           "kubeproxy_sync_proxy_rules_last_timestamp_seconds",
                           "kubeproxy_network_programming_duration_seconds_bucket",
                           "kubeproxy_sync_full_proxy_rules_duration_seconds_count",
                           "kubeproxy_sync_proxy_rules_iptables_total{table=\"nat\"}"})
    EXPECT_TRUE(Has(metrics->body, name)) << name;
  daemon->Stop();
}

TEST_F(DaemonTest, VanishedCanaryForcesFullSync) {
  ASSERT_TRUE(server_.Create(kServices, Service("web", "10.96.0.10")).ok());
  ASSERT_TRUE(server_.Create(kServices, Service("db", "10.96.0.11")).ok());
  ASSERT_TRUE(server_.Create(kSlices, Slice("db", {"10.244.0.9"})).ok());
  auto daemon = MakeDaemon();
  ASSERT_TRUE(daemon->WaitForFirstSync(10s));
  backend_.WaitFor([](const std::string& d) { return Has(d, "COMMIT"); });
  // Someone flushes the nat table; the periodic sync (2 s) notices.
  backend_.DropTable("nat");
  std::string full = backend_.WaitFor(
      [](const std::string& d) { return Has(d, ":" + SvcChain("db") + " - [0:0]"); }, 8s);
  EXPECT_FALSE(full.empty());
  daemon->Stop();
}

TEST_F(DaemonTest, FailedRestoresKeepTheRulesCountAndMakeHealthzStale) {
  ASSERT_TRUE(server_.Create(kServices, Service("web", "10.96.0.10")).ok());
  ASSERT_TRUE(server_.Create(kSlices, Slice("web", {"10.244.0.2"})).ok());
  // Stale after two sync periods without a successful sync: 1 s.
  auto daemon = MakeDaemon(500ms);
  ASSERT_TRUE(daemon->WaitForFirstSync(10s));
  common::HttpClientOptions o;
  o.server = "http://" + daemon->BoundAddresses()[0];
  common::HttpClient http(o);
  auto get = [&](const std::string& path) {
    auto r = http.Do("GET", path, "", {});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : common::HttpClientResponse{};
  };
  EXPECT_EQ(get("/healthz").status, 200);
  const std::string failures = "kubeproxy_sync_proxy_rules_iptables_restore_failures_total";
  double before = MetricValue(get("/metrics").body, failures);
  ASSERT_GE(before, 0);

  // Every restore fails from now on; a change makes the daemon try.
  backend_.SetFail(true);
  ASSERT_TRUE(server_.Create(kSlices, Slice("db", {"10.244.0.9"})).ok());
  ASSERT_TRUE(server_.Create(kServices, Service("db", "10.96.0.11")).ok());
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (daemon->Healthy() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(daemon->Healthy());
  EXPECT_EQ(get("/healthz").status, 503);
  EXPECT_EQ(get("/livez").status, 503);
  EXPECT_GT(MetricValue(get("/metrics").body, failures), before);
  // The rules of the last good sync are still installed.
  EXPECT_TRUE(backend_.HasChain("nat", SvcChain("web")));
  EXPECT_FALSE(backend_.HasChain("nat", SvcChain("db")));

  // Restores work again: the retry is a full sync that catches up.
  backend_.SetFail(false);
  std::string full = backend_.WaitFor([](const std::string& d) { return Has(d, ":" + SvcChain("db") + " - [0:0]"); });
  EXPECT_TRUE(Has(full, ":" + SvcChain("web") + " - [0:0]"));
  deadline = std::chrono::steady_clock::now() + 10s;
  while (!daemon->Healthy() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(get("/healthz").status, 200);
  daemon->Stop();
}

TEST_F(DaemonTest, MalformedServiceIsSkippedCountedAndTheRestWritten) {
  ASSERT_TRUE(server_.Create(kServices, Service("web", "10.96.0.10")).ok());
  ASSERT_TRUE(server_.Create(kSlices, Slice("web", {"10.244.0.2"})).ok());
  auto daemon = MakeDaemon();
  ASSERT_TRUE(daemon->WaitForFirstSync(10s));
  common::HttpClientOptions o;
  o.server = "http://" + daemon->BoundAddresses()[0];
  common::HttpClient http(o);
  const std::string invalid = "proxyrules_invalid_objects_total{kind=\"Service\"}";
  auto value = [&] {
    auto r = http.Do("GET", "/metrics", "", {});
    return r.ok() ? std::max(0.0, MetricValue(r->body, invalid)) : -1.0;
  };
  double before = value();
  ASSERT_GE(before, 0);

  // Half-written: a cluster IP that is no IP, and a port 0.
  ASSERT_TRUE(server_.Create(kServices, Service("bad", "10.96.0.999")).ok());
  Json port0 = Service("port0", "10.96.0.12");
  port0["spec"]["ports"][0]["port"] = 0;
  ASSERT_TRUE(server_.Create(kServices, port0).ok());
  ASSERT_TRUE(server_.Create(kServices, Service("db", "10.96.0.11")).ok());
  ASSERT_TRUE(server_.Create(kSlices, Slice("db", {"10.244.0.9"})).ok());
  std::string synced = backend_.WaitFor([](const std::string& d) { return Has(d, ":" + SvcChain("db") + " - [0:0]"); });
  ASSERT_FALSE(synced.empty());
  EXPECT_TRUE(Has(synced, "default/web:http cluster IP"));
  EXPECT_FALSE(Has(synced, "default/bad:http"));
  EXPECT_FALSE(Has(synced, "default/port0:http"));
  EXPECT_GE(value(), before + 2);
  EXPECT_TRUE(daemon->Healthy());
  daemon->Stop();
}

}  // namespace
}  // namespace proxyrules
