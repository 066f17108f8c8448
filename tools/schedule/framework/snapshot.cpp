#include "framework/snapshot.h"

namespace schedule {

NodeInfo* Snapshot::Get(const std::string& name) const {
  auto it = map_.find(name);
  return it == map_.end() || !it->second->node() ? nullptr : it->second.get();
}

int Snapshot::ImageNumNodes(const std::string& name) const {
  auto it = image_num_nodes_.find(name);
  return it == image_num_nodes_.end() ? 0 : it->second;
}

const LabelColumn& Snapshot::Column(const std::string& key) const {
  std::lock_guard<std::mutex> lock(columns_mu_);
  auto& slot = columns_[key];
  if (slot) return *slot;
  auto col = std::make_unique<LabelColumn>();
  col->key = key;
  col->index.assign(list_.size(), 0);
  std::unordered_map<std::string_view, uint32_t> seen;
  for (size_t i = 0; i < list_.size(); ++i) {
    const Node* n = list_[i]->node();
    auto it = n->labels.find(key);
    if (it == n->labels.end()) continue;
    auto [v, inserted] = seen.try_emplace(it->second, static_cast<uint32_t>(col->values.size() + 1));
    if (inserted) col->values.push_back(it->second);
    col->index[i] = v->second;
  }
  slot = std::move(col);
  return *slot;
}

}  // namespace schedule
