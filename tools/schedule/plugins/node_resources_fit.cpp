#include "plugins/node_resources_fit.h"

#include <cmath>

#include "model/resources.h"
#include "plugins/args.h"

namespace schedule {

namespace {

struct PreScoreState : StateData {
  std::vector<int64_t> requests;  // per configured resource, non-zero defaults applied
  std::unique_ptr<StateData> Clone() const override { return std::make_unique<PreScoreState>(*this); }
};

int64_t LeastRequestedScore(int64_t requested, int64_t capacity) {
  if (capacity == 0 || requested > capacity) return 0;
  return (capacity - requested) * kMaxNodeScore / capacity;
}

int64_t MostRequestedScore(int64_t requested, int64_t capacity) {
  if (capacity == 0) return 0;
  // Pods without requests count the default minimum, so requested may exceed capacity.
  if (requested > capacity) requested = capacity;
  return requested * kMaxNodeScore / capacity;
}

// Upstream's helper.BuildBrokenLinearFunction.
int64_t BrokenLinear(const std::vector<std::pair<int64_t, int64_t>>& shape, int64_t p) {
  for (size_t i = 0; i < shape.size(); ++i) {
    if (p <= shape[i].first) {
      if (i == 0) return shape[0].second;
      return shape[i - 1].second + (shape[i].second - shape[i - 1].second) * (p - shape[i - 1].first) /
                                       (shape[i].first - shape[i - 1].first);
    }
  }
  return shape.back().second;
}

}  // namespace

std::vector<InsufficientResource> InsufficientResources(const Pod& pod, const NodeInfo& node,
                                                        const std::set<std::string>& ignored,
                                                        const std::set<std::string>& ignored_groups) {
  std::vector<InsufficientResource> out;
  const Resources& alloc = node.allocatable();
  const Resources& used = node.requested();
  int64_t pods = static_cast<int64_t>(node.pods().size());
  if (pods + 1 > alloc.pods) out.push_back({"pods", "Too many pods", 1, pods, alloc.pods, false});
  const Resources& req = pod.requests;
  if (req.IsZero()) return out;
  if (req.milli_cpu > 0 && req.milli_cpu > alloc.milli_cpu - used.milli_cpu)
    out.push_back({"cpu", "Insufficient cpu", req.milli_cpu, used.milli_cpu, alloc.milli_cpu,
                   req.milli_cpu > alloc.milli_cpu});
  if (req.memory > 0 && req.memory > alloc.memory - used.memory)
    out.push_back({"memory", "Insufficient memory", req.memory, used.memory, alloc.memory, req.memory > alloc.memory});
  if (req.ephemeral_storage > 0 && req.ephemeral_storage > alloc.ephemeral_storage - used.ephemeral_storage)
    out.push_back({"ephemeral-storage", "Insufficient ephemeral-storage", req.ephemeral_storage,
                   used.ephemeral_storage, alloc.ephemeral_storage, req.ephemeral_storage > alloc.ephemeral_storage});
  for (const auto& [name, q] : req.scalars) {
    if (q == 0) continue;
    if (IsExtendedResourceName(name)) {
      if (ignored.count(name)) continue;
      if (!ignored_groups.empty() && ignored_groups.count(name.substr(0, name.find('/')))) continue;
    }
    int64_t a = alloc.Scalar(name), u = used.Scalar(name);
    if (q > a - u) out.push_back({name, "Insufficient " + name, q, u, a, q > a});
  }
  return out;
}

NodeResourcesFit::NodeResourcesFit() {
  static const char* const kReasons[] = {"Too many pods", "Insufficient cpu", "Insufficient memory",
                                         "Insufficient ephemeral-storage"};
  for (unsigned i = 0; i < 32; ++i) {
    std::vector<std::string> reasons;
    for (int b = 0; b < 4; ++b)
      if (i & (1u << b)) reasons.push_back(kReasons[b]);
    prebuilt_[i] = Status(i >= 16 ? Code::kUnschedulableAndUnresolvable : Code::kUnschedulable, std::move(reasons));
  }
}

common::Result<std::unique_ptr<Plugin>> NodeResourcesFit::New(const common::Json& args, const std::string& field,
                                                              Framework*) {
  RETURN_IF_ERROR(CheckArgsFields(args, field, {"ignoredResources", "ignoredResourceGroups", "scoringStrategy"}));
  auto p = std::make_unique<NodeResourcesFit>();
  for (const auto& j : common::Get(args, "ignoredResources"))
    if (j.is_string()) p->ignored_.insert(j.get<std::string>());
  const common::Json& groups = common::Get(args, "ignoredResourceGroups");
  for (size_t i = 0; groups.is_array() && i < groups.size(); ++i) {
    std::string g = groups[i].is_string() ? groups[i].get<std::string>() : "";
    if (g.empty() || g.find('/') != std::string::npos)
      return common::Status::Invalid(field + ".ignoredResourceGroups[" + std::to_string(i) + "]: Invalid value: \"" + g +
                                     "\": resource group name can't contain '/'");
    p->ignored_groups_.insert(g);
  }
  const common::Json& ss = common::Get(args, "scoringStrategy");
  if (!ss.is_null()) {
    std::string sf = field + ".scoringStrategy";
    RETURN_IF_ERROR(CheckArgsFields(ss, sf, {"type", "resources", "requestedToCapacityRatio"}));
    std::string type = common::GetString(ss, "type", "LeastAllocated");
    if (type == "LeastAllocated") p->strategy_ = Strategy::kLeastAllocated;
    else if (type == "MostAllocated") p->strategy_ = Strategy::kMostAllocated;
    else if (type == "RequestedToCapacityRatio") p->strategy_ = Strategy::kRequestedToCapacityRatio;
    else
      return common::Status::Invalid(sf + ".type: Unsupported value: \"" + type +
                                     "\": supported values: \"LeastAllocated\", \"MostAllocated\", \"RequestedToCapacityRatio\"");
    auto res = ParseResourceSpecs(common::Get(ss, "resources"), sf + ".resources");
    if (!res.ok()) return res.status();
    if (!res->empty()) p->resources_ = std::move(*res);
    if (p->strategy_ == Strategy::kRequestedToCapacityRatio) {
      std::string rf = sf + ".requestedToCapacityRatio";
      const common::Json& shape = common::GetPath(ss, {"requestedToCapacityRatio", "shape"});
      if (!shape.is_array() || shape.empty())
        return common::Status::Invalid(rf + ".shape: Required value: at least one point must be specified");
      int64_t prev = -1;
      for (size_t i = 0; i < shape.size(); ++i) {
        std::string pf = rf + ".shape[" + std::to_string(i) + "]";
        int64_t u = common::GetInt(shape[i], "utilization", 0), s = common::GetInt(shape[i], "score", 0);
        if (u < 0 || u > 100)
          return common::Status::Invalid(pf + ".utilization: Invalid value: " + std::to_string(u) +
                                         ": not in valid range [0, 100]");
        if (u <= prev)
          return common::Status::Invalid(pf + ".utilization: Invalid value: " + std::to_string(u) +
                                         ": utilization values must be sorted in increasing order");
        if (s < 0 || s > 10)
          return common::Status::Invalid(pf + ".score: Invalid value: " + std::to_string(s) +
                                         ": not in valid range [0, 10]");
        prev = u;
        // Shape scores are 0-10; the scheduler's range is 0-100.
        p->shape_.push_back({u, s * (kMaxNodeScore / 10)});
      }
    } else if (!common::Get(ss, "requestedToCapacityRatio").is_null()) {
      return common::Status::Invalid(sf + ".requestedToCapacityRatio: Forbidden: only valid with type RequestedToCapacityRatio");
    }
  }
  return std::unique_ptr<Plugin>(std::move(p));
}

Status NodeResourcesFit::PreFilter(CycleState&, const Pod&, PreFilterResult*) {
  // The effective request was computed when the pod was decoded.
  return Status();
}

Status NodeResourcesFit::Filter(const CycleState&, const Pod& pod, const NodeInfo& node) const {
  const Resources& alloc = node.allocatable();
  const Resources& used = node.requested();
  const Resources& req = pod.requests;
  // The common case, checked without building the reason list.
  if (static_cast<int64_t>(node.pods().size()) + 1 <= alloc.pods && req.scalars.empty() &&
      req.milli_cpu <= alloc.milli_cpu - used.milli_cpu && req.memory <= alloc.memory - used.memory &&
      req.ephemeral_storage <= alloc.ephemeral_storage - used.ephemeral_storage)
    return Status();
  auto missing = InsufficientResources(pod, node, ignored_, ignored_groups_);
  if (missing.empty()) return Status();
  // Rejections over the four built-in resources come prebuilt (no allocation).
  static const char* const kBuiltin[] = {"pods", "cpu", "memory", "ephemeral-storage"};
  unsigned mask = 0;
  bool unresolvable = false, builtin = true;
  for (const auto& m : missing) {
    unresolvable |= m.unresolvable;
    int bit = -1;
    for (int b = 0; b < 4; ++b)
      if (m.resource == kBuiltin[b]) bit = b;
    if (bit < 0) builtin = false;
    else mask |= 1u << bit;
  }
  if (builtin) return prebuilt_[unresolvable ? 16 + mask : mask];
  std::vector<std::string> reasons;
  Code code = Code::kUnschedulable;
  for (auto& m : missing) {
    reasons.push_back(std::move(m.reason));
    if (m.unresolvable) code = Code::kUnschedulableAndUnresolvable;
  }
  return Status(code, std::move(reasons));
}

std::string NodeResourcesFit::Explain(const CycleState&, const Pod& pod, const NodeInfo& node) const {
  std::string out;
  for (const auto& m : InsufficientResources(pod, node, ignored_, ignored_groups_)) {
    if (!out.empty()) out += "; ";
    out += m.resource + ": requested " + FormatResource(m.resource, m.requested) + ", in use " +
           FormatResource(m.resource, m.used) + " of " + FormatResource(m.resource, m.capacity);
  }
  return out;
}

Status NodeResourcesFit::PreScore(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>&) {
  auto s = std::make_unique<PreScoreState>();
  s->requests = PodRequestsFor(pod, resources_, true);
  state.set_prescore(slot(), std::move(s));
  return Status();
}

int64_t NodeResourcesFit::Score(const CycleState& state, const Pod&, const NodeInfo& node) const {
  const auto* s = static_cast<const PreScoreState*>(state.prescore(slot()));
  int64_t node_score = 0, weight_sum = 0;
  for (size_t i = 0; i < resources_.size(); ++i) {
    int64_t alloc, req;
    AllocatableAndRequested(node, resources_[i], s->requests[i], false, &alloc, &req);
    if (alloc == 0) continue;
    int64_t w = resources_[i].weight;
    int64_t score = 0;
    switch (strategy_) {
      case Strategy::kLeastAllocated:
        score = LeastRequestedScore(req, alloc);
        break;
      case Strategy::kMostAllocated:
        score = MostRequestedScore(req, alloc);
        break;
      case Strategy::kRequestedToCapacityRatio:
        score = (req > alloc) ? BrokenLinear(shape_, 100) : BrokenLinear(shape_, req * 100 / alloc);
        // Upstream leaves resources scoring 0 out of the average for this strategy.
        if (score <= 0) continue;
        break;
    }
    node_score += score * w;
    weight_sum += w;
  }
  if (weight_sum == 0) return 0;
  if (strategy_ == Strategy::kRequestedToCapacityRatio)
    return static_cast<int64_t>(std::llround(static_cast<double>(node_score) / static_cast<double>(weight_sum)));
  return node_score / weight_sum;
}

std::vector<ClusterEvent> NodeResourcesFit::EventsToRegister() const {
  return {{EventResource::kAssignedPod, kDelete | kUpdatePodScaleDown},
          {EventResource::kNode, kAdd | kUpdateNodeAllocatable}};
}

}  // namespace schedule
