// Keeps nodes registered and alive in the API: registers each Node (or
// refreshes its labels and taints when it exists), creates and renews its
// Lease in kube-node-lease every leaseDuration/4, computes its status every
// update period and posts it when it changed or the report period passed.
// One scheduler thread and a few sender threads serve any number of nodes
// (--fake-nodes), on a client of their own: heartbeats never wait behind pod
// status traffic (the seed's point about the kubelet's main thread).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <vector>

#include "common/json.h"
#include "common/rest_client.h"
#include "node_status.h"

namespace nodeagent {

struct HeartbeatOptions {
  std::chrono::seconds lease_duration{40};
  std::chrono::milliseconds update_period{10000};   // --node-status-update-frequency
  std::chrono::milliseconds report_period{300000};  // --node-status-report-frequency
  int threads = 2;
  bool register_node = true;
};

struct HeartbeatStats {
  std::atomic<uint64_t> registrations{0}, lease_renewals{0}, status_posts{0}, failures{0};
};

class Heartbeats {
 public:
  using ReportFn = std::function<NodeReport()>;
  // `client` must outlive this object.
  Heartbeats(common::RestClient* client, HeartbeatOptions options);
  ~Heartbeats();  // Stop()

  // Adds a node; `report` gives its current report (called on sender
  // threads). `on_registered` (optional) gets the Node as the server stored
  // it, after registration and after every status post.
  void AddNode(std::string name, ReportFn report,
               std::function<void(const common::Json& node)> on_node = nullptr);
  void Start();
  void Stop();
  // True once every node is registered and has a lease.
  bool AllRegistered() const;

  // Posts node `name`'s status now if it changed (e.g. its pod network just
  // became ready), besides the regular update-period checks. Unknown names
  // are ignored.
  void PostSoon(const std::string& name);
  const HeartbeatStats& stats() const { return stats_; }

 private:
  struct Node;
  enum class Task { kRegister, kLease, kStatus, kStatusOnce };
  struct Due {
    std::chrono::steady_clock::time_point when;
    size_t node;
    Task task;
    bool operator>(const Due& o) const { return when > o.when; }
  };
  void Schedule(size_t node, Task task, std::chrono::steady_clock::time_point when);
  void SchedulerLoop();
  void WorkerLoop();
  void Run(size_t idx, Task task);
  common::Status Register(Node& n);
  common::Status RenewLease(Node& n);
  common::Status PostStatus(Node& n, bool force);
  std::chrono::milliseconds Jitter(std::chrono::milliseconds base, double fraction);

  common::RestClient* client_;
  HeartbeatOptions opts_;
  HeartbeatStats stats_;
  std::vector<std::unique_ptr<Node>> nodes_;
  mutable std::mutex mu_;
  std::condition_variable cv_, work_cv_;
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> due_;
  std::deque<std::pair<size_t, Task>> work_;
  bool stopping_ = false;
  bool ns_checked_ = false;
  std::thread scheduler_;
  std::vector<std::thread> workers_;
};

}  // namespace nodeagent
