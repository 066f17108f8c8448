// The Kubernetes objects the scheduler reads, decoded once from JSON into
// typed, immutable structs: pods (with their effective requests and parsed
// affinity terms), nodes, volumes, PriorityClasses, PodDisruptionBudgets and
// the objects default topology spreading looks at.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/selector.h"
#include "common/timeutil.h"
#include "model/resources.h"

namespace schedule {

inline constexpr char kLabelHostname[] = "kubernetes.io/hostname";
inline constexpr char kLabelZone[] = "topology.kubernetes.io/zone";
inline constexpr char kLabelRegion[] = "topology.kubernetes.io/region";
inline constexpr char kDefaultSchedulerName[] = "default-scheduler";
inline constexpr char kTaintNodeUnschedulable[] = "node.kubernetes.io/unschedulable";

enum class TaintEffect : uint8_t { kAll, kNoSchedule, kPreferNoSchedule, kNoExecute, kOther };
TaintEffect ParseTaintEffect(std::string_view s);

struct Taint {
  std::string key;
  std::string value;
  TaintEffect effect = TaintEffect::kNoSchedule;
  // "{key: value}" as upstream prints a taint in reasons and logs.
  std::string String() const { return "{" + key + ": " + value + "}"; }
};

struct Toleration {
  std::string key;
  bool exists = false;  // operator Exists (else Equal)
  std::string value;
  TaintEffect effect = TaintEffect::kAll;  // kAll: empty effect, matches every effect
  // Upstream's Toleration.ToleratesTaint.
  bool Tolerates(const Taint& taint) const;
};

bool TolerationsTolerateTaint(const std::vector<Toleration>& tolerations, const Taint& taint);
// True for NoSchedule and NoExecute: the taints the filters enforce.
inline bool IsDoNotScheduleTaint(const Taint& t) {
  return t.effect == TaintEffect::kNoSchedule || t.effect == TaintEffect::kNoExecute;
}
// The first NoSchedule/NoExecute taint in `taints` no toleration tolerates, or nullptr.
const Taint* FindUntoleratedTaint(const std::vector<Taint>& taints,
                                  const std::vector<Toleration>& tolerations);

struct Node;

// A node field requirement (matchFields): only metadata.name is a field.
struct FieldRequirement {
  std::string key;
  bool in = true;  // In (else NotIn)
  std::string value;
};

// One NodeSelectorTerm: matchExpressions AND matchFields. An empty term
// matches nothing, as upstream.
struct NodeSelectorTerm {
  std::vector<common::LabelRequirement> expressions;
  std::vector<FieldRequirement> fields;
  bool Matches(const Node& node) const;
};

// NodeSelectorTerms are ORed.
struct NodeSelector {
  std::vector<NodeSelectorTerm> terms;
  bool Matches(const Node& node) const;
};

struct PreferredSchedulingTerm {
  int32_t weight = 0;
  NodeSelectorTerm preference;
};

// spec.nodeSelector AND spec.affinity.nodeAffinity.required (upstream's
// nodeaffinity.RequiredNodeAffinity).
struct RequiredNodeAffinity {
  common::Labels node_selector;
  std::optional<NodeSelector> affinity;
  bool Empty() const { return node_selector.empty() && !affinity; }
  bool Matches(const Node& node) const;
};

struct Pod;

// A pod (anti-)affinity term with its namespaces resolved the way upstream's
// framework.AffinityTerm holds them.
struct AffinityTerm {
  common::LabelSelector selector = common::LabelSelector::Nothing();
  std::vector<std::string> namespaces;  // sorted
  // nullopt: a nil namespaceSelector (matches no namespace by labels).
  std::optional<common::LabelSelector> namespace_selector;
  std::string topology_key;
  // Equal terms (same selector, namespaces, key) share an id; see Intern().
  uint32_t id = 0;

  // Upstream's AffinityTerm.Matches: the pod's namespace is listed or its
  // labels (`ns_labels`, may be null) match the namespace selector, and the
  // pod's labels match the selector.
  bool Matches(const Pod& pod, const common::Labels* ns_labels) const;
};

struct WeightedAffinityTerm {
  AffinityTerm term;
  int32_t weight = 0;
};

enum class InclusionPolicy : uint8_t { kHonor, kIgnore };

struct SpreadConstraint {
  int32_t max_skew = 1;
  std::string topology_key;
  bool do_not_schedule = true;  // whenUnsatisfiable: DoNotSchedule (else ScheduleAnyway)
  // labelSelector merged with matchLabelKeys; Nothing() when nil.
  common::LabelSelector selector = common::LabelSelector::Nothing();
  int32_t min_domains = 1;
  InclusionPolicy node_affinity_policy = InclusionPolicy::kHonor;
  InclusionPolicy node_taints_policy = InclusionPolicy::kIgnore;
  uint32_t selector_id = 0;  // equal selectors share an id
};

struct HostPort {
  std::string host_ip;   // "0.0.0.0" when empty
  std::string protocol;  // "TCP" when empty
  int32_t port = 0;
};

struct OwnerRef {
  std::string api_version;
  std::string kind;
  std::string name;
};

struct Pod {
  std::string ns;
  std::string name;
  std::string uid;
  std::string key;  // "ns/name"
  common::Labels labels;
  // Pods with the same namespace and labels share this id: whether a
  // selector term matches them is the same question (see MatchMemo).
  uint32_t match_key = 0;
  std::string node_name;
  std::string scheduler_name = kDefaultSchedulerName;
  std::string nominated_node_name;
  std::string priority_class_name;
  int32_t priority = 0;
  bool preempt_never = false;  // spec.preemptionPolicy: Never
  std::string phase;
  bool terminating = false;  // metadata.deletionTimestamp set
  common::TimePoint creation;
  std::optional<common::TimePoint> start_time;
  std::optional<OwnerRef> controller;
  std::vector<std::string> scheduling_gates;

