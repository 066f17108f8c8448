#include "engine/queue.h"

#include <algorithm>

namespace schedule {

bool SchedulingQueue::ActiveLess::operator()(const QueuedPodInfoPtr& a, const QueuedPodInfoPtr& b) const {
  if (a->pod->priority != b->pod->priority) return a->pod->priority > b->pod->priority;
  if (a->timestamp != b->timestamp) return a->timestamp < b->timestamp;
  return a->seq < b->seq;
}

bool SchedulingQueue::BackoffLess::operator()(const QueuedPodInfoPtr& a, const QueuedPodInfoPtr& b) const {
  MonoTime ea = q->BackoffExpiry(*a), eb = q->BackoffExpiry(*b);
  if (ea != eb) return ea < eb;
  return a->seq < b->seq;
}

SchedulingQueue::SchedulingQueue(const Clock* clock, QueueOptions options)
    : clock_(clock), opts_(std::move(options)), backoff_(BackoffLess{this}) {}

SchedulingQueue::~SchedulingQueue() {
  Close();
  if (runner_) {
    runner_->join();
    delete runner_;
  }
}

std::chrono::nanoseconds SchedulingQueue::BackoffDuration(const QueuedPodInfo& info) const {
  if (info.attempts == 0) return std::chrono::nanoseconds(0);
  auto d = opts_.initial_backoff;
  for (int i = 1; i < info.attempts; ++i) {
    if (d > opts_.max_backoff - d) return opts_.max_backoff;
    d += d;
  }
  return d;
}

void SchedulingQueue::SetPluginEvents(std::vector<std::pair<std::string, std::vector<ClusterEvent>>> events) {
  std::lock_guard<std::mutex> lock(mu_);
  opts_.plugin_events = std::move(events);
}

void SchedulingQueue::AddToActiveLocked(QueuedPodInfoPtr info) {
  if (opts_.pre_enqueue) {
    Status s = opts_.pre_enqueue(*info->pod);
    if (!s.IsSuccess()) {
      info->gated = true;
      info->gated_message = s.Message();
      info->unschedulable_plugins = {std::string(s.plugin())};
      unschedulable_[info->pod->uid] = info;
      by_uid_[info->pod->uid] = info;
      return;
    }
  }
  info->gated = false;
  active_.insert(info);
  by_uid_[info->pod->uid] = info;
  cv_.notify_one();
}

void SchedulingQueue::Add(PodPtr pod) {
  std::lock_guard<std::mutex> lock(mu_);
  if (by_uid_.count(pod->uid) || in_flight_.count(pod->uid)) return;
  auto info = std::make_shared<QueuedPodInfo>();
  info->pod = pod;
  info->timestamp = clock_->Now();
  info->seq = ++seq_;
  AddToActiveLocked(info);
  if (!pod->nominated_node_name.empty()) AddNominatedLocked(pod, pod->nominated_node_name);
}

QueuedPodInfoPtr SchedulingQueue::RemoveLocked(const std::string& uid) {
  auto it = by_uid_.find(uid);
  if (it == by_uid_.end()) return nullptr;
  QueuedPodInfoPtr info = it->second;
  by_uid_.erase(it);
  active_.erase(info);
  backoff_.erase(info);
  unschedulable_.erase(uid);
  return info;
}

void SchedulingQueue::Update(const Pod& old_pod, PodPtr pod) {
  std::lock_guard<std::mutex> lock(mu_);
  // A change the scheduler does not look at (its own PodScheduled condition,
  // say) leaves the pod where it is, as upstream's isPodUpdated.
  if (auto it = by_uid_.find(old_pod.uid); it != by_uid_.end() && !PodUpdated(old_pod, *pod)) {
    it->second->pod = std::move(pod);
    return;
  }
  QueuedPodInfoPtr info = RemoveLocked(old_pod.uid);
  if (!info) {
    if (in_flight_.count(pod->uid)) return;  // the scheduling cycle in progress decides
    info = std::make_shared<QueuedPodInfo>();
    info->timestamp = clock_->Now();
    info->seq = ++seq_;
  }
  bool was_unschedulable = info->gated || !info->unschedulable_plugins.empty();
  info->pod = pod;
  // An update may make the pod schedulable: retry it (after its backoff).
  if (was_unschedulable && IsBackingOff(*info)) {
    backoff_.insert(info);
    by_uid_[pod->uid] = info;
  } else {
    AddToActiveLocked(info);
  }
  if (nominated_node_.count(pod->uid) || !pod->nominated_node_name.empty()) {
    DeleteNominatedLocked(pod->uid);
    if (!pod->nominated_node_name.empty()) AddNominatedLocked(pod, pod->nominated_node_name);
  }
}

void SchedulingQueue::Delete(const Pod& pod) {
  std::lock_guard<std::mutex> lock(mu_);
  RemoveLocked(pod.uid);
  DeleteNominatedLocked(pod.uid);
}

QueuedPodInfoPtr SchedulingQueue::Pop() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return closed_ || !active_.empty(); });
  if (closed_) return nullptr;
  QueuedPodInfoPtr info = *active_.begin();
  active_.erase(active_.begin());
  by_uid_.erase(info->pod->uid);
  in_flight_.insert(info->pod->uid);
  ++cycle_;
  if (info->attempts++ == 0) info->initial_attempt = clock_->Now();
  return info;
}

