// A point-in-time copy of the cluster the scheduler works on for one cycle:
// every node's NodeInfo in upstream's zone-interleaved order. Filled by
// Cache::UpdateSnapshot; read by plugins through the Handle.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "framework/node_info.h"

namespace schedule {

class Cache;

// One label key's values across the snapshot's nodes, as small dense
// indexes: topology spreading and pod affinity count pods per value of a
// topology key for every node each cycle, and comparing strings for that
// dominated their cost. Immutable once built.
struct LabelColumn {
  std::string key;
  // Per node (by NodeInfo::snapshot_index): 1 + index into `values`, or 0
  // when the node lacks the label.
  std::vector<uint32_t> index;
  std::vector<std::string_view> values;  // distinct values (views into node labels)
  // The value slot of `node` (0: no label).
  uint32_t Of(const NodeInfo& node) const {
    int i = node.snapshot_index();
    return i >= 0 && static_cast<size_t>(i) < index.size() ? index[i] : 0;
  }
  std::string_view Value(uint32_t slot) const { return values[slot - 1]; }
  // Number of slots, the empty one included.
  size_t slots() const { return values.size() + 1; }
};

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
  // The column of label `key`, built on first use after the node list last
  // changed. Thread-safe; the reference stays valid until the next
  // Cache::UpdateSnapshot that changes the node list.
  const LabelColumn& Column(const std::string& key) const;

 private:
  friend class Cache;
  std::unordered_map<std::string, std::unique_ptr<NodeInfo>> map_;
  std::vector<NodeInfo*> list_;
  std::vector<NodeInfo*> affinity_list_;
  std::vector<NodeInfo*> anti_affinity_list_;
  std::unordered_map<std::string, int> image_num_nodes_;
  int64_t generation_ = 0;
  mutable std::mutex columns_mu_;
  mutable std::unordered_map<std::string, std::unique_ptr<LabelColumn>> columns_;
};

}  // namespace schedule