  std::vector<Toleration> tolerations;
  RequiredNodeAffinity required_node_affinity;
  bool has_required_node_affinity_field = false;  // spec.affinity.nodeAffinity.required present
  std::vector<PreferredSchedulingTerm> preferred_node_affinity;
  // spec.affinity.podAffinity or podAntiAffinity present (upstream's podWithAffinity).
  bool has_pod_affinity = false;
  std::vector<AffinityTerm> required_affinity;
  std::vector<AffinityTerm> required_anti_affinity;
  std::vector<WeightedAffinityTerm> preferred_affinity;
  std::vector<WeightedAffinityTerm> preferred_anti_affinity;
  std::vector<SpreadConstraint> spread_constraints;
  std::vector<HostPort> host_ports;
  std::vector<std::string> images;  // normalized, init containers first
  int num_containers = 0;           // init + regular
  std::vector<std::string> pvc_names;  // claims, including generic ephemeral volumes'

  // Effective requests (no defaults for missing requests).
  Resources requests;
  // cpu / memory with 100m / 200Mi for containers that request none
  // (upstream's NonZeroRequested, used by scoring).
  int64_t non_zero_milli_cpu = 0;
  int64_t non_zero_memory = 0;

  std::shared_ptr<const common::Json> raw;

  bool IsTerminal() const { return phase == "Succeeded" || phase == "Failed"; }
};
using PodPtr = std::shared_ptr<const Pod>;

// Upstream's isPodUpdated: whether `b` differs from `a` other than in
// status, resourceVersion, generation and managedFields, judged on their raw
// objects; true when either lacks one (no way to tell).
bool PodUpdated(const Pod& a, const Pod& b);

// Upstream's util.MoreImportantPod: higher priority, then earlier start time.
bool MoreImportantPod(const Pod& a, const Pod& b);

// Fills pod->match_key from its namespace and labels.
void SetMatchKey(Pod* pod);
// The id of a selector's content (Nothing and Everything differ).
uint32_t SelectorId(const common::LabelSelector& sel);
// Fills term->id from its content.
void SetTermId(AffinityTerm* term);

struct NodeImage {
  std::vector<std::string> names;
  int64_t size = 0;
};

struct Node {
  std::string name;
  std::string uid;
  common::Labels labels;
  std::vector<Taint> taints;
  bool unschedulable = false;
  Resources allocatable;
  std::vector<NodeImage> images;
  std::shared_ptr<const common::Json> raw;
};
using NodePtr = std::shared_ptr<const Node>;

struct PersistentVolumeClaim {
  std::string ns;
  std::string name;
  std::string uid;
  std::string volume_name;  // spec.volumeName: bound (or pre-bound) PV
  std::optional<std::string> storage_class;
  std::vector<std::string> access_modes;
  int64_t request_storage = 0;
  std::string phase;
  bool deleting = false;
  std::string selected_node;  // volume.kubernetes.io/selected-node annotation
};

struct PersistentVolume {
  std::string name;
  std::string storage_class;
  std::optional<NodeSelector> node_affinity;  // spec.nodeAffinity.required
  int64_t capacity_storage = 0;
  std::vector<std::string> access_modes;
  std::string claim_ns, claim_name, claim_uid;  // spec.claimRef
  std::string phase;
  common::Labels labels;
};

struct StorageClass {
  std::string name;
  std::string provisioner;
  bool wait_for_first_consumer = false;
  bool is_default = false;
};

struct PriorityClass {
  std::string name;
  int32_t value = 0;
  bool global_default = false;
  bool preempt_never = false;
};

struct PodDisruptionBudget {
  std::string ns;
  std::string name;
  std::optional<common::LabelSelector> selector;  // nullopt or empty: matches nothing
  int32_t disruptions_allowed = 0;
  bool has_status = false;  // status.disruptionsAllowed was given
  std::optional<common::Json> min_available, max_unavailable;
  std::vector<std::string> disrupted_pods;
};

struct Namespace {
  std::string name;
  common::Labels labels;
};

// A Service, ReplicationController, ReplicaSet or StatefulSet: the owners
// upstream's default topology spreading derives a selector from.
struct WorkloadSelector {
  std::string kind;  // "Service", "ReplicationController", "ReplicaSet", "StatefulSet"
  std::string ns;
  std::string name;
  common::Labels map_selector;                   // Service, ReplicationController
  std::optional<common::LabelSelector> selector;  // ReplicaSet, StatefulSet
};

}  // namespace schedule
