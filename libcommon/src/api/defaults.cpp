// ApplyDefaults and the create/update strategies (the parts of upstream's
// rest strategies that touch more than metadata).
#include "common/api/defaults.h"

#include <algorithm>
#include <set>

#include "common/quantity.h"
#include "defaults_util.h"
#include "field_errors.h"

namespace common::api {
namespace {

// The pod's QoS class (pkg/apis/core/helper/qos GetPodQOS): Guaranteed when
// every container has equal cpu and memory requests and limits, BestEffort
// when none has any request or limit, else Burstable.
std::string PodQos(const Json& pod) {
  const Json& spec = Get(pod, "spec");
  bool any = false, guaranteed = true;
  std::vector<const Json*> containers;
  for (const char* list : {"containers", "initContainers"}) {
    const Json& cs = Get(spec, list);
    if (cs.is_array())
      for (const Json& c : cs) containers.push_back(&c);
  }
  for (const Json* c : containers) {
    const Json& req = GetPath(*c, {"resources", "requests"});
    const Json& lim = GetPath(*c, {"resources", "limits"});
    std::set<std::string> req_keys, lim_keys;
    for (const Json* m : {&req, &lim}) {
      if (!m->is_object()) continue;
      for (auto it = m->begin(); it != m->end(); ++it) {
        if (it.key() != "cpu" && it.key() != "memory") continue;
        auto q = Quantity::FromJson(it.value());
        if (!q.ok() || q->IsZero()) continue;
        any = true;
        (m == &req ? req_keys : lim_keys).insert(it.key());
      }
    }
    if (lim_keys.size() != 2) guaranteed = false;
    for (const std::string& k : req_keys) {
      auto a = Quantity::FromJson(req[k]);
      auto b = Quantity::FromJson(Get(lim, k));
      if (!a.ok() || !b.ok() || !(*a == *b)) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

// Everything but metadata and status: what "the spec" means for generation.
Json SpecPart(const Json& obj) {
  Json out = Json::object();
  if (!obj.is_object()) return out;
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (it.key() != "metadata" && it.key() != "status" && it.key() != "apiVersion" &&
        it.key() != "kind")
      out[it.key()] = it.value();
  return out;
}

void GenerateJobSelector(Json& job) {
  const Json& meta = Get(job, "metadata");
  std::string name = GetString(meta, "name"), uid = GetString(meta, "uid");
  Json* spec = defaults::Child(job, "spec");
  if (!spec || GetBool(*spec, "manualSelector")) return;
  Json* tmpl = defaults::Child(*spec, "template");
  Json* tmeta = tmpl ? defaults::Child(*tmpl, "metadata") : nullptr;
  Json* labels = tmeta ? defaults::Child(*tmeta, "labels") : nullptr;
  if (labels) {
    for (const char* k : {"batch.kubernetes.io/job-name", "job-name"})
      if (!labels->contains(k)) (*labels)[k] = name;
    for (const char* k : {"batch.kubernetes.io/controller-uid", "controller-uid"})
      if (!labels->contains(k)) (*labels)[k] = uid;
  }
  Json* sel = defaults::Child(*spec, "selector");
  Json* ml = sel ? defaults::Child(*sel, "matchLabels") : nullptr;
  if (ml && !ml->contains("batch.kubernetes.io/controller-uid"))
    (*ml)["batch.kubernetes.io/controller-uid"] = uid;
}

bool KeepsLabelsOnStatusUpdate(const std::string& kind) {
  static const std::set<std::string> kinds = {
      "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController",
      "Job", "CronJob", "HorizontalPodAutoscaler", "PodDisruptionBudget"};
  return kinds.count(kind) > 0;
}

}  // namespace

void ApplyDefaults(const ResourceInfo& ri, Json& obj) {
  if (!obj.is_object()) return;
  if (ri.group.empty()) defaults::Core(ri, obj);
  else if (ri.group == "apps") defaults::Apps(ri, obj);
  else if (ri.group == "batch") defaults::Batch(ri, obj);
  else defaults::Other(ri, obj);
}

void PrepareForCreate(const ResourceInfo& ri, Json& obj) {
  if (!obj.is_object()) return;
  const std::string& k = ri.kind;
  if (ri.tracks_generation) {
    if (Json* meta = defaults::Child(obj, "metadata")) (*meta)["generation"] = 1;
  }
  if (k == "Pod") {
    obj["status"] = Json{{"phase", "Pending"}, {"qosClass", PodQos(obj)}};
  } else if (k == "Namespace") {
    obj["status"] = Json{{"phase", "Active"}};
    Json* spec = defaults::Child(obj, "spec");
    if (spec) {
      Json* fin = defaults::ChildArray(*spec, "finalizers");
      if (!fin) {
        (*spec)["finalizers"] = Json::array();
        fin = &(*spec)["finalizers"];
      }
      if (std::find(fin->begin(), fin->end(), Json("kubernetes")) == fin->end())
        fin->push_back("kubernetes");
    }
  } else if (k == "PersistentVolume" || k == "PersistentVolumeClaim") {
    obj["status"] = Json{{"phase", "Pending"}};
  } else if (k == "Node") {
    // kubelets register nodes with their status; keep it.
  } else if (ri.has_status_subresource) {
    obj["status"] = Json::object();
  }
  if (k == "Job") GenerateJobSelector(obj);
}

bool PrepareForUpdate(const ResourceInfo& ri, Json& obj, const Json& old) {
  if (!obj.is_object()) return false;
  if (ri.has_status_subresource) {
    if (old.contains("status")) obj["status"] = old["status"];
    else obj.erase("status");
  }
  if (ri.kind == "Namespace") {
    // Finalizers change only through the finalize subresource.
    const Json& fin = GetPath(old, {"spec", "finalizers"});
    if (Json* spec = defaults::Child(obj, "spec")) {
      if (fin.is_null()) spec->erase("finalizers");
      else (*spec)["finalizers"] = fin;
    }
  }
  bool changed = SpecPart(obj) != SpecPart(old);
  if (ri.kind == "Deployment" &&
      GetPath(obj, {"metadata", "annotations"}) != GetPath(old, {"metadata", "annotations"}))
    changed = true;
  return changed;
}

void PrepareForStatusUpdate(const ResourceInfo& ri, Json& obj, const Json& old) {
  if (!obj.is_object()) return;
  Json status = obj.contains("status") ? obj["status"] : Json(nullptr);
  Json meta = obj.contains("metadata") ? obj["metadata"] : Json::object();
  Json out = old;
  if (status.is_null()) out.erase("status");
  else out["status"] = status;
  if (meta.is_object()) {
    if (KeepsLabelsOnStatusUpdate(ri.kind)) {
      if (Has(old, "metadata") && old["metadata"].contains("labels"))
        meta["labels"] = old["metadata"]["labels"];
      else
        meta.erase("labels");
    }
    if (ri.kind == "Pod") {
      const Json& refs = GetPath(old, {"metadata", "ownerReferences"});
      if (refs.is_null()) meta.erase("ownerReferences");
      else meta["ownerReferences"] = refs;
    }
    out["metadata"] = meta;
  }
  obj = std::move(out);
}

}  // namespace common::api
