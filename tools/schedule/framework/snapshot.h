// A point-in-time copy of the cluster the scheduler works on for one cycle:
// every node's NodeInfo in upstream's zone-interleaved order. Filled by
// Cache::UpdateSnapshot; read by plugins through the Handle.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "framework/node_info.h"

namespace schedule {

class Cache;

// Not thread-safe for writes; plugins read it concurrently during a cycle.
class Snapshot {
 public:
  Snapshot() = default;
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  // Every node, interleaved across zones as upstream's nodeTree lists them.
  const std::vector<NodeInfo*>& nodes() const { return list_; }
  // Nodes hosting at least one pod with pod (anti-)affinity.
  const std::vector<NodeInfo*>& have_pods_with_affinity() const { return affinity_list_; }
  // Nodes hosting at least one pod with required pod anti-affinity.
  const std::vector<NodeInfo*>& have_pods_with_required_anti_affinity() const {
    return anti_affinity_list_;
  }
  // The NodeInfo of node `name`, or nullptr.
  NodeInfo* Get(const std::string& name) const;
  int num_nodes() const { return static_cast<int>(list_.size()); }
  // How many nodes report image `name` (upstream's ImageStateSummary.NumNodes).
  int ImageNumNodes(const std::string& name) const;
  int64_t generation() const { return generation_; }

 private:
  friend class Cache;
  std::unordered_map<std::string, std::unique_ptr<NodeInfo>> map_;
  std::vector<NodeInfo*> list_;
  std::vector<NodeInfo*> affinity_list_;
  std::vector<NodeInfo*> anti_affinity_list_;
  std::unordered_map<std::string, int> image_num_nodes_;
  int64_t generation_ = 0;
};

}  // namespace schedule
