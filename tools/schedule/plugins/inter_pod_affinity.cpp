#include "plugins/inter_pod_affinity.h"

#include <algorithm>
#include <climits>

#include "plugins/args.h"

namespace schedule {

namespace {

struct PreFilterState : StateData {
  const Pod* pod = nullptr;
  std::vector<AffinityTerm> affinity;       // resolved required affinity terms
  std::vector<AffinityTerm> anti_affinity;  // resolved required anti-affinity terms
  common::Labels ns_labels;
  TopologyCounts existing_anti_affinity;  // existing pods' anti-affinity matching the pod
  TopologyCounts affinity_counts;         // pods matching all the pod's affinity terms
  TopologyCounts anti_affinity_counts;    // pods matching the pod's anti-affinity terms
  std::unique_ptr<StateData> Clone() const override { return std::make_unique<PreFilterState>(*this); }
};

struct PreScoreState : StateData {
  // Distinct topology keys in `scores` (pointing at node label keys).
  std::vector<const std::string*> keys;
  TopologyCounts scores;
  std::unique_ptr<StateData> Clone() const override { return std::make_unique<PreScoreState>(*this); }
};

bool MatchesAll(const std::vector<AffinityTerm>& terms, const Pod& pod) {
  if (terms.empty()) return false;
  for (const auto& t : terms)
    if (!t.Matches(pod, nullptr)) return false;
  return true;
}

// Upstream's preFilterState.updateWithPod.
void UpdateWithPod(PreFilterState& s, const Pod& other, const Node& node, int64_t mult) {
  for (const auto& t : other.required_anti_affinity)
    if (t.Matches(*s.pod, &s.ns_labels)) UpdateTopologyCount(s.existing_anti_affinity, node, t.topology_key, mult);
  if (MatchesAll(s.affinity, other))
    for (const auto& t : s.affinity) UpdateTopologyCount(s.affinity_counts, node, t.topology_key, mult);
  for (const auto& t : s.anti_affinity)
    if (t.Matches(other, nullptr)) UpdateTopologyCount(s.anti_affinity_counts, node, t.topology_key, mult);
}

bool SatisfyPodAffinity(const PreFilterState& s, const Node& node) {
  bool pods_exist = true;
  for (const auto& t : s.affinity) {
    auto it = node.labels.find(t.topology_key);
    // All topology labels must exist on the node.
    if (it == node.labels.end()) return false;
    if (TopologyCount(s.affinity_counts, node, t.topology_key) <= 0) pods_exist = false;
  }
  if (pods_exist) return true;
  // The first pod of a group with affinity to itself: allowed when no pod
  // anywhere matches and the pod matches its own terms.
  return s.affinity_counts.empty() && MatchesAll(s.affinity, *s.pod);
}

bool SatisfyPodAntiAffinity(const PreFilterState& s, const Node& node) {
  if (s.anti_affinity_counts.empty()) return true;
  for (const auto& t : s.anti_affinity)
    if (TopologyCount(s.anti_affinity_counts, node, t.topology_key) > 0) return false;
  return true;
}

bool SatisfyExistingPodsAntiAffinity(const PreFilterState& s, const Node& node) {
  if (s.existing_anti_affinity.empty()) return true;
  for (const auto& [k, v] : node.labels) {
    auto it = s.existing_anti_affinity.find(TopologyPair{k, v});
    if (it != s.existing_anti_affinity.end() && it->second > 0) return false;
  }
  return true;
}

void AddScore(PreScoreState& s, const std::string& key, const Node& node, int64_t delta) {
  auto it = node.labels.find(key);
  if (it == node.labels.end()) return;
  TopologyPair p{it->first, it->second};
  s.scores[p] += delta;  // zero entries stay: a matched term still counts as "scored"
  for (const std::string* k : s.keys)
    if (*k == it->first) return;
  s.keys.push_back(&it->first);
}

}  // namespace

common::Result<std::unique_ptr<Plugin>> InterPodAffinity::New(const common::Json& args, const std::string& field,
                                                              Framework* fw) {
  RETURN_IF_ERROR(CheckArgsFields(args, field, {"hardPodAffinityWeight", "ignorePreferredTermsOfExistingPods"}));
  auto p = std::make_unique<InterPodAffinity>(fw);
  if (args.contains("hardPodAffinityWeight")) {
    int64_t w = common::GetInt(args, "hardPodAffinityWeight", 1);
    if (w < 0 || w > 100)
      return common::Status::Invalid(field + ".hardPodAffinityWeight: Invalid value: " + std::to_string(w) +
                                     ": not in valid range [0, 100]");
    p->hard_pod_affinity_weight_ = static_cast<int32_t>(w);
  }
  p->ignore_preferred_of_existing_ = common::GetBool(args, "ignorePreferredTermsOfExistingPods");
  return std::unique_ptr<Plugin>(std::move(p));
}

AffinityTerm InterPodAffinity::Resolve(const AffinityTerm& t) const {
  AffinityTerm out = t;
  // A non-empty namespace selector becomes the names it matches now
  // (upstream's mergeAffinityTermNamespacesIfNotEmpty); {} keeps matching all.
  if (out.namespace_selector && !out.namespace_selector->Empty()) {
    for (auto& n : fw_->objects().NamespacesMatching(*out.namespace_selector)) out.namespaces.push_back(n);
    std::sort(out.namespaces.begin(), out.namespaces.end());
    out.namespaces.erase(std::unique(out.namespaces.begin(), out.namespaces.end()), out.namespaces.end());
    out.namespace_selector.reset();
  }
  return out;
}

Status InterPodAffinity::PreFilter(CycleState& state, const Pod& pod, PreFilterResult*) {
  const Snapshot& snap = fw_->snapshot();
  auto s = std::make_unique<PreFilterState>();
  s->pod = &pod;
  for (const auto& t : pod.required_affinity) s->affinity.push_back(Resolve(t));
  for (const auto& t : pod.required_anti_affinity) s->anti_affinity.push_back(Resolve(t));
  s->ns_labels = fw_->objects().NamespaceLabels(pod.ns);

  for (NodeInfo* ni : snap.have_pods_with_required_anti_affinity()) {
    const Node& node = *ni->node();
    for (const auto& existing : ni->pods_with_required_anti_affinity())
      for (const auto& t : existing->required_anti_affinity)
        if (t.Matches(pod, &s->ns_labels)) UpdateTopologyCount(s->existing_anti_affinity, node, t.topology_key, 1);
  }
  if (!s->affinity.empty() || !s->anti_affinity.empty()) {
    for (NodeInfo* ni : snap.nodes()) {
      const Node& node = *ni->node();
      for (const auto& existing : ni->pods()) {
        if (MatchesAll(s->affinity, *existing))
          for (const auto& t : s->affinity) UpdateTopologyCount(s->affinity_counts, node, t.topology_key, 1);
        for (const auto& t : s->anti_affinity)
          if (t.Matches(*existing, nullptr)) UpdateTopologyCount(s->anti_affinity_counts, node, t.topology_key, 1);
      }
    }
  }
  if (s->existing_anti_affinity.empty() && s->affinity.empty() && s->anti_affinity.empty())
    return Status::Skip();
  state.set_prefilter(slot(), std::move(s));
  return Status();
}

Status InterPodAffinity::AddPod(CycleState& state, const Pod&, const PodPtr& to_add, const NodeInfo& node) const {
  auto* s = static_cast<PreFilterState*>(state.prefilter(slot()));
  if (s) UpdateWithPod(*s, *to_add, *node.node(), 1);
  return Status();
}

Status InterPodAffinity::RemovePod(CycleState& state, const Pod&, const Pod& to_remove, const NodeInfo& node) const {
  auto* s = static_cast<PreFilterState*>(state.prefilter(slot()));
  if (s) UpdateWithPod(*s, to_remove, *node.node(), -1);
  return Status();
}

Status InterPodAffinity::Filter(const CycleState& state, const Pod&, const NodeInfo& node) const {
  const auto* s = static_cast<const PreFilterState*>(state.prefilter(slot()));
  const Node& n = *node.node();
  if (!SatisfyPodAffinity(*s, n)) return Status(Code::kUnschedulableAndUnresolvable, kErrReasonAffinity);
  if (!SatisfyPodAntiAffinity(*s, n)) return Status(Code::kUnschedulable, kErrReasonAntiAffinity);
  if (!SatisfyExistingPodsAntiAffinity(*s, n))
    return Status(Code::kUnschedulable, kErrReasonExistingAntiAffinity);
  return Status();
}

std::string InterPodAffinity::Explain(const CycleState& state, const Pod&, const NodeInfo& node) const {
  const auto* s = static_cast<const PreFilterState*>(state.prefilter(slot()));
  if (!s) return "";
  const Node& n = *node.node();
  auto domain = [&](const std::string& key) {
    auto it = n.labels.find(key);
    return it == n.labels.end() ? "no label " + key : key + "=" + it->second;
  };
  if (!SatisfyPodAffinity(*s, n)) {
    for (const auto& t : s->affinity)
      if (!n.labels.count(t.topology_key)) return "node has no label " + t.topology_key;
    for (const auto& t : s->affinity)
      if (TopologyCount(s->affinity_counts, n, t.topology_key) <= 0)
        return "no pod matching " + t.selector.String() + " in " + domain(t.topology_key);
  }
  if (!SatisfyPodAntiAffinity(*s, n))
    for (const auto& t : s->anti_affinity)
      if (int64_t c = TopologyCount(s->anti_affinity_counts, n, t.topology_key); c > 0)
        return std::to_string(c) + " pod(s) matching " + t.selector.String() + " in " + domain(t.topology_key);
  if (!SatisfyExistingPodsAntiAffinity(*s, n))
    for (const auto& [k, v] : n.labels) {
      auto it = s->existing_anti_affinity.find(TopologyPair{k, v});
      if (it != s->existing_anti_affinity.end() && it->second > 0)
        return std::to_string(it->second) + " existing pod anti-affinity term(s) match this pod in " + k + "=" + v;
    }
  return "";
}

Status InterPodAffinity::PreScore(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>& nodes) {
  if (nodes.empty()) return Status::Skip();
  bool has_constraints = !pod.preferred_affinity.empty() || !pod.preferred_anti_affinity.empty();
  if (ignore_preferred_of_existing_ && !has_constraints) return Status::Skip();
  const Snapshot& snap = fw_->snapshot();
  const auto& all = has_constraints ? snap.nodes() : snap.have_pods_with_affinity();
  if (all.empty()) return Status::Skip();
  std::vector<WeightedAffinityTerm> pref, anti;
  for (const auto& t : pod.preferred_affinity) pref.push_back({Resolve(t.term), t.weight});
  for (const auto& t : pod.preferred_anti_affinity) anti.push_back({Resolve(t.term), t.weight});
  common::Labels ns_labels = fw_->objects().NamespaceLabels(pod.ns);
  auto s = std::make_unique<PreScoreState>();
  bool any = false;
  for (NodeInfo* ni : all) {
    const Node& node = *ni->node();
    if (node.labels.empty()) continue;
    const auto& pods = has_constraints ? ni->pods() : ni->pods_with_affinity();
    for (const auto& existing : pods) {
      for (const auto& t : pref)
        if (t.term.Matches(*existing, nullptr)) AddScore(*s, t.term.topology_key, node, t.weight), any = true;
      for (const auto& t : anti)
        if (t.term.Matches(*existing, nullptr)) AddScore(*s, t.term.topology_key, node, -t.weight), any = true;
      if (hard_pod_affinity_weight_ > 0)
        for (const auto& t : existing->required_affinity)
          if (t.Matches(pod, &ns_labels)) AddScore(*s, t.topology_key, node, hard_pod_affinity_weight_), any = true;
      for (const auto& t : existing->preferred_affinity)
        if (t.term.Matches(pod, &ns_labels)) AddScore(*s, t.term.topology_key, node, t.weight), any = true;
      for (const auto& t : existing->preferred_anti_affinity)
        if (t.term.Matches(pod, &ns_labels)) AddScore(*s, t.term.topology_key, node, -t.weight), any = true;
    }
  }
  if (!any) return Status::Skip();
  state.set_prescore(slot(), std::move(s));
  return Status();
}

int64_t InterPodAffinity::Score(const CycleState& state, const Pod&, const NodeInfo& node) const {
  const auto* s = static_cast<const PreScoreState*>(state.prescore(slot()));
  const Node& n = *node.node();
  int64_t score = 0;
  for (const std::string* key : s->keys) {
    auto it = n.labels.find(*key);
    if (it == n.labels.end()) continue;
    auto c = s->scores.find(TopologyPair{it->first, it->second});
    if (c != s->scores.end()) score += c->second;
  }
  return score;
}

void InterPodAffinity::NormalizeScore(const CycleState& state, const Pod&, const std::vector<NodeInfo*>&,
                                      std::vector<int64_t>& scores) const {
  const auto* s = static_cast<const PreScoreState*>(state.prescore(slot()));
  if (!s || s->scores.empty()) return;
  int64_t min = LLONG_MAX, max = LLONG_MIN;
  for (int64_t v : scores) {
    min = std::min(min, v);
    max = std::max(max, v);
  }
  int64_t diff = max - min;
  for (auto& v : scores) {
    double f = 0;
    if (diff > 0) f = static_cast<double>(kMaxNodeScore) * (static_cast<double>(v - min) / static_cast<double>(diff));
    v = static_cast<int64_t>(f);
  }
}

std::vector<ClusterEvent> InterPodAffinity::EventsToRegister() const {
  return {{EventResource::kAssignedPod, kAdd | kUpdatePodLabel | kDelete},
          {EventResource::kNode, kAdd | kUpdateNodeLabel},
          {EventResource::kUnscheduledPod, kUpdatePodLabel}};
}

}  // namespace schedule
