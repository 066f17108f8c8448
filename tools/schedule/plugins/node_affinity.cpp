#include "plugins/node_affinity.h"

#include "model/parse.h"
#include "plugins/args.h"
#include "plugins/helpers.h"

namespace schedule {

namespace {

struct PreScoreState : StateData {
  std::vector<PreferredSchedulingTerm> terms;
  std::unique_ptr<StateData> Clone() const override { return std::make_unique<PreScoreState>(*this); }
};

int64_t ScoreTerms(const std::vector<PreferredSchedulingTerm>& terms, const Node& node) {
  int64_t sum = 0;
  for (const auto& t : terms)
    if (t.weight != 0 && t.preference.Matches(node)) sum += t.weight;
  return sum;
}

}  // namespace

common::Result<std::unique_ptr<Plugin>> NodeAffinity::New(const common::Json& args, const std::string& field,
                                                          Framework*) {
  RETURN_IF_ERROR(CheckArgsFields(args, field, {"addedAffinity"}));
  auto p = std::make_unique<NodeAffinity>();
  const common::Json& added = common::Get(args, "addedAffinity");
  if (!added.is_null()) {
    std::string f = field + ".addedAffinity";
    const common::Json& req = common::Get(added, "requiredDuringSchedulingIgnoredDuringExecution");
    if (!req.is_null()) {
      auto sel = ParseNodeSelector(req, f + ".requiredDuringSchedulingIgnoredDuringExecution");
      if (!sel.ok()) return sel.status();
      p->added_required_ = std::move(*sel);
    }
    const common::Json& pref = common::Get(added, "preferredDuringSchedulingIgnoredDuringExecution");
    if (pref.is_array())
      for (size_t i = 0; i < pref.size(); ++i) {
        std::string pf = f + ".preferredDuringSchedulingIgnoredDuringExecution[" + std::to_string(i) + "]";
        PreferredSchedulingTerm t;
        t.weight = static_cast<int32_t>(common::GetInt(pref[i], "weight"));
        if (t.weight <= 0 || t.weight > 100)
          return common::Status::Invalid(pf + ".weight: Invalid value: " + std::to_string(t.weight) +
                                         ": must be in the range 1-100");
        auto term = ParseNodeSelectorTerm(common::Get(pref[i], "preference"), pf + ".preference");
        if (!term.ok()) return term.status();
        t.preference = std::move(*term);
        p->added_preferred_.push_back(std::move(t));
      }
  }
  return std::unique_ptr<Plugin>(std::move(p));
}

Status NodeAffinity::PreFilter(CycleState&, const Pod& pod, PreFilterResult* result) {
  if (!pod.has_required_node_affinity_field && !added_required_ &&
      pod.required_node_affinity.node_selector.empty())
    return Status::Skip();
  if (!pod.required_node_affinity.affinity) return Status();
  // Terms naming nodes by metadata.name narrow the nodes to check.
  std::optional<std::set<std::string>> names;
  for (const auto& term : pod.required_node_affinity.affinity->terms) {
    std::optional<std::set<std::string>> term_names;
    for (const auto& f : term.fields) {
      if (f.key != "metadata.name" || !f.in) continue;
      if (!term_names) {
        term_names = std::set<std::string>{f.value};
      } else if (!term_names->count(f.value)) {
        term_names = std::set<std::string>{};
      }
    }
    if (!term_names) return Status();  // this term may match any node
    if (!names) names = std::set<std::string>{};
    names->insert(term_names->begin(), term_names->end());
  }
  if (names && names->empty()) return SCHEDULE_REJECT(Code::kUnschedulableAndUnresolvable, kErrReasonConflict);
  if (names) result->node_names = std::move(*names);
  return Status();
}

Status NodeAffinity::Filter(const CycleState&, const Pod& pod, const NodeInfo& node) const {
  if (added_required_ && !added_required_->Matches(*node.node()))
    return SCHEDULE_REJECT(Code::kUnschedulableAndUnresolvable, kErrReasonEnforced);
  if (!pod.required_node_affinity.Matches(*node.node()))
    return SCHEDULE_REJECT(Code::kUnschedulableAndUnresolvable, kErrReasonPod);
  return Status();
}

std::string NodeAffinity::Explain(const CycleState&, const Pod& pod, const NodeInfo& node) const {
  const Node& n = *node.node();
  if (added_required_ && !added_required_->Matches(n)) return "scheduler's addedAffinity does not match";
  for (const auto& [k, v] : pod.required_node_affinity.node_selector) {
    auto it = n.labels.find(k);
    if (it == n.labels.end()) return "nodeSelector " + k + "=" + v + ": node has no label " + k;
    if (it->second != v) return "nodeSelector " + k + "=" + v + ": node has " + k + "=" + it->second;
  }
  const auto& aff = pod.required_node_affinity.affinity;
  if (aff && !aff->Matches(n)) {
    std::string out = "no required nodeSelectorTerm matches";
    if (aff->terms.size() == 1) {
      for (const auto& r : aff->terms[0].expressions)
        if (!r.Matches(n.labels)) return "required node affinity: " + r.String() + " does not match";
      for (const auto& f : aff->terms[0].fields)
        return "required node affinity: metadata.name " + std::string(f.in ? "in" : "notin") + " (" + f.value + ")";
    }
    return out + " (" + std::to_string(aff->terms.size()) + " terms)";
  }
  return "";
}

Status NodeAffinity::PreScore(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>&) {
  if (pod.preferred_node_affinity.empty() && added_preferred_.empty()) return Status::Skip();
  auto s = std::make_unique<PreScoreState>();
  s->terms = pod.preferred_node_affinity;
  state.set_prescore(slot(), std::move(s));
  return Status();
}

int64_t NodeAffinity::Score(const CycleState& state, const Pod&, const NodeInfo& node) const {
  int64_t count = ScoreTerms(added_preferred_, *node.node());
  const auto* s = static_cast<const PreScoreState*>(state.prescore(slot()));
  if (s) count += ScoreTerms(s->terms, *node.node());
  return count;
}

void NodeAffinity::NormalizeScore(const CycleState&, const Pod&, const std::vector<NodeInfo*>&,
                                  std::vector<int64_t>& scores) const {
  DefaultNormalizeScore(kMaxNodeScore, false, scores);
}

std::vector<ClusterEvent> NodeAffinity::EventsToRegister() const {
  return {{EventResource::kNode, kAdd | kUpdateNodeLabel},
          {EventResource::kUnscheduledPod, kUpdatePodLabel}};
}

}  // namespace schedule
