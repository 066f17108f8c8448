// The etcd v3 JSON API server over the MVCC engine: the gateway's routes
// under /v3/ (and /v3beta/), /version, /health, /metrics, etcd's error bodies.
//
// Threads: requests are decoded on the HTTP I/O threads; reads (range,
// read-only txn, lease queries, status) are answered there, since the
// engine's reads never wait for a commit; writes go to the engine's
// asynchronous queue and are answered from its committer thread once
// durable, so no thread is parked per write in flight. Only the rare calls
// that block (lease grant/revoke, compaction, defragment, snapshot, hash,
// watch set-up) run on a small worker pool.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/mvcc.h"
#include "common/status.h"

namespace kvstore {

struct ServerOptions {
  // host:port pairs to listen on ("127.0.0.1:2379"; port 0 picks one).
  std::vector<std::string> listen;
  // --name and --advertise-client-urls: they derive the member and cluster IDs.
  std::string name = "default";
  std::vector<std::string> advertise_client_urls;
  // etcd's --max-request-bytes (1.5 MiB) and --max-txn-ops (128).
  int64_t max_request_bytes = 1536 * 1024;
  int64_t max_txn_ops = 128;
  // TLS for the client port (etcd's --cert-file/--key-file/--trusted-ca-file).
  std::string cert_file;
  std::string key_file;
  std::string trusted_ca_file;
  // HTTP I/O threads (decoding, reads, encoding). 0 = one per CPU.
  int io_threads = 0;
  // Threads for the calls that block (see above).
  int worker_threads = 8;
};

// Thread-safe. The store must outlive the Server.
class Server {
 public:
  Server(common::mvcc::MvccStore* store, ServerOptions options);
  ~Server();
  // Binds every listen address and starts serving; errors name the address.
  common::Status Start();
  std::vector<std::string> BoundAddresses() const;
  // Stops accepting, ends watch and keepalive streams, lets requests in
  // flight finish for up to `grace`, then stops. Idempotent.
  void Shutdown(std::chrono::milliseconds grace);

  struct State;  // internal, shared with the handler files

 private:
  std::unique_ptr<State> state_;
};

}  // namespace kvstore
