#include "plugins/taint_toleration.h"

#include "plugins/helpers.h"

namespace schedule {

namespace {

struct PreScoreState : StateData {
  std::vector<Toleration> prefer_no_schedule;  // tolerations with effect PreferNoSchedule or empty
  std::unique_ptr<StateData> Clone() const override { return std::make_unique<PreScoreState>(*this); }
};

}  // namespace

Status TaintToleration::Filter(const CycleState&, const Pod& pod, const NodeInfo& node) const {
  if (node.node()->taints.empty()) return Status();
  if (!FindUntoleratedTaint(node.node()->taints, pod.tolerations)) return Status();
  return SCHEDULE_REJECT(Code::kUnschedulableAndUnresolvable, kErrReason);
}

std::string TaintToleration::Explain(const CycleState&, const Pod& pod, const NodeInfo& node) const {
  const Taint* t = FindUntoleratedTaint(node.node()->taints, pod.tolerations);
  if (!t) return "";
  static const char* kEffects[] = {"", "NoSchedule", "PreferNoSchedule", "NoExecute", "?"};
  return "untolerated taint " + t->String() + " effect " + kEffects[static_cast<int>(t->effect)];
}

Status TaintToleration::PreScore(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>&) {
  auto s = std::make_unique<PreScoreState>();
  for (const auto& t : pod.tolerations)
    if (t.effect == TaintEffect::kAll || t.effect == TaintEffect::kPreferNoSchedule)
      s->prefer_no_schedule.push_back(t);
  state.set_prescore(slot(), std::move(s));
  return Status();
}

int64_t TaintToleration::Score(const CycleState& state, const Pod&, const NodeInfo& node) const {
  const auto& taints = node.node()->taints;
  if (taints.empty()) return 0;
  const auto* s = static_cast<const PreScoreState*>(state.prescore(slot()));
  int64_t count = 0;
  for (const auto& t : taints)
    if (t.effect == TaintEffect::kPreferNoSchedule && !TolerationsTolerateTaint(s->prefer_no_schedule, t))
      ++count;
  return count;
}

void TaintToleration::NormalizeScore(const CycleState&, const Pod&, const std::vector<NodeInfo*>&,
                                     std::vector<int64_t>& scores) const {
  DefaultNormalizeScore(kMaxNodeScore, true, scores);
}

std::vector<ClusterEvent> TaintToleration::EventsToRegister() const {
  return {{EventResource::kNode, kAdd | kUpdateNodeTaint},
          {EventResource::kUnscheduledPod, kUpdatePodToleration}};
}

}  // namespace schedule
