// Test support for controller tests (included by *_test.cpp only): an
// in-memory API server, the controllers under test wired to it as the
// daemon wires them, and a stand-in kubelet that marks pods Running/Ready.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "../controller.h"
#include "../kube.h"
#include "common/fake_apiserver.h"
#include "common/informer.h"
#include "controllers.h"

namespace reconcile::testing {

using namespace std::chrono_literals;

class TestEnv {
 public:
  TestEnv() {
    EXPECT_TRUE(server_.Start().ok());
    options_.kube_api_qps = 0;  // unlimited: tests measure logic, not throttling
    client_ = std::make_unique<common::RestClient>(common::HttpClientOptions{.server = server_.url()});
    common::InformerOptions io;
    io.backoff_initial = 50ms;
    factory_ = std::make_unique<common::SharedInformerFactory>(client_.get(), io);
    for (const auto* gvr : {&kPods, &kNodes, &kReplicaSets, &kDeployments, &kEndpoints, &kEndpointSlices})
      factory_->ForResource(*gvr, CacheOptions(*gvr, io));
    std::string url = server_.url();
    ctx_ = std::make_unique<ControllerContext>(
        &options_, factory_.get(),
        [url](const std::string& component) {
          common::HttpClientOptions h;
          h.server = url;
          h.user_agent = "reconcile-test/" + component;
          return std::make_unique<common::RestClient>(h);
        },
        &registry_);
  }
  ~TestEnv() { Stop(); }

  Options& options() { return options_; }
  common::FakeApiServer& server() { return server_; }
  common::RestClient& client() { return *client_; }

  // Builds, initialises and starts `makers`' controllers once caches sync.
  void Start(std::vector<std::function<std::unique_ptr<Controller>(const Options&)>> makers) {
    for (auto& make : makers) {
      auto c = make(options_);
      ASSERT_TRUE(c->Init(*ctx_).ok());
      controllers_.push_back(std::move(c));
    }
    factory_->Start();
    ASSERT_TRUE(factory_->WaitForCacheSync(10s));
    for (auto& c : controllers_) c->Start();
  }
  void Stop() {
    StopKubelet();
    for (auto& c : controllers_) c->Stop();
    controllers_.clear();
    if (factory_) factory_->Shutdown();
  }

  // A kubelet stand-in: every active pod becomes Running and Ready (after
  // `delay`), as if it started at once.
  void StartKubelet(std::chrono::milliseconds delay = 0ms) {
    kubelet_ = std::thread([this, delay] {
      while (!kubelet_stop_.load()) {
        for (auto& p : server_.List(kPods)) {
          if (IsDeleting(p) || IsPodReady(p) || IsPodTerminal(p)) continue;
          auto created = TimeAt(p["metadata"], "creationTimestamp");
          if (delay.count() > 0 && created && common::Clock::now() - *created < delay) continue;
          MarkReady(p);
        }
        std::this_thread::sleep_for(5ms);
      }
    });
  }
  void StopKubelet() {
    kubelet_stop_ = true;
    if (kubelet_.joinable()) kubelet_.join();
  }
  void MarkReady(Json p) {
    std::string now = NowText();
    p["status"]["phase"] = "Running";
    p["status"]["podIP"] = "10.244.0." + std::to_string(++ip_ % 250 + 1);
    p["status"]["conditions"] = Json::array(
        {{{"type", "Ready"}, {"status", "True"}, {"lastTransitionTime", now}},
         {{"type", "ContainersReady"}, {"status", "True"}, {"lastTransitionTime", now}}});
    // Through the status subresource, as a kubelet writes it.
    (void)client_->UpdateStatus(kPods, Namespace(p), p);
  }

  template <typename F>
  static bool Eventually(F pred, std::chrono::milliseconds limit = 10s) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (pred()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return pred();
  }

  // Waits until the shared informer for `gvr` has `ns`/`name` in its cache:
  // what a controller sees is the cache, and two watches (ReplicaSets,
  // Deployments) deliver in no fixed order relative to each other.
  bool WaitCached(const GroupVersionResource& gvr, const std::string& ns, const std::string& name,
                  std::chrono::milliseconds limit = 10s) {
    const common::Store& store = factory_->ForResource(gvr).store();
    return Eventually([&] { return store.Get(ns, name) != nullptr; }, limit);
  }

  std::vector<Json> Active(const GroupVersionResource& gvr, const std::string& ns = "") {
    std::vector<Json> out;
    for (auto& o : server_.List(gvr))
      if ((ns.empty() || Namespace(o) == ns) && !IsDeleting(o)) out.push_back(o);
    return out;
  }

 private:
  common::FakeApiServer server_;
  Options options_;
  common::metrics::Registry registry_;
  std::unique_ptr<common::RestClient> client_;
  std::unique_ptr<common::SharedInformerFactory> factory_;
  std::unique_ptr<ControllerContext> ctx_;
  std::vector<std::unique_ptr<Controller>> controllers_;
  std::thread kubelet_;
  std::atomic<bool> kubelet_stop_{false};
  int ip_ = 0;
};

}  // namespace reconcile::testing
