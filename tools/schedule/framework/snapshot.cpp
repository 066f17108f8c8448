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

}  // namespace schedule
