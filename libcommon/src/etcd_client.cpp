#include "common/etcd_client.h"

#include <openssl/evp.h>

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

#include "common/json.h"
#include "common/log.h"

namespace common {

struct EtcdClient::Endpoint {
  std::string url;
  std::unique_ptr<HttpClient> http;
};

namespace {

const std::vector<HttpHeader>& JsonHeaders() {
  static const std::vector<HttpHeader> h = {{"Content-Type", "application/json"}};
  return h;
}

std::string NormalizeEndpoint(std::string e) {
  if (e.find("://") == std::string::npos) e = "http://" + e;
  while (!e.empty() && e.back() == '/') e.pop_back();
  return e;
}

// Transport failures that prove the request never reached the server.
bool NeverSent(const Status& st) { return st.code() == Code::kUnreachable; }

}  // namespace

// Counts a client's live watch threads so the destructor can wait for them.
struct EtcdClient::ThreadCount {
  std::mutex mu;
  std::condition_variable cv;
  int n = 0;
};

// ---------------------------------------------------------------------------

EtcdClient::EtcdClient(EtcdClientOptions options)
    : options_(std::move(options)), live_watches_(std::make_unique<ThreadCount>()) {
  for (auto& e : options_.endpoints) {
    auto ep = std::make_unique<Endpoint>();
    ep->url = NormalizeEndpoint(e);
    HttpClientOptions ho;
    ho.server = ep->url;
    ho.ca_file = options_.ca_file;
    ho.cert_file = options_.cert_file;
    ho.key_file = options_.key_file;
    ho.insecure_skip_verify = options_.insecure_skip_verify;
    ho.user_agent = "kubix-etcd-client";
    ho.connect_timeout = options_.dial_timeout;
    ho.timeout = options_.request_timeout;
    ho.max_retries = 0;  // failover is ours to do
    ep->http = std::make_unique<HttpClient>(ho);
    endpoints_.push_back(std::move(ep));
  }
}

Result<std::string> EtcdClient::Call(std::string_view path, std::string_view body,
                                     bool idempotent, int endpoint) {
  const std::string full = options_.api_prefix + std::string(path);
  const size_t n = endpoints_.size();
  const size_t first = endpoint >= 0 ? static_cast<size_t>(endpoint) % n : current_.load();
  const size_t tries = endpoint >= 0 ? 1 : n;
  Status last;
  for (size_t t = 0; t < tries; ++t) {
    size_t i = (first + t) % n;
    auto res = endpoints_[i]->http->Do("POST", full, body, JsonHeaders());
    if (!res.ok()) {
      last = res.status();
      if (NeverSent(last) || idempotent) continue;
      // A write that may have been applied: let the caller decide.
      return Status(last.code(), last.message() + " (the request may have been applied)");
    }
    if (endpoint < 0) current_ = i;
    if (res->status == 200) return std::move(res->body);
    Status err = etcd::DecodeError(res->status, res->body);
    // An unavailable member (no leader, stopping): a read may go elsewhere.
    if (idempotent && err.code() == Code::kUnavailable && t + 1 < tries) {
      last = err;
      continue;
    }
    return err;
  }
  std::string eps;
  for (size_t t = 0; t < tries; ++t) eps += (eps.empty() ? "" : ", ") + endpoints_[(first + t) % n]->url;
  if (last.code() == Code::kUnavailable || tries == 1) return last;
  return Status::Unreachable("no endpoint answered (" + eps + "); last error: " + last.message());
}

Status EtcdClient::StreamLines(std::string_view path, std::string_view body,
                               const std::function<bool(std::string_view)>& on_line,
                               const std::atomic<bool>* cancel, int endpoint) {
  const std::string full = options_.api_prefix + std::string(path);
  const size_t n = endpoints_.size();
  const size_t first = endpoint >= 0 ? static_cast<size_t>(endpoint) % n : current_.load();
  const size_t tries = endpoint >= 0 ? 1 : n;
  Status last;
  for (size_t t = 0; t < tries; ++t) {
    size_t i = (first + t) % n;
    bool got_data = false;
    Status line_error;
    LineSplitter splitter([&](std::string_view line) {
      if (line.empty()) return true;
      return on_line(line);
    });
    auto res = endpoints_[i]->http->Stream(
        "POST", full, body, JsonHeaders(),
        [&](std::string_view chunk) {
          got_data = true;
          return splitter.Feed(chunk);
        },
        cancel);
    if (!res.ok()) {
      last = res.status();
      if (NeverSent(last) && !got_data) continue;
      return last;
    }
    if (endpoint < 0) current_ = i;
    if (res->status < 200 || res->status >= 300) return etcd::DecodeError(res->status, res->body);
    if (!splitter.rest().empty()) on_line(splitter.rest());
    return Status::Ok();
  }
  return last;
}

// ---------------------------------------------------------------------------
// KV.

Result<kv::RangeResponse> EtcdClient::Range(const kv::RangeRequest& req) {
  return Range(req, nullptr);
}
Result<kv::RangeResponse> EtcdClient::Range(const kv::RangeRequest& req, etcd::Header* header) {
  ASSIGN_OR_RETURN(std::string body, Call("/kv/range", etcd::EncodeRangeRequest(req), true));
  return etcd::DecodeRangeResponse(body, header);
}

Result<kv::PutResponse> EtcdClient::Put(const kv::PutRequest& req) { return Put(req, nullptr); }
Result<kv::PutResponse> EtcdClient::Put(const kv::PutRequest& req, etcd::Header* header) {
  ASSIGN_OR_RETURN(std::string body, Call("/kv/put", etcd::EncodePutRequest(req), false));
  return etcd::DecodePutResponse(body, header);
}

Result<kv::DeleteRangeResponse> EtcdClient::DeleteRange(const kv::DeleteRangeRequest& req) {
  return DeleteRange(req, nullptr);
}
Result<kv::DeleteRangeResponse> EtcdClient::DeleteRange(const kv::DeleteRangeRequest& req,
                                                        etcd::Header* header) {
  ASSIGN_OR_RETURN(std::string body,
                   Call("/kv/deleterange", etcd::EncodeDeleteRangeRequest(req), false));
  return etcd::DecodeDeleteRangeResponse(body, header);
}

namespace {
bool ReadOnly(const kv::TxnRequest& t) {
  for (const auto* ops : {&t.success, &t.failure}) {
    for (const auto& op : *ops) {
      if (std::holds_alternative<kv::RangeRequest>(op.op)) continue;
      if (auto* n = std::get_if<std::shared_ptr<kv::TxnRequest>>(&op.op); n && *n && ReadOnly(**n))
        continue;
      return false;
    }
  }
  return true;
}
}  // namespace

Result<kv::TxnResponse> EtcdClient::Txn(const kv::TxnRequest& req) { return Txn(req, nullptr); }
Result<kv::TxnResponse> EtcdClient::Txn(const kv::TxnRequest& req, etcd::Header* header) {
  ASSIGN_OR_RETURN(std::string body, Call("/kv/txn", etcd::EncodeTxnRequest(req), ReadOnly(req)));
  return etcd::DecodeTxnResponse(body, header);
}

Result<kv::CompactResponse> EtcdClient::Compact(int64_t revision, bool physical) {
  ASSIGN_OR_RETURN(std::string body,
                   Call("/kv/compaction", etcd::EncodeCompactionRequest({revision, physical}),
                        true));  // compacting twice is harmless
  ASSIGN_OR_RETURN(etcd::Header h, etcd::DecodeHeaderOnly(body));
  return kv::CompactResponse{h.revision};
}

Result<kv::LeaseGrantResponse> EtcdClient::LeaseGrant(int64_t ttl, int64_t id) {
  ASSIGN_OR_RETURN(std::string body,
                   Call("/lease/grant", etcd::EncodeLeaseGrantRequest({ttl, id}), false));
  return etcd::DecodeLeaseGrantResponse(body);
}

Status EtcdClient::LeaseRevoke(int64_t id) {
  auto res = Call("/lease/revoke", etcd::EncodeLeaseIdRequest({id}), true);
  return res.status();
}

Result<int64_t> EtcdClient::LeaseKeepAlive(int64_t id) {
  // The keepalive RPC is a stream; one request, one reply, then hang up.
  Result<int64_t> ttl = Status::Unavailable("keepalive stream ended without a reply");
  Status st = StreamLines("/lease/keepalive", etcd::EncodeLeaseIdRequest({id}),
                          [&](std::string_view line) {
                            std::string_view result;
                            Status s = etcd::SplitStreamLine(line, &result);
                            ttl = s.ok() ? etcd::DecodeLeaseKeepAliveResponse(result)
                                         : Result<int64_t>(s);
                            return false;
                          },
                          nullptr);
  if (!st.ok()) return st;
  return ttl;
}

Result<kv::LeaseTimeToLiveResponse> EtcdClient::LeaseTimeToLive(int64_t id, bool keys) {
  ASSIGN_OR_RETURN(std::string body,
                   Call("/lease/timetolive", etcd::EncodeLeaseTimeToLiveRequest({id, keys}), true));
  return etcd::DecodeLeaseTimeToLiveResponse(body);
}

Result<std::vector<int64_t>> EtcdClient::LeaseList() {
  ASSIGN_OR_RETURN(std::string body, Call("/lease/leases", "{}", true));
  return etcd::DecodeLeaseLeasesResponse(body);
}

Result<kv::StatusResponse> EtcdClient::GetStatus() {
  etcd::Header h;
  ASSIGN_OR_RETURN(etcd::StatusInfo s, MemberStatus(-1, &h));
  kv::StatusResponse r;
  r.revision = h.revision;
  r.db_size = s.db_size;
  r.db_size_in_use = s.db_size_in_use;
  r.version = s.version;
  auto alarms = AlarmList();
  if (alarms.ok()) {
    for (const auto& a : *alarms) r.alarms.emplace_back(etcd::AlarmName(a.alarm));
  }
  return r;
}

Result<etcd::StatusInfo> EtcdClient::MemberStatus(int endpoint, etcd::Header* header) {
  ASSIGN_OR_RETURN(std::string body, Call("/maintenance/status", "{}", true, endpoint));
  return etcd::DecodeStatusResponse(body, header);
}

Status EtcdClient::Defragment(int endpoint) {
  return Call("/maintenance/defragment", "{}", true, endpoint).status();
}

Result<std::vector<etcd::AlarmMember>> EtcdClient::AlarmList() {
  ASSIGN_OR_RETURN(std::string body,
                   Call("/maintenance/alarm", etcd::EncodeAlarmRequest({0, 0, 0}), true));
  return etcd::DecodeAlarmResponse(body);
}

Result<std::vector<etcd::AlarmMember>> EtcdClient::AlarmDisarm() {
  ASSIGN_OR_RETURN(auto alarms, AlarmList());
  std::vector<etcd::AlarmMember> disarmed;
  for (const auto& a : alarms) {
    ASSIGN_OR_RETURN(std::string body,
                     Call("/maintenance/alarm", etcd::EncodeAlarmRequest({2, a.member_id, a.alarm}),
                          true));
    ASSIGN_OR_RETURN(auto got, etcd::DecodeAlarmResponse(body));
    disarmed.insert(disarmed.end(), got.begin(), got.end());
  }
  return disarmed;
}

Result<uint32_t> EtcdClient::Hash(int endpoint, etcd::Header* header) {
  ASSIGN_OR_RETURN(std::string body, Call("/maintenance/hash", "{}", true, endpoint));
  return etcd::DecodeHashResponse(body, header);
}

Result<std::string> EtcdClient::ServerVersion(int endpoint) {
  const size_t n = endpoints_.size();
  size_t i = endpoint >= 0 ? static_cast<size_t>(endpoint) % n : current_.load();
  auto res = endpoints_[i]->http->Do("GET", "/version");
  if (!res.ok()) return res.status();
  if (res->status != 200) return etcd::DecodeError(res->status, res->body);
  auto j = ParseJson(res->body);
  if (!j.ok()) return Status::Internal("malformed /version reply: " + j.status().message());
  return GetString(*j, "etcdserver");
}

Status EtcdClient::Snapshot(const std::function<bool(std::string_view)>& sink) {
  // Hold back the last 32 bytes: they may be the SHA-256 trailer.
  constexpr size_t kSha = 32;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr);
  std::string tail;
  uint64_t passed = 0;
  Status stream_error;
  bool aborted = false;
  auto emit = [&](std::string_view data) {
    EVP_DigestUpdate(md.get(), data.data(), data.size());
    passed += data.size();
    if (!sink(data)) aborted = true;
    return !aborted;
  };
  Status st = StreamLines("/maintenance/snapshot", "{}",
                          [&](std::string_view line) {
                            std::string_view result;
                            stream_error = etcd::SplitStreamLine(line, &result);
                            if (!stream_error.ok()) return false;
                            auto chunk = etcd::DecodeSnapshotChunk(result);
                            if (!chunk.ok()) {
                              stream_error = chunk.status();
                              return false;
                            }
                            tail += chunk->blob;
                            if (tail.size() > kSha) {
                              size_t n = tail.size() - kSha;
                              if (!emit(std::string_view(tail).substr(0, n))) return false;
                              tail.erase(0, n);
                            }
                            return true;
                          },
                          nullptr);
  if (!st.ok()) return st;
  if (!stream_error.ok()) return stream_error;
  if (aborted) return Status::Internal("snapshot aborted");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int dlen = 0;
  EVP_DigestFinal_ex(md.get(), digest, &dlen);
  // etcd's rule: a file whose size is 32 past a 512 multiple ends in its hash.
  if (tail.size() == kSha && passed % 512 == 0) {
    if (std::memcmp(digest, tail.data(), kSha) != 0)
      return Status::Internal("snapshot integrity check failed: SHA-256 mismatch");
    return Status::Ok();
  }
  if (!tail.empty() && !sink(tail)) return Status::Internal("snapshot aborted");
  return Status::Ok();
}

