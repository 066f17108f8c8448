#include "plugins/pod_topology_spread.h"

#include <climits>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "plugins/args.h"
#include "plugins/topology_pair.h"

namespace schedule {

namespace {

// The two domains with the fewest matching pods (upstream's criticalPaths).
struct CriticalPaths {
  std::string_view value[2];
  int num[2] = {INT_MAX, INT_MAX};
  void Update(std::string_view v, int n) {
    int i = v == value[0] ? 0 : v == value[1] ? 1 : -1;
    if (i >= 0) {
      num[i] = n;
      if (num[0] > num[1]) {
        std::swap(value[0], value[1]);
        std::swap(num[0], num[1]);
      }
    } else if (n < num[0]) {
      value[1] = value[0];
      num[1] = num[0];
      value[0] = v;
      num[0] = n;
    } else if (n < num[1]) {
      value[1] = v;
      num[1] = n;
    }
  }
};

struct PreFilterState : StateData {
  std::vector<SpreadConstraint> constraints;
  // Per constraint: matching pods per topology value of eligible nodes.
  std::vector<std::unordered_map<std::string_view, int>> counts;
  std::vector<CriticalPaths> paths;
  std::unique_ptr<StateData> Clone() const override { return std::make_unique<PreFilterState>(*this); }
};

struct PreScoreState : StateData {
  std::vector<SpreadConstraint> constraints;
  std::unordered_set<const Node*> ignored;
  TopologyCounts pair_counts;  // non-hostname keys
  std::vector<double> weights;
  std::unique_ptr<StateData> Clone() const override { return std::make_unique<PreScoreState>(*this); }
};

bool HasAllKeys(const Node& node, const std::vector<SpreadConstraint>& cs) {
  for (const auto& c : cs)
    if (!node.labels.count(c.topology_key)) return false;
  return true;
}

bool MatchesInclusionPolicies(const SpreadConstraint& c, const Pod& pod, const Node& node) {
  if (c.node_affinity_policy == InclusionPolicy::kHonor && !pod.required_node_affinity.Matches(node)) return false;
  if (c.node_taints_policy == InclusionPolicy::kHonor && FindUntoleratedTaint(node.taints, pod.tolerations))
    return false;
  return true;
}

int CountMatching(const std::vector<PodPtr>& pods, const common::LabelSelector& sel, const std::string& ns) {
  if (sel.Empty()) return 0;
  int n = 0;
  for (const auto& p : pods) {
    // Terminating pods do not count (upstream #87621).
    if (p->terminating || p->ns != ns) continue;
    if (sel.Matches(p->labels)) ++n;
  }
  return n;
}

int MinMatchNum(const PreFilterState& s, size_t i) {
  if (s.counts[i].size() < static_cast<size_t>(s.constraints[i].min_domains)) return 0;
  return s.paths[i].num[0];
}

void UpdateWithPod(PreFilterState& s, const Pod& updated, const Pod& preemptor, const Node& node, int delta) {
  if (updated.ns != preemptor.ns || !HasAllKeys(node, s.constraints)) return;
  for (size_t i = 0; i < s.constraints.size(); ++i) {
    const auto& c = s.constraints[i];
    if (!c.selector.Matches(updated.labels) || !MatchesInclusionPolicies(c, preemptor, node)) continue;
    auto it = node.labels.find(c.topology_key);
    int& n = s.counts[i][it->second];
    n += delta;
    s.paths[i].Update(it->second, n);
  }
}

}  // namespace

common::Result<std::unique_ptr<Plugin>> PodTopologySpread::New(const common::Json& args, const std::string& field,
                                                               Framework* fw) {
  RETURN_IF_ERROR(CheckArgsFields(args, field, {"defaultConstraints", "defaultingType"}));
  auto p = std::make_unique<PodTopologySpread>(fw);
  std::string type = common::GetString(args, "defaultingType", "System");
  if (type != "System" && type != "List")
    return common::Status::Invalid(field + ".defaultingType: Unsupported value: \"" + type +
                                   "\": supported values: \"List\", \"System\"");
  const common::Json& dc = common::Get(args, "defaultConstraints");
  if (type == "System") {
    if (dc.is_array() && !dc.empty())
      return common::Status::Invalid(field + ".defaultConstraints: Invalid value: when .defaultingType is \"System\", .defaultConstraints must be empty");
    SpreadConstraint host, zone;
    host.topology_key = kLabelHostname;
    host.max_skew = 3;
    host.do_not_schedule = false;
    zone.topology_key = kLabelZone;
    zone.max_skew = 5;
    zone.do_not_schedule = false;
    p->default_constraints_ = {host, zone};
    p->system_defaulted_ = true;
    return std::unique_ptr<Plugin>(std::move(p));
  }
  p->system_defaulted_ = false;
  for (size_t i = 0; dc.is_array() && i < dc.size(); ++i) {
    std::string f = field + ".defaultConstraints[" + std::to_string(i) + "]";
    SpreadConstraint c;
    c.max_skew = static_cast<int32_t>(common::GetInt(dc[i], "maxSkew"));
    if (c.max_skew <= 0)
      return common::Status::Invalid(f + ".maxSkew: Invalid value: " + std::to_string(c.max_skew) +
                                     ": must be greater than zero");
    c.topology_key = common::GetString(dc[i], "topologyKey");
    if (c.topology_key.empty()) return common::Status::Invalid(f + ".topologyKey: Required value: can not be empty");
    std::string when = common::GetString(dc[i], "whenUnsatisfiable");
    if (when != "DoNotSchedule" && when != "ScheduleAnyway")
      return common::Status::Invalid(f + ".whenUnsatisfiable: Unsupported value: \"" + when +
                                     "\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"");
    c.do_not_schedule = when == "DoNotSchedule";
    if (!common::Get(dc[i], "labelSelector").is_null())
      return common::Status::Invalid(f + ".labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod");
    for (const auto& prev : p->default_constraints_)
      if (prev.topology_key == c.topology_key && prev.do_not_schedule == c.do_not_schedule)
        return common::Status::Invalid(f + ": Duplicate value: {" + c.topology_key + ", " + when + "}");
    p->default_constraints_.push_back(std::move(c));
  }
  return std::unique_ptr<Plugin>(std::move(p));
}

std::vector<SpreadConstraint> PodTopologySpread::Constraints(const Pod& pod, bool do_not_schedule) const {
  std::vector<SpreadConstraint> out;
  if (!pod.spread_constraints.empty()) {
    for (const auto& c : pod.spread_constraints)
      if (c.do_not_schedule == do_not_schedule) out.push_back(c);
    return out;
  }
  bool any = false;
  for (const auto& c : default_constraints_) any |= c.do_not_schedule == do_not_schedule;
  if (!any || !fw_->objects().HasWorkloads()) return out;
  common::LabelSelector sel = fw_->objects().DefaultSelector(pod);
  if (sel.Empty()) return out;
  for (const auto& c : default_constraints_)
    if (c.do_not_schedule == do_not_schedule) {
      out.push_back(c);
      out.back().selector = sel;
    }
  return out;
}

Status PodTopologySpread::PreFilter(CycleState& state, const Pod& pod, PreFilterResult*) {
  auto s = std::make_unique<PreFilterState>();
  s->constraints = Constraints(pod, true);
  if (s->constraints.empty()) return Status::Skip();
  size_t nc = s->constraints.size();
  s->counts.resize(nc);
  s->paths.resize(nc);
  for (NodeInfo* ni : fw_->snapshot().nodes()) {
    const Node& node = *ni->node();
    if (!HasAllKeys(node, s->constraints)) continue;
    for (size_t i = 0; i < nc; ++i) {
      const auto& c = s->constraints[i];
      if (!MatchesInclusionPolicies(c, pod, node)) continue;
      const std::string& value = node.labels.find(c.topology_key)->second;
      s->counts[i][value] += CountMatching(ni->pods(), c.selector, pod.ns);
    }
  }
  for (size_t i = 0; i < nc; ++i)
    for (const auto& [v, n] : s->counts[i]) s->paths[i].Update(v, n);
  state.set_prefilter(slot(), std::move(s));
  return Status();
}

Status PodTopologySpread::AddPod(CycleState& state, const Pod& pod, const PodPtr& to_add, const NodeInfo& node) const {
  auto* s = static_cast<PreFilterState*>(state.prefilter(slot()));
  if (s) UpdateWithPod(*s, *to_add, pod, *node.node(), 1);
  return Status();
}

Status PodTopologySpread::RemovePod(CycleState& state, const Pod& pod, const Pod& to_remove,
                                    const NodeInfo& node) const {
  auto* s = static_cast<PreFilterState*>(state.prefilter(slot()));
  if (s) UpdateWithPod(*s, to_remove, pod, *node.node(), -1);
  return Status();
}

Status PodTopologySpread::Filter(const CycleState& state, const Pod& pod, const NodeInfo& node) const {
  const auto* s = static_cast<const PreFilterState*>(state.prefilter(slot()));
  const Node& n = *node.node();
  for (size_t i = 0; i < s->constraints.size(); ++i) {
    const auto& c = s->constraints[i];
    auto it = n.labels.find(c.topology_key);
    if (it == n.labels.end()) return Status(Code::kUnschedulableAndUnresolvable, kErrReasonNodeLabelNotMatch);
    if (s->counts[i].empty()) continue;  // no eligible domain: nothing to compare with
    int min = MinMatchNum(*s, i);
    int self = c.selector.Matches(pod.labels) ? 1 : 0;
    auto m = s->counts[i].find(it->second);
    int match = m == s->counts[i].end() ? 0 : m->second;
    if (match + self - min > c.max_skew) return Status(Code::kUnschedulable, kErrReasonConstraintsNotMatch);
  }
  return Status();
}

std::string PodTopologySpread::Explain(const CycleState& state, const Pod& pod, const NodeInfo& node) const {
  const auto* s = static_cast<const PreFilterState*>(state.prefilter(slot()));
  if (!s) return "";
  const Node& n = *node.node();
  for (size_t i = 0; i < s->constraints.size(); ++i) {
    const auto& c = s->constraints[i];
    auto it = n.labels.find(c.topology_key);
    if (it == n.labels.end()) return "node has no label " + c.topology_key;
    if (s->counts[i].empty()) continue;
    int min = MinMatchNum(*s, i);
    int self = c.selector.Matches(pod.labels) ? 1 : 0;
    auto m = s->counts[i].find(it->second);
    int match = m == s->counts[i].end() ? 0 : m->second;
    if (match + self - min > c.max_skew)
      return c.topology_key + "=" + it->second + " has " + std::to_string(match) + " matching pod(s), global minimum " +
             std::to_string(min) + ": skew " + std::to_string(match + self - min) + " > maxSkew " +
             std::to_string(c.max_skew);
  }
  return "";
}

Status PodTopologySpread::PreScore(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>& nodes) {
  const Snapshot& snap = fw_->snapshot();
  if (nodes.empty() || snap.nodes().empty()) return Status::Skip();
  auto s = std::make_unique<PreScoreState>();
  s->constraints = Constraints(pod, false);
  if (s->constraints.empty()) return Status::Skip();
  // Only the pod's own constraints require every key: with the system
  // defaults, nodes without a zone label still get hostname spreading.
  bool require_all = !pod.spread_constraints.empty() || !system_defaulted_;
  size_t nc = s->constraints.size();
  std::vector<int> topo_size(nc, 0);
  for (NodeInfo* ni : nodes) {
    const Node& node = *ni->node();
    if (require_all && !HasAllKeys(node, s->constraints)) {
      s->ignored.insert(&node);
      continue;
    }
    for (size_t i = 0; i < nc; ++i) {
      const auto& c = s->constraints[i];
      if (c.topology_key == kLabelHostname) continue;
      auto it = node.labels.find(c.topology_key);
      TopologyPair p{c.topology_key, it == node.labels.end() ? std::string_view() : std::string_view(it->second)};
      if (it != node.labels.end()) p = TopologyPair{it->first, it->second};
      if (s->pair_counts.try_emplace(p, 0).second) ++topo_size[i];
    }
  }
  s->weights.resize(nc);
  for (size_t i = 0; i < nc; ++i) {
    int size = topo_size[i];
    if (s->constraints[i].topology_key == kLabelHostname)
      size = static_cast<int>(nodes.size() - s->ignored.size());
    s->weights[i] = std::log(static_cast<double>(size + 2));
  }
  for (NodeInfo* ni : snap.nodes()) {
    const Node& node = *ni->node();
    if (require_all && !HasAllKeys(node, s->constraints)) continue;
    for (const auto& c : s->constraints) {
      if (c.topology_key == kLabelHostname) continue;
      if (!MatchesInclusionPolicies(c, pod, node)) continue;
      auto it = node.labels.find(c.topology_key);
      if (it == node.labels.end()) continue;
      auto pc = s->pair_counts.find(TopologyPair{it->first, it->second});
      if (pc == s->pair_counts.end()) continue;
      pc->second += CountMatching(ni->pods(), c.selector, pod.ns);
    }
  }
  state.set_prescore(slot(), std::move(s));
  return Status();
}

int64_t PodTopologySpread::Score(const CycleState& state, const Pod& pod, const NodeInfo& node) const {
  const auto* s = static_cast<const PreScoreState*>(state.prescore(slot()));
  const Node& n = *node.node();
  if (s->ignored.count(&n)) return 0;
  double score = 0;
  for (size_t i = 0; i < s->constraints.size(); ++i) {
    const auto& c = s->constraints[i];
    auto it = n.labels.find(c.topology_key);
    if (it == n.labels.end()) continue;
    int64_t cnt;
    if (c.topology_key == kLabelHostname) {
      cnt = CountMatching(node.pods(), c.selector, pod.ns);
    } else {
      auto pc = s->pair_counts.find(TopologyPair{it->first, it->second});
      cnt = pc == s->pair_counts.end() ? 0 : pc->second;
    }
    score += static_cast<double>(cnt) * s->weights[i] + static_cast<double>(c.max_skew - 1);
  }
  return static_cast<int64_t>(std::llround(score));
}

void PodTopologySpread::NormalizeScore(const CycleState& state, const Pod&, const std::vector<NodeInfo*>& nodes,
                                       std::vector<int64_t>& scores) const {
  const auto* s = static_cast<const PreScoreState*>(state.prescore(slot()));
  if (!s) return;
  int64_t min = LLONG_MAX, max = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (s->ignored.count(nodes[i]->node())) continue;
    min = std::min(min, scores[i]);
    max = std::max(max, scores[i]);
  }
  for (size_t i = 0; i < scores.size(); ++i) {
    if (s->ignored.count(nodes[i]->node())) {
      scores[i] = 0;
      continue;
    }
    if (max == 0) {
      scores[i] = kMaxNodeScore;
      continue;
    }
    scores[i] = kMaxNodeScore * (max + min - scores[i]) / max;
  }
}

std::vector<ClusterEvent> PodTopologySpread::EventsToRegister() const {
  return {{EventResource::kAssignedPod, kAdd | kUpdatePodLabel | kDelete},
          {EventResource::kNode, kAdd | kDelete | kUpdateNodeLabel | kUpdateNodeTaint},
          {EventResource::kUnscheduledPod, kUpdatePodLabel}};
}

}  // namespace schedule
