#include "eviction.h"

#include <algorithm>
#include <numeric>

#include "common/quantity.h"
#include "common/strings.h"

namespace nodeagent {

int64_t Threshold::Value(int64_t capacity) const {
  if (quantity >= 0) return quantity;
  return static_cast<int64_t>(static_cast<double>(capacity) * percentage);
}

common::Result<std::vector<Threshold>> ParseThresholds(const std::string& text) {
  std::vector<Threshold> out;
  static const char* kSignals[] = {"memory.available",  "nodefs.available", "nodefs.inodesFree",
                                   "imagefs.available", "imagefs.inodesFree", "pid.available",
                                   "allocatableMemory.available"};
  for (const auto& item : common::SplitNonEmpty(text, ',')) {
    auto lt = item.find('<');
    if (lt == std::string::npos)
      return common::Status::BadRequest("invalid eviction threshold syntax " + item + ", expected <signal><operator><value>");
    Threshold t;
    t.signal = std::string(common::TrimSpace(item.substr(0, lt)));
    if (std::find(std::begin(kSignals), std::end(kSignals), t.signal) == std::end(kSignals))
      return common::Status::BadRequest("unsupported eviction signal " + t.signal);
    std::string value = std::string(common::TrimSpace(item.substr(lt + 1)));
    if (!value.empty() && value.back() == '%') {
      auto pct = common::ParseInt64(value.substr(0, value.size() - 1));
      double p = pct ? static_cast<double>(*pct) : std::atof(value.c_str());
      if (p < 0 || p > 100)
        return common::Status::BadRequest("eviction percentage threshold " + t.signal + " must be in [0,100]");
      t.percentage = p / 100.0;
    } else {
      auto q = common::Quantity::Parse(value);
      if (!q.ok()) return common::Status::BadRequest("invalid quantity " + value + " for " + t.signal);
      if (q->Sign() < 0)
        return common::Status::BadRequest("eviction threshold " + t.signal + " must be positive");
      t.quantity = q->Value();
    }
    out.push_back(t);
  }
  return out;
}

std::string ConditionFor(const std::string& signal) {
  if (signal.rfind("memory", 0) == 0 || signal.rfind("allocatableMemory", 0) == 0) return "MemoryPressure";
  if (signal.rfind("pid", 0) == 0) return "PIDPressure";
  return "DiskPressure";
}

std::vector<size_t> RankMemoryPressure(const std::vector<EvictionCandidate>& pods) {
  std::vector<size_t> idx(pods.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    const auto& p = pods[a];
    const auto& q = pods[b];
    bool pe = p.memory_usage > p.memory_request, qe = q.memory_usage > q.memory_request;
    if (pe != qe) return pe;
    if (p.priority != q.priority) return p.priority < q.priority;
    return p.memory_usage - p.memory_request > q.memory_usage - q.memory_request;
  });
  return idx;
}

bool PressureCondition::Observe(bool pressure, double now_s, double transition_s) {
  if (pressure) {
    last_seen_ = now_s;
    value_ = true;
  } else if (value_ && now_s - last_seen_ >= transition_s) {
    value_ = false;
  }
  return value_;
}

}  // namespace nodeagent
