// The scheduler's view of the cluster: nodes and the pods bound or assumed to
// them. "Assumed" pods are counted on their node as soon as a node is chosen,
// so the next pod can be scheduled before the binding reaches the API server
// (upstream's internal/cache). Assumed pods never expire, as upstream since
// durationToExpireAssumedPod became 0.
#pragma once

#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "framework/snapshot.h"

namespace schedule {

// Thread-safe.
class Cache {
 public:
  Cache() = default;
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;

  void AddNode(NodePtr node);
  void UpdateNode(NodePtr node) { AddNode(std::move(node)); }
  void RemoveNode(const std::string& name);

  // Adds a pod assumed to run on pod->node_name. Fails (Conflict) when the
  // pod is already in the cache.
  common::Status AssumePod(PodPtr pod);
  // Marks the binding of an assumed pod as done.
  void FinishBinding(const std::string& uid);
  // Undoes AssumePod (binding failed).
  common::Status ForgetPod(const Pod& pod);
  // A bound pod seen by the informer; confirms an assumed one.
  void AddPod(PodPtr pod);
  void UpdatePod(const Pod& old_pod, PodPtr new_pod);
  void RemovePod(const Pod& pod);
  bool IsAssumedPod(const std::string& uid) const;
  // The cached pod with `uid` (bound or assumed), or nullptr.
  PodPtr GetPod(const std::string& uid) const;

  // Copies every NodeInfo changed since `snapshot` was last updated into it,
  // and rebuilds its lists when nodes were added or removed.
  void UpdateSnapshot(Snapshot* snapshot);

  int NodeCount() const;
  int PodCount() const;
  // Every cached pod (bound and assumed).
  std::vector<PodPtr> ListPods() const;

 private:
  struct Item {
    NodeInfo info;
    std::list<Item*>::iterator lru;  // position in recent_
  };
  struct PodState {
    PodPtr pod;
    bool assumed = false;
    bool binding_finished = false;
  };

  Item* ItemFor(const std::string& node_name);  // creates a placeholder when missing
  void Touch(Item* item);                        // moves to the front of recent_
  void AddPodLocked(const PodPtr& pod);
  void RemovePodLocked(const Pod& pod);
  void TreeAdd(const Node& node);
  void TreeRemove(const Node& node);
  std::vector<std::string> TreeList() const;

  mutable std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<Item>> nodes_;
  std::list<Item*> recent_;  // most recently updated first
  std::unordered_map<std::string, PodState> pods_;  // by uid
  // Upstream's nodeTree: nodes grouped by zone, zones in first-seen order.
  std::vector<std::string> zones_;
  std::unordered_map<std::string, std::vector<std::string>> tree_;
  std::unordered_map<std::string, std::string> tree_zone_;  // node -> zone it is listed under
  int tree_size_ = 0;
  bool lists_dirty_ = true;
};

// The zone key upstream's nodeTree groups by: region + ":\x00:" + zone, "" when neither is set.
std::string ZoneKey(const Node& node);

}  // namespace schedule
