#include "engine.h"

namespace kvstore {

common::Result<std::unique_ptr<common::mvcc::MvccStore>> OpenEngine(const EngineOptions& o) {
  common::mvcc::MvccOptions mo;
  mo.dir = o.data_dir;
  mo.fsync = o.fsync;
  mo.quota_bytes = o.quota_bytes;
  mo.max_txn_ops = o.max_txn_ops;
  return common::mvcc::MvccStore::Open(mo);
}

std::vector<std::string> Alarms(common::mvcc::MvccStore& store) {
  auto st = store.GetStatus();
  return st.ok() ? st->alarms : std::vector<std::string>{};
}

}  // namespace kvstore
