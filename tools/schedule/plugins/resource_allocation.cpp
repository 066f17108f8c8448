#include "plugins/resource_allocation.h"

#include <set>

#include "model/resources.h"

namespace schedule {

ResourceSpec MakeResourceSpec(std::string name, int64_t weight) {
  ResourceSpec s;
  s.weight = weight;
  if (name == "cpu") s.kind = ResourceSpec::Kind::kCpu;
  else if (name == "memory") s.kind = ResourceSpec::Kind::kMemory;
  else if (name == "ephemeral-storage") s.kind = ResourceSpec::Kind::kEphemeralStorage;
  else if (IsScalarResourceName(name)) s.kind = ResourceSpec::Kind::kScalar;
  s.name = std::move(name);
  return s;
}

std::vector<ResourceSpec> DefaultResourceSpecs() {
  return {MakeResourceSpec("cpu", 1), MakeResourceSpec("memory", 1)};
}

common::Result<std::vector<ResourceSpec>> ParseResourceSpecs(const common::Json& list, const std::string& field) {
  std::vector<ResourceSpec> out;
  if (list.is_null()) return out;
  if (!list.is_array()) return common::Status::Invalid(field + ": must be a list");
  std::set<std::string> seen;
  if (list.size() > kMaxResources)
    return common::Status::Invalid(field + ": Too many: " + std::to_string(list.size()) + ": must have at most " +
                                   std::to_string(kMaxResources) + " items");
  for (size_t i = 0; i < list.size(); ++i) {
    std::string f = field + "[" + std::to_string(i) + "]";
    std::string name = common::GetString(list[i], "name");
    if (name.empty()) return common::Status::Invalid(f + ".name: Required value");
    int64_t weight = common::GetInt(list[i], "weight", 0);
    if (weight <= 0 || weight > 100)
      return common::Status::Invalid(f + ".weight: Invalid value: " + std::to_string(weight) +
                                     ": resource weight of " + name + " not in valid range [1, 100]");
    if (!seen.insert(name).second) return common::Status::Invalid(f + ".name: Duplicate value: \"" + name + "\"");
    out.push_back(MakeResourceSpec(std::move(name), weight));
  }
  return out;
}

std::vector<int64_t> PodRequestsFor(const Pod& pod, const std::vector<ResourceSpec>& specs, bool non_zero) {
  std::vector<int64_t> out(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    switch (specs[i].kind) {
      case ResourceSpec::Kind::kCpu:
        out[i] = non_zero ? pod.non_zero_milli_cpu : pod.requests.milli_cpu;
        break;
      case ResourceSpec::Kind::kMemory:
        out[i] = non_zero ? pod.non_zero_memory : pod.requests.memory;
        break;
      default:
        out[i] = pod.requests.Get(specs[i].name);
    }
  }
  return out;
}

}  // namespace schedule
