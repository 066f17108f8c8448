#include "status_manager.h"

#include "common/log.h"

namespace nodeagent {

using common::Json;

namespace {
const common::GroupVersionResource kPods{"", "v1", "pods"};
}

StatusManager::StatusManager(common::RestClient* client, int threads)
    : client_(client), threads_(std::max(1, threads)) {}

StatusManager::~StatusManager() { Stop(); }

void StatusManager::Start() {
  for (int i = 0; i < threads_; ++i) {
    workers_.emplace_back([this] { Loop(); });
    pthread_setname_np(workers_.back().native_handle(), "pod-status");
  }
}

void StatusManager::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  idle_cv_.notify_all();
  for (auto& t : workers_)
    if (t.joinable()) t.join();
}

void StatusManager::Enqueue(const std::string& uid, Entry& e) {
  if (e.queued || e.in_flight) return;
  e.queued = true;
  queue_.push_back(uid);
  cv_.notify_one();
}

void StatusManager::Set(const std::string& uid, const std::string& ns, const std::string& name,
                        Json status) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[uid];
  if (e.dirty) stats_.coalesced++;
  e.ns = ns;
  e.name = name;
  e.status = std::move(status);
  e.dirty = true;
  Enqueue(uid, e);
}

void StatusManager::Finalize(const std::string& uid, const std::string& ns, const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[uid];
  e.ns = ns;
  e.name = name;
  e.finalize = true;
  Enqueue(uid, e);
}

void StatusManager::Forget(const std::string& uid) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(uid);
  if (it != entries_.end() && !it->second.in_flight) entries_.erase(it);
  else if (it != entries_.end()) it->second.dirty = it->second.finalize = false;
}

size_t StatusManager::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size() + static_cast<size_t>(busy_);
}

bool StatusManager::Flush(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return idle_cv_.wait_for(lock, timeout, [this] { return stopping_ || (queue_.empty() && busy_ == 0); });
}

void StatusManager::Loop() {
  for (;;) {
    std::string uid;
    Entry snapshot;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      uid = queue_.front();
      queue_.pop_front();
      auto it = entries_.find(uid);
      if (it == entries_.end()) continue;
      Entry& e = it->second;
      e.queued = false;
      e.in_flight = true;
      // The status moves to the sender: an entry holds a status only while
      // it is unsent (a copy per pod would be one more pod-sized tree each).
      snapshot = std::move(e);
      e = Entry{};
      e.ns = snapshot.ns;
      e.name = snapshot.name;
      e.finalize = snapshot.finalize;
      e.failures = snapshot.failures;
      e.in_flight = true;
      ++busy_;
    }
    common::Status st;
    bool sent_delete = false;
    if (snapshot.dirty) {
      // The uid in metadata makes the patch a precondition: a pod recreated
      // under the same name is never given this one's status.
      Json patch = {{"metadata", {{"uid", uid}}}, {"status", snapshot.status}};
      auto r = client_->Patch(kPods, snapshot.ns, snapshot.name, common::PatchType::kMerge, patch,
                              {}, "status");
      st = r.status();
      if (st.ok()) stats_.patches++;
    }
    if (st.ok() && snapshot.finalize && !snapshot.dirty) {
      common::DeleteOptions del;
      del.grace_period_seconds = 0;
      del.precondition_uid = uid;
      auto r = client_->Delete(kPods, snapshot.ns, snapshot.name, del);
      st = r.status();
      if (st.IsNotFound() || st.IsConflict()) st = common::Status::Ok();  // already gone
      if (st.ok()) {
        stats_.deletes++;
        sent_delete = true;
      }
    }
    bool requeue_later = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      --busy_;
      auto it = entries_.find(uid);
      if (it != entries_.end()) {
        Entry& e = it->second;
        e.in_flight = false;
        if (st.IsNotFound()) {
          entries_.erase(it);  // the pod is gone from the API
        } else if (!st.ok()) {
          stats_.failures++;
          if (!e.dirty) {
            e.dirty = snapshot.dirty;
            if (e.dirty && e.status.is_null()) e.status = snapshot.status;
          }
          if (snapshot.dirty && !e.dirty) e.dirty = true, e.status = snapshot.status;
          e.failures++;
          requeue_later = true;
        } else {
          e.failures = 0;
          if (sent_delete) e.finalize = false;
          if (e.dirty || (e.finalize && !sent_delete)) Enqueue(uid, e);
          else entries_.erase(it);  // nothing left to send: hold nothing per pod
        }
      }
      if (queue_.empty() && busy_ == 0) idle_cv_.notify_all();
    }
    if (requeue_later) {
      LOG_WARNING("cannot update pod status", {"pod", snapshot.ns + "/" + snapshot.name},
                  {"err", st.message()});
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      std::lock_guard<std::mutex> lock(mu_);
      auto it = entries_.find(uid);
      if (it != entries_.end()) Enqueue(uid, it->second);
    }
  }
}

}  // namespace nodeagent
