// Watch: etcd's watchableStore in miniature. Synced watchers sit in an index
// (exact keys in a hash map, ranges grouped by identical range) and get each
// committed revision from the dispatcher thread; a watcher whose start
// revision is in the past, or that fell more than watch_buffer_events behind,
// is unsynced and catches up from the database in batches on the watch
// threads, then rejoins the synced set. Writers only append to a queue, and a
// slow callback holds up nobody but its own watcher.
#include "common/log.h"
#include "mvcc_internal.h"

namespace common::mvcc {

struct WatcherState {
  int64_t id = 0;
  std::string key;
  std::string end;  // "" = one key, "\0" = every key >= key
  bool prev_kv = false;
  bool no_put = false;
  bool no_delete = false;
  bool progress_notify = false;
  kv::WatchCallback cb;

  // Guarded by the hub's mu_.
  int64_t next_rev = 0;  // first revision not yet handed to the watcher
  bool synced = false;
  bool catching_up = false;
  bool finished = false;  // removed from the hub (canceled or compacted)
  bool progress_asked = false;  // a progress request came while catching up

  // Guarded by mu.
  std::mutex mu;
  std::deque<kv::WatchResponse> queue;
  int64_t queued_events = 0;
  bool scheduled = false;

  std::atomic<bool> canceled{false};
  std::mutex cb_mu;  // held while the callback runs
  std::atomic<std::thread::id> cb_thread{};

  bool Matches(std::string_view k) const {
    if (end.empty()) return k == key;
    if (k < std::string_view(key)) return false;
    return (end.size() == 1 && end[0] == '\0') || k < std::string_view(end);
  }
  bool Wants(const kv::Event& ev) const {
    return ev.type == kv::Event::Type::kPut ? !no_put : !no_delete;
  }
};

namespace {

// The revision a progress response to a synced watcher may report: every
// event up to it has been queued for the watcher. The dispatcher's revision
// alone is not enough: a watcher that caught up from the database has already
// been sent events up to the published revision, which the dispatcher may not
// have reached yet, and reporting the dispatcher's revision would take the
// watcher's revision backwards (etcd never reports less than what was sent).
// REQUIRES: the hub's mu_ held, w synced.
int64_t ProgressRevision(const WatcherState& w, int64_t dispatched_rev) {
  return std::max(dispatched_rev, w.next_rev - 1);
}

class WatcherHandle : public kv::Watcher {
 public:
  WatcherHandle(std::shared_ptr<WatcherState> w, std::weak_ptr<WatchHub> hub)
      : w_(std::move(w)), hub_(std::move(hub)) {}
  ~WatcherHandle() override { Cancel(); }
  void Cancel() override {
    if (auto hub = hub_.lock()) {
      hub->Cancel(w_);
      return;
    }
    w_->canceled = true;
    if (w_->cb_thread.load() != std::this_thread::get_id()) {
      std::lock_guard<std::mutex> lk(w_->cb_mu);
    }
  }
  void RequestProgress() override {
    if (auto hub = hub_.lock()) hub->RequestProgress(w_);
  }

