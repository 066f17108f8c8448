// The MVCC engine as the server's backend.
#include "backend.h"

#if __has_include("common/mvcc.h")
#include "common/mvcc.h"

namespace kvstore {
namespace {

class MvccBackend : public Backend {
 public:
  explicit MvccBackend(std::unique_ptr<common::mvcc::MvccStore> s) : store_(std::move(s)) {}
  common::kv::KV& kv() override { return *store_; }
  int64_t CurrentRevision() override { return store_->CurrentRevision(); }
  common::Status SnapshotTo(const std::string& path) override { return store_->SnapshotTo(path); }
  common::Status Defragment() override { return store_->Defragment(); }
  std::vector<std::string> Alarms() override {
    auto st = store_->GetStatus();
    return st.ok() ? st->alarms : std::vector<std::string>{};
  }
  common::Status DisarmAlarms() override { return store_->DisarmAlarms(); }

 private:
  std::unique_ptr<common::mvcc::MvccStore> store_;
};

}  // namespace

common::Result<std::unique_ptr<Backend>> OpenEngine(const EngineOptions& o) {
  common::mvcc::MvccOptions mo;
  mo.dir = o.data_dir;
  mo.fsync = o.fsync;
  mo.quota_bytes = o.quota_bytes;
  mo.max_txn_ops = o.max_txn_ops;
  auto store = common::mvcc::MvccStore::Open(mo);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Backend>(std::make_unique<MvccBackend>(std::move(*store)));
}

}  // namespace kvstore

#else

namespace kvstore {
common::Result<std::unique_ptr<Backend>> OpenEngine(const EngineOptions&) {
  return common::Status::Internal("this build has no storage engine (common/mvcc.h is missing)");
}
}  // namespace kvstore

#endif
