// POST /v3/watch: the watch stream. The body holds one or more WatchRequests
// (create, cancel, progress) applied in order; the reply is a stream of
// {"result":WatchResponse} lines that stays open until the client leaves.
#include <map>
#include <mutex>
#include <set>

#include "common/log.h"
#include "server_internal.h"

namespace kvstore {
namespace {

namespace etcd = common::etcd;
namespace kv = common::kv;

// A stream that falls this far behind is dropped (its client is not reading).
constexpr size_t kMaxPendingBytes = 64 << 20;

class WatchSession : public std::enable_shared_from_this<WatchSession> {
 public:
  WatchSession(Server::State* st, std::shared_ptr<common::HttpStream> stream)
      : st_(st), stream_(std::move(stream)) {}

  ~WatchSession() { st_->watch_streams->Dec(); }

  void Apply(const etcd::WatchControl& c) {
    switch (c.kind) {
      case etcd::WatchControl::Kind::kCreate: return Create(c);
      case etcd::WatchControl::Kind::kCancel: return Cancel(c.watch_id);
      case etcd::WatchControl::Kind::kProgress: return Progress();
      case etcd::WatchControl::Kind::kNone: return;
    }
  }

  // Cancels every watcher (the client went away or the server stops).
  void CloseAll() {
    std::map<int64_t, std::unique_ptr<kv::Watcher>> ws;
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
      ws.swap(watchers_);
    }
    st_->watchers->Dec(static_cast<double>(ws.size()));
    for (auto& [id, w] : ws)
      if (w) w->Cancel();
  }

 private:
  void Write(std::string line) {
    if (!stream_->Write(std::move(line))) return;
    if (stream_->Pending() > kMaxPendingBytes) {
      LOG_WARNING("closing a watch stream whose client does not keep up",
                  {"pending_bytes", stream_->Pending()});
      stream_->Close();
    }
  }

  void Create(const etcd::WatchControl& c) {
    int64_t id = c.watch_id;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_) return;
      if (id != 0 && watchers_.count(id)) {
        etcd::WatchResult dup;
        dup.header = st_->Header(st_->backend->CurrentRevision());
        dup.watch_id = -1;
        dup.created = true;
        dup.canceled = true;
        dup.cancel_reason = "mvcc: duplicate watch ID provided on the WatchStream";
        Write(etcd::EncodeWatchLine(dup));
        return;
      }
      if (id == 0) {
        while (watchers_.count(next_id_)) ++next_id_;
        id = next_id_++;
      }
      watchers_[id] = nullptr;  // reserved until the watcher exists
    }
    const int64_t rev = st_->backend->CurrentRevision();
    etcd::WatchResult created;
    created.header = st_->Header(rev);
    created.watch_id = id;
    created.created = true;
    Write(etcd::EncodeWatchLine(created));

    kv::WatchRequest req = c.create;
    // Pin "from now" to the revision the created reply announced.
    if (req.start_revision <= 0) req.start_revision = rev + 1;
    std::weak_ptr<WatchSession> weak = weak_from_this();
    auto w = st_->kv->Watch(req, [weak, id](kv::WatchResponse r) {
      if (auto self = weak.lock()) self->Deliver(id, std::move(r));
    });
    std::unique_ptr<kv::Watcher> drop;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!w.ok()) {
        watchers_.erase(id);
      } else if (closed_ || ended_.count(id) || !watchers_.count(id)) {
        drop = std::move(*w);  // ended (or canceled) while being created
        ended_.erase(id);
        watchers_.erase(id);
      } else {
        watchers_[id] = std::move(*w);
        st_->watchers->Inc();
      }
    }
    if (drop) drop->Cancel();
    if (!w.ok()) {
      etcd::WatchResult fail;
      fail.header = st_->Header(st_->backend->CurrentRevision());
      fail.watch_id = id;
      fail.canceled = true;
      fail.cancel_reason = w.status().message();
      Write(etcd::EncodeWatchLine(fail));
    }
  }

  // Called on a store thread.
  void Deliver(int64_t id, kv::WatchResponse r) {
    etcd::WatchResult out;
    out.watch_id = id;
    if (r.canceled) {
      // etcd reports a compacted start with a header that has no revision.
      out.header = st_->Header(r.compact_revision ? 0 : r.revision);
      out.canceled = true;
      out.compact_revision = r.compact_revision;
      out.cancel_reason = r.cancel_reason;
      std::lock_guard<std::mutex> lock(mu_);
      ended_.insert(id);
    } else {
      out.header = st_->Header(r.revision);
      out.events = std::move(r.events);
    }
    Write(etcd::EncodeWatchLine(out));
  }

  void Cancel(int64_t id) {
    std::unique_ptr<kv::Watcher> w;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = watchers_.find(id);
      // etcd answers nothing for an unknown (or already ended) watch.
      if (it == watchers_.end() || ended_.count(id)) return;
      w = std::move(it->second);
      watchers_.erase(it);
    }
    if (w) {
      w->Cancel();
      st_->watchers->Dec();
    }
    etcd::WatchResult out;
    out.header = st_->Header(st_->backend->CurrentRevision());
    out.watch_id = id;
    out.canceled = true;
    Write(etcd::EncodeWatchLine(out));
  }

  // etcd 3.4 answers a progress request at once, for the whole stream.
  void Progress() {
    etcd::WatchResult out;
    out.header = st_->Header(st_->backend->CurrentRevision());
    out.watch_id = -1;
    Write(etcd::EncodeWatchLine(out));
  }

  Server::State* st_;
  std::shared_ptr<common::HttpStream> stream_;
  std::mutex mu_;
  std::map<int64_t, std::unique_ptr<kv::Watcher>> watchers_;
  std::set<int64_t> ended_;  // watchers the store canceled (compacted)
  int64_t next_id_ = 0;
  bool closed_ = false;
};

}  // namespace

void AddWatchRoutes(common::Router& router, const std::string& prefix, Server::State* st) {
  router.Handle("POST", prefix + "/watch", [st](common::HttpRequest& req, common::Responder r) {
    // Decode up front: a malformed first request fails the whole call as
    // the gateway fails it (gRPC Unknown, HTTP 500); a later one only ends
    // the reading of the body, and the stream goes on.
    std::vector<etcd::WatchControl> reqs;
    etcd::RequestStream in(req.body);
    etcd::WatchControl c;
    while (in.NextWatch(&c)) reqs.push_back(c);
    if (!in.error().ok() && reqs.empty()) return SendError(r, 2, in.error().message());
    if (!in.error().ok())
      LOG_WARNING("watch request stream ended early", {"err", in.error().message()});
    st->Run(true, [st, r, reqs = std::move(reqs)] {
      auto stream = r.Stream(200, JsonHeaders());
      if (!stream) return;
      st->watch_streams->Inc();
      auto session = std::make_shared<WatchSession>(st, stream);
      st->TrackStream(stream);
      // Cancelling watchers may wait for a callback: not on an I/O thread.
      stream->OnClose([st, session] {
        if (st->stopping) {
          session->CloseAll();
        } else {
          st->pool->Submit([session] { session->CloseAll(); });
        }
      });
      for (const auto& c : reqs) session->Apply(c);
    });
  });
}

}  // namespace kvstore
