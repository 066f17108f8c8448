// Constructors of the registered backends (private to backend/).
#pragma once

#include <memory>
#include <string>

#include "backend.h"

namespace proxyrules {

// iptables-restore and friends, run as processes. `flavor` is "" (the
// system's alternative), "legacy" or "nft".
common::Result<std::unique_ptr<Backend>> NewRestoreBackend(const std::string& flavor);

// libiptc, in process; legacy tables only.
common::Result<std::unique_ptr<Backend>> NewLibiptcBackend();

// The table's binary image cached in process, one IPT_SO_SET_REPLACE per
// commit; legacy tables only.
common::Result<std::unique_ptr<Backend>> NewBlobBackend();

}  // namespace proxyrules