 private:
  std::shared_ptr<WatcherState> w_;
  std::weak_ptr<WatchHub> hub_;
};

}  // namespace

WatchHub::WatchHub(Engine* engine, int64_t rev) : engine_(engine), dispatched_rev_(rev) {
  dispatcher_ = std::thread([this] { DispatchLoop(); });
  int n = std::max(1, engine_->options().watch_threads);
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

WatchHub::~WatchHub() { Stop(); }

void WatchHub::Stop() {
  {
    std::lock_guard<std::mutex> lk(nq_mu_);
    if (stop_) return;
    stop_ = true;
  }
  nq_cv_.notify_all();
  {
    // Workers test stop_ under wq_mu_: taking it once here means each is
    // either past its test or already waiting, so the notify is not lost.
    std::lock_guard<std::mutex> lk(wq_mu_);
  }
  wq_cv_.notify_all();
  if (dispatcher_.joinable()) dispatcher_.join();
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  std::lock_guard<std::mutex> lk(mu_);
  for (auto& [k, ws] : key_watchers_) {
    for (auto& w : ws) w->canceled = true;
  }
  for (auto& [k, ws] : range_watchers_) {
    for (auto& w : ws) w->canceled = true;
  }
  for (auto& w : unsynced_) w->canceled = true;
  key_watchers_.clear();
  range_watchers_.clear();
  unsynced_.clear();
}

int64_t WatchHub::watcher_count() const {
  std::lock_guard<std::mutex> lk(mu_);
  int64_t n = static_cast<int64_t>(unsynced_.size());
  for (const auto& [k, ws] : key_watchers_) n += static_cast<int64_t>(ws.size());
  for (const auto& [k, ws] : range_watchers_) n += static_cast<int64_t>(ws.size());
  return n;
}

Result<std::unique_ptr<kv::Watcher>> WatchHub::Watch(const kv::WatchRequest& req,
                                                     kv::WatchCallback cb) {
  auto w = std::make_shared<WatcherState>();
  w->key = req.key;
  w->end = req.range_end;
  w->prev_kv = req.prev_kv;
  w->no_put = req.no_put;
  w->no_delete = req.no_delete;
  w->progress_notify = req.progress_notify;
  w->cb = std::move(cb);
  std::unique_ptr<kv::Watcher> handle(new WatcherHandle(w, weak_from_this()));
  std::lock_guard<std::mutex> lk(mu_);
  w->id = next_id_++;
  int64_t compact = engine_->CompactRevision();
  if (req.start_revision > 0 && req.start_revision < compact) {
    // etcd: a watcher whose minRev < compactRev gets one response carrying
    // compact_revision and is canceled.
    kv::WatchResponse resp;
    resp.canceled = true;
    resp.compact_revision = compact;
    w->finished = true;
    Enqueue(w, std::move(resp), 0);
    return handle;
  }
  w->next_rev = req.start_revision > 0 ? req.start_revision : engine_->CurrentRevision() + 1;
  Metrics::Get().watchers.Inc();
  if (w->prev_kv) ++prev_kv_watchers_;
  // Revisions up to the published one are replayed from the database even if
  // the dispatcher has not handed them out yet, so a replay always reflects
  // the database (e.g. after a compaction) rather than the dispatch queue.
  if (w->next_rev > engine_->CurrentRevision()) {
    AddSynced(w);
  } else {
    w->catching_up = true;
    unsynced_.insert(w);
    Metrics::Get().slow_watchers.Inc();
    Schedule(w);
  }
  return handle;
}

void WatchHub::AddSynced(const std::shared_ptr<WatcherState>& w) {
  w->synced = true;
  if (w->progress_asked) {
    // Answered now that every event up to next_rev - 1 has been queued.
    w->progress_asked = false;
    kv::WatchResponse resp;
    resp.revision = ProgressRevision(*w, dispatched_rev_);
    resp.progress = true;
    Enqueue(w, std::move(resp), 0);
  }
  if (w->end.empty()) {
    key_watchers_[w->key].push_back(w);
  } else {
    range_watchers_[{w->key, w->end}].push_back(w);
  }
}

void WatchHub::RemoveSynced(const std::shared_ptr<WatcherState>& w) {
  if (!w->synced) return;
  w->synced = false;
  auto drop = [&](std::vector<std::shared_ptr<WatcherState>>& v) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == w) {
        v[i] = std::move(v.back());
        v.pop_back();
        return;
      }
    }
  };
  if (w->end.empty()) {
    auto it = key_watchers_.find(w->key);
    if (it == key_watchers_.end()) return;
    drop(it->second);
    if (it->second.empty()) key_watchers_.erase(it);
  } else {
    auto it = range_watchers_.find({w->key, w->end});
    if (it == range_watchers_.end()) return;
    drop(it->second);
    if (it->second.empty()) range_watchers_.erase(it);
  }
}

