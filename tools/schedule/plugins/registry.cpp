#include "plugins/registry.h"

#include "plugins/args.h"
#include "plugins/balanced_allocation.h"
#include "plugins/default_preemption.h"
#include "plugins/image_locality.h"
#include "plugins/inter_pod_affinity.h"
#include "plugins/node_affinity.h"
#include "plugins/node_ports.h"
#include "plugins/node_resources_fit.h"
#include "plugins/pod_topology_spread.h"
#include "plugins/simple.h"
#include "plugins/taint_toleration.h"
#include "plugins/volume_binding.h"
#include "plugins/volume_zone.h"

namespace schedule {

namespace {

// A factory for plugins without args.
template <typename T>
PluginFactory NoArgs() {
  return [](const common::Json& args, const std::string& field, Framework* fw) -> common::Result<std::unique_ptr<Plugin>> {
    RETURN_IF_ERROR(CheckArgsFields(args, field, {}));
    if constexpr (std::is_constructible_v<T, Framework*>) {
      return std::unique_ptr<Plugin>(std::make_unique<T>(fw));
    } else {
      (void)fw;
      return std::unique_ptr<Plugin>(std::make_unique<T>());
    }
  };
}

}  // namespace

const PluginRegistry& DefaultRegistry() {
  static const PluginRegistry kRegistry = [] {
    // name, factory, default weight, extension points, args kind.
    std::vector<PluginSpec> specs = {
        {SchedulingGates::kName, NoArgs<SchedulingGates>(), 0, "PreEnqueue", ""},
        {PrioritySort::kName, NoArgs<PrioritySort>(), 0, "QueueSort", ""},
        {NodeUnschedulable::kName, NoArgs<NodeUnschedulable>(), 0, "Filter", ""},
        {NodeName::kName, NoArgs<NodeName>(), 0, "Filter", ""},
        {TaintToleration::kName, NoArgs<TaintToleration>(), 3, "Filter,PreScore,Score", ""},
        {NodeAffinity::kName, &NodeAffinity::New, 2, "PreFilter,Filter,PreScore,Score", "NodeAffinityArgs"},
        {NodePorts::kName, NoArgs<NodePorts>(), 0, "PreFilter,Filter", ""},
        {NodeResourcesFit::kName, &NodeResourcesFit::New, 1, "PreFilter,Filter,PreScore,Score",
         "NodeResourcesFitArgs"},
        {VolumeRestrictions::kName, NoArgs<VolumeRestrictions>(), 0, "PreFilter,Filter", ""},
        {VolumeBinding::kName, &VolumeBinding::New, 0, "PreFilter,Filter,Reserve", "VolumeBindingArgs"},
        {VolumeZone::kName, NoArgs<VolumeZone>(), 0, "PreFilter,Filter", ""},
        {PodTopologySpread::kName, &PodTopologySpread::New, 2, "PreFilter,Filter,PreScore,Score",
         "PodTopologySpreadArgs"},
        {InterPodAffinity::kName, &InterPodAffinity::New, 2, "PreFilter,Filter,PreScore,Score",
         "InterPodAffinityArgs"},
        {DefaultPreemption::kName, &DefaultPreemption::New, 0, "PostFilter", "DefaultPreemptionArgs"},
        {BalancedAllocation::kName, &BalancedAllocation::New, 1, "PreScore,Score",
         "NodeResourcesBalancedAllocationArgs"},
        {ImageLocality::kName, NoArgs<ImageLocality>(), 1, "Score", ""},
        {DefaultBinder::kName, NoArgs<DefaultBinder>(), 0, "Bind", ""},
    };
    PluginRegistry r;
    for (auto& s : specs) r[s.name] = std::move(s);
    return r;
  }();
  return kRegistry;
}

}  // namespace schedule
