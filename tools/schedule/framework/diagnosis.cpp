#include "framework/diagnosis.h"

#include <algorithm>
#include <map>

#include "framework/node_info.h"

namespace schedule {

void NodeToStatus::Set(std::string_view node, Status status) { entries_.emplace_back(node, std::move(status)); }

const Status* NodeToStatus::Find(std::string_view node) const {
  if (entries_.size() < 64) {
    for (const auto& [n, s] : entries_)
      if (n == node) return &s;
    return nullptr;
  }
  for (; indexed_ < entries_.size(); ++indexed_) index_.emplace(entries_[indexed_].first, indexed_);
  auto it = index_.find(node);
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}

const Status& NodeToStatus::Get(std::string_view node) const {
  const Status* s = Find(node);
  return s ? *s : absent_;
}

bool NodeToStatus::Has(std::string_view node) const { return Find(node) != nullptr; }

std::vector<NodeInfo*> NodeToStatus::NodesWithCode(const std::vector<NodeInfo*>& all,
                                                   Code code) const {
  std::vector<NodeInfo*> out;
  for (NodeInfo* ni : all)
    if (Get(ni->name()).code() == code) out.push_back(ni);
  return out;
}

std::string FitErrorMessage(int num_all_nodes, const Diagnosis& d) {
  std::string msg = "0/" + std::to_string(num_all_nodes) + " nodes are available:";
  if (!d.pre_filter_msg.empty()) {
    // All nodes carry the PreFilter status then; repeating it per node would duplicate it.
    msg += " " + d.pre_filter_msg + ".";
  } else {
    std::map<std::string, int> reasons;
    for (const auto& [node, status] : d.node_to_status.entries())
      for (const auto& r : status.reasons()) ++reasons[r];
    int listed = static_cast<int>(d.node_to_status.size());
    if (listed < num_all_nodes)
      for (const auto& r : d.node_to_status.absent().reasons()) reasons[r] += num_all_nodes - listed;
    std::vector<std::string> parts;
    for (const auto& [r, n] : reasons) parts.push_back(std::to_string(n) + " " + r);
    // Upstream sorts the "<count> <reason>" strings themselves ("10 x" < "2 y").
    std::sort(parts.begin(), parts.end());
    if (!parts.empty()) {
      msg += " ";
      for (size_t i = 0; i < parts.size(); ++i) {
        if (i) msg += ", ";
        msg += parts[i];
      }
      msg += ".";
    }
  }
  if (!d.post_filter_msg.empty()) msg += " " + d.post_filter_msg;
  return msg;
}

std::string TruncateEventMessage(const std::string& msg) {
  constexpr size_t kLimit = 1024;
  const std::string suffix = " ...";
  if (msg.size() <= kLimit) return msg;
  return msg.substr(0, kLimit - suffix.size()) + suffix;
}

}  // namespace schedule
