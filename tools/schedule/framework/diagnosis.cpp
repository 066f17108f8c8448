#include "framework/diagnosis.h"

#include <algorithm>
#include <map>

#include "framework/node_info.h"

namespace schedule {

void NodeToStatus::Set(const std::string& node, Status status) {
  auto [it, inserted] = map_.insert_or_assign(node, std::move(status));
  if (inserted) order_.push_back(node);
}

const Status& NodeToStatus::Get(const std::string& node) const {
  auto it = map_.find(node);
  return it == map_.end() ? absent_ : it->second;
}

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
    for (const auto& node : d.node_to_status.nodes())
      for (const auto& r : d.node_to_status.Get(node).reasons()) ++reasons[r];
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
