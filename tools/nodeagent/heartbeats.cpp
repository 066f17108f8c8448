#include "heartbeats.h"

#include <random>

#include "common/log.h"
#include "cri_log.h"

namespace nodeagent {

using common::Json;
using Clock = std::chrono::steady_clock;

namespace {
const common::GroupVersionResource kNodes{"", "v1", "nodes"};
const common::GroupVersionResource kLeases{"coordination.k8s.io", "v1", "leases"};
const common::GroupVersionResource kNamespaces{"", "v1", "namespaces"};
constexpr const char* kLeaseNamespace = "kube-node-lease";
}  // namespace

struct Heartbeats::Node {
  std::string name;
  ReportFn report;
  std::function<void(const Json&)> on_node;
  std::mutex mu;  // one task per node at a time
  bool registered = false;
  std::string uid;
  Json lease;  // as last stored
  Json last_status;
  Clock::time_point last_post{};
};

Heartbeats::Heartbeats(common::RestClient* client, HeartbeatOptions options)
    : client_(client), opts_(options) {}

Heartbeats::~Heartbeats() { Stop(); }

void Heartbeats::AddNode(std::string name, ReportFn report, std::function<void(const Json&)> on_node) {
  auto n = std::make_unique<Node>();
  n->name = std::move(name);
  n->report = std::move(report);
  n->on_node = std::move(on_node);
  std::lock_guard<std::mutex> lock(mu_);
  nodes_.push_back(std::move(n));
}

std::chrono::milliseconds Heartbeats::Jitter(std::chrono::milliseconds base, double fraction) {
  static thread_local std::mt19937 rng(std::random_device{}());
  std::uniform_real_distribution<double> d(0, fraction);
  return std::chrono::milliseconds(static_cast<int64_t>(base.count() * (1 + d(rng))));
}

void Heartbeats::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto now = Clock::now();
    for (size_t i = 0; i < nodes_.size(); ++i) due_.push({now, i, Task::kRegister});
  }
  scheduler_ = std::thread([this] { SchedulerLoop(); });
  pthread_setname_np(scheduler_.native_handle(), "heartbeats");
  for (int i = 0; i < std::max(1, opts_.threads); ++i) {
    workers_.emplace_back([this] { WorkerLoop(); });
    pthread_setname_np(workers_.back().native_handle(), "heartbeat-send");
  }
}

void Heartbeats::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  work_cv_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
  for (auto& t : workers_)
    if (t.joinable()) t.join();
}

bool Heartbeats::AllRegistered() const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& n : nodes_)
    if (!n->registered || n->lease.is_null()) return false;
  return !nodes_.empty();
}

void Heartbeats::PostSoon(const std::string& name) {
  size_t idx = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    while (idx < nodes_.size() && nodes_[idx]->name != name) ++idx;
    if (idx == nodes_.size()) return;
  }
  Schedule(idx, Task::kStatusOnce, Clock::now());
}

void Heartbeats::Schedule(size_t node, Task task, Clock::time_point when) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    due_.push({when, node, task});
  }
  cv_.notify_all();
}

void Heartbeats::SchedulerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (due_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto next = due_.top();
    if (next.when > Clock::now()) {
      cv_.wait_until(lock, next.when);
      continue;
    }
    due_.pop();
    work_.emplace_back(next.node, next.task);
    work_cv_.notify_one();
  }
}

void Heartbeats::WorkerLoop() {
  for (;;) {
    std::pair<size_t, Task> item;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [this] { return stopping_ || !work_.empty(); });
      if (stopping_) return;
      item = work_.front();
      work_.pop_front();
    }
    Run(item.first, item.second);
  }
}

void Heartbeats::Run(size_t idx, Task task) {
  Node* n;
  {
    std::lock_guard<std::mutex> lock(mu_);
    n = nodes_[idx].get();
  }
  std::lock_guard<std::mutex> node_lock(n->mu);
  auto renew = std::chrono::duration_cast<std::chrono::milliseconds>(opts_.lease_duration) / 4;
  auto retry = std::chrono::seconds(2);
  common::Status st;
  switch (task) {
    case Task::kRegister:
      st = Register(*n);
      if (!st.ok()) {
        stats_.failures++;
        LOG_WARNING("cannot register node", {"node", n->name}, {"err", st.message()});
        Schedule(idx, Task::kRegister, Clock::now() + retry);
        return;
      }
      stats_.registrations++;
      Schedule(idx, Task::kLease, Clock::now());
      Schedule(idx, Task::kStatus, Clock::now() + Jitter(opts_.update_period, 0.1));
      return;
    case Task::kLease:
      st = RenewLease(*n);
      if (!st.ok()) {
        stats_.failures++;
        LOG_WARNING("cannot renew lease", {"node", n->name}, {"err", st.message()});
        // Retries sooner than the renew period, as the lease controller's backoff.
        Schedule(idx, Task::kLease, Clock::now() + std::min<std::chrono::milliseconds>(retry, renew));
        return;
      }
      stats_.lease_renewals++;
      Schedule(idx, Task::kLease, Clock::now() + Jitter(renew, 0.04));
      return;
    case Task::kStatus:
      st = PostStatus(*n, false);
      if (!st.ok()) {
        stats_.failures++;
        LOG_WARNING("cannot update node status", {"node", n->name}, {"err", st.message()});
        if (st.IsNotFound()) {
          // The Node was deleted: register it again, as the kubelet does after a restart.
          n->registered = false;
          Schedule(idx, Task::kRegister, Clock::now() + retry);
          return;
        }
      }
      Schedule(idx, Task::kStatus, Clock::now() + opts_.update_period);
      return;
    case Task::kStatusOnce:
      // Outside the regular chain: an unregistered node posts at registration.
      if (!n->registered) return;
      st = PostStatus(*n, false);
      if (!st.ok()) {
        stats_.failures++;
        LOG_WARNING("cannot update node status", {"node", n->name}, {"err", st.message()});
      }
      return;
  }
}

