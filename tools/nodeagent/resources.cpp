#include "resources.h"

#include "common/strings.h"

namespace nodeagent {

namespace {

void AddTo(ResourceList& sum, const ResourceList& add) {
  for (const auto& [k, v] : add) sum[k] += v;
}

void MaxInto(ResourceList& acc, const ResourceList& other) {
  for (const auto& [k, v] : other) {
    auto it = acc.find(k);
    if (it == acc.end() || it->second < v) acc[k] = v;
  }
}

ResourceList Aggregate(const PodSpec& pod, bool limits) {
  auto of = [limits](const ContainerSpec& c) -> const ResourceList& {
    return limits ? c.resources.limits : c.resources.requests;
  };
  ResourceList sum;
  for (const auto& c : pod.containers) AddTo(sum, of(c));
  ResourceList sidecars, init_max;
  for (const auto& c : pod.init_containers) {
    if (c.IsSidecar()) {
      AddTo(sidecars, of(c));
      // A sidecar keeps running beside every later init container.
      MaxInto(init_max, sidecars);
    } else {
      ResourceList tmp = of(c);
      AddTo(tmp, sidecars);
      MaxInto(init_max, tmp);
    }
  }
  AddTo(sum, sidecars);
  MaxInto(sum, init_max);
  return sum;
}

}  // namespace

ResourceList PodRequests(const PodSpec& pod) { return Aggregate(pod, false); }
ResourceList PodLimits(const PodSpec& pod) { return Aggregate(pod, true); }

int64_t MilliCpu(const ResourceList& r) {
  auto it = r.find("cpu");
  return it == r.end() ? 0 : it->second.MilliValue();
}

int64_t MemoryBytes(const ResourceList& r) {
  auto it = r.find("memory");
  return it == r.end() ? 0 : it->second.Value();
}

common::Result<ResourceList> ParseResourceList(const std::string& text) {
  ResourceList out;
  for (const auto& item : common::SplitNonEmpty(text, ',')) {
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      return common::Status::BadRequest("invalid resource '" + item + "': want NAME=QUANTITY");
    auto q = common::Quantity::Parse(item.substr(eq + 1));
    if (!q.ok())
      return common::Status::BadRequest("invalid quantity for '" + item.substr(0, eq) +
                                        "': " + q.status().message());
    if (q->Sign() < 0)
      return common::Status::BadRequest("negative quantity for '" + item.substr(0, eq) + "'");
    out[item.substr(0, eq)] = *q;
  }
  return out;
}

std::string FormatResourceList(const ResourceList& r) {
  std::string out;
  for (const auto& [k, v] : r) {
    if (!out.empty()) out += ",";
    out += k + "=" + v.String();
  }
  return out;
}

}  // namespace nodeagent
