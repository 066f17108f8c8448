#include "plugins/balanced_allocation.h"

#include <cmath>

#include "plugins/args.h"

namespace schedule {

namespace {

struct PreScoreState : StateData {
  std::vector<int64_t> requests;  // actual requests per configured resource
  std::unique_ptr<StateData> Clone() const override { return std::make_unique<PreScoreState>(*this); }
};

}  // namespace

common::Result<std::unique_ptr<Plugin>> BalancedAllocation::New(const common::Json& args, const std::string& field,
                                                                Framework*) {
  RETURN_IF_ERROR(CheckArgsFields(args, field, {"resources"}));
  auto p = std::make_unique<BalancedAllocation>();
  auto res = ParseResourceSpecs(common::Get(args, "resources"), field + ".resources");
  if (!res.ok()) return res.status();
  if (!res->empty()) p->resources_ = std::move(*res);
  return std::unique_ptr<Plugin>(std::move(p));
}

Status BalancedAllocation::PreScore(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>&) {
  auto s = std::make_unique<PreScoreState>();
  s->requests = PodRequestsFor(pod, resources_, false);
  bool any = false;
  for (int64_t r : s->requests) any |= r != 0;
  // A BestEffort pod does not change any node's balance (upstream #129138).
  if (!any) return Status::Skip();
  state.set_prescore(slot(), std::move(s));
  return Status();
}

int64_t BalancedAllocation::Score(const CycleState& state, const Pod&, const NodeInfo& node) const {
  const auto* s = static_cast<const PreScoreState*>(state.prescore(slot()));
  // Specs are capped at kMaxResources when parsed, so this buffer always fits.
  double f[kMaxResources];
  size_t n = 0;
  double total = 0;
  for (size_t i = 0; i < resources_.size(); ++i) {
    int64_t alloc, req;
    AllocatableAndRequested(node, resources_[i], s->requests[i], true, &alloc, &req);
    if (alloc == 0) continue;
    double fr = static_cast<double>(req) / static_cast<double>(alloc);
    if (fr > 1) fr = 1;
    f[n++] = fr;
    total += fr;
  }
  double std_dev = 0;
  if (n == 2) {
    std_dev = std::fabs((f[0] - f[1]) / 2);
  } else if (n > 2) {
    double mean = total / static_cast<double>(n), sum = 0;
    for (size_t i = 0; i < n; ++i) sum += (f[i] - mean) * (f[i] - mean);
    std_dev = std::sqrt(sum / static_cast<double>(n));
  }
  return static_cast<int64_t>((1 - std_dev) * static_cast<double>(kMaxNodeScore));
}

std::vector<ClusterEvent> BalancedAllocation::EventsToRegister() const {
  return {{EventResource::kAssignedPod, kDelete | kUpdatePodScaleDown},
          {EventResource::kNode, kAdd | kUpdateNodeAllocatable}};
}

}  // namespace schedule
