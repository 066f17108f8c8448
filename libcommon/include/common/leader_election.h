// Lease-based leader election (client-go's leaderelection with a
// coordination.k8s.io/v1 Lease lock): one active instance among replicas of
// a controller, with upstream's timings and callbacks.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>

#include "common/json.h"
#include "common/rest_client.h"

namespace common {

struct LeaderElectionConfig {
  // The Lease (kube-controller-manager uses kube-system/kube-controller-manager).
  std::string lease_namespace = "kube-system";
  std::string lease_name;
  // This candidate's holderIdentity; "" means DefaultLeaderIdentity().
  std::string identity;
  // Upstream's defaults (component-base LeaderElectionConfiguration): a
  // non-leader waits lease_duration after it last saw the lease change before
  // taking it over; the leader gives up if it cannot renew for
  // renew_deadline; every attempt is retry_period apart.
  // REQUIRES: lease_duration > renew_deadline > retry_period > 0; the Lease
  // stores lease_duration in whole seconds (leaseDurationSeconds).
  std::chrono::milliseconds lease_duration{15000};
  std::chrono::milliseconds renew_deadline{10000};
  std::chrono::milliseconds retry_period{2000};
  // On Run's `stop`, a leader empties holderIdentity (and sets a 1 s lease)
  // so a successor need not wait the lease out.
  bool release_on_cancel = false;

  // Called on a thread of its own once this candidate leads. `lost` becomes
  // true when leadership ends (lost or stopped); the callback should return
  // then, and Run waits for it to. Usually starts the controllers.
  std::function<void(const std::atomic<bool>& lost)> on_started_leading;
  // Called once when Run ends, whether or not it ever led (as client-go
  // does); kube-controller-manager exits the process here.
  std::function<void()> on_stopped_leading;
  // Called (on the election thread) when the observed leader changes,
  // including to this candidate.
  std::function<void(const std::string& identity)> on_new_leader;
};

// "<hostname>_<random uuid>", kube-controller-manager's identity shape.
std::string DefaultLeaderIdentity();

// The LeaderElectionRecord a Lease's spec carries.
struct LeaderElectionRecord {
  std::string holder_identity;
  int64_t lease_duration_seconds = 0;
  std::string acquire_time;  // RFC 3339 with microseconds (metav1.MicroTime)
  std::string renew_time;
  int64_t lease_transitions = 0;

  static LeaderElectionRecord FromLease(const Json& lease);
  // Writes the record into `lease`'s spec.
  void ToLease(Json& lease) const;
  bool operator==(const LeaderElectionRecord&) const = default;
};

// Thread-safe accessors; Run is called once.
class LeaderElector {
 public:
  // `client` must outlive the elector.
  LeaderElector(RestClient* client, LeaderElectionConfig config);
  LeaderElector(const LeaderElector&) = delete;
  LeaderElector& operator=(const LeaderElector&) = delete;

  // Campaigns until this candidate leads, then renews until leadership is
  // lost or `stop` is set; returns after on_started_leading has returned and
  // on_stopped_leading has run. Returns at once if `stop` is already set.
  void Run(const std::atomic<bool>& stop);

  bool IsLeader() const;
  // The holder this candidate last observed ("" if none yet).
  std::string GetLeader() const;
  const std::string& identity() const { return config_.identity; }

 private:
  bool TryAcquireOrRenew();
  void Release();
  bool Sleep(std::chrono::milliseconds d, const std::atomic<bool>& stop);

  RestClient* client_;
  LeaderElectionConfig config_;
  const GroupVersionResource leases_{"coordination.k8s.io", "v1", "leases"};

  mutable std::mutex mu_;
  LeaderElectionRecord observed_;
  std::chrono::steady_clock::time_point observed_time_;
  std::string observed_rv_;
  std::string reported_leader_;
  bool leading_ = false;
};

}  // namespace common
