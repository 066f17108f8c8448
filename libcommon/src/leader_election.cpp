#include "common/leader_election.h"

#include <unistd.h>

#include <random>
#include <thread>

#include "common/log.h"
#include "common/timeutil.h"

namespace common {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string RandomUuid() {
  std::random_device rd;
  std::mt19937_64 rng((static_cast<uint64_t>(rd()) << 32) ^ rd());
  uint64_t a = rng(), b = rng();
  a = (a & ~0xf000ULL) | 0x4000ULL;                   // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(a >> 32),
                static_cast<unsigned long long>((a >> 16) & 0xffff),
                static_cast<unsigned long long>(a & 0xffff),
                static_cast<unsigned long long>(b >> 48),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

}  // namespace

std::string DefaultLeaderIdentity() {
  char host[256] = {0};
  if (::gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "localhost");
  return std::string(host) + "_" + RandomUuid();
}

LeaderElectionRecord LeaderElectionRecord::FromLease(const Json& lease) {
  const Json& spec = Get(lease, "spec");
  LeaderElectionRecord r;
  r.holder_identity = GetString(spec, "holderIdentity");
  r.lease_duration_seconds = GetInt(spec, "leaseDurationSeconds");
  r.acquire_time = GetString(spec, "acquireTime");
  r.renew_time = GetString(spec, "renewTime");
  r.lease_transitions = GetInt(spec, "leaseTransitions");
  return r;
}

void LeaderElectionRecord::ToLease(Json& lease) const {
  Json& spec = lease["spec"];
  spec["holderIdentity"] = holder_identity;
  spec["leaseDurationSeconds"] = lease_duration_seconds;
  spec["acquireTime"] = acquire_time;
  spec["renewTime"] = renew_time;
  spec["leaseTransitions"] = lease_transitions;
}

LeaderElector::LeaderElector(RestClient* client, LeaderElectionConfig config)
    : client_(client), config_(std::move(config)) {
  if (config_.identity.empty()) config_.identity = DefaultLeaderIdentity();
}

bool LeaderElector::IsLeader() const {
  std::lock_guard<std::mutex> lock(mu_);
  return leading_;
}

std::string LeaderElector::GetLeader() const {
  std::lock_guard<std::mutex> lock(mu_);
  return observed_.holder_identity;
}

bool LeaderElector::Sleep(std::chrono::milliseconds d, const std::atomic<bool>& stop) {
  auto until = SteadyClock::now() + d;
  while (!stop.load()) {
    auto left = until - SteadyClock::now();
    if (left <= SteadyClock::duration::zero()) return true;
    std::this_thread::sleep_for(std::min<SteadyClock::duration>(left, std::chrono::milliseconds(20)));
  }
  return false;
}

bool LeaderElector::TryAcquireOrRenew() {
  const std::string now_text = FormatRFC3339Micro(Clock::now());
  const auto now = SteadyClock::now();
  LeaderElectionRecord desired;
  desired.holder_identity = config_.identity;
  desired.lease_duration_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(config_.lease_duration).count();
  desired.acquire_time = now_text;
  desired.renew_time = now_text;

  auto got = client_->Get(leases_, config_.lease_namespace, config_.lease_name);
  if (!got.ok()) {
    if (!got.status().IsNotFound()) {
      LOG_ERROR("error retrieving resource lock",
                {"lease", config_.lease_namespace + "/" + config_.lease_name},
                {"err", got.status().ToString()});
      return false;
    }
    Json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                  {"kind", "Lease"},
                  {"metadata",
                   {{"name", config_.lease_name}, {"namespace", config_.lease_namespace}}}};
    desired.ToLease(lease);
    auto created = client_->Create(leases_, config_.lease_namespace, lease);
    if (!created.ok()) {
      VLOG(2, "error initially creating leader election record",
           {"err", created.status().ToString()});
      return false;
    }
    std::lock_guard<std::mutex> lock(mu_);
    observed_ = desired;
    observed_time_ = now;
    observed_rv_ = GetString((*created)["metadata"], "resourceVersion");
    return true;
  }

