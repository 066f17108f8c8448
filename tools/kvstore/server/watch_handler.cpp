// POST /v3/watch: the watch stream, a bidirectional stream as etcd's
// gateway serves it. The request body is read as it arrives: the client may
// keep it open and send more WatchRequests (create, cancel, progress) while
// {"result":WatchResponse} lines stream back; the stream stays open until
// the client leaves, also after the body ends (etcd's recvLoop returns on
// EOF and the send side goes on).
#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "common/log.h"
#include "server_internal.h"

namespace kvstore {
namespace {

namespace etcd = common::etcd;
namespace kv = common::kv;

// A stream that falls this far behind is dropped (its client is not reading).
constexpr size_t kMaxPendingBytes = 64 << 20;

// The protobuf size of an event, near enough for etcd's fragmenting rule.
size_t EventBytes(const kv::Event& e) {
  auto kv_bytes = [](const kv::KeyValue& x) { return x.key.size() + x.value.size() + 40; };
  return kv_bytes(e.kv) + (e.prev_kv ? kv_bytes(*e.prev_kv) : 0) + 8;
}

class WatchSession : public std::enable_shared_from_this<WatchSession> {
 public:
  WatchSession(Server::State* st, common::Responder responder)
      : st_(st), responder_(std::move(responder)) {}

  ~WatchSession() {
    if (stream_) st_->watch_streams->Dec();
  }

  // Called on the connection's I/O thread with each piece of the body.
  void OnBody(std::string_view data, bool end, bool ok) {
    if (stop_reading_) return;
    if (!end) {
      in_.Append(data);
    } else {
      in_.Finish();
      if (!ok) return Drop();  // the client went away mid-request
    }
    etcd::WatchControl c;
    while (in_.NextWatch(&c)) {
      if (!Started()) return;
      Apply(c);
    }
    if (!in_.error().ok()) {
      // A malformed first request fails the whole call as the gateway fails
      // it (gRPC Unknown, HTTP 500); a later one only ends the reading of
      // the body, and the stream goes on.
      if (!stream_) return SendError(*responder_, 2, in_.error().message());
      if (!warned_) LOG_WARNING("watch request stream ended early", {"err", in_.error().message()});
      warned_ = true;
    } else if (in_.waiting() && in_.buffered() > MaxMessageBytes()) {
      if (!stream_) return SendError(*responder_, 8, common::kv::kErrRequestTooLarge);
      LOG_WARNING("watch request too large; no longer reading the stream's requests");
      stop_reading_ = true;
    }
    // A body that ended without any request: like etcd, no reply is sent
    // and the connection stays open until the client leaves.
  }

  // Cancels every watcher (the client went away or the server stops).
  void CloseAll() {
    std::map<int64_t, std::unique_ptr<kv::Watcher>> ws;
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
      ws.swap(watchers_);
    }
    for (auto& [id, w] : ws)
      if (w) w->Cancel();
  }

 private:
  size_t MaxMessageBytes() const {
    return static_cast<size_t>(st_->opts.max_request_bytes) * 4 / 3 + 64 * 1024;
  }

  // The response starts with the first request, as the gateway's does.
  bool Started() {
    if (stream_) return !stream_->closed();
    stream_ = responder_->Stream(200, JsonHeaders());
    responder_.reset();
    if (!stream_) return false;
    st_->watch_streams->Inc();
    st_->TrackStream(stream_);
    // Cancelling watchers may wait for a callback: not on an I/O thread.
    // (The callback holds the session until the stream ends.)
    stream_->OnClose([st = st_, self = shared_from_this()] {
      if (st->stopping) {
        self->CloseAll();
      } else {
        st->Blocking([self] { self->CloseAll(); });
      }
    });
    return true;
  }

  void Drop() {
    if (stream_) {
      stream_->Close();
    } else {
      responder_.reset();  // nothing was sent: the connection just ends
    }
  }

