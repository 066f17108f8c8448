// Per-node aggregate the filters and scores read: the node, its pods (bound
// and assumed), the resources they request, the host ports they hold.
// Mirrors upstream's framework.NodeInfo.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/types.h"

namespace schedule {

// Host ports in use on a node: (ip, protocol, port) triples. A 0.0.0.0 entry
// conflicts with every IP. Copyable value type.
class HostPortInfo {
 public:
  // Upstream's HostPortInfo.CheckConflict: port <= 0 never conflicts; "" ip
  // means 0.0.0.0 and "" protocol means TCP.
  bool CheckConflict(const HostPort& p) const;
  void Add(const HostPort& p);
  void Remove(const HostPort& p);
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }

 private:
  std::vector<HostPort> entries_;  // few per node: linear scans beat hashing
};

// Returns a new, process-wide increasing generation number. Thread-safe.
int64_t NextGeneration();

// Not thread-safe; the cache and snapshot synchronise access.
class NodeInfo {
 public:
  NodeInfo() : generation_(NextGeneration()) {}

  // Null for a node the cache still holds pods for after the node was deleted.
  const Node* node() const { return node_.get(); }
  const NodePtr& node_ptr() const { return node_; }
  const std::string& name() const;
  void SetNode(NodePtr node);
  void RemoveNode() { node_.reset(); generation_ = NextGeneration(); }

  const std::vector<PodPtr>& pods() const { return pods_; }
  const std::vector<PodPtr>& pods_with_affinity() const { return pods_with_affinity_; }
  const std::vector<PodPtr>& pods_with_required_anti_affinity() const {
    return pods_with_required_anti_affinity_;
  }
  const HostPortInfo& used_ports() const { return used_ports_; }
  // Sum of the pods' effective requests.
  const Resources& requested() const { return requested_; }
  // Like requested() with 100m / 200Mi for containers that request no cpu / memory.
  int64_t non_zero_milli_cpu() const { return non_zero_milli_cpu_; }
  int64_t non_zero_memory() const { return non_zero_memory_; }
  const Resources& allocatable() const { return allocatable_; }
  // Size of `image` (a normalized name) if the node reports it, else -1.
  int64_t ImageSize(const std::string& image) const;
  const std::unordered_map<std::string, int64_t>& image_sizes() const { return image_sizes_; }
  int64_t generation() const { return generation_; }
  // Position in the snapshot's node list (see Snapshot::Column), -1 outside one.
  int snapshot_index() const { return snapshot_index_; }
  void set_snapshot_index(int i) { snapshot_index_ = i; }

  void AddPod(const PodPtr& pod);
  // Removes the pod with `pod`'s uid; false when absent.
  bool RemovePod(const Pod& pod);
  // Index of the pod with `uid` in pods(), or -1.
  int FindPod(const std::string& uid) const;

 private:
  void Account(const Pod& pod, int sign);

  NodePtr node_;
  std::vector<PodPtr> pods_;
  std::vector<PodPtr> pods_with_affinity_;
  std::vector<PodPtr> pods_with_required_anti_affinity_;
  HostPortInfo used_ports_;
  Resources requested_;
  int64_t non_zero_milli_cpu_ = 0;
  int64_t non_zero_memory_ = 0;
  Resources allocatable_;
  std::unordered_map<std::string, int64_t> image_sizes_;
  int64_t generation_;
  int snapshot_index_ = -1;
};

}  // namespace schedule
