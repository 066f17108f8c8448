// Helpers every controller uses: resource names, owner references, pod
// readiness and availability, conditions, times, and the informer
// transforms that keep the caches small.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/informer.h"
#include "common/json.h"
#include "common/rest_client.h"
#include "common/selector.h"
#include "common/store.h"
#include "common/timeutil.h"

namespace reconcile {

using common::GroupVersionResource;
using common::Json;
using common::ObjectPtr;

inline const GroupVersionResource kPods{"", "v1", "pods"};
inline const GroupVersionResource kNodes{"", "v1", "nodes"};
inline const GroupVersionResource kServices{"", "v1", "services"};
inline const GroupVersionResource kEndpoints{"", "v1", "endpoints"};
inline const GroupVersionResource kNamespaces{"", "v1", "namespaces"};
inline const GroupVersionResource kServiceAccounts{"", "v1", "serviceaccounts"};
inline const GroupVersionResource kConfigMaps{"", "v1", "configmaps"};
inline const GroupVersionResource kResourceQuotas{"", "v1", "resourcequotas"};
inline const GroupVersionResource kPersistentVolumeClaims{"", "v1", "persistentvolumeclaims"};
inline const GroupVersionResource kEvents{"", "v1", "events"};
inline const GroupVersionResource kDeployments{"apps", "v1", "deployments"};
inline const GroupVersionResource kReplicaSets{"apps", "v1", "replicasets"};
inline const GroupVersionResource kDaemonSets{"apps", "v1", "daemonsets"};
inline const GroupVersionResource kStatefulSets{"apps", "v1", "statefulsets"};
inline const GroupVersionResource kControllerRevisions{"apps", "v1", "controllerrevisions"};
inline const GroupVersionResource kJobs{"batch", "v1", "jobs"};
inline const GroupVersionResource kCronJobs{"batch", "v1", "cronjobs"};
inline const GroupVersionResource kEndpointSlices{"discovery.k8s.io", "v1", "endpointslices"};
inline const GroupVersionResource kLeases{"coordination.k8s.io", "v1", "leases"};

// Index of pods (and other dependents) with no controller ownerReference,
// by namespace: the candidates a controller may adopt.
inline constexpr std::string_view kOrphanIndex = "orphansByNamespace";
std::vector<std::string> IndexOrphansByNamespace(const Json& object);

// --- times -----------------------------------------------------------------
// Now as metav1.Time text (seconds, UTC).
std::string NowText();
// The time at `key` of `obj` (RFC 3339), or nullopt.
std::optional<common::TimePoint> TimeAt(const Json& obj, std::string_view key);

// --- metadata ----------------------------------------------------------------
const std::string& Name(const Json& obj);
const std::string& Namespace(const Json& obj);
const std::string& Uid(const Json& obj);
const std::string& ResourceVersion(const Json& obj);
bool IsDeleting(const Json& obj);  // metadata.deletionTimestamp set
common::Labels LabelsOf(const Json& obj);
// The ownerReference with controller: true, or null.
const Json* ControllerRefOf(const Json& obj);
// {apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true}.
Json MakeControllerRef(const Json& owner, std::string_view api_version, std::string_view kind);
bool HasFinalizer(const Json& obj, std::string_view finalizer);

// --- pods ----------------------------------------------------------------------
// Not Succeeded/Failed and not being deleted (controller.FilterActivePods).
bool IsPodActive(const Json& pod);
bool IsPodTerminal(const Json& pod);  // Succeeded or Failed
// The Ready condition is True.
bool IsPodReady(const Json& pod);
// Ready, and for at least `min_ready_seconds` (podutil.IsPodAvailable).
bool IsPodAvailable(const Json& pod, int64_t min_ready_seconds, common::TimePoint now);
// When the Ready condition last became True.
std::optional<common::TimePoint> PodReadyTime(const Json& pod);
int64_t PodRestartCount(const Json& pod);

// --- conditions (a status.conditions list of {type, status, reason, ...}) ---
const Json* FindCondition(const Json& status, std::string_view type);
// Sets (replaces) the condition of `condition`'s type. When the status is
// unchanged the old lastTransitionTime is kept, and with the same reason and
// message nothing changes at all. Returns true if `status` changed.
bool SetCondition(Json& status, Json condition);
bool RemoveCondition(Json& status, std::string_view type);

// --- misc ------------------------------------------------------------------------
// Deep equality that ignores object key order (servers may reorder keys).
bool JsonEqual(const Json& a, const Json& b);
// spec.replicas, defaulting to 1 when absent (as the API defaults it).
int64_t SpecReplicas(const Json& obj);
// The selector of spec.selector as a LabelSelector; errors for a malformed one.
common::Result<common::LabelSelector> SpecSelector(const Json& obj);

// The informer options reconcile's caches use for `gvr`, starting from
// `base`: pods and nodes trimmed (below), and the caches that grow with the
// cluster's workloads (pods, ReplicaSets, Deployments, Endpoints,
// EndpointSlices) kept as common::StoreEncoding::kCompact, whose controllers
// read them by key and by index, a few objects at a time. Services and nodes
// stay plain: every pod event scans its namespace's Services.
common::InformerOptions CacheOptions(const GroupVersionResource& gvr,
                                     common::InformerOptions base);

// Informer transforms: drop what no controller reads (images on nodes,
// managedFields, volumes and most container fields on pods) so 10,000 pods
// fit in a small cache.
void TrimPod(Json& pod);
void TrimNode(Json& node);

}  // namespace reconcile
