#include "plugins/pod_topology_spread.h"

#include <climits>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "model/intern.h"
#include "plugins/args.h"
#include "plugins/topology_counts.h"

namespace schedule {

namespace {

// The two domains with the fewest matching pods (upstream's criticalPaths);
// domains are column slots.
struct CriticalPaths {
  uint32_t slot[2] = {0, 0};
  int num[2] = {INT_MAX, INT_MAX};
  void Update(uint32_t v, int n) {
    int i = v == slot[0] && num[0] != INT_MAX ? 0 : v == slot[1] && num[1] != INT_MAX ? 1 : -1;
    if (i >= 0) {
      num[i] = n;
      if (num[0] > num[1]) {
        std::swap(slot[0], slot[1]);
        std::swap(num[0], num[1]);
      }
    } else if (n < num[0]) {
      slot[1] = slot[0];
      num[1] = num[0];
      slot[0] = v;
      num[0] = n;
    } else if (n < num[1]) {
      slot[1] = v;
      num[1] = n;
    }
  }
};

struct PreFilterState : StateData {
  std::vector<SpreadConstraint> constraints;
  std::vector<const LabelColumn*> cols;  // per constraint: its topology key's column
  // Per constraint, by slot: matching pods in eligible domains, and which
  // domains are eligible.
  std::vector<std::vector<int>> counts;
  std::vector<std::vector<uint8_t>> eligible;
  std::vector<int> domains;  // per constraint: number of eligible domains
  std::vector<CriticalPaths> paths;
  std::unique_ptr<StateData> Clone() const override { return std::make_unique<PreFilterState>(*this); }
};

struct PreScoreState : StateData {
  std::vector<SpreadConstraint> constraints;
  std::unordered_set<const Node*> ignored;
  TopologyCounts pair_counts;  // non-hostname keys
  std::vector<size_t> keys;    // per constraint: its key in pair_counts (hostname: unused)
  std::vector<double> weights;
  std::unique_ptr<StateData> Clone() const override { return std::make_unique<PreScoreState>(*this); }
};

bool MatchesInclusionPolicies(const SpreadConstraint& c, const Pod& pod, const Node& node) {
  if (c.node_affinity_policy == InclusionPolicy::kHonor && !pod.required_node_affinity.Empty() &&
      !pod.required_node_affinity.Matches(node))
    return false;
  if (c.node_taints_policy == InclusionPolicy::kHonor && FindUntoleratedTaint(node.taints, pod.tolerations))
    return false;
  return true;
}

int CountMatching(const std::vector<PodPtr>& pods, const SpreadConstraint& c, const std::string& ns,
                  MatchMemo* memo) {
  if (pods.empty() || c.selector.Empty()) return 0;
  int n = 0;
  for (const auto& p : pods) {
    // Terminating pods do not count (upstream #87621).
    if (p->terminating || p->ns != ns) continue;
    bool m = memo ? memo->Get(MatchMemo::Key(c.selector_id, p->match_key), [&] { return c.selector.Matches(p->labels); })
                  : c.selector.Matches(p->labels);
    if (m) ++n;
  }
  return n;
}

int MinMatchNum(const PreFilterState& s, size_t i) {
  if (s.domains[i] < s.constraints[i].min_domains) return 0;
  return s.paths[i].num[0];
}

void UpdateWithPod(PreFilterState& s, const Pod& updated, const Pod& preemptor, const NodeInfo& node, int delta) {
  if (updated.ns != preemptor.ns) return;
  for (const auto* col : s.cols)
    if (col->Of(node) == 0) return;
  for (size_t i = 0; i < s.constraints.size(); ++i) {
    const auto& c = s.constraints[i];
    if (!c.selector.Matches(updated.labels) || !MatchesInclusionPolicies(c, preemptor, *node.node())) continue;
    uint32_t slot = s.cols[i]->Of(node);
    int& n = s.counts[i][slot];
    n += delta;
    s.paths[i].Update(slot, n);
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
  uint32_t id = SelectorId(sel);
  for (const auto& c : default_constraints_)
    if (c.do_not_schedule == do_not_schedule) {
      out.push_back(c);
      out.back().selector = sel;
      out.back().selector_id = id;
    }
  return out;
}

Status PodTopologySpread::PreFilter(CycleState& state, const Pod& pod, PreFilterResult*) {
  auto s = std::make_unique<PreFilterState>();
  s->constraints = Constraints(pod, true);
  if (s->constraints.empty()) return Status::Skip();
  const Snapshot& snap = fw_->snapshot();
  size_t nc = s->constraints.size();
  for (const auto& c : s->constraints) {
    s->cols.push_back(&snap.Column(c.topology_key));
    s->counts.emplace_back(s->cols.back()->slots(), 0);
    s->eligible.emplace_back(s->cols.back()->slots(), 0);
  }
  s->domains.assign(nc, 0);
  s->paths.resize(nc);
  MatchMemo memo;
  for (NodeInfo* ni : snap.nodes()) {
    bool all_keys = true;
    for (size_t i = 0; i < nc && all_keys; ++i) all_keys = s->cols[i]->Of(*ni) != 0;
    if (!all_keys) continue;
    for (size_t i = 0; i < nc; ++i) {
      const auto& c = s->constraints[i];
      if (!MatchesInclusionPolicies(c, pod, *ni->node())) continue;
      uint32_t slot = s->cols[i]->Of(*ni);
      if (!s->eligible[i][slot]) {
        s->eligible[i][slot] = 1;
        ++s->domains[i];
      }
      s->counts[i][slot] += CountMatching(ni->pods(), c, pod.ns, &memo);
    }
  }
  for (size_t i = 0; i < nc; ++i)
    for (uint32_t slot = 1; slot < s->counts[i].size(); ++slot)
      if (s->eligible[i][slot]) s->paths[i].Update(slot, s->counts[i][slot]);
  state.set_prefilter(slot(), std::move(s));
  return Status();
}

Status PodTopologySpread::AddPod(CycleState& state, const Pod& pod, const PodPtr& to_add, const NodeInfo& node) const {
  auto* s = static_cast<PreFilterState*>(state.prefilter(slot()));
  if (s) UpdateWithPod(*s, *to_add, pod, node, 1);
  return Status();
}

Status PodTopologySpread::RemovePod(CycleState& state, const Pod& pod, const Pod& to_remove,
                                    const NodeInfo& node) const {
  auto* s = static_cast<PreFilterState*>(state.prefilter(slot()));
  if (s) UpdateWithPod(*s, to_remove, pod, node, -1);
  return Status();
}

Status PodTopologySpread::Filter(const CycleState& state, const Pod& pod, const NodeInfo& node) const {
  const auto* s = static_cast<const PreFilterState*>(state.prefilter(slot()));
  for (size_t i = 0; i < s->constraints.size(); ++i) {
    const auto& c = s->constraints[i];
    uint32_t slot = s->cols[i]->Of(node);
    if (slot == 0) return SCHEDULE_REJECT(Code::kUnschedulableAndUnresolvable, kErrReasonNodeLabelNotMatch);
    if (s->domains[i] == 0) continue;  // no eligible domain: nothing to compare with
    int self = c.selector.Matches(pod.labels) ? 1 : 0;
    if (s->counts[i][slot] + self - MinMatchNum(*s, i) > c.max_skew)
      return SCHEDULE_REJECT(Code::kUnschedulable, kErrReasonConstraintsNotMatch);
  }
  return Status();
}

std::string PodTopologySpread::Explain(const CycleState& state, const Pod& pod, const NodeInfo& node) const {
  const auto* s = static_cast<const PreFilterState*>(state.prefilter(slot()));
  if (!s) return "";
  for (size_t i = 0; i < s->constraints.size(); ++i) {
    const auto& c = s->constraints[i];
    uint32_t slot = s->cols[i]->Of(node);
    if (slot == 0) return "node has no label " + c.topology_key;
    if (s->domains[i] == 0) continue;
    int min = MinMatchNum(*s, i);
    int self = c.selector.Matches(pod.labels) ? 1 : 0;
    int match = s->counts[i][slot];
    if (match + self - min > c.max_skew)
      return c.topology_key + "=" + std::string(s->cols[i]->Value(slot)) + " has " + std::to_string(match) +
             " matching pod(s), global minimum " + std::to_string(min) + ": skew " + std::to_string(match + self - min) +
             " > maxSkew " + std::to_string(c.max_skew);
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
  for (const auto& c : s->constraints) s->keys.push_back(s->pair_counts.Key(snap, c.topology_key));
  auto has_all = [&](const NodeInfo& ni) {
    for (size_t i = 0; i < nc; ++i)
      if (s->pair_counts.at(s->keys[i]).col->Of(ni) == 0) return false;
    return true;
  };
  std::vector<int> topo_size(nc, 0);
  for (NodeInfo* ni : nodes) {
    if (require_all && !has_all(*ni)) {
      s->ignored.insert(ni->node());
      continue;
    }
    for (size_t i = 0; i < nc; ++i) {
      const auto& c = s->constraints[i];
      if (c.topology_key == kLabelHostname) continue;
      KeyCounts& kc = s->pair_counts.at(s->keys[i]);
      // A node without the key counts as the "" domain (upstream's empty value).
      uint32_t slot = kc.col->Of(*ni);
      if (slot == 0) {
        if (!kc.present[0]) {
          kc.present[0] = 1;
          ++topo_size[i];
        }
      } else if (kc.Touch(slot)) {
        ++topo_size[i];
      }
    }
  }
  s->weights.resize(nc);
  for (size_t i = 0; i < nc; ++i) {
    int size = topo_size[i];
    if (s->constraints[i].topology_key == kLabelHostname)
      size = static_cast<int>(nodes.size() - s->ignored.size());
    s->weights[i] = std::log(static_cast<double>(size + 2));
  }
  MatchMemo memo;
  for (NodeInfo* ni : snap.nodes()) {
    if (require_all && !has_all(*ni)) continue;
    for (size_t i = 0; i < nc; ++i) {
      const auto& c = s->constraints[i];
      if (c.topology_key == kLabelHostname) continue;
      if (!MatchesInclusionPolicies(c, pod, *ni->node())) continue;
      KeyCounts& kc = s->pair_counts.at(s->keys[i]);
      uint32_t slot = kc.col->Of(*ni);
      if (slot == 0 || !kc.present[slot]) continue;
      kc.Add(slot, CountMatching(ni->pods(), c, pod.ns, &memo));
    }
  }
  state.set_prescore(slot(), std::move(s));
  return Status();
}

int64_t PodTopologySpread::Score(const CycleState& state, const Pod& pod, const NodeInfo& node) const {
  const auto* s = static_cast<const PreScoreState*>(state.prescore(slot()));
  if (s->ignored.count(node.node())) return 0;
  double score = 0;
  for (size_t i = 0; i < s->constraints.size(); ++i) {
    const auto& c = s->constraints[i];
    const KeyCounts& kc = s->pair_counts.at(s->keys[i]);
    uint32_t slot = kc.col->Of(node);
    if (slot == 0) continue;
    int64_t cnt = c.topology_key == kLabelHostname ? CountMatching(node.pods(), c, pod.ns, nullptr) : kc.Get(slot);
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