void WatchHub::Cancel(const std::shared_ptr<WatcherState>& w) {
  w->canceled = true;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (!w->finished) {
      w->finished = true;
      RemoveSynced(w);
      if (unsynced_.erase(w) != 0) Metrics::Get().slow_watchers.Dec();
      if (w->prev_kv) --prev_kv_watchers_;
      Metrics::Get().watchers.Dec();
    }
  }
  // Wait out a callback in flight, unless the callback itself is canceling.
  if (w->cb_thread.load() != std::this_thread::get_id()) {
    std::lock_guard<std::mutex> lk(w->cb_mu);
  }
}

void WatchHub::RequestProgress(const std::shared_ptr<WatcherState>& w) {
  std::lock_guard<std::mutex> lk(mu_);
  // Like etcd, only a synced watcher answers: an unsynced one is still
  // receiving older events, and answers once it has caught up.
  if (w->finished) return;
  if (!w->synced) {
    w->progress_asked = true;
    return;
  }
  kv::WatchResponse resp;
  resp.revision = ProgressRevision(*w, dispatched_rev_);
  resp.progress = true;
  Enqueue(w, std::move(resp), 0);
}

void WatchHub::ProgressTick() {
  std::lock_guard<std::mutex> lk(mu_);
  auto tick = [&](const std::shared_ptr<WatcherState>& w) {
    if (!w->progress_notify) return;
    kv::WatchResponse resp;
    resp.revision = ProgressRevision(*w, dispatched_rev_);
    resp.progress = true;
    Enqueue(w, std::move(resp), 0);
  };
  for (auto& [k, ws] : key_watchers_) {
    for (auto& w : ws) tick(w);
  }
  for (auto& [k, ws] : range_watchers_) {
    for (auto& w : ws) tick(w);
  }
}

void WatchHub::Notify(std::vector<kv::Event> events, int64_t rev) {
  {
    std::lock_guard<std::mutex> lk(nq_mu_);
    nq_.emplace_back(std::move(events), rev);
  }
  nq_cv_.notify_one();
}

void WatchHub::DispatchLoop() {
  for (;;) {
    std::deque<std::pair<std::vector<kv::Event>, int64_t>> batch;
    {
      std::unique_lock<std::mutex> lk(nq_mu_);
      nq_cv_.wait(lk, [this] { return stop_ || !nq_.empty(); });
      if (stop_) return;
      batch.swap(nq_);
    }
    for (auto& [events, rev] : batch) Dispatch(events, rev);
  }
}

void WatchHub::Dispatch(const std::vector<kv::Event>& events, int64_t rev) {
  std::lock_guard<std::mutex> lk(mu_);
  size_t i = 0;
  // Per revision: find the watchers of each event, build one response per
  // watcher, hand them over. Cost is O(events x (1 + range groups) +
  // deliveries), independent of how many watchers share a key or range.
  std::vector<std::pair<WatcherState*, kv::WatchResponse>> out;
  std::unordered_map<WatcherState*, size_t> slot;
  std::vector<std::shared_ptr<WatcherState>> owners;
  while (i < events.size()) {
    int64_t r = events[i].kv.mod_revision;
    size_t j = i;
    while (j < events.size() && events[j].kv.mod_revision == r) ++j;
    out.clear();
    slot.clear();
    owners.clear();
    for (size_t e = i; e < j; ++e) {
      const kv::Event& ev = events[e];
      std::optional<std::optional<kv::KeyValue>> prev;  // fetched once, on demand
      auto add = [&](const std::shared_ptr<WatcherState>& w) {
        if (w->next_rev > r || !w->Wants(ev)) return;
        auto [it, fresh] = slot.emplace(w.get(), out.size());
        if (fresh) {
          out.emplace_back(w.get(), kv::WatchResponse{});
          out.back().second.revision = r;
          owners.push_back(w);
        }
        kv::Event copy = ev;
        if (w->prev_kv) {
          if (!prev) prev = engine_->GetAt(ev.kv.key, r - 1);
          copy.prev_kv = *prev;
        }
        out[it->second].second.events.push_back(std::move(copy));
      };
      auto kit = key_watchers_.find(ev.kv.key);
      if (kit != key_watchers_.end()) {
        for (const auto& w : kit->second) add(w);
      }
      for (const auto& [range, ws] : range_watchers_) {
        if (ws.empty() || !ws.front()->Matches(ev.kv.key)) continue;
        for (const auto& w : ws) add(w);
      }
    }
    for (size_t k = 0; k < out.size(); ++k) {
      auto& w = owners[k];
      int64_t n = static_cast<int64_t>(out[k].second.events.size());
      Enqueue(w, std::move(out[k].second), n);
      if (w->synced) w->next_rev = r + 1;
    }
    i = j;
  }
  dispatched_rev_ = rev;
}

