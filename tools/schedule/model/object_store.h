// The cluster objects besides pods and nodes that plugins consult: volumes,
// storage classes, PriorityClasses, PodDisruptionBudgets, namespaces and
// the workloads default spreading derives selectors from. Filled from files
// (simulate) or informers (cluster mode).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "model/types.h"

namespace schedule {

// Thread-safe. Getters return shared, immutable objects.
class ObjectStore {
 public:
  ObjectStore();

  // Decodes `obj` by kind and stores it; Pods and Nodes are not stored here.
  // Returns false (no error) for kinds the scheduler does not use.
  common::Result<bool> Upsert(const common::Json& obj);
  // Removes the object `obj` names.
  void Remove(const common::Json& obj);

  void PutPVC(PersistentVolumeClaim pvc);
  void PutPV(PersistentVolume pv);
  void PutStorageClass(StorageClass sc);
  void PutPriorityClass(PriorityClass pc);
  void PutPDB(PodDisruptionBudget pdb);
  void PutNamespace(Namespace ns);
  void PutWorkload(WorkloadSelector w);

  std::shared_ptr<const PersistentVolumeClaim> GetPVC(const std::string& ns, const std::string& name) const;
  std::shared_ptr<const PersistentVolume> GetPV(const std::string& name) const;
  std::vector<std::shared_ptr<const PersistentVolume>> ListPVs() const;
  std::shared_ptr<const StorageClass> GetStorageClass(const std::string& name) const;
  std::vector<std::shared_ptr<const PodDisruptionBudget>> ListPDBs() const;
  // Replaces the PDBs' disruptionsAllowed where no status was given, from
  // their spec and the matching `pods` (what the disruption controller would
  // have computed for healthy pods).
  void ComputeDisruptionsAllowed(const std::vector<PodPtr>& pods);

  // A namespace's labels; an unknown namespace gets the label kube-apiserver
  // always sets (kubernetes.io/metadata.name).
  common::Labels NamespaceLabels(const std::string& ns) const;
  // Names of the known namespaces whose labels match `selector`.
  std::vector<std::string> NamespacesMatching(const common::LabelSelector& selector) const;
  // Records a namespace seen on a pod, so selectors can match it.
  void NoteNamespace(const std::string& ns);

  // Upstream's helper.DefaultSelector: the union of the selectors of the
  // Services selecting `pod`, and of its controlling ReplicaSet,
  // StatefulSet or ReplicationController. Empty when there is none.
  common::LabelSelector DefaultSelector(const Pod& pod) const;
  bool HasWorkloads() const;

  // The priority kube-apiserver's Priority admission gives a pod: its
  // PriorityClass's value, the global default's, or 0. NotFound (as the
  // admission plugin's Forbidden) when the named class does not exist.
  common::Result<int32_t> ResolvePriority(const Pod& pod, bool* preempt_never) const;

  // VolumeBinding's assume cache: records that `pv` is claimed by ns/name
  // (static binding chosen by the scheduler, before the API confirms it).
  void AssumeClaim(const std::string& pv, const std::string& ns, const std::string& claim);
  void ForgetClaim(const std::string& pv);

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<const PersistentVolumeClaim>> pvcs_;  // ns/name
  std::map<std::string, std::shared_ptr<const PersistentVolume>> pvs_;
  std::map<std::string, std::shared_ptr<const StorageClass>> storage_classes_;
  std::map<std::string, PriorityClass> priority_classes_;
  std::map<std::string, std::shared_ptr<const PodDisruptionBudget>> pdbs_;  // ns/name
  std::map<std::string, common::Labels> namespaces_;
  std::map<std::string, WorkloadSelector> workloads_;  // kind/ns/name
};

}  // namespace schedule
