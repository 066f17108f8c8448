// DefaultPreemption (PostFilter): when no node fits, finds nodes where
// evicting lower-priority pods makes room, picks one the way upstream does
// (fewest PDB violations, lowest highest-victim priority, lowest priority
// sum, fewest victims, latest start), deletes the victims and nominates the
// node. Args: DefaultPreemptionArgs.
#pragma once

#include <random>

#include "framework/framework.h"

namespace schedule {

struct PreemptionCandidate {
  std::string node;
  std::vector<PodPtr> victims;  // reprieve order: PDB-violating first, then by importance
  int num_pdb_violations = 0;
};

class DefaultPreemption : public PostFilterPlugin {
 public:
  static constexpr char kName[] = "DefaultPreemption";

  static common::Result<std::unique_ptr<Plugin>> New(const common::Json& args, const std::string& field,
                                                     Framework* fw);
  explicit DefaultPreemption(Framework* fw) : fw_(fw), rng_(1) {}

  std::string_view Name() const override { return kName; }
  Status PostFilter(CycleState& state, const Pod& pod, const NodeToStatus& statuses,
                    PostFilterResult* result) override;

  // Upstream's SelectVictimsOnNode on a copy of `node`. Success with victims,
  // or the status explaining why this node cannot host the pod.
  Status SelectVictimsOnNode(const CycleState& state, const Pod& pod, const NodeInfo& node,
                             const std::vector<std::shared_ptr<const PodDisruptionBudget>>& pdbs,
                             PreemptionCandidate* out) const;
  // Upstream's pickOneNodeForPreemption.
  static size_t PickOneNode(const std::vector<PreemptionCandidate>& candidates);
  // max(minCandidateNodesPercentage% of n, minCandidateNodesAbsolute), at most n.
  int NumCandidates(int n) const;
  void Seed(uint64_t seed) { rng_.seed(seed); }

 private:
  Framework* fw_;
  int32_t min_candidate_percentage_ = 10;
  int32_t min_candidate_absolute_ = 100;
  std::mt19937_64 rng_;
};

}  // namespace schedule
