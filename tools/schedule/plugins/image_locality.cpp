#include "plugins/image_locality.h"

namespace schedule {

namespace {

constexpr int64_t kMB = 1024 * 1024;
constexpr int64_t kMinThreshold = 23 * kMB;
constexpr int64_t kMaxContainerThreshold = 1000 * kMB;

}  // namespace

int64_t ImageLocality::Score(const CycleState&, const Pod& pod, const NodeInfo& node) const {
  int64_t sum = 0;
  if (!node.image_sizes().empty()) {
    const Snapshot& snap = fw_->snapshot();
    double total = static_cast<double>(snap.num_nodes());
    for (const auto& image : pod.images) {
      int64_t size = node.ImageSize(image);
      if (size < 0) continue;
      double spread = static_cast<double>(snap.ImageNumNodes(image)) / total;
      sum += static_cast<int64_t>(static_cast<double>(size) * spread);
    }
  }
  int64_t max_threshold = kMaxContainerThreshold * pod.num_containers;
  if (sum < kMinThreshold) sum = kMinThreshold;
  else if (sum > max_threshold) sum = max_threshold;
  return kMaxNodeScore * (sum - kMinThreshold) / (max_threshold - kMinThreshold);
}

std::vector<ClusterEvent> ImageLocality::EventsToRegister() const {
  return {{EventResource::kNode, kAdd | kUpdateOther}};
}

}  // namespace schedule
