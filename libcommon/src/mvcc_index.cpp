// The in-memory key index: key -> revisions, rebuilt from the records at Open.
#include <algorithm>

#include "mvcc_internal.h"

namespace common::mvcc {

const IndexEntry* KeyIndex::At(int64_t rev) const {
  if (revs.empty()) return nullptr;
  // Nearly every lookup is at the latest revision.
  if (revs.back().main <= rev) return &revs.back();
  auto it = std::upper_bound(revs.begin(), revs.end(), rev,
                             [](int64_t r, const IndexEntry& e) { return r < e.main; });
  if (it == revs.begin()) return nullptr;
  return &*(it - 1);
}

const IndexEntry* Index::Latest(std::string_view key) const {
  auto it = map_.find(key);
  if (it == map_.end() || it->second.revs.empty()) return nullptr;
  return &it->second.revs.back();
}

void Index::Append(const std::string& key, IndexEntry e) {
  auto it = map_.find(key);
  if (it == map_.end()) it = map_.emplace(key, KeyIndex{}).first;
  auto& revs = it->second.revs;
  // Most keys have one or two revisions: avoid the vector's doubling slack.
  if (revs.capacity() == revs.size()) revs.reserve(revs.size() < 4 ? revs.size() + 1 : revs.size() * 2);
  revs.push_back(e);
}

void Index::Truncate(const std::string& key, int64_t rev) {
  auto it = map_.find(key);
  if (it == map_.end()) return;
  auto& revs = it->second.revs;
  while (!revs.empty() && revs.back().main > rev) revs.pop_back();
  if (revs.empty()) map_.erase(it);
}

bool Index::PlanCompaction(int64_t rev, std::string* cursor, size_t max_keys,
                           std::vector<CompactionPlan>* plans,
                           std::vector<Revision>* removed) const {
  auto it = map_.lower_bound(*cursor);
  size_t seen = 0;
  // A key with a long history is removed over several steps: each step also
  // stops at about max_keys * 16 revisions.
  const size_t max_revs = max_keys * 16;
  for (; it != map_.end() && seen < max_keys; ++it, ++seen) {
    const auto& revs = it->second.revs;
    // Keep the newest revision <= rev unless it is a tombstone: a deleted
    // key's whole history up to the compaction point goes (etcd's
    // keyIndex.compact drops the tombstone of a finished generation).
    auto up = std::upper_bound(revs.begin(), revs.end(), rev,
                               [](int64_t r, const IndexEntry& e) { return r < e.main; });
    size_t keep_from = static_cast<size_t>(up - revs.begin());
    if (keep_from == 0) continue;
    size_t drop = keep_from - 1;
    if (revs[keep_from - 1].tombstone) drop = keep_from;
    if (drop == 0) continue;
    if (removed->size() + drop > max_revs) {
      size_t room = max_revs > removed->size() ? max_revs - removed->size() : 0;
      if (room == 0) break;
      // Part of this key's history now, the rest (and the key) next step.
      // Never the entry kept at the compaction point: room < drop.
      for (size_t i = 0; i < room; ++i) removed->push_back(revs[i].rev());
      plans->push_back(CompactionPlan{it->first, room, false});
      break;
    }
    for (size_t i = 0; i < drop; ++i) removed->push_back(revs[i].rev());
    plans->push_back(CompactionPlan{it->first, drop, drop == revs.size()});
  }
  if (it == map_.end()) return false;
  *cursor = it->first;
  return true;
}

void Index::ApplyCompaction(const std::vector<CompactionPlan>& plans) {
  for (const auto& p : plans) {
    auto it = map_.find(p.key);
    if (it == map_.end()) continue;
    auto& revs = it->second.revs;
    if (p.erase || p.drop >= revs.size()) {
      map_.erase(it);
      continue;
    }
    revs.erase(revs.begin(), revs.begin() + static_cast<std::ptrdiff_t>(p.drop));
    revs.shrink_to_fit();
  }
}

}  // namespace common::mvcc
