// Counters per topology domain, i.e. per (label key, value), over the
// snapshot's label columns: a domain is a small integer slot, so counting a
// matching pod is an array increment instead of hashing two strings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "framework/snapshot.h"

namespace schedule {

// Counts for the values of one key. Copyable value type.
struct KeyCounts {
  const LabelColumn* col = nullptr;
  std::vector<int64_t> counts;   // by slot; slot 0 (no label) stays 0
  std::vector<uint8_t> present;  // by slot: the domain was touched
  size_t nonzero = 0;
  size_t touched = 0;

  int64_t Get(uint32_t slot) const { return counts[slot]; }
  void Add(uint32_t slot, int64_t delta) {
    if (slot == 0) return;  // upstream only counts nodes that have the label
    Touch(slot);
    bool was = counts[slot] != 0;
    counts[slot] += delta;
    bool is = counts[slot] != 0;
    nonzero += static_cast<size_t>(is) - static_cast<size_t>(was);
  }
  // Marks the domain as existing; true when it was new.
  bool Touch(uint32_t slot) {
    if (slot == 0 || present[slot]) return false;
    present[slot] = 1;
    ++touched;
    return true;
  }
};

// Counts for several keys (topology keys of affinity terms). Copyable.
class TopologyCounts {
 public:
  // The index of `key`'s counts, created (zeroed) on first use.
  size_t Key(const Snapshot& snap, const std::string& key) {
    for (size_t i = 0; i < keys_.size(); ++i)
      if (keys_[i].col->key == key) return i;
    KeyCounts k;
    k.col = &snap.Column(key);
    k.counts.assign(k.col->slots(), 0);
    k.present.assign(k.col->slots(), 0);
    keys_.push_back(std::move(k));
    return keys_.size() - 1;
  }
  KeyCounts& at(size_t i) { return keys_[i]; }
  const KeyCounts& at(size_t i) const { return keys_[i]; }
  const std::vector<KeyCounts>& keys() const { return keys_; }

  // Adds `delta` to the node's domain of `key` (nothing when it lacks the label).
  void Add(const Snapshot& snap, const std::string& key, const NodeInfo& node, int64_t delta) {
    KeyCounts& k = keys_[Key(snap, key)];
    k.Add(k.col->Of(node), delta);
  }
  // The count of the node's domain of key #i.
  int64_t Get(size_t i, const NodeInfo& node) const {
    const KeyCounts& k = keys_[i];
    return k.counts[k.col->Of(node)];
  }
  // No domain has a non-zero count (upstream deletes entries that reach 0).
  bool empty() const {
    for (const auto& k : keys_)
      if (k.nonzero) return false;
    return true;
  }
  // Domains touched, zero-valued ones included.
  size_t touched() const {
    size_t n = 0;
    for (const auto& k : keys_) n += k.touched;
    return n;
  }

 private:
  std::vector<KeyCounts> keys_;
};

}  // namespace schedule
