// Opening the MVCC engine `kvstore serve` serves, with etcd's flags mapped
// onto the engine's options.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/mvcc.h"
#include "common/status.h"

namespace kvstore {

struct EngineOptions {
  std::string data_dir;
  bool fsync = true;  // false: --unsafe-no-fsync
  int64_t quota_bytes = 0;
  int64_t max_txn_ops = 128;
};

// Opens (creating if needed) the store in options.data_dir. Errors name the
// directory or file that could not be opened.
common::Result<std::unique_ptr<common::mvcc::MvccStore>> OpenEngine(const EngineOptions& options);

// The NOSPACE/CORRUPT alarms the store has raised ("NOSPACE"); empty when
// none (or when the status cannot be read).
std::vector<std::string> Alarms(common::mvcc::MvccStore& store);

}  // namespace kvstore
