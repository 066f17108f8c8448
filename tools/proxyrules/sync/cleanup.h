// kube-proxy --cleanup: remove what the iptables proxier installs.
#pragma once

#include "../backend/backend.h"
#include "common/status.h"

namespace proxyrules {

// Deletes the jump rules from the built-in chains, then (as kube-proxy's
// CleanupLeftovers) flushes and deletes KUBE-SERVICES, KUBE-NODEPORTS,
// KUBE-POSTROUTING and every KUBE-SVC/SVL/EXT/FW/SEP chain in nat, and
// KUBE-SERVICES, KUBE-EXTERNAL-SERVICES, KUBE-FORWARD and KUBE-NODEPORTS in
// filter; then, beyond kube-proxy, KUBE-MARK-MASQ, KUBE-PROXY-FIREWALL and the
// KUBE-PROXY-CANARY chains unless something else still uses them. Like
// kube-proxy it leaves KUBE-FIREWALL, which kubelet owns too. Continues past
// errors and returns the first.
common::Status CleanupLeftovers(Backend& backend);

}  // namespace proxyrules
