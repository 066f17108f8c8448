// Why a pod did not fit: the status of every rejected node, the message
// PreFilter and PostFilter produced, and upstream's FitError text
// ("0/5 nodes are available: 3 Insufficient cpu, 2 node(s) had untolerated
// taint(s). preemption: ...").
#pragma once

#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "framework/status.h"

namespace schedule {

class NodeInfo;

// Statuses of rejected nodes, plus one status standing for every node not
// listed (upstream's NodeToStatus with its absent-nodes status). Node names
// are views: the caller keeps the named nodes alive (the cycle's snapshot).
class NodeToStatus {
 public:
  NodeToStatus() : absent_(Code::kUnschedulableAndUnresolvable) {}
  // Records `node`'s status; allocates nothing beyond the list's growth.
  // REQUIRES: `node` has no status yet.
  void Set(std::string_view node, Status status);
  // The node's status: its own, or the absent-nodes status.
  const Status& Get(std::string_view node) const;
  bool Has(std::string_view node) const;
  void SetAbsent(Status status) { absent_ = std::move(status); }
  const Status& absent() const { return absent_; }
  size_t size() const { return entries_.size(); }
  // Rejected nodes and their statuses, in the order they were recorded.
  const std::vector<std::pair<std::string_view, Status>>& entries() const { return entries_; }
  // Nodes whose status (own or absent) has code `code`, from `all` in order.
  std::vector<NodeInfo*> NodesWithCode(const std::vector<NodeInfo*>& all, Code code) const;

 private:
  const Status* Find(std::string_view node) const;

  std::vector<std::pair<std::string_view, Status>> entries_;
  // Built on the first lookup: most cycles only append and format.
  mutable std::unordered_map<std::string_view, size_t> index_;
  mutable size_t indexed_ = 0;
  Status absent_;
};

struct Diagnosis {
  NodeToStatus node_to_status;
  std::set<std::string> unschedulable_plugins;  // plugins that rejected the pod
  std::set<std::string> pending_plugins;
  std::string pre_filter_msg;
  std::string post_filter_msg;
};

// Upstream's FitError.Error(): `num_all_nodes` counts every node in the snapshot.
std::string FitErrorMessage(int num_all_nodes, const Diagnosis& diagnosis);

// The event note limit (1024 bytes, ending " ...") upstream applies to
// FailedScheduling events; the pod condition keeps the full text.
std::string TruncateEventMessage(const std::string& msg);

}  // namespace schedule
