// Counters keyed by (topology key, value) pairs. The views point into node
// label maps and pod terms, which outlive the scheduling cycle that uses the
// counters, so no key is ever copied.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "model/types.h"

namespace schedule {

struct TopologyPair {
  std::string_view key;
  std::string_view value;
  bool operator==(const TopologyPair&) const = default;
};

struct TopologyPairHash {
  size_t operator()(const TopologyPair& p) const {
    size_t h = std::hash<std::string_view>()(p.key);
    return h ^ (std::hash<std::string_view>()(p.value) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  }
};

using TopologyCounts = std::unordered_map<TopologyPair, int64_t, TopologyPairHash>;

// Adds `delta` to the pair (key, node's value of key) when the node has the
// label; drops entries that reach zero (upstream's topologyToMatchedTermCount.update).
inline void UpdateTopologyCount(TopologyCounts& counts, const Node& node, const std::string& key, int64_t delta) {
  auto it = node.labels.find(key);
  if (it == node.labels.end()) return;
  TopologyPair p{it->first, it->second};
  auto [e, inserted] = counts.try_emplace(p, 0);
  e->second += delta;
  if (e->second == 0) counts.erase(e);
}

// The count of (key, node's value of key); 0 when absent or unlabeled.
inline int64_t TopologyCount(const TopologyCounts& counts, const Node& node, const std::string& key) {
  if (counts.empty()) return 0;
  auto it = node.labels.find(key);
  if (it == node.labels.end()) return 0;
  auto c = counts.find(TopologyPair{it->first, it->second});
  return c == counts.end() ? 0 : c->second;
}

}  // namespace schedule