QueuedPodInfoPtr SchedulingQueue::TryPop() {
  std::lock_guard<std::mutex> lock(mu_);
  if (active_.empty()) return nullptr;
  QueuedPodInfoPtr info = *active_.begin();
  active_.erase(active_.begin());
  by_uid_.erase(info->pod->uid);
  in_flight_.insert(info->pod->uid);
  ++cycle_;
  if (info->attempts++ == 0) info->initial_attempt = clock_->Now();
  return info;
}

void SchedulingQueue::Done(const std::string& uid) {
  std::lock_guard<std::mutex> lock(mu_);
  in_flight_.erase(uid);
}

int64_t SchedulingQueue::SchedulingCycle() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cycle_;
}

void SchedulingQueue::MoveLocked(QueuedPodInfoPtr info) {
  if (IsBackingOff(*info)) {
    backoff_.insert(info);
    by_uid_[info->pod->uid] = info;
  } else {
    AddToActiveLocked(info);
  }
}

void SchedulingQueue::AddUnschedulableIfNotPresent(QueuedPodInfoPtr info, int64_t pod_cycle) {
  std::lock_guard<std::mutex> lock(mu_);
  in_flight_.erase(info->pod->uid);
  if (by_uid_.count(info->pod->uid)) return;
  info->timestamp = clock_->Now();
  info->seq = ++seq_;
  // An event arrived while this pod was being scheduled, or nothing in
  // particular rejected it (an error): retry after the backoff.
  if (move_request_cycle_ >= pod_cycle || info->unschedulable_plugins.empty()) {
    backoff_.insert(info);
    by_uid_[info->pod->uid] = info;
    return;
  }
  unschedulable_[info->pod->uid] = info;
  by_uid_[info->pod->uid] = info;
}

bool SchedulingQueue::MatchesEvent(const QueuedPodInfo& info, const ClusterEvent& event) const {
  if (event.resource == EventResource::kWildCard) return true;
  if (info.unschedulable_plugins.empty()) return true;
  for (const auto& [plugin, events] : opts_.plugin_events) {
    if (!info.unschedulable_plugins.count(plugin)) continue;
    for (const auto& e : events)
      if (e.Covers(event)) return true;
  }
  return false;
}

void SchedulingQueue::MoveAllToActiveOrBackoffQueue(const ClusterEvent& event) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<QueuedPodInfoPtr> moving;
  for (const auto& [uid, info] : unschedulable_)
    if (MatchesEvent(*info, event)) moving.push_back(info);
  // Keep arrival order so the result does not depend on hashing.
  std::sort(moving.begin(), moving.end(), [](const auto& a, const auto& b) { return a->seq < b->seq; });
  for (auto& info : moving) {
    unschedulable_.erase(info->pod->uid);
    by_uid_.erase(info->pod->uid);
    if (info->gated) {
      AddToActiveLocked(info);  // re-runs PreEnqueue
    } else {
      MoveLocked(info);
    }
  }
  move_request_cycle_ = cycle_;
}