// REQUIRES: mu_ held.
void WatchHub::Enqueue(const std::shared_ptr<WatcherState>& w, kv::WatchResponse resp,
                       int64_t events) {
  {
    std::lock_guard<std::mutex> lk(w->mu);
    if (events > 0 && w->queued_events + events > engine_->options().watch_buffer_events &&
        w->synced) {
      // Too slow: stop buffering; it catches up from the database from this
      // revision once its queue drains (etcd's victim/unsynced watchers).
      RemoveSynced(w);
      w->next_rev = resp.revision;
      w->catching_up = true;
      unsynced_.insert(w);
      Metrics::Get().slow_watchers.Inc();
    } else {
      w->queued_events += events;
      w->queue.push_back(std::move(resp));
      Metrics::Get().events.Inc(static_cast<double>(events));
    }
    if (w->scheduled) return;
    w->scheduled = true;
  }
  {
    std::lock_guard<std::mutex> lk(wq_mu_);
    wq_.push_back(w);
  }
  wq_cv_.notify_one();
}

// REQUIRES: mu_ held.
void WatchHub::Schedule(const std::shared_ptr<WatcherState>& w) {
  {
    std::lock_guard<std::mutex> lk(w->mu);
    if (w->scheduled) return;
    w->scheduled = true;
  }
  {
    std::lock_guard<std::mutex> lk(wq_mu_);
    wq_.push_back(w);
  }
  wq_cv_.notify_one();
}

void WatchHub::WorkerLoop() {
  for (;;) {
    std::shared_ptr<WatcherState> w;
    {
      std::unique_lock<std::mutex> lk(wq_mu_);
      wq_cv_.wait(lk, [this] { return stop_.load() || !wq_.empty(); });
      if (stop_) return;
      w = std::move(wq_.front());
      wq_.pop_front();
    }
    Drain(std::move(w));
  }
}

void WatchHub::Deliver(WatcherState& w, kv::WatchResponse resp) {
  std::lock_guard<std::mutex> lk(w.cb_mu);
  if (w.canceled) return;
  w.cb_thread = std::this_thread::get_id();
  try {
    w.cb(std::move(resp));
  } catch (const std::exception& e) {
    LOG_ERROR("mvcc: a watch callback threw", {"error", e.what()});
  } catch (...) {
    LOG_ERROR("mvcc: a watch callback threw");
  }
  w.cb_thread = std::thread::id();
}

