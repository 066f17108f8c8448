// ImageLocality: prefers nodes that already have the pod's images, weighted
// by how widely each image is spread (to avoid piling onto one node).
// Default weight 1.
#pragma once

#include "framework/framework.h"

namespace schedule {

class ImageLocality : public ScorePlugin {
 public:
  static constexpr char kName[] = "ImageLocality";
  explicit ImageLocality(Framework* fw) : fw_(fw) {}
  std::string_view Name() const override { return kName; }
  int64_t Score(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  std::vector<ClusterEvent> EventsToRegister() const override;

 private:
  Framework* fw_;
};

}  // namespace schedule
