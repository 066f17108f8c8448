#include "plugins/default_preemption.h"

#include <algorithm>
#include <climits>

#include "plugins/args.h"

namespace schedule {

namespace {

constexpr char kNoVictims[] = "No preemption victims found for incoming pod";
constexpr char kNotHelpful[] = "Preemption is not helpful for scheduling";

// Splits `pods` into those whose eviction would break a PodDisruptionBudget
// and the rest (upstream's filterPodsWithPDBViolation).
void SplitByPDB(const std::vector<PodPtr>& pods, const std::vector<std::shared_ptr<const PodDisruptionBudget>>& pdbs,
                std::vector<PodPtr>* violating, std::vector<PodPtr>* ok) {
  std::vector<int32_t> allowed;
  for (const auto& p : pdbs) allowed.push_back(p->disruptions_allowed);
  for (const auto& pod : pods) {
    bool violated = false;
    if (!pod->labels.empty()) {
      for (size_t i = 0; i < pdbs.size(); ++i) {
        const auto& pdb = *pdbs[i];
        if (pdb.ns != pod->ns) continue;
        // A nil or empty selector matches nothing.
        if (!pdb.selector || pdb.selector->Empty() || !pdb.selector->Matches(pod->labels)) continue;
        if (std::find(pdb.disrupted_pods.begin(), pdb.disrupted_pods.end(), pod->name) != pdb.disrupted_pods.end())
          continue;
        if (--allowed[i] < 0) violated = true;
      }
    }
    (violated ? violating : ok)->push_back(pod);
  }
}

common::TimePoint StartTime(const Pod& p) { return p.start_time.value_or(common::Clock::now()); }

// Upstream's GetEarliestPodStartTime: among the highest-priority victims.
common::TimePoint EarliestStartOfTopVictims(const std::vector<PodPtr>& victims) {
  common::TimePoint earliest = StartTime(*victims[0]);
  int32_t max_prio = victims[0]->priority;
  for (const auto& v : victims) {
    if (v->priority == max_prio) {
      earliest = std::min(earliest, StartTime(*v));
    } else if (v->priority > max_prio) {
      max_prio = v->priority;
      earliest = StartTime(*v);
    }
  }
  return earliest;
}

}  // namespace

common::Result<std::unique_ptr<Plugin>> DefaultPreemption::New(const common::Json& args, const std::string& field,
                                                               Framework* fw) {
  RETURN_IF_ERROR(CheckArgsFields(args, field, {"minCandidateNodesPercentage", "minCandidateNodesAbsolute"}));
  auto p = std::make_unique<DefaultPreemption>(fw);
  p->min_candidate_percentage_ = static_cast<int32_t>(common::GetInt(args, "minCandidateNodesPercentage", 10));
  p->min_candidate_absolute_ = static_cast<int32_t>(common::GetInt(args, "minCandidateNodesAbsolute", 100));
  if (p->min_candidate_percentage_ < 0 || p->min_candidate_percentage_ > 100)
    return common::Status::Invalid(field + ".minCandidateNodesPercentage: Invalid value: " +
                                   std::to_string(p->min_candidate_percentage_) + ": not in valid range [0, 100]");
  if (p->min_candidate_absolute_ < 0)
    return common::Status::Invalid(field + ".minCandidateNodesAbsolute: Invalid value: " +
                                   std::to_string(p->min_candidate_absolute_) + ": not in valid range [0, inf)");
  if (p->min_candidate_percentage_ == 0 && p->min_candidate_absolute_ == 0)
    return common::Status::Invalid(field + ".minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute");
  return std::unique_ptr<Plugin>(std::move(p));
}

int DefaultPreemption::NumCandidates(int n) const {
  int c = n * min_candidate_percentage_ / 100;
  if (c < min_candidate_absolute_) c = min_candidate_absolute_;
  return std::min(c, n);
}

Status DefaultPreemption::SelectVictimsOnNode(const CycleState& state, const Pod& pod, const NodeInfo& node,
                                              const std::vector<std::shared_ptr<const PodDisruptionBudget>>& pdbs,
                                              PreemptionCandidate* out) const {
  NodeInfo copy = node;
  std::unique_ptr<CycleState> st = state.Clone();
  std::vector<PodPtr> potential;
  for (const auto& p : node.pods())
    if (p->priority < pod.priority) potential.push_back(p);
  if (potential.empty()) return SCHEDULE_REJECT(Code::kUnschedulableAndUnresolvable, kNoVictims);
  for (const auto& p : potential) {
    copy.RemovePod(*p);
    Status s = fw_->RunPreFilterExtensionRemovePod(*st, pod, *p, copy);
    if (!s.IsSuccess()) return Status(Code::kError, s.Message());
  }
  // Not even an empty node (of lower-priority pods) fits the pod.
  Status fits = fw_->RunFilterPluginsWithNominatedPods(*st, pod, copy);
  if (!fits.IsSuccess()) return fits;
  std::sort(potential.begin(), potential.end(), [](const PodPtr& a, const PodPtr& b) { return MoreImportantPod(*a, *b); });
  std::vector<PodPtr> violating, ok;
  SplitByPDB(potential, pdbs, &violating, &ok);
  out->node = node.name();
  out->victims.clear();
  out->num_pdb_violations = 0;
  auto reprieve = [&](const PodPtr& p) -> bool {
    copy.AddPod(p);
    fw_->RunPreFilterExtensionAddPod(*st, pod, p, copy);
    if (fw_->RunFilterPluginsWithNominatedPods(*st, pod, copy).IsSuccess()) return true;
    copy.RemovePod(*p);
    fw_->RunPreFilterExtensionRemovePod(*st, pod, *p, copy);
    out->victims.push_back(p);
    return false;
  };
  for (const auto& p : violating)
    if (!reprieve(p)) ++out->num_pdb_violations;
  for (const auto& p : ok) reprieve(p);
  return Status();
}

size_t DefaultPreemption::PickOneNode(const std::vector<PreemptionCandidate>& cands) {
  std::vector<size_t> all(cands.size());
  for (size_t i = 0; i < cands.size(); ++i) all[i] = i;
  using ScoreFn = int64_t (*)(const PreemptionCandidate&);
  static const ScoreFn kFns[] = {
      [](const PreemptionCandidate& c) -> int64_t { return -c.num_pdb_violations; },
      [](const PreemptionCandidate& c) -> int64_t { return -static_cast<int64_t>(c.victims[0]->priority); },
      [](const PreemptionCandidate& c) -> int64_t {
        int64_t sum = 0;
        // Shift priorities to be non-negative, so several negative-priority
        // victims do not look cheaper than one.
        for (const auto& v : c.victims) sum += int64_t{v->priority} + int64_t{INT32_MAX} + 1;
        return -sum;
      },
      [](const PreemptionCandidate& c) -> int64_t { return -static_cast<int64_t>(c.victims.size()); },
      [](const PreemptionCandidate& c) -> int64_t {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   EarliestStartOfTopVictims(c.victims).time_since_epoch())
            .count();
      },
  };
  for (ScoreFn fn : kFns) {
    std::vector<size_t> best;
    int64_t max = LLONG_MIN;
    for (size_t i : all) {
      int64_t s = fn(cands[i]);
      if (s > max) {
        max = s;
        best.clear();
      }
      if (s == max) best.push_back(i);
    }
    if (best.size() == 1) return best[0];
    all = std::move(best);
  }
  return all[0];
}