void WatchHub::Drain(std::shared_ptr<WatcherState> w) {
  // Deliver what is queued, a bounded number at a time so one busy watcher
  // does not monopolize a thread; then, if unsynced, one catch-up step.
  for (int n = 0; n < 64; ++n) {
    kv::WatchResponse resp;
    {
      std::lock_guard<std::mutex> lk(w->mu);
      if (w->queue.empty()) break;
      resp = std::move(w->queue.front());
      w->queue.pop_front();
      w->queued_events -= static_cast<int64_t>(resp.events.size());
    }
    Deliver(*w, std::move(resp));
  }
  bool again = false;
  {
    std::lock_guard<std::mutex> lk(w->mu);
    again = !w->queue.empty();
  }
  if (!again && !w->canceled) {
    bool catching;
    {
      std::lock_guard<std::mutex> lk(mu_);
      catching = w->catching_up && !w->finished;
    }
    if (catching) again = CatchUp(w);
  }
  {
    std::lock_guard<std::mutex> lk(w->mu);
    if (!again && w->queue.empty()) {
      w->scheduled = false;
      return;
    }
  }
  if (w->canceled) {
    std::lock_guard<std::mutex> lk(w->mu);
    w->scheduled = false;
    return;
  }
  {
    std::lock_guard<std::mutex> lk(wq_mu_);
    wq_.push_back(std::move(w));
  }
  wq_cv_.notify_one();
}

// One catch-up step; returns true when more work remains.
bool WatchHub::CatchUp(const std::shared_ptr<WatcherState>& w) {
  int64_t from, target;
  bool compacted = false;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (w->finished) return false;
    {
      // Responses queued before the watcher fell behind go first. Checked
      // under mu_: an unsynced watcher gets nothing new queued, so an empty
      // queue stays empty while we replay.
      std::lock_guard<std::mutex> wl(w->mu);
      if (!w->queue.empty()) return true;
    }
    from = w->next_rev;
    // Published >= dispatched always; once the replay passes the published
    // revision, the dispatcher delivers everything after it.
    target = engine_->CurrentRevision();
    if (from < engine_->CompactRevision()) {
      compacted = true;
    } else if (from > target) {
      // Caught up: live events from here on.
      unsynced_.erase(w);
      Metrics::Get().slow_watchers.Dec();
      w->catching_up = false;
      AddSynced(w);
      return false;
    }
  }
  std::vector<kv::Event> events;
  int64_t last = from - 1;
  if (!compacted) {
    auto r = engine_->ReadEvents(from, target, w->key, w->end,
                                 engine_->options().watch_batch_events, &events);
    if (!r.ok()) {
      if (r.status().code() != Code::kExpired) {
        LOG_WARNING("mvcc: watch catch-up failed", {"error", r.status().ToString()});
        return false;
      }
      compacted = true;
    } else {
      last = *r;
    }
  }
  if (compacted) {
    kv::WatchResponse resp;
    resp.canceled = true;
    resp.compact_revision = engine_->CompactRevision();
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (w->finished) return false;
      w->finished = true;
      unsynced_.erase(w);
      Metrics::Get().slow_watchers.Dec();
      Metrics::Get().watchers.Dec();
      if (w->prev_kv) --prev_kv_watchers_;
    }
    Deliver(*w, std::move(resp));
    return false;
  }
  kv::WatchResponse resp;
  resp.revision = engine_->CurrentRevision();
  for (auto& ev : events) {
    if (!w->Wants(ev)) continue;
    if (w->prev_kv) ev.prev_kv = engine_->GetAt(ev.kv.key, ev.kv.mod_revision - 1);
    resp.events.push_back(std::move(ev));
  }
  {
    std::lock_guard<std::mutex> lk(mu_);
    w->next_rev = last + 1;
  }
  if (!resp.events.empty()) {
    Metrics::Get().events.Inc(static_cast<double>(resp.events.size()));
    Deliver(*w, std::move(resp));
  }
  return true;
}

Result<std::unique_ptr<kv::Watcher>> Engine::Watch(const kv::WatchRequest& req,
                                                   kv::WatchCallback cb) {
  if (!cb) return Status::Invalid("mvcc: a watch needs a callback");
  return hub_->Watch(req, std::move(cb));
}

}  // namespace common::mvcc