// ---------------------------------------------------------------------------
// Watch.

class EtcdClient::WatcherImpl : public kv::Watcher {
 public:
  struct State {
    EtcdClient* client;
    kv::WatchRequest req;
    kv::WatchCallback cb;
    std::mutex mu;               // held while the callback runs
    std::condition_variable cv;  // wakes the retry sleep
    bool stopped = false;        // guarded by mu
    std::atomic<bool> stop{false};
    std::atomic<bool> progress_wanted{false};
    std::atomic<bool> abort_stream{false};  // ends the current stream early
  };

  WatcherImpl(EtcdClient* client, kv::WatchRequest req, kv::WatchCallback cb)
      : state_(std::make_shared<State>()) {
    state_->client = client;
    state_->req = std::move(req);
    state_->cb = std::move(cb);
  }

  void Start(std::shared_ptr<void> live_token) {
    auto st = state_;
    thread_ = std::thread([st, live_token] { Run(*st); });
  }

  ~WatcherImpl() override { Cancel(); }

  void Cancel() override {
    {
      std::lock_guard<std::mutex> lock(state_->mu);  // waits for a running callback
      state_->stopped = true;
      state_->stop = true;
      state_->abort_stream = true;
    }
    state_->cv.notify_all();
    // The stream notices within about a second; the thread then ends on its
    // own (the client waits for it on destruction), so Cancel never blocks
    // on the network.
    if (thread_.joinable()) thread_.detach();
  }