  void Write(std::string line) {
    if (!stream_->Write(std::move(line))) return;
    if (stream_->Pending() > kMaxPendingBytes) {
      LOG_WARNING("closing a watch stream whose client does not keep up",
                  {"pending_bytes", stream_->Pending()});
      stream_->Close();
    }
  }

  void Apply(const etcd::WatchControl& c) {
    switch (c.kind) {
      case etcd::WatchControl::Kind::kCreate: return Create(c);
      case etcd::WatchControl::Kind::kCancel: return Cancel(c.watch_id);
      case etcd::WatchControl::Kind::kProgress: return Progress();
      case etcd::WatchControl::Kind::kNone: return;
    }
  }

  void Create(const etcd::WatchControl& c) {
    int64_t id = c.watch_id;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_) return;
      if (id != 0 && watchers_.count(id)) {
        etcd::WatchResult dup;
        dup.header = st_->Header(st_->store->CurrentRevision());
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
      if (c.fragment) fragment_.insert(id);
    }
    const int64_t rev = st_->store->CurrentRevision();
    etcd::WatchResult created;
    created.header = st_->Header(rev);
    created.watch_id = id;
    created.created = true;
    Write(etcd::EncodeWatchLine(created));

    kv::WatchRequest req = c.create;
    // Pin "from now" to the revision the created reply announced.
    if (req.start_revision <= 0) req.start_revision = rev + 1;
    std::weak_ptr<WatchSession> weak = weak_from_this();
    auto w = st_->store->Watch(req, [weak, id](kv::WatchResponse r) {
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
      }
    }
    if (drop) drop->Cancel();
    if (!w.ok()) {
      etcd::WatchResult fail;
      fail.header = st_->Header(st_->store->CurrentRevision());
      fail.watch_id = id;
      fail.canceled = true;
      fail.cancel_reason = w.status().message();
      Write(etcd::EncodeWatchLine(fail));
    }
  }

  // Called on a store thread, one response at a time per watcher.
  void Deliver(int64_t id, kv::WatchResponse r) {
    etcd::WatchResult out;
    out.watch_id = id;
    bool fragment = false;
    if (r.canceled) {
      // etcd reports a compacted start with a header that has no revision.
      out.header = st_->Header(r.compact_revision ? 0 : r.revision);
      out.canceled = true;
      out.compact_revision = r.compact_revision;
      out.cancel_reason = r.cancel_reason;
      std::lock_guard<std::mutex> lock(mu_);
      ended_.insert(id);
      ProgressAnswered(id, 0);
    } else {
      out.header = st_->Header(r.revision);
      out.events = std::move(r.events);
      std::lock_guard<std::mutex> lock(mu_);
      if (r.progress && progress_waiting_.count(id)) {
        // The answer to the stream's progress request (ordered after every
        // event of this watcher up to r.revision): not a line of its own.
        ProgressAnswered(id, r.revision);
        return;
      }
      // A watcher still catching up did not answer; ask it again.
      if (progress_waiting_.count(id)) Reask(id);
      fragment = fragment_.count(id) != 0;
    }
    if (fragment) return WriteFragments(std::move(out));
    Write(etcd::EncodeWatchLine(out));
  }