common::Status Heartbeats::Register(Node& n) {
  NodeReport r = n.report();
  Json obj = NodeObject(r, common::Clock::now());
  auto created = client_->Create(kNodes, "", obj);
  Json stored;
  if (created.ok()) {
    stored = *created;
    LOG_INFO("registered node", {"node", n.name});
  } else if (created.status().IsAlreadyExists()) {
    // Already there (a restart): bring its labels and taints up to date.
    Json patch = {{"metadata", {{"labels", obj["metadata"]["labels"]}}},
                  {"spec", {{"taints", obj["spec"].value("taints", Json::array())}}}};
    auto patched = client_->Patch(kNodes, "", n.name, common::PatchType::kMerge, patch);
    if (!patched.ok()) return patched.status();
    stored = *patched;
    // A Node without a range yet gets --pod-cidr's, so that what the node
    // uses is what the API shows (nodeipam then keeps it out of its pool).
    // One it has already (nodeipam's, say) stays: it wins over the flag.
    if (!r.pod_cidr.empty() && common::GetString(common::Get(stored, "spec"), "podCIDR").empty()) {
      Json cidr = {{"spec", {{"podCIDR", r.pod_cidr}, {"podCIDRs", Json::array({r.pod_cidr})}}}};
      auto claimed = client_->Patch(kNodes, "", n.name, common::PatchType::kMerge, cidr);
      if (claimed.ok()) stored = *claimed;
      else LOG_WARNING("cannot set the node's spec.podCIDR", {"node", n.name}, {"err", claimed.status().message()});
    }
  } else {
    return created.status();
  }
  n.uid = common::GetString(stored["metadata"], "uid");
  n.registered = true;
  n.last_status = Json();
  if (n.on_node) n.on_node(stored);
  return PostStatus(n, true);
}

common::Status Heartbeats::RenewLease(Node& n) {
  std::string now = FormatRFC3339Nano(common::Clock::now());
  // MicroTime: RFC 3339 with exactly 6 fractional digits.
  now = common::FormatRFC3339Micro(common::Clock::now());
  if (!n.lease.is_null()) {
    Json lease = n.lease;
    lease["spec"]["renewTime"] = now;
    lease["spec"]["holderIdentity"] = n.name;
    auto updated = client_->Update(kLeases, kLeaseNamespace, lease);
    if (updated.ok()) {
      n.lease = *updated;
      return common::Status::Ok();
    }
    if (!updated.status().IsConflict() && !updated.status().IsNotFound()) return updated.status();
    // Someone else wrote it, or it is gone: start over from the server's copy.
    n.lease = Json();
  }
  auto got = client_->Get(kLeases, kLeaseNamespace, n.name);
  if (got.ok()) {
    Json lease = *got;
    lease["spec"]["renewTime"] = now;
    lease["spec"]["holderIdentity"] = n.name;
    lease["spec"]["leaseDurationSeconds"] = opts_.lease_duration.count();
    auto updated = client_->Update(kLeases, kLeaseNamespace, lease);
    if (!updated.ok()) return updated.status();
    n.lease = *updated;
    return common::Status::Ok();
  }
  if (!got.status().IsNotFound()) return got.status();
  Json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                {"kind", "Lease"},
                {"metadata", {{"name", n.name}, {"namespace", kLeaseNamespace}}},
                {"spec",
                 {{"holderIdentity", n.name},
                  {"leaseDurationSeconds", opts_.lease_duration.count()},
                  {"renewTime", now}}}};
  if (!n.uid.empty())
    lease["metadata"]["ownerReferences"] = Json::array(
        {{{"apiVersion", "v1"}, {"kind", "Node"}, {"name", n.name}, {"uid", n.uid}}});
  auto created = client_->Create(kLeases, kLeaseNamespace, lease);
  if (!created.ok() && created.status().IsNotFound()) {
    // The namespace is missing (the API server normally creates it).
    Json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", kLeaseNamespace}}}};
    auto made = client_->Create(kNamespaces, "", ns);
    if (!made.ok() && !made.status().IsAlreadyExists()) return made.status();
    created = client_->Create(kLeases, kLeaseNamespace, lease);
  }
  if (!created.ok()) return created.status();
  n.lease = *created;
  return common::Status::Ok();
}

common::Status Heartbeats::PostStatus(Node& n, bool force) {
  NodeReport r = n.report();
  Json status = NodeStatus(r, n.last_status, common::Clock::now());
  bool due = Clock::now() - n.last_post >= opts_.report_period;
  if (!force && !due && !n.last_status.is_null() && !NodeStatusChanged(status, n.last_status))
    return common::Status::Ok();
  auto patched = client_->Patch(kNodes, "", n.name, common::PatchType::kMerge, Json{{"status", status}},
                                {}, "status");
  if (!patched.ok()) return patched.status();
  stats_.status_posts++;
  n.last_status = status;
  n.last_post = Clock::now();
  if (n.on_node) n.on_node(*patched);
  return common::Status::Ok();
}

}  // namespace nodeagent
