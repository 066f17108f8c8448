#include "qos.h"

#include <map>

#include "common/quantity.h"

namespace nodeagent {

const char* QosName(QosClass q) {
  switch (q) {
    case QosClass::kGuaranteed: return "Guaranteed";
    case QosClass::kBurstable: return "Burstable";
    case QosClass::kBestEffort: return "BestEffort";
  }
  return "BestEffort";
}

QosClass PodQos(const PodSpec& pod) {
  // Only cpu and memory decide the class (upstream's supportedQoSComputeResources).
  static const char* kTracked[] = {"cpu", "memory"};
  std::map<std::string, common::Quantity> requests, limits;
  bool guaranteed = true;
  for (const ContainerSpec* c : pod.AllContainers()) {
    for (const char* r : kTracked) {
      auto rq = c->resources.requests.find(r);
      if (rq != c->resources.requests.end() && !rq->second.IsZero()) requests[r] += rq->second;
      auto lm = c->resources.limits.find(r);
      if (lm != c->resources.limits.end() && !lm->second.IsZero()) limits[r] += lm->second;
    }
    for (const char* r : kTracked) {
      auto lm = c->resources.limits.find(r);
      if (lm == c->resources.limits.end() || lm->second.IsZero()) guaranteed = false;
    }
  }
  if (requests.empty() && limits.empty()) return QosClass::kBestEffort;
  if (guaranteed && requests == limits) return QosClass::kGuaranteed;
  return QosClass::kBurstable;
}

bool IsNodeCritical(const PodSpec& pod) {
  return pod.priority_class_name == "system-node-critical";
}

int ContainerOomScoreAdj(const PodSpec& pod, const ContainerSpec& container,
                         int64_t memory_capacity) {
  if (IsNodeCritical(pod)) return kGuaranteedOomScoreAdj;
  switch (PodQos(pod)) {
    case QosClass::kGuaranteed: return kGuaranteedOomScoreAdj;
    case QosClass::kBestEffort: return kBestEffortOomScoreAdj;
    case QosClass::kBurstable: break;
  }
  if (memory_capacity <= 0) return kBestEffortOomScoreAdj - 1;
  int64_t request = container.resources.MemoryRequest();
  // 128-bit so requests near the capacity of a very large node do not overflow.
  auto adj = static_cast<int64_t>(1000 - (static_cast<__int128>(1000) * request) / memory_capacity);
  // Burstable containers always score above Guaranteed ones...
  if (adj < 1000 + kGuaranteedOomScoreAdj) return 1000 + kGuaranteedOomScoreAdj;
  // ...and below BestEffort ones.
  if (adj == kBestEffortOomScoreAdj) return static_cast<int>(adj - 1);
  return static_cast<int>(adj);
}

}  // namespace nodeagent
