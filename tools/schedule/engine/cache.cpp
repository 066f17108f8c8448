#include "engine/cache.h"

#include <algorithm>
#include <unordered_set>

namespace schedule {

std::string ZoneKey(const Node& node) {
  auto get = [&](const char* k) {
    auto it = node.labels.find(k);
    return it == node.labels.end() ? std::string() : it->second;
  };
  std::string region = get(kLabelRegion), zone = get(kLabelZone);
  if (region.empty() && zone.empty()) return "";
  return region + std::string(":\x00:", 3) + zone;
}

Cache::Item* Cache::ItemFor(const std::string& node_name) {
  auto& slot = nodes_[node_name];
  if (!slot) {
    slot = std::make_unique<Item>();
    recent_.push_front(slot.get());
    slot->lru = recent_.begin();
  }
  return slot.get();
}

void Cache::Touch(Item* item) {
  recent_.splice(recent_.begin(), recent_, item->lru);
}

void Cache::TreeAdd(const Node& node) {
  if (tree_zone_.count(node.name)) return;
  std::string zone = ZoneKey(node);
  tree_zone_[node.name] = zone;
  auto& names = tree_[zone];
  if (names.empty()) zones_.push_back(zone);
  names.push_back(node.name);
  ++tree_size_;
}

void Cache::TreeRemove(const Node& node) {
  auto z = tree_zone_.find(node.name);
  if (z == tree_zone_.end()) return;
  std::string zone = z->second;
  tree_zone_.erase(z);
  auto it = tree_.find(zone);
  if (it == tree_.end()) return;
  auto& names = it->second;
  auto n = std::find(names.begin(), names.end(), node.name);
  if (n == names.end()) return;
  // Upstream swaps the last node into the hole.
  *n = names.back();
  names.pop_back();
  --tree_size_;
  if (names.empty()) {
    tree_.erase(it);
    zones_.erase(std::find(zones_.begin(), zones_.end(), zone));
  }
}

std::vector<std::string> Cache::TreeList() const {
  std::vector<std::string> out;
  out.reserve(tree_size_);
  for (size_t idx = 0; static_cast<int>(out.size()) < tree_size_; ++idx) {
    for (const auto& zone : zones_) {
      const auto& names = tree_.at(zone);
      if (idx < names.size()) out.push_back(names[idx]);
    }
  }
  return out;
}

void Cache::AddNode(NodePtr node) {
  std::lock_guard<std::mutex> lock(mu_);
  Item* item = ItemFor(node->name);
  if (item->info.node()) {
    if (ZoneKey(*item->info.node()) != ZoneKey(*node)) {
      TreeRemove(*item->info.node());
      TreeAdd(*node);
    }
  } else {
    TreeAdd(*node);
  }
  item->info.SetNode(std::move(node));
  Touch(item);
  lists_dirty_ = true;
}

void Cache::RemoveNode(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(name);
  if (it == nodes_.end() || !it->second->info.node()) return;
  Item* item = it->second.get();
  TreeRemove(*item->info.node());
  lists_dirty_ = true;
  // A node with pods stays as a placeholder until its pods are gone, as upstream.
  if (item->info.pods().empty()) {
    recent_.erase(item->lru);
    nodes_.erase(it);
  } else {
    item->info.RemoveNode();
    Touch(item);
  }
}

void Cache::AddPodLocked(const PodPtr& pod) {
  Item* item = ItemFor(pod->node_name);
  item->info.AddPod(pod);
  Touch(item);
}

void Cache::RemovePodLocked(const Pod& pod) {
  auto it = nodes_.find(pod.node_name);
  if (it == nodes_.end()) return;
  Item* item = it->second.get();
  item->info.RemovePod(pod);
  if (!item->info.node() && item->info.pods().empty()) {
    recent_.erase(item->lru);
    nodes_.erase(it);
    lists_dirty_ = true;
    return;
  }
  Touch(item);
}

common::Status Cache::AssumePod(PodPtr pod) {
  std::lock_guard<std::mutex> lock(mu_);
  if (pods_.count(pod->uid))
    return common::Status::Conflict("pod " + pod->key + " is in the cache, so can't be assumed");
  AddPodLocked(pod);
  pods_[pod->uid] = PodState{pod, true, false};
  return common::Status::Ok();
}

void Cache::FinishBinding(const std::string& uid) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pods_.find(uid);
  if (it != pods_.end() && it->second.assumed) it->second.binding_finished = true;
}

