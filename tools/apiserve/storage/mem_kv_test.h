// An in-memory kv::KV for apiserve's unit tests only (never shipped): a
// revisioned map with txns and watches, enough to exercise the store and the
// watch cache without the LMDB engine.
#pragma once

// GCC 12 reports the optional inside kv::PutResponse as maybe-uninitialized
// when it is moved through the ResponseOp variant (a known false positive).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <condition_variable>
#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "common/kv.h"

namespace apiserve::testing {

class MemKV : public common::kv::KV {
 public:
  MemKV() : thread_([this] { Loop(); }) {}
  ~MemKV() override {
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  common::Result<common::kv::RangeResponse> Range(const common::kv::RangeRequest& req) override {
    std::lock_guard<std::mutex> l(mu_);
    if (req.revision > 0 && req.revision < compacted_)
      return common::Status(common::Code::kExpired, common::kv::kErrCompacted);
    common::kv::RangeResponse r;
    r.revision = rev_;
    int64_t at = req.revision > 0 ? req.revision : rev_;
    for (auto& [k, hist] : data_) {
      if (!InRange(k, req.key, req.range_end)) continue;
      const common::kv::KeyValue* v = nullptr;
      for (auto& h : hist)
        if (h.mod_revision <= at) v = h.version ? &h : nullptr;
      if (!v) continue;
      r.count++;
      if (req.count_only) continue;
      if (req.limit > 0 && static_cast<int64_t>(r.kvs.size()) >= req.limit) {
        r.more = true;
        continue;
      }
      r.kvs.push_back(*v);
    }
    return r;
  }
  common::Result<common::kv::PutResponse> Put(const common::kv::PutRequest& req) override {
    std::lock_guard<std::mutex> l(mu_);
    common::kv::PutResponse r;
    ++rev_;
    PutLocked(req.key, req.value);
    r.revision = rev_;
    Notify();
    return r;
  }
  common::Result<common::kv::DeleteRangeResponse> DeleteRange(
      const common::kv::DeleteRangeRequest& req) override {
    std::lock_guard<std::mutex> l(mu_);
    common::kv::DeleteRangeResponse r;
    ++rev_;
    r.deleted = DeleteLocked(req.key, req.range_end);
    if (r.deleted == 0) --rev_;
    else Notify();
    r.revision = rev_;
    return r;
  }
  common::Result<common::kv::TxnResponse> Txn(const common::kv::TxnRequest& req) override {
    std::lock_guard<std::mutex> l(mu_);
    bool ok = true;
    for (const auto& c : req.compare) {
      const auto* cur = CurrentLocked(c.key);
      int64_t v = 0;
      if (c.target == common::kv::Compare::Target::kMod) v = cur ? cur->mod_revision : 0;
      if (c.target == common::kv::Compare::Target::kVersion) v = cur ? cur->version : 0;
      if (c.target == common::kv::Compare::Target::kCreate) v = cur ? cur->create_revision : 0;
      bool m = c.result == common::kv::Compare::Result::kEqual ? v == c.number
               : c.result == common::kv::Compare::Result::kNotEqual ? v != c.number
               : c.result == common::kv::Compare::Result::kGreater ? v > c.number
                                                                  : v < c.number;
      ok = ok && m;
    }
    common::kv::TxnResponse r;
    r.succeeded = ok;
    const auto& ops = ok ? req.success : req.failure;
    bool wrote = false;
    for (const auto& op : ops) {
      if (auto* p = std::get_if<common::kv::PutRequest>(&op.op)) {
        if (!wrote) ++rev_;
        wrote = true;
        PutLocked(p->key, p->value);
        auto& op = r.responses.emplace_back();
        op.op.emplace<common::kv::PutResponse>().revision = rev_;
      } else if (auto* d = std::get_if<common::kv::DeleteRangeRequest>(&op.op)) {
        if (!wrote) ++rev_;
        wrote = true;
        DeleteLocked(d->key, d->range_end);
        auto& op = r.responses.emplace_back();
        op.op.emplace<common::kv::DeleteRangeResponse>().revision = rev_;
      } else if (auto* g = std::get_if<common::kv::RangeRequest>(&op.op)) {
        common::kv::RangeResponse rr;
        rr.revision = rev_;
        if (const auto* cur = CurrentLocked(g->key)) rr.kvs.push_back(*cur);
        auto& op = r.responses.emplace_back();
        op.op.emplace<common::kv::RangeResponse>(std::move(rr));
      }
    }
    r.revision = rev_;
    if (wrote) Notify();
    return r;
  }
  common::Result<common::kv::CompactResponse> Compact(int64_t revision, bool) override {
    std::lock_guard<std::mutex> l(mu_);
    compacted_ = revision;
    return common::kv::CompactResponse{rev_};
  }
  common::Result<common::kv::LeaseGrantResponse> LeaseGrant(int64_t, int64_t) override {
    return common::Status::Internal("no leases");
  }
  common::Status LeaseRevoke(int64_t) override { return common::Status::Internal("no leases"); }
  common::Result<int64_t> LeaseKeepAlive(int64_t) override { return common::Status::Internal("no"); }
  common::Result<common::kv::LeaseTimeToLiveResponse> LeaseTimeToLive(int64_t, bool) override {
    return common::Status::Internal("no leases");
  }
  common::Result<std::vector<int64_t>> LeaseList() override { return std::vector<int64_t>{}; }

  class W : public common::kv::Watcher {
   public:
    W(MemKV* kv, int id) : kv_(kv), id_(id) {}
    void Cancel() override {
      std::lock_guard<std::mutex> l(kv_->mu_);
      kv_->watchers_.erase(id_);
    }
    void RequestProgress() override {
      std::lock_guard<std::mutex> l(kv_->mu_);
      kv_->progress_.push_back(id_);
      kv_->cv_.notify_all();
    }
    ~W() override { Cancel(); }
    MemKV* kv_;
    int id_;
  };
  common::Result<std::unique_ptr<common::kv::Watcher>> Watch(const common::kv::WatchRequest& req,
                                                             common::kv::WatchCallback cb) override {
    std::lock_guard<std::mutex> l(mu_);
    int id = next_id_++;
    watchers_[id] = WatchState{req, std::move(cb), req.start_revision > 0 ? req.start_revision - 1 : rev_};
    cv_.notify_all();
    return std::unique_ptr<common::kv::Watcher>(new W(this, id));
  }
  common::Result<common::kv::StatusResponse> GetStatus() override {
    std::lock_guard<std::mutex> l(mu_);
    common::kv::StatusResponse s;
    s.revision = rev_;
    return s;
  }

 private:
  struct WatchState {
    common::kv::WatchRequest req;
    common::kv::WatchCallback cb;
    int64_t sent = 0;  // last revision delivered
  };
  static bool InRange(const std::string& k, const std::string& key, const std::string& end) {
    if (end.empty()) return k == key;
    if (end == std::string(1, '\0')) return k >= key;
    return k >= key && k < end;
  }
  const common::kv::KeyValue* CurrentLocked(const std::string& key) const {
    auto it = data_.find(key);
    if (it == data_.end() || it->second.empty() || it->second.back().version == 0) return nullptr;
    return &it->second.back();
  }
  void PutLocked(const std::string& key, const std::string& value) {
    auto& hist = data_[key];
    common::kv::KeyValue kv;
    kv.key = key;
    kv.value = value;
    kv.mod_revision = rev_;
    const auto* cur = CurrentLocked(key);
    kv.create_revision = cur ? cur->create_revision : rev_;
    kv.version = cur ? cur->version + 1 : 1;
    hist.push_back(kv);
    log_.push_back({common::kv::Event::Type::kPut, kv, std::nullopt});
  }
  int64_t DeleteLocked(const std::string& key, const std::string& end) {
    int64_t n = 0;
    for (auto& [k, hist] : data_) {
      if (!InRange(k, key, end) || !CurrentLocked(k)) continue;
      common::kv::KeyValue tomb;
      tomb.key = k;
      tomb.mod_revision = rev_;
      hist.push_back(tomb);
      log_.push_back({common::kv::Event::Type::kDelete, tomb, std::nullopt});
      ++n;
    }
    return n;
  }
  void Notify() { cv_.notify_all(); }
  void Loop() {
    std::unique_lock<std::mutex> l(mu_);
    while (!stop_) {
      cv_.wait_for(l, std::chrono::milliseconds(20));
      std::vector<std::pair<common::kv::WatchCallback, common::kv::WatchResponse>> todo;
      for (auto& [id, w] : watchers_) {
        common::kv::WatchResponse resp;
        resp.revision = rev_;
        for (const auto& ev : log_) {
          if (ev.kv.mod_revision <= w.sent) continue;
          if (!InRange(ev.kv.key, w.req.key, w.req.range_end)) continue;
          resp.events.push_back(ev);
        }
        bool progress = std::find(progress_.begin(), progress_.end(), id) != progress_.end();
        w.sent = rev_;
        if (resp.events.empty() && !progress) continue;
        resp.progress = resp.events.empty();
        todo.emplace_back(w.cb, std::move(resp));
      }
      progress_.clear();
      l.unlock();
      for (auto& [cb, resp] : todo) cb(resp);
      l.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  int64_t rev_ = 1;
  int64_t compacted_ = 0;
  std::map<std::string, std::vector<common::kv::KeyValue>> data_;
  std::vector<common::kv::Event> log_;
  std::map<int, WatchState> watchers_;
  std::vector<int> progress_;
  int next_id_ = 1;
  std::thread thread_;
};

}  // namespace apiserve::testing
