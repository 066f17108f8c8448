// What `kvstore serve` serves: a kv::KV plus the maintenance operations the
// etcd API exposes (snapshot, defragment, alarms). The MVCC engine is the
// real one; a proxy over EtcdClient lets tests run the server layer against
// a real etcd.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/etcd_client.h"
#include "common/kv.h"
#include "common/status.h"

namespace kvstore {

// Thread-safe.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual common::kv::KV& kv() = 0;
  // The latest revision (cheap: called for every watch and progress reply).
  virtual int64_t CurrentRevision() = 0;
  // Writes a consistent copy of the database to the file `path`.
  virtual common::Status SnapshotTo(const std::string& path) = 0;
  virtual common::Status Defragment() = 0;
  // Raised alarms ("NOSPACE").
  virtual std::vector<std::string> Alarms() = 0;
  virtual common::Status DisarmAlarms() = 0;
  // True when kv() calls may block on I/O for reads too (then every handler
  // runs on the worker pool, not on the HTTP I/O threads).
  virtual bool blocking_reads() const { return false; }
};

struct EngineOptions {
  std::string data_dir;
  bool fsync = true;
  int64_t quota_bytes = 0;
  int64_t max_txn_ops = 128;
};

// Opens the MVCC engine in data_dir. Errors name the directory.
common::Result<std::unique_ptr<Backend>> OpenEngine(const EngineOptions& options);

// A backend forwarding to another etcd-API server (tests of the server layer).
std::unique_ptr<Backend> MakeProxyBackend(std::unique_ptr<common::EtcdClient> client);

}  // namespace kvstore
