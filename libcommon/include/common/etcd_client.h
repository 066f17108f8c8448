// A kv::KV over etcd's v3 JSON gateway: talks to kvstore or a real etcd
// (3.4, 3.5, 3.6) through one or more endpoints, with failover. This is what
// `apiserve --etcd-servers` and the kvstore client verbs use.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/etcd_json.h"
#include "common/http_client.h"
#include "common/kv.h"
#include "common/status.h"

namespace common {

struct EtcdClientOptions {
  // "http://127.0.0.1:2379", "https://10.0.0.1:2379" or "127.0.0.1:2379"
  // (http assumed). At least one.
  std::vector<std::string> endpoints;
  // TLS, as etcdctl's --cacert/--cert/--key/--insecure-skip-tls-verify.
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  bool insecure_skip_verify = false;
  // Connecting to one endpoint gives up after this (then the next is tried).
  std::chrono::milliseconds dial_timeout{2000};
  // A whole unary request gives up after this.
  std::chrono::milliseconds request_timeout{5000};
  // "/v3" serves etcd 3.4+ and kvstore; "/v3beta" reaches 3.3.
  std::string api_prefix = "/v3";
};

// Thread-safe. Failover: a request that could not reach an endpoint (refused,
// unresolvable, or timed out while connecting) moves on to the next one, and
// the endpoint that answered is used first from then on. A read that failed
// mid-way is retried on the next endpoint; a write that may have been applied
// is not (its error says so), as clientv3 does.
class EtcdClient : public kv::KV {
 public:
  // REQUIRES: !options.endpoints.empty(). No I/O happens here.
  explicit EtcdClient(EtcdClientOptions options);
  ~EtcdClient() override;

  Result<kv::RangeResponse> Range(const kv::RangeRequest& req) override;
  Result<kv::PutResponse> Put(const kv::PutRequest& req) override;
  Result<kv::DeleteRangeResponse> DeleteRange(const kv::DeleteRangeRequest& req) override;
  Result<kv::TxnResponse> Txn(const kv::TxnRequest& req) override;
  Result<kv::CompactResponse> Compact(int64_t revision, bool physical = false) override;

  Result<kv::LeaseGrantResponse> LeaseGrant(int64_t ttl, int64_t id = 0) override;
  Status LeaseRevoke(int64_t id) override;
  Result<int64_t> LeaseKeepAlive(int64_t id) override;
  Result<kv::LeaseTimeToLiveResponse> LeaseTimeToLive(int64_t id, bool keys) override;
  Result<std::vector<int64_t>> LeaseList() override;

  // Each watch is one /v3/watch stream read by its own thread. A broken
  // stream is reopened (on the next endpoint if need be) from the revision
  // after the last one delivered, so no event is lost or repeated; if that
  // revision was compacted meanwhile, the watcher gets canceled with
  // compact_revision as etcd reports it. RequestProgress reopens the stream
  // with a progress request (the gateway reads a request body only once).
  Result<std::unique_ptr<kv::Watcher>> Watch(const kv::WatchRequest& req,
                                             kv::WatchCallback cb) override;

  // Status of the first endpoint that answers (revision, db size, version).
  Result<kv::StatusResponse> GetStatus() override;

  // The same calls with the full response header (cluster/member ids, raft
  // term) for printing etcdctl-style output.
  Result<kv::RangeResponse> Range(const kv::RangeRequest& req, etcd::Header* header);
  Result<kv::PutResponse> Put(const kv::PutRequest& req, etcd::Header* header);
  Result<kv::DeleteRangeResponse> DeleteRange(const kv::DeleteRangeRequest& req,
                                              etcd::Header* header);
  Result<kv::TxnResponse> Txn(const kv::TxnRequest& req, etcd::Header* header);

  // Maintenance, sent to one endpoint: `endpoint` indexes options().endpoints
  // (-1 = the current one, with failover).
  Result<etcd::StatusInfo> MemberStatus(int endpoint, etcd::Header* header);
  Status Defragment(int endpoint);
  Result<std::vector<etcd::AlarmMember>> AlarmList();
  // Disarms every alarm (as etcdctl alarm disarm does).
  Result<std::vector<etcd::AlarmMember>> AlarmDisarm();
  Result<uint32_t> Hash(int endpoint, etcd::Header* header);
  // GET /version: {"etcdserver":"3.4.23","etcdcluster":"3.4.0"}.
  Result<std::string> ServerVersion(int endpoint);
  // Streams a snapshot of the database to `sink` (called with consecutive
  // pieces; returning false aborts). The SHA-256 trailer etcd appends is
  // checked and not passed on, so the pieces form the database file itself.
  Status Snapshot(const std::function<bool(std::string_view)>& sink);

  const EtcdClientOptions& options() const { return options_; }

  // Sends one unary request: POST <api_prefix><path> with `body`. Returns the
  // 200 body, or the server's error as a Status (see etcd::DecodeError).
  // `idempotent` requests are retried on the next endpoint after any failure.
  Result<std::string> Call(std::string_view path, std::string_view body, bool idempotent,
                           int endpoint = -1);

 private:
  class WatcherImpl;
  struct Endpoint;
  struct ThreadCount;

  Endpoint& EndpointAt(size_t i) { return *endpoints_[i]; }
  // Streams POST <prefix><path> with `body` to the current endpoint (with
  // failover while connecting). `on_line` gets each line of a 2xx body.
  Status StreamLines(std::string_view path, std::string_view body,
                     const std::function<bool(std::string_view)>& on_line,
                     const std::atomic<bool>* cancel, int endpoint = -1);

  EtcdClientOptions options_;
  std::vector<std::unique_ptr<Endpoint>> endpoints_;
  std::atomic<size_t> current_{0};
  std::unique_ptr<ThreadCount> live_watches_;
};

}  // namespace common
