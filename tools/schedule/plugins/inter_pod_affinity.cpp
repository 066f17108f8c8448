#include "plugins/inter_pod_affinity.h"

#include <algorithm>
#include <climits>

#include "model/intern.h"
#include "plugins/args.h"

namespace schedule {

namespace {

struct PreFilterState : StateData {
  const Pod* pod = nullptr;
  const Snapshot* snap = nullptr;
  std::vector<AffinityTerm> affinity;       // resolved required affinity terms
  std::vector<AffinityTerm> anti_affinity;  // resolved required anti-affinity terms
  std::vector<size_t> affinity_keys;        // per affinity term: its key in affinity_counts
  std::vector<size_t> anti_keys;            // per anti-affinity term: its key in anti_affinity_counts
  common::Labels ns_labels;
  TopologyCounts existing_anti_affinity;  // existing pods' anti-affinity matching the pod
  TopologyCounts affinity_counts;         // pods matching all the pod's affinity terms
  TopologyCounts anti_affinity_counts;    // pods matching the pod's anti-affinity terms
  std::unique_ptr<StateData> Clone() const override { return std::make_unique<PreFilterState>(*this); }
};

struct PreScoreState : StateData {
  TopologyCounts scores;
  std::unique_ptr<StateData> Clone() const override { return std::make_unique<PreScoreState>(*this); }
};

// term.Matches(pod) depends only on the term's content and the pod's
// namespace and labels (the pod's own namespace labels, when a selector
// needs them), so it is remembered per (term id, pod match key).
bool Memo(MatchMemo& memo, const AffinityTerm& t, const Pod& pod, const common::Labels* ns_labels) {
  return memo.Get(MatchMemo::Key(t.id, pod.match_key), [&] { return t.Matches(pod, ns_labels); });
}

bool MatchesAllMemo(MatchMemo& memo, const std::vector<AffinityTerm>& terms, const Pod& pod) {
  if (terms.empty()) return false;
  for (const auto& t : terms)
    if (!Memo(memo, t, pod, nullptr)) return false;
  return true;
}

bool MatchesAll(const std::vector<AffinityTerm>& terms, const Pod& pod) {
  if (terms.empty()) return false;
  for (const auto& t : terms)
    if (!t.Matches(pod, nullptr)) return false;
  return true;
}

// Upstream's preFilterState.updateWithPod.
void UpdateWithPod(PreFilterState& s, const Pod& other, const NodeInfo& node, int64_t mult) {
  for (const auto& t : other.required_anti_affinity)
    if (t.Matches(*s.pod, &s.ns_labels)) s.existing_anti_affinity.Add(*s.snap, t.topology_key, node, mult);
  if (MatchesAll(s.affinity, other))
    for (size_t k : s.affinity_keys) {
      KeyCounts& kc = s.affinity_counts.at(k);
      kc.Add(kc.col->Of(node), mult);
    }
  for (size_t i = 0; i < s.anti_affinity.size(); ++i)
    if (s.anti_affinity[i].Matches(other, nullptr)) {
      KeyCounts& kc = s.anti_affinity_counts.at(s.anti_keys[i]);
      kc.Add(kc.col->Of(node), mult);
    }
}

bool SatisfyPodAffinity(const PreFilterState& s, const NodeInfo& node) {
  bool pods_exist = true;
  for (size_t k : s.affinity_keys) {
    const KeyCounts& kc = s.affinity_counts.at(k);
    uint32_t slot = kc.col->Of(node);
    // All topology labels must exist on the node.
    if (slot == 0) return false;
    if (kc.Get(slot) <= 0) pods_exist = false;
  }
  if (pods_exist) return true;
  // The first pod of a group with affinity to itself: allowed when no pod
  // anywhere matches and the pod matches its own terms.
  return s.affinity_counts.empty() && MatchesAll(s.affinity, *s.pod);
}

bool SatisfyPodAntiAffinity(const PreFilterState& s, const NodeInfo& node) {
  if (s.anti_affinity_counts.empty()) return true;
  for (size_t k : s.anti_keys)
    if (s.anti_affinity_counts.Get(k, node) > 0) return false;
  return true;
}

bool SatisfyExistingPodsAntiAffinity(const PreFilterState& s, const NodeInfo& node) {
  for (const auto& kc : s.existing_anti_affinity.keys())
    if (kc.nonzero && kc.Get(kc.col->Of(node)) > 0) return false;
  return true;
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
    SetTermId(&out);
  }
  return out;
}

Status InterPodAffinity::PreFilter(CycleState& state, const Pod& pod, PreFilterResult*) {
  const Snapshot& snap = fw_->snapshot();
  auto s = std::make_unique<PreFilterState>();
  s->pod = &pod;
  s->snap = &snap;
  for (const auto& t : pod.required_affinity) s->affinity.push_back(Resolve(t));
  for (const auto& t : pod.required_anti_affinity) s->anti_affinity.push_back(Resolve(t));
  for (const auto& t : s->affinity) s->affinity_keys.push_back(s->affinity_counts.Key(snap, t.topology_key));
  for (const auto& t : s->anti_affinity) s->anti_keys.push_back(s->anti_affinity_counts.Key(snap, t.topology_key));
  s->ns_labels = fw_->objects().NamespaceLabels(pod.ns);

  MatchMemo memo;
  for (NodeInfo* ni : snap.have_pods_with_required_anti_affinity())
    for (const auto& existing : ni->pods_with_required_anti_affinity())
      for (const auto& t : existing->required_anti_affinity)
        if (Memo(memo, t, pod, &s->ns_labels)) s->existing_anti_affinity.Add(snap, t.topology_key, *ni, 1);
  if (!s->affinity.empty() || !s->anti_affinity.empty()) {
    for (NodeInfo* ni : snap.nodes()) {
      if (ni->pods().empty()) continue;
      for (const auto& existing : ni->pods()) {
        if (MatchesAllMemo(memo, s->affinity, *existing))
          for (size_t k : s->affinity_keys) {
            KeyCounts& kc = s->affinity_counts.at(k);
            kc.Add(kc.col->Of(*ni), 1);
          }
        for (size_t i = 0; i < s->anti_affinity.size(); ++i)
          if (Memo(memo, s->anti_affinity[i], *existing, nullptr)) {
            KeyCounts& kc = s->anti_affinity_counts.at(s->anti_keys[i]);
            kc.Add(kc.col->Of(*ni), 1);
          }
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
  if (s) UpdateWithPod(*s, *to_add, node, 1);
  return Status();
}

Status InterPodAffinity::RemovePod(CycleState& state, const Pod&, const Pod& to_remove, const NodeInfo& node) const {
  auto* s = static_cast<PreFilterState*>(state.prefilter(slot()));
  if (s) UpdateWithPod(*s, to_remove, node, -1);
  return Status();
}

Status InterPodAffinity::Filter(const CycleState& state, const Pod&, const NodeInfo& node) const {
  const auto* s = static_cast<const PreFilterState*>(state.prefilter(slot()));
  if (!SatisfyPodAffinity(*s, node)) return SCHEDULE_REJECT(Code::kUnschedulableAndUnresolvable, kErrReasonAffinity);
  if (!SatisfyPodAntiAffinity(*s, node)) return SCHEDULE_REJECT(Code::kUnschedulable, kErrReasonAntiAffinity);
  if (!SatisfyExistingPodsAntiAffinity(*s, node))
    return SCHEDULE_REJECT(Code::kUnschedulable, kErrReasonExistingAntiAffinity);
  return Status();
}

std::string InterPodAffinity::Explain(const CycleState& state, const Pod&, const NodeInfo& node) const {
  const auto* s = static_cast<const PreFilterState*>(state.prefilter(slot()));
  if (!s) return "";
  auto domain = [&](const KeyCounts& kc) {
    uint32_t slot = kc.col->Of(node);
    return slot == 0 ? "no label " + kc.col->key : kc.col->key + "=" + std::string(kc.col->Value(slot));
  };
  if (!SatisfyPodAffinity(*s, node)) {
    for (size_t i = 0; i < s->affinity.size(); ++i) {
      const KeyCounts& kc = s->affinity_counts.at(s->affinity_keys[i]);
      if (kc.col->Of(node) == 0) return "node has no label " + kc.col->key;
      if (kc.Get(kc.col->Of(node)) <= 0)
        return "no pod matching " + s->affinity[i].selector.String() + " in " + domain(kc);
    }
  }
  if (!SatisfyPodAntiAffinity(*s, node))
    for (size_t i = 0; i < s->anti_affinity.size(); ++i) {
      const KeyCounts& kc = s->anti_affinity_counts.at(s->anti_keys[i]);
      if (int64_t c = kc.Get(kc.col->Of(node)); c > 0)
        return std::to_string(c) + " pod(s) matching " + s->anti_affinity[i].selector.String() + " in " + domain(kc);
    }
  for (const auto& kc : s->existing_anti_affinity.keys())
    if (int64_t c = kc.Get(kc.col->Of(node)); c > 0)
      return std::to_string(c) + " existing pod anti-affinity term(s) match this pod in " + domain(kc);
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
  MatchMemo memo;
  bool any = false;
  auto add = [&](const std::string& key, const NodeInfo& node, int64_t delta) {
    s->scores.Add(snap, key, node, delta);
    any = true;
  };
  for (NodeInfo* ni : all) {
    const NodeInfo& node = *ni;
    if (node.node()->labels.empty()) continue;
    const auto& pods = has_constraints ? ni->pods() : ni->pods_with_affinity();
    for (const auto& existing : pods) {
      for (const auto& t : pref)
        if (Memo(memo, t.term, *existing, nullptr)) add(t.term.topology_key, node, t.weight);
      for (const auto& t : anti)
        if (Memo(memo, t.term, *existing, nullptr)) add(t.term.topology_key, node, -t.weight);
      if (hard_pod_affinity_weight_ > 0)
        for (const auto& t : existing->required_affinity)
          if (Memo(memo, t, pod, &ns_labels)) add(t.topology_key, node, hard_pod_affinity_weight_);
      for (const auto& t : existing->preferred_affinity)
        if (Memo(memo, t.term, pod, &ns_labels)) add(t.term.topology_key, node, t.weight);
      for (const auto& t : existing->preferred_anti_affinity)
        if (Memo(memo, t.term, pod, &ns_labels)) add(t.term.topology_key, node, -t.weight);
    }
  }
  // Upstream skips when no term matched on a labeled node.
  if (!any || s->scores.touched() == 0) return Status::Skip();
  state.set_prescore(slot(), std::move(s));
  return Status();
}

int64_t InterPodAffinity::Score(const CycleState& state, const Pod&, const NodeInfo& node) const {
  const auto* s = static_cast<const PreScoreState*>(state.prescore(slot()));
  int64_t score = 0;
  for (const auto& kc : s->scores.keys()) score += kc.Get(kc.col->Of(node));
  return score;
}

void InterPodAffinity::NormalizeScore(const CycleState& state, const Pod&, const std::vector<NodeInfo*>&,
                                      std::vector<int64_t>& scores) const {
  const auto* s = static_cast<const PreScoreState*>(state.prescore(slot()));
  if (!s || s->scores.touched() == 0) return;
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
