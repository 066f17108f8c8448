// Leases: grant/revoke go through the committer (persisted with the batch),
// keep-alive and time-to-live are in memory, and a background thread revokes
// expired leases, deleting their keys in one revision.
#include <algorithm>

#include "common/log.h"
#include "mvcc_internal.h"

namespace common::mvcc {

namespace {

void LeaseKey(int64_t id, char out[8]) {
  uint64_t u = static_cast<uint64_t>(id);
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(u & 0xff);
    u >>= 8;
  }
}

}  // namespace

Result<kv::LeaseGrantResponse> Engine::LeaseGrant(int64_t ttl, int64_t id) {
  if (ttl > kMaxLeaseTtl) return Status::BadRequest(kErrLeaseTtlTooLarge);
  WriteOp op;
  op.kind = WriteOp::Kind::kLeaseGrant;
  op.a = id;
  op.b = ttl;
  RETURN_IF_ERROR(Submit(&op));
  kv::LeaseGrantResponse resp;
  resp.revision = op.rev;
  resp.id = op.out_id;
  resp.ttl = op.out_ttl;
  return resp;
}

Status Engine::LeaseRevoke(int64_t id) {
  WriteOp op;
  op.kind = WriteOp::Kind::kLeaseRevoke;
  op.a = id;
  return Submit(&op);
}

Result<int64_t> Engine::LeaseKeepAlive(int64_t id) {
  std::lock_guard<std::mutex> lk(lease_mu_);
  auto it = leases_.find(id);
  auto now = Now();
  // An expired lease is as good as gone, even before the revoke lands (etcd's
  // lessor.Renew answers ErrLeaseNotFound, sent to clients as TTL 0).
  if (it == leases_.end() || it->second.expiry <= now) return int64_t{0};
  it->second.expiry = now + std::chrono::seconds(it->second.ttl);
  m_.leases_renewed.Inc();
  return it->second.ttl;
}

Result<kv::LeaseTimeToLiveResponse> Engine::LeaseTimeToLive(int64_t id, bool keys) {
  kv::LeaseTimeToLiveResponse resp;
  resp.revision = CurrentRevision();
  resp.id = id;
  std::lock_guard<std::mutex> lk(lease_mu_);
  auto it = leases_.find(id);
  if (it == leases_.end()) {
    resp.ttl = -1;
    return resp;
  }
  // etcd truncates the remaining time to whole seconds.
  auto left = std::chrono::duration_cast<std::chrono::seconds>(it->second.expiry - Now()).count();
  resp.ttl = std::max<int64_t>(0, left);
  resp.granted_ttl = it->second.ttl;
  if (keys) resp.keys.assign(it->second.keys.begin(), it->second.keys.end());
  return resp;
}

