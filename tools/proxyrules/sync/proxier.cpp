#include "proxier.h"

#include "../system.h"
#include "common/log.h"
#include "jumps.h"
#include "metrics.h"

namespace proxyrules {

using common::Status;
using Clock = std::chrono::steady_clock;

namespace {

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double WallNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

Proxier::Proxier(Model* model, Backend* backend, ProxierOptions options)
    : model_(model), backend_(backend), options_(std::move(options)) {
  metrics::RegisterAll();
}

void Proxier::SetRenderConfig(RenderConfig config) {
  options_.render = std::move(config);
  need_full_ = true;
}

SyncOutcome Proxier::Sync(bool force_full, std::mutex* model_mu) {
  SyncOutcome out;
  auto start = Clock::now();
  out.full = force_full || need_full_ ||
             Clock::now() - last_full_ > options_.full_sync_period;

  if (out.full) {
    // Jump rules from the built-in chains cannot go into the restore input
    // (it would have to flush PREROUTING...); they are ensured one by one,
    // only on full syncs, as kube-proxy does.
    bool ipv4 = options_.render.family == IPFamily::kIPv4;
    if (Status st = EnsureJumps(*backend_, ipv4 && options_.render.localhost_node_ports); !st.ok()) {
      out.status = st;
      need_full_ = true;
      metrics::IPTablesRestoreFailures().Inc();
      return out;
    }
    if (ipv4 && options_.render.localhost_node_ports) {
      // NodePorts on 127.0.0.1 need route_localnet (kubernetes#90259 is why
      // KUBE-FIREWALL exists).
      if (Status st = EnsureSysctl("net/ipv4/conf/all/route_localnet", 1); !st.ok())
        LOG_WARNING("Cannot set route_localnet; NodePorts on localhost will not work",
                    {"err", st.message()});
    }
  }

  std::unique_lock<std::mutex> model_lock;
  if (model_mu) model_lock = std::unique_lock<std::mutex>(*model_mu);
  std::set<NamespacedName> changed = model_->TakeChanged();
  out.changed = changed;
  if (out.full)
    for (const auto& [name, _] : model_->service_ports()) out.changed.insert(name.service);
  // Stale chains are found by listing the nat table; in a large cluster that
  // listing is slow, so (as kube-proxy) it happens at most once per sync period.
  bool large = model_->TotalEndpoints() > kLargeClusterEndpointsThreshold;
  std::vector<std::string> existing;
  bool list = !large || !cleaned_once_ || Clock::now() - last_cleanup_ > options_.sync_period;
  if (list) {
    auto chains = backend_->ListChains("nat");
    if (chains.ok()) {
      existing = std::move(*chains);
      last_cleanup_ = Clock::now();
      cleaned_once_ = true;
    } else {
      LOG_ERROR("Failed to list nat chains: stale chains will not be deleted",
                {"err", chains.status().message()});
      list = false;
    }
  }

  RenderScope scope;
  scope.changed = out.full ? nullptr : &changed;
  scope.existing_nat_chains = list ? &existing : nullptr;
  scope.nat_rule_counts = &rule_counts_;
  auto render_start = Clock::now();
  out.render = Render(*model_, options_.render, scope);
  out.render_seconds = Since(render_start);
  std::map<ServicePortName, UdpPortState> udp_now;
  if (clear_conntrack_) udp_now = UdpState(*model_, options_.render.zone, out.full ? nullptr : &changed);
  if (model_lock.owns_lock()) model_lock.unlock();

  auto restore_start = Clock::now();
  Status st = backend_->Restore(out.render.data);
  out.restore_seconds = Since(restore_start);
  out.render.data.clear();
  out.render.data.shrink_to_fit();
  out.seconds = Since(start);

  metrics::SyncProxyRulesLatency().Observe(out.seconds);
  (out.full ? metrics::SyncFullProxyRulesLatency() : metrics::SyncPartialProxyRulesLatency())
      .Observe(out.seconds);
  if (!st.ok()) {
    metrics::IPTablesRestoreFailures().Inc();
    if (!out.full) metrics::IPTablesPartialRestoreFailures().Inc();
    // The consumed changes are gone: only a full sync can catch up.
    need_full_ = true;
    out.status = st;
    return out;
  }
  need_full_ = false;
  if (out.full) last_full_ = Clock::now();
  if (clear_conntrack_) {
    // Compare what the rules sent UDP to before and now; on a full sync
    // every port is compared, and ports gone from the model count as emptied.
    auto deletions = StaleUdpDeletions(udp_, udp_now, out.full ? nullptr : &changed);
    if (out.full) {
      udp_ = std::move(udp_now);
    } else {
      for (const auto& svc : changed) {
        for (auto it = udp_.lower_bound({svc, "", Protocol::kTCP}); it != udp_.end() && it->first.service == svc;)
          it = udp_.erase(it);
      }
      for (auto& [k, v] : udp_now) udp_[k] = std::move(v);
    }
    out.conntrack_deletions = deletions.size();
    RunConntrackDeletions(deletions);
  }

  metrics::IPTablesRulesTotal("filter").Set(out.render.filter_rules);
  metrics::IPTablesRulesLastSync("filter").Set(out.render.filter_rules);
  metrics::IPTablesRulesTotal("nat").Set(out.render.nat_rules_total);
  metrics::IPTablesRulesLastSync("nat").Set(out.render.nat_rules);
  metrics::NoLocalEndpoints("internal").Set(out.render.no_local_endpoints_internal);
  metrics::NoLocalEndpoints("external").Set(out.render.no_local_endpoints_external);
  metrics::SyncProxyRulesLastTimestamp().Set(WallNow());
  VLOG(2, "SyncProxyRules complete", {"full", out.full}, {"elapsed", out.seconds},
       {"services", model_->service_ports().size()}, {"endpoints", out.render.total_endpoints},
       {"natRules", out.render.nat_rules}, {"filterRules", out.render.filter_rules},
       {"deletedChains", out.render.deleted_chains});
  return out;
}

}  // namespace proxyrules
