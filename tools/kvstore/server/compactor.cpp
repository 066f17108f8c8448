#include "compactor.h"

#include <deque>

#include "../cli.h"
#include "common/log.h"
#include "common/strings.h"

namespace kvstore {

common::Result<CompactorOptions> ParseRetention(const std::string& mode,
                                                const std::string& retention) {
  CompactorOptions o;
  if (mode == "revision") {
    auto n = common::ParseInt64(retention);
    if (!n || *n < 0)
      return common::Status::BadRequest("invalid --auto-compaction-retention '" + retention +
                                        "' for revision mode (a revision count expected)");
    o.periodic = false;
    o.revisions = *n;
    return o;
  }
  if (mode != "periodic")
    return common::Status::BadRequest("invalid --auto-compaction-mode '" + mode +
                                      "' (periodic or revision)");
  // etcd: a bare number is hours.
  if (auto n = common::ParseInt64(retention)) {
    if (*n < 0) return common::Status::BadRequest("negative --auto-compaction-retention");
    o.period = std::chrono::hours(*n);
    return o;
  }
  auto d = ParseDuration(retention);
  if (!d.ok())
    return common::Status::BadRequest("invalid --auto-compaction-retention '" + retention + "'");
  o.period = *d;
  return o;
}

Compactor::Compactor(common::mvcc::MvccStore* store, CompactorOptions options)
    : store_(store), opts_(options) {
  if ((opts_.periodic && opts_.period.count() > 0) || (!opts_.periodic && opts_.revisions > 0))
    thread_ = std::thread([this] { Loop(); });
}

Compactor::~Compactor() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Compactor::Loop() {
  using Clock = std::chrono::steady_clock;
  // periodic: sample the revision every period/10 and compact to the newest
  // sample at least `period` old (etcd's Periodic compactor); revision: every
  // few seconds compact to current - retention.
  const auto step = opts_.periodic
                        ? std::max<Clock::duration>(opts_.period / 10, std::chrono::seconds(1))
                        : Clock::duration(std::chrono::seconds(5));
  std::deque<std::pair<Clock::time_point, int64_t>> samples;
  int64_t last = 0;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    const auto now = Clock::now();
    const int64_t rev = store_->CurrentRevision();
    int64_t target = 0;
    if (opts_.periodic) {
      samples.emplace_back(now, rev);
      while (samples.size() > 1 && now - samples[1].first >= opts_.period) samples.pop_front();
      if (now - samples.front().first >= opts_.period) target = samples.front().second;
    } else {
      target = rev - opts_.revisions;
    }
    if (target > last) {
      auto r = store_->Compact(target, false);
      if (r.ok() || r.status().code() == common::Code::kExpired) {
        last = target;
        LOG_INFO("compacted history", {"revision", target});
      } else {
        LOG_WARNING("auto-compaction failed", {"revision", target}, {"err", r.status().message()});
      }
    }
    lock.lock();
    cv_.wait_for(lock, step, [this] { return stop_; });
  }
}

}  // namespace kvstore
