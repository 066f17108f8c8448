// Internal to the server's files: shared state and reply helpers.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "common/etcd_json.h"
#include "common/http_server.h"
#include "common/metrics.h"
#include "common/thread_pool.h"
#include "engine.h"
#include "server.h"

namespace kvstore {

struct Server::State {
  common::mvcc::MvccStore* store = nullptr;
  ServerOptions opts;
  uint64_t cluster_id = 0;
  uint64_t member_id = 0;
  std::unique_ptr<common::ThreadPool> pool;
  std::unique_ptr<common::HttpServer> http;
  std::atomic<bool> stopping{false};
  // Watch and keepalive streams currently open (closed on shutdown).
  std::mutex streams_mu;
  std::vector<std::weak_ptr<common::HttpStream>> streams;

  common::metrics::Family<common::metrics::Counter>* requests = nullptr;
  common::metrics::Gauge* watch_streams = nullptr;

  common::etcd::Header Header(int64_t revision) const {
    // A single member never changes term; etcd's first term is 2.
    return common::etcd::Header{cluster_id, member_id, revision, 2};
  }
  // Runs `fn`, which may block, on the worker pool (never on an I/O thread).
  void Blocking(std::function<void()> fn) { pool->Submit(std::move(fn)); }
  void TrackStream(const std::shared_ptr<common::HttpStream>& s);
};

// The headers etcd's gateway puts on every JSON reply.
std::vector<common::HttpHeader> JsonHeaders();
void SendJson(const common::Responder& r, std::string body);
void SendError(const common::Responder& r, int grpc_code, std::string_view message);
void SendError(const common::Responder& r, const common::Status& st);

void AddKvRoutes(common::Router& router, const std::string& prefix, Server::State* st);
void AddWatchRoutes(common::Router& router, const std::string& prefix, Server::State* st);
void AddLeaseRoutes(common::Router& router, const std::string& prefix, Server::State* st);
void AddMaintenanceRoutes(common::Router& router, const std::string& prefix,
                          Server::State* st);
// /version, /health, /healthz, /readyz, /livez, /metrics.
void AddPlainRoutes(common::Router& router, Server::State* st);

}  // namespace kvstore