common::Status Cache::ForgetPod(const Pod& pod) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pods_.find(pod.uid);
  if (it == pods_.end()) return common::Status::Ok();
  if (!it->second.assumed)
    return common::Status::Conflict("pod " + pod.key + " wasn't assumed so cannot be forgotten");
  RemovePodLocked(*it->second.pod);
  pods_.erase(it);
  return common::Status::Ok();
}

void Cache::AddPod(PodPtr pod) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pods_.find(pod->uid);
  if (it != pods_.end()) {
    // Confirms an assumed pod; the API server's copy wins (its node may differ).
    RemovePodLocked(*it->second.pod);
    AddPodLocked(pod);
    it->second = PodState{pod, false, false};
    return;
  }
  AddPodLocked(pod);
  pods_[pod->uid] = PodState{pod, false, false};
}

void Cache::UpdatePod(const Pod& old_pod, PodPtr new_pod) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pods_.find(old_pod.uid);
  if (it != pods_.end()) RemovePodLocked(*it->second.pod);
  AddPodLocked(new_pod);
  pods_[new_pod->uid] = PodState{new_pod, false, false};
}

void Cache::RemovePod(const Pod& pod) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pods_.find(pod.uid);
  if (it == pods_.end()) return;
  RemovePodLocked(*it->second.pod);
  pods_.erase(it);
}

bool Cache::IsAssumedPod(const std::string& uid) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pods_.find(uid);
  return it != pods_.end() && it->second.assumed;
}

PodPtr Cache::GetPod(const std::string& uid) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pods_.find(uid);
  return it == pods_.end() ? nullptr : it->second.pod;
}

int Cache::NodeCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tree_size_;
}

int Cache::PodCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(pods_.size());
}

std::vector<PodPtr> Cache::ListPods() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<PodPtr> out;
  out.reserve(pods_.size());
  for (const auto& [uid, st] : pods_) out.push_back(st.pod);
  return out;
}

void Cache::UpdateSnapshot(Snapshot* snap) {
  std::lock_guard<std::mutex> lock(mu_);
  bool rebuild = lists_dirty_;
  bool affinity_changed = false;
  int64_t last = snap->generation_;
  for (Item* item : recent_) {
    if (item->info.generation() <= last) break;
    const Node* node = item->info.node();
    if (!node) continue;
    auto& slot = snap->map_[node->name];
    if (!slot) {
      slot = std::make_unique<NodeInfo>();
      rebuild = true;
    }
    if (slot->pods_with_affinity().empty() != item->info.pods_with_affinity().empty() ||
        slot->pods_with_required_anti_affinity().empty() !=
            item->info.pods_with_required_anti_affinity().empty())
      affinity_changed = true;
    int index = slot->snapshot_index();
    *slot = item->info;  // keeps the NodeInfo's address, which the lists hold
    slot->set_snapshot_index(index);
  }
  if (!recent_.empty()) snap->generation_ = recent_.front()->info.generation();
  if (static_cast<int>(snap->map_.size()) > tree_size_) {
    for (auto it = snap->map_.begin(); it != snap->map_.end();) {
      auto c = nodes_.find(it->first);
      if (c == nodes_.end() || !c->second->info.node()) it = snap->map_.erase(it);
      else ++it;
    }
    rebuild = true;
  }
  if (rebuild) {
    snap->list_.clear();
    for (const auto& name : TreeList()) {
      NodeInfo* ni = snap->map_.at(name).get();
      ni->set_snapshot_index(static_cast<int>(snap->list_.size()));
      snap->list_.push_back(ni);
    }
    {
      std::lock_guard<std::mutex> lock(snap->columns_mu_);
      snap->columns_.clear();
    }
    snap->image_num_nodes_.clear();
    for (NodeInfo* ni : snap->list_) {
      std::unordered_set<std::string> seen;
      for (const auto& [image, size] : ni->image_sizes())
        if (seen.insert(image).second) ++snap->image_num_nodes_[image];
    }
    lists_dirty_ = false;
  }
  if (rebuild || affinity_changed) {
    snap->affinity_list_.clear();
    snap->anti_affinity_list_.clear();
    for (NodeInfo* ni : snap->list_) {
      if (!ni->pods_with_affinity().empty()) snap->affinity_list_.push_back(ni);
      if (!ni->pods_with_required_anti_affinity().empty()) snap->anti_affinity_list_.push_back(ni);
    }
  }
}

}  // namespace schedule