Status DefaultPreemption::PostFilter(CycleState& state, const Pod& pod, const NodeToStatus& statuses,
                                     PostFilterResult* result) {
  auto fail = [](const std::string& msg) { return Status(Code::kUnschedulable, "preemption: " + msg); };
  if (pod.preempt_never) return fail("not eligible due to preemptionPolicy=Never.");
  const Snapshot& snap = fw_->snapshot();
  if (!pod.nominated_node_name.empty() &&
      statuses.Get(pod.nominated_node_name).code() != Code::kUnschedulableAndUnresolvable) {
    if (NodeInfo* ni = snap.Get(pod.nominated_node_name))
      for (const auto& p : ni->pods())
        if (p->priority < pod.priority && p->terminating)
          return fail("not eligible due to a terminating pod on the nominated node.");
  }
  const auto& all = snap.nodes();
  std::vector<NodeInfo*> potential = statuses.NodesWithCode(all, Code::kUnschedulable);
  Diagnosis diag;
  diag.node_to_status.SetAbsent(Status(Code::kUnschedulableAndUnresolvable, kNotHelpful));
  std::vector<PreemptionCandidate> non_violating, violating;
  if (!potential.empty()) {
    auto pdbs = fw_->objects().ListPDBs();
    int n = static_cast<int>(potential.size());
    int offset = static_cast<int>(rng_() % static_cast<uint64_t>(n));
    int want = NumCandidates(n);
    for (int i = 0; i < n; ++i) {
      NodeInfo* ni = potential[(offset + i) % n];
      PreemptionCandidate c;
      Status s = SelectVictimsOnNode(state, pod, *ni, pdbs, &c);
      if (s.IsSuccess() && !c.victims.empty()) {
        (c.num_pdb_violations == 0 ? non_violating : violating).push_back(std::move(c));
        if (!non_violating.empty() && static_cast<int>(non_violating.size() + violating.size()) >= want) break;
        continue;
      }
      if (s.IsSuccess()) s = Status(Code::kError, "expected at least one victim pod on node \"" + ni->name() + "\"");
      diag.node_to_status.Set(ni->name(), s);
    }
  }
  std::vector<PreemptionCandidate> cands = std::move(non_violating);
  for (auto& c : violating) cands.push_back(std::move(c));
  if (cands.empty()) {
    result->has_nomination = true;  // clears a stale nomination
    result->nominated_node.clear();
    if (!pod.nominated_node_name.empty() && fw_->client()) fw_->client()->ClearNomination(pod);
    return fail(FitErrorMessage(static_cast<int>(all.size()), diag));
  }
  const PreemptionCandidate& best = cands[cands.size() == 1 ? 0 : PickOneNode(cands)];
  // Upstream's prepareCandidate: evict the victims, and take the node from
  // lower-priority pods nominated to it.
  if (fw_->client()) {
    for (const auto& v : best.victims) {
      common::Status st = fw_->client()->DeleteVictim(*v, pod, best.node);
      if (!st.ok()) return Status(Code::kError, st.message());
    }
    if (Nominator* nom = fw_->nominator())
      for (const auto& np : nom->NominatedPodsForNode(best.node))
        if (np->priority < pod.priority && np->uid != pod.uid) fw_->client()->ClearNomination(*np);
  }
  result->has_nomination = true;
  result->nominated_node = best.node;
  result->victims = best.victims;
  return Status();
}

}  // namespace schedule