  LeaderElectionRecord old = LeaderElectionRecord::FromLease(*got);
  bool am_holder;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Expiry is judged by when *this* candidate saw the record change, not by
    // renewTime, so clock skew between machines does not matter.
    if (!(old == observed_)) {
      observed_ = old;
      observed_time_ = now;
    }
    am_holder = old.holder_identity == config_.identity;
    if (!old.holder_identity.empty() && !am_holder &&
        observed_time_ + std::chrono::seconds(old.lease_duration_seconds) > now) {
      VLOG(4, "lock is held and has not yet expired", {"holder", old.holder_identity});
      return false;
    }
  }
  if (am_holder) {
    desired.acquire_time = old.acquire_time;
    desired.lease_transitions = old.lease_transitions;
  } else {
    desired.lease_transitions = old.lease_transitions + 1;
  }
  Json lease = *got;
  desired.ToLease(lease);
  auto updated = client_->Update(leases_, config_.lease_namespace, lease);
  if (!updated.ok()) {
    LOG_ERROR("failed to update lock", {"err", updated.status().ToString()});
    return false;
  }
  std::lock_guard<std::mutex> lock(mu_);
  observed_ = desired;
  observed_time_ = now;
  observed_rv_ = GetString((*updated)["metadata"], "resourceVersion");
  return true;
}

void LeaderElector::Release() {
  auto got = client_->Get(leases_, config_.lease_namespace, config_.lease_name);
  if (!got.ok()) return;
  LeaderElectionRecord old = LeaderElectionRecord::FromLease(*got);
  if (old.holder_identity != config_.identity) return;
  // client-go's release(): no holder, a 1 s lease, the transition count kept.
  LeaderElectionRecord r;
  r.lease_duration_seconds = 1;
  r.acquire_time = r.renew_time = FormatRFC3339Micro(Clock::now());
  r.lease_transitions = old.lease_transitions;
  Json lease = *got;
  r.ToLease(lease);
  auto updated = client_->Update(leases_, config_.lease_namespace, lease);
  if (!updated.ok()) {
    LOG_ERROR("failed to release lock", {"err", updated.status().ToString()});
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  observed_ = r;
}

void LeaderElector::Run(const std::atomic<bool>& stop) {
  static thread_local std::mt19937 rng(std::random_device{}());
  auto report = [&] {
    std::string leader = GetLeader();
    if (leader.empty() || leader == reported_leader_) return;
    reported_leader_ = leader;
    if (config_.on_new_leader) config_.on_new_leader(leader);
  };

  // Acquire: retry every retry_period with client-go's jitter (factor 1.2).
  bool acquired = false;
  LOG_INFO("attempting to acquire leader lease",
           {"lease", config_.lease_namespace + "/" + config_.lease_name});
  while (!stop.load()) {
    acquired = TryAcquireOrRenew();
    report();
    if (acquired) break;
    std::uniform_real_distribution<double> jitter(0, 1.2);
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(config_.retry_period *
                                                                       (1 + jitter(rng)));
    if (!Sleep(wait, stop)) break;
  }

  if (acquired) {
    LOG_INFO("successfully acquired lease",
             {"lease", config_.lease_namespace + "/" + config_.lease_name});
    {
      std::lock_guard<std::mutex> lock(mu_);
      leading_ = true;
    }
    std::atomic<bool> lost{false};
    std::thread leader_thread;
    if (config_.on_started_leading)
      leader_thread = std::thread([&] { config_.on_started_leading(lost); });

    // Renew every retry_period; give up when no renewal succeeds within
    // renew_deadline.
    while (Sleep(config_.retry_period, stop)) {
      auto deadline = SteadyClock::now() + config_.renew_deadline;
      bool renewed = false;
      while (!stop.load() && SteadyClock::now() < deadline) {
        if ((renewed = TryAcquireOrRenew())) break;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                          SteadyClock::now());
        if (!Sleep(std::min(config_.retry_period, std::max(left, std::chrono::milliseconds(0))),
                   stop))
          break;
      }
      report();
      if (stop.load()) break;
      if (!renewed) {
        LOG_INFO("failed to renew lease, leadership lost",
                 {"lease", config_.lease_namespace + "/" + config_.lease_name});
        break;
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      leading_ = false;
    }
    lost = true;
    if (leader_thread.joinable()) leader_thread.join();
    if (stop.load() && config_.release_on_cancel) Release();
  }
  if (config_.on_stopped_leading) config_.on_stopped_leading();
}

}  // namespace common