  // etcd's sendFragments: a response larger than --max-request-bytes is sent
  // as several, each with "fragment":true but the last, when the watch asked
  // for it (a single event is never split).
  void WriteFragments(etcd::WatchResult out) {
    const size_t limit = static_cast<size_t>(st_->opts.max_request_bytes);
    size_t total = 0;
    for (const auto& e : out.events) total += EventBytes(e);
    if (total < limit || out.events.size() < 2) return Write(etcd::EncodeWatchLine(out));
    std::vector<kv::Event> all = std::move(out.events);
    size_t i = 0;
    while (i < all.size()) {
      etcd::WatchResult part;
      part.header = out.header;
      part.watch_id = out.watch_id;
      size_t bytes = 0;
      while (i < all.size()) {
        size_t b = EventBytes(all[i]);
        if (!part.events.empty() && bytes + b >= limit) break;
        bytes += b;
        part.events.push_back(std::move(all[i++]));
      }
      part.fragment = i < all.size();
      Write(etcd::EncodeWatchLine(part));
    }
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
      fragment_.erase(id);
      ProgressAnswered(id, 0);
    }
    if (w) w->Cancel();
    etcd::WatchResult out;
    out.header = st_->Header(st_->store->CurrentRevision());
    out.watch_id = id;
    out.canceled = true;
    Write(etcd::EncodeWatchLine(out));
  }

  // A progress request: one reply with watch_id -1 for the whole stream
  // (etcd >= 3.4.31/3.5.13, which kube-apiserver relies on for consistent
  // reads from its cache), sent once every watcher of the stream has
  // delivered all its events up to the reply's revision; a watcher still
  // catching up answers when it is synced.
  void Progress() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!progress_pending_) {
      progress_pending_ = true;
      progress_rev_ = INT64_MAX;
      for (auto& [id, w] : watchers_)
        if (w && !ended_.count(id)) progress_waiting_.insert(id);
    }
    if (progress_waiting_.empty()) {
      progress_pending_ = false;
      WriteProgress(st_->store->CurrentRevision());
      return;
    }
    // The answers come from store threads (RequestProgress only queues).
    for (int64_t id : progress_waiting_) Reask(id);
  }

  // REQUIRES: mu_ held.
  void ProgressAnswered(int64_t id, int64_t rev) {
    if (progress_waiting_.erase(id) == 0) return;
    if (rev > 0) progress_rev_ = std::min(progress_rev_, rev);
    if (!progress_waiting_.empty()) return;
    progress_pending_ = false;
    WriteProgress(progress_rev_ == INT64_MAX ? st_->store->CurrentRevision() : progress_rev_);
  }

  // REQUIRES: mu_ held. Asks watcher `id` for a progress answer (only a
  // synced watcher gives one; one catching up is asked again with each of
  // its deliveries and with each new progress request).
  void Reask(int64_t id) {
    auto it = watchers_.find(id);
    if (it != watchers_.end() && it->second) it->second->RequestProgress();
  }

  void WriteProgress(int64_t rev) {
    etcd::WatchResult out;
    out.header = st_->Header(rev);
    out.watch_id = -1;
    Write(etcd::EncodeWatchLine(out));
  }

  Server::State* st_;
  // Until the response starts; then the stream. Both used on the I/O thread
  // only, except stream_'s thread-safe Write.
  std::optional<common::Responder> responder_;
  std::shared_ptr<common::HttpStream> stream_;
  etcd::RequestStream in_;
  bool warned_ = false;
  bool stop_reading_ = false;

  std::mutex mu_;
  std::map<int64_t, std::unique_ptr<kv::Watcher>> watchers_;
  std::set<int64_t> ended_;     // watchers the store canceled (compacted)
  std::set<int64_t> fragment_;  // watchers that accept fragmented responses
  int64_t next_id_ = 0;
  bool closed_ = false;
  // A stream-wide progress request in flight: the watchers that have not
  // answered yet, and the lowest revision the others answered with.
  bool progress_pending_ = false;
  std::set<int64_t> progress_waiting_;
  int64_t progress_rev_ = INT64_MAX;
};

}  // namespace

void AddWatchRoutes(common::Router& router, const std::string& prefix, Server::State* st) {
  router.Handle("POST", prefix + "/watch", [st](common::HttpRequest& req, common::Responder r) {
    auto session = std::make_shared<WatchSession>(st, r);
    if (!req.body_reader) {  // (a server not set up for streamed bodies)
      session->OnBody(req.body, false, true);
      session->OnBody({}, true, true);
      return;
    }
    req.body_reader->Read([session](std::string_view data, bool end, bool ok) {
      session->OnBody(data, end, ok);
    });
  });
}

}  // namespace kvstore