Result<std::vector<int64_t>> Engine::LeaseList() {
  std::vector<int64_t> ids;
  std::lock_guard<std::mutex> lk(lease_mu_);
  ids.reserve(leases_.size());
  for (const auto& [id, l] : leases_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

bool Engine::LeaseExists(int64_t id) {
  std::lock_guard<std::mutex> lk(lease_mu_);
  return leases_.count(id) != 0;
}

void Engine::Attach(Batch& b, int64_t lease, const std::string& key) {
  std::lock_guard<std::mutex> lk(lease_mu_);
  auto it = leases_.find(lease);
  if (it == leases_.end()) return;
  if (it->second.keys.insert(key).second) {
    b.undo.push_back([this, lease, key] {
      std::lock_guard<std::mutex> lk2(lease_mu_);
      auto i2 = leases_.find(lease);
      if (i2 != leases_.end()) i2->second.keys.erase(key);
    });
  }
}

void Engine::Detach(Batch& b, int64_t lease, const std::string& key) {
  std::lock_guard<std::mutex> lk(lease_mu_);
  auto it = leases_.find(lease);
  if (it == leases_.end()) return;
  if (it->second.keys.erase(key) != 0) {
    b.undo.push_back([this, lease, key] {
      std::lock_guard<std::mutex> lk2(lease_mu_);
      auto i2 = leases_.find(lease);
      if (i2 != leases_.end()) i2->second.keys.insert(key);
    });
  }
}

Status Engine::ApplyLeaseGrant(Batch& b, WriteOp* op) {
  RETURN_IF_ERROR(CheckSpace(b, 64));  // etcd's leaseOverhead
  int64_t id = op->a;
  int64_t ttl = std::max(op->b, opts_.min_lease_ttl);
  {
    std::lock_guard<std::mutex> lk(lease_mu_);
    if (id == 0) {
      // Unique, positive, and not guessable from the previous one's position
      // in a restarted process (the base is random per Open).
      do {
        id = static_cast<int64_t>(next_lease_id_++ & 0x7fffffffffffffffULL);
      } while (id == 0 || leases_.count(id) != 0);
    } else if (leases_.count(id) != 0) {
      return Status::AlreadyExists(kv::kErrLeaseExists);
    }
  }
  char kb[8];
  LeaseKey(id, kb);
  Mutation m;
  m.table = Table::kLease;
  m.key.assign(kb, 8);
  PutFixed64(&m.value, ttl);
  b.log->bytes += 64;  // etcd's leaseOverhead, as CheckSpace counted it
  b.log->others.push_back(std::move(m));
  {
    std::lock_guard<std::mutex> lk(lease_mu_);
    Lease l;
    l.id = id;
    l.ttl = ttl;
    l.expiry = Now() + std::chrono::seconds(ttl);
    leases_.emplace(id, std::move(l));
  }
  b.undo.push_back([this, id] {
    std::lock_guard<std::mutex> lk(lease_mu_);
    leases_.erase(id);
  });
  m_.leases_granted.Inc();
  op->out_id = id;
  op->out_ttl = ttl;
  return Status::Ok();
}

Status Engine::ApplyLeaseRevoke(Batch& b, OpCtx& ctx, int64_t id, bool only_if_expired) {
  std::vector<std::string> keys;
  Lease saved;
  {
    std::lock_guard<std::mutex> lk(lease_mu_);
    auto it = leases_.find(id);
    if (it == leases_.end()) return Status::NotFound(kv::kErrLeaseNotFound);
    // A keep-alive may have landed since the expiry thread looked.
    if (only_if_expired && it->second.expiry > Now()) return Status::Ok();
    keys.assign(it->second.keys.begin(), it->second.keys.end());
    saved = it->second;
  }
  // All of the lease's keys go in one revision, in key order (etcd's revoke).
  for (const auto& key : keys) {
    kv::DeleteRangeResponse unused;
    RETURN_IF_ERROR(ApplyDelete(b, ctx, key, std::string(), false, &unused));
  }
  char kb[8];
  LeaseKey(id, kb);
  Mutation m;
  m.table = Table::kLease;
  m.del = true;
  m.key.assign(kb, 8);
  b.log->others.push_back(std::move(m));
  {
    std::lock_guard<std::mutex> lk(lease_mu_);
    leases_.erase(id);
  }
  b.undo.push_back([this, saved] {
    std::lock_guard<std::mutex> lk(lease_mu_);
    leases_.emplace(saved.id, saved);
  });
  m_.leases_revoked.Inc();
  return Status::Ok();
}

void Engine::TickerLoop() {
  auto last_progress = Clock::now();
  auto last_stats = Clock::now();
  std::unique_lock<std::mutex> lk(ticker_mu_);
  while (!ticker_stop_) {
    ticker_cv_.wait_for(lk, opts_.lease_check_interval);
    if (ticker_stop_) break;
    lk.unlock();
    std::vector<int64_t> expired;
    {
      std::lock_guard<std::mutex> l2(lease_mu_);
      auto now = Now();
      for (const auto& [id, l] : leases_) {
        if (l.expiry <= now) expired.push_back(id);
      }
    }
    // All expired leases at once: they share group commits instead of
    // paying one commit each.
    std::vector<WriteOp> ops(expired.size());
    for (size_t i = 0; i < expired.size(); ++i) {
      ops[i].kind = WriteOp::Kind::kLeaseExpire;
      ops[i].a = expired[i];
    }
    if (!ops.empty()) SubmitAll(ops);
    for (const auto& op : ops) {
      if (!op.status.ok() && !op.status.IsNotFound()) {
        LOG_WARNING("mvcc: cannot revoke an expired lease", {"lease", op.a},
                    {"error", op.status.ToString()});
      }
    }
    auto now = Clock::now();
    if (now - last_progress >= opts_.progress_notify_interval) {
      last_progress = now;
      hub_->ProgressTick();
    }
    if (now - last_stats >= std::chrono::seconds(10)) {
      last_stats = now;
      (void)GetStatus();  // refreshes the size gauges
      ReleaseMappedPages();
    }
    lk.lock();
  }
}

}  // namespace common::mvcc