  void RequestProgress() override {
    state_->progress_wanted = true;
    state_->abort_stream = true;
  }

 private:
  // Delivers `r` unless the watcher was canceled. Returns false once canceled.
  static bool Deliver(State& s, kv::WatchResponse r) {
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.stopped) return false;
    s.cb(std::move(r));
    return true;
  }

  static void Run(State& s) {
    int64_t next_rev = s.req.start_revision > 0 ? s.req.start_revision : 0;
    auto backoff = std::chrono::milliseconds(100);
    bool done = false;
    while (!s.stop && !done) {
      etcd::WatchControl c;
      c.kind = etcd::WatchControl::Kind::kCreate;
      c.create = s.req;
      c.create.start_revision = next_rev;
      s.abort_stream = false;
      std::string body = etcd::EncodeWatchCreate(c);
      if (s.progress_wanted.exchange(false)) body += "\n" + etcd::EncodeWatchProgress();
      Status line_error;
      Status st = s.client->StreamLines(
          "/watch", body,
          [&](std::string_view line) {
            std::string_view result;
            line_error = etcd::SplitStreamLine(line, &result);
            if (!line_error.ok()) return false;
            auto wr = etcd::DecodeWatchResult(result);
            if (!wr.ok()) {
              line_error = wr.status();
              return false;
            }
            backoff = std::chrono::milliseconds(100);
            if (wr->created && !wr->canceled) {
              if (next_rev == 0) next_rev = wr->header.revision + 1;
              return true;
            }
            kv::WatchResponse out;
            out.revision = wr->header.revision;
            if (wr->canceled) {
              out.canceled = true;
              out.compact_revision = wr->compact_revision;
              out.cancel_reason = wr->cancel_reason;
              done = true;
              Deliver(s, std::move(out));
              return false;
            }
            if (wr->events.empty()) {
              if (wr->header.revision >= next_rev) next_rev = wr->header.revision + 1;
              out.progress = true;
              return Deliver(s, std::move(out));
            }
            next_rev = wr->events.back().kv.mod_revision + 1;
            out.events = std::move(wr->events);
            return Deliver(s, std::move(out));
          },
          &s.abort_stream);
      if (s.stop || done) break;
      if (s.abort_stream) continue;  // reopened for a progress request
      Status why = !line_error.ok() ? line_error : st;
      if (why.code() == Code::kExpired || why.code() == Code::kBadRequest) {
        // The server refused the watch itself: retrying cannot help.
        kv::WatchResponse out;
        out.canceled = true;
        out.cancel_reason = why.message();
        Deliver(s, std::move(out));
        break;
      }
      VLOG(2, "etcd watch stream ended; reopening", {"err", why.message()},
           {"next_rev", next_rev});
      std::unique_lock<std::mutex> lock(s.mu);
      s.cv.wait_for(lock, backoff, [&] { return s.stop.load(); });
      backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    }
  }

  std::shared_ptr<State> state_;
  std::thread thread_;
};

Result<std::unique_ptr<kv::Watcher>> EtcdClient::Watch(const kv::WatchRequest& req,
                                                       kv::WatchCallback cb) {
  if (req.key.empty()) return Status::BadRequest(kv::kErrEmptyKey);
  auto w = std::make_unique<WatcherImpl>(this, req, std::move(cb));
  // The token's deleter counts the thread out when it ends.
  auto* count = live_watches_.get();
  {
    std::lock_guard<std::mutex> lock(count->mu);
    ++count->n;
  }
  std::shared_ptr<void> token(nullptr, [count](void*) {
    std::lock_guard<std::mutex> lock(count->mu);
    --count->n;
    count->cv.notify_all();
  });
  w->Start(std::move(token));
  return std::unique_ptr<kv::Watcher>(std::move(w));
}

EtcdClient::~EtcdClient() {
  std::unique_lock<std::mutex> lock(live_watches_->mu);
  live_watches_->cv.wait(lock, [&] { return live_watches_->n == 0; });
}

}  // namespace common
