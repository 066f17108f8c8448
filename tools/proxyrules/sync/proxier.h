// One node's proxier: turns the Model into installed rules, fully or
// partially (only the chains of changed services, KEP-3453), as kube-proxy's
// syncProxyRules does, and keeps kube-proxy's metrics.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "../backend/backend.h"
#include "../model/model.h"
#include "../render/render.h"
#include "conntrack.h"
#include "common/status.h"

namespace proxyrules {

struct ProxierOptions {
  RenderConfig render;
  // Stale-chain cleanup in large-cluster mode and the canary check run at
  // most this often (--iptables-sync-period).
  std::chrono::milliseconds sync_period{std::chrono::seconds(30)};
  // A partial sync becomes full when the last full one is older than this
  // (kube-proxy's proxyutil.FullSyncPeriod).
  std::chrono::milliseconds full_sync_period{std::chrono::hours(1)};
};

struct SyncOutcome {
  common::Status status;
  bool full = false;
  double seconds = 0;        // wall time of the whole sync
  double render_seconds = 0; // of which rendering
  double restore_seconds = 0;// of which the backend's restore
  RenderResult render;       // counts (its data is cleared after restore)
  // The services whose changes this sync consumed (all of them when full).
  std::set<NamespacedName> changed;
  // Stale UDP conntrack deletions run after the restore.
  size_t conntrack_deletions = 0;
};

// Not thread-safe: one sync at a time, and the Model must not change during it.
class Proxier {
 public:
  // `model` and `backend` must outlive the Proxier.
  Proxier(Model* model, Backend* backend, ProxierOptions options);

  // Runs one sync: full on the first call, after a failure, when forced, or
  // when the last full sync is older than full_sync_period; partial
  // otherwise. A full sync first ensures the jump rules and canary chains.
  // On failure the next sync is full (the changes it consumed are lost);
  // the caller logs the returned status. With `model_mu`, the model is read
  // under that lock (held while rendering, not while restoring). After a
  // successful restore, UDP conntrack entries pointing at removed endpoints
  // are deleted.
  SyncOutcome Sync(bool force_full = false, std::mutex* model_mu = nullptr);

  // Makes the next sync a full one (node labels changed, canary vanished).
  void RequestFullSync() { need_full_ = true; }
  bool NeedsFullSync() const { return need_full_; }

  // Replaces the node-wide settings; the next sync is full.
  void SetRenderConfig(RenderConfig config);
  const ProxierOptions& options() const { return options_; }

 private:
  Model* model_;
  Backend* backend_;
  ProxierOptions options_;
  bool need_full_ = true;
  std::chrono::steady_clock::time_point last_full_{};
  std::chrono::steady_clock::time_point last_cleanup_{};
  bool cleaned_once_ = false;
  // Per-service nat rule counts (see RenderScope::nat_rule_counts).
  std::map<ServicePortName, size_t> rule_counts_;
  // The UDP ports as of the last successful sync (for conntrack cleanup).
  std::map<ServicePortName, UdpPortState> udp_;
  bool clear_conntrack_ = true;

 public:
  // Off for `apply` (a one-shot sync has no "before" to compare with).
  void set_clear_conntrack(bool on) { clear_conntrack_ = on; }
};

}  // namespace proxyrules