void SchedulingQueue::FlushBackoffQCompleted() {
  std::lock_guard<std::mutex> lock(mu_);
  MonoTime now = clock_->Now();
  while (!backoff_.empty()) {
    QueuedPodInfoPtr info = *backoff_.begin();
    if (BackoffExpiry(*info) > now) break;
    backoff_.erase(backoff_.begin());
    AddToActiveLocked(info);
  }
}

void SchedulingQueue::FlushUnschedulablePodsLeftover() {
  std::lock_guard<std::mutex> lock(mu_);
  MonoTime now = clock_->Now();
  std::vector<QueuedPodInfoPtr> moving;
  for (const auto& [uid, info] : unschedulable_)
    if (!info->gated && now - info->timestamp > opts_.max_in_unschedulable) moving.push_back(info);
  std::sort(moving.begin(), moving.end(), [](const auto& a, const auto& b) { return a->seq < b->seq; });
  for (auto& info : moving) {
    unschedulable_.erase(info->pod->uid);
    by_uid_.erase(info->pod->uid);
    MoveLocked(info);
  }
}

std::optional<MonoTime> SchedulingQueue::NextBackoffExpiry() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (backoff_.empty()) return std::nullopt;
  return BackoffExpiry(**backoff_.begin());
}

void SchedulingQueue::Run() {
  std::lock_guard<std::mutex> lock(mu_);
  if (runner_) return;
  runner_ = new std::thread([this] {
    int ticks = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> l(mu_);
        if (flush_cv_.wait_for(l, std::chrono::seconds(1), [&] { return closed_; })) return;
      }
      FlushBackoffQCompleted();
      if (++ticks % 30 == 0) FlushUnschedulablePodsLeftover();
    }
  });
}

void SchedulingQueue::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  cv_.notify_all();
  flush_cv_.notify_all();
}

void SchedulingQueue::AddNominatedLocked(PodPtr pod, const std::string& node) {
  DeleteNominatedLocked(pod->uid);
  if (node.empty()) return;
  nominated_[node].push_back(pod);
  nominated_node_[pod->uid] = node;
  nominated_count_.store(nominated_node_.size(), std::memory_order_relaxed);
}

void SchedulingQueue::DeleteNominatedLocked(const std::string& uid) {
  auto it = nominated_node_.find(uid);
  if (it == nominated_node_.end()) return;
  auto& pods = nominated_[it->second];
  pods.erase(std::remove_if(pods.begin(), pods.end(), [&](const PodPtr& p) { return p->uid == uid; }), pods.end());
  if (pods.empty()) nominated_.erase(it->second);
  nominated_node_.erase(it);
  nominated_count_.store(nominated_node_.size(), std::memory_order_relaxed);
}

void SchedulingQueue::AddNominatedPod(PodPtr pod, const std::string& node) {
  std::lock_guard<std::mutex> lock(mu_);
  AddNominatedLocked(std::move(pod), node);
}

void SchedulingQueue::DeleteNominatedPodIfExists(const Pod& pod) {
  std::lock_guard<std::mutex> lock(mu_);
  DeleteNominatedLocked(pod.uid);
}

std::vector<PodPtr> SchedulingQueue::NominatedPodsForNode(const std::string& node) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nominated_.find(node);
  return it == nominated_.end() ? std::vector<PodPtr>{} : it->second;
}

bool SchedulingQueue::Empty() const { return nominated_count_.load(std::memory_order_relaxed) == 0; }

SchedulingQueue::Counts SchedulingQueue::PendingCounts() const {
  std::lock_guard<std::mutex> lock(mu_);
  Counts c;
  c.active = active_.size();
  c.backoff = backoff_.size();
  for (const auto& [uid, info] : unschedulable_) (info->gated ? c.gated : c.unschedulable)++;
  return c;
}

std::vector<QueuedPodInfoPtr> SchedulingQueue::UnschedulablePods() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<QueuedPodInfoPtr> out;
  for (const auto& [uid, info] : unschedulable_) out.push_back(info);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a->seq < b->seq; });
  return out;
}

}  // namespace schedule
