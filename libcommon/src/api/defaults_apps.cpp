// apps/v1 and batch/v1 defaults (pkg/apis/apps/v1/defaults.go,
// pkg/apis/batch/v1/defaults.go).
#include "defaults_util.h"

namespace common::api::defaults {
namespace {

void Template(Json& spec) {
  if (spec.contains("template") && spec["template"].is_object()) PodTemplateSpec(spec["template"]);
}

void JobSpec(Json& spec, bool whole_job) {
  if (whole_job) {
    if ((!spec.contains("completions") || spec["completions"].is_null()) &&
        (!spec.contains("parallelism") || spec["parallelism"].is_null())) {
      spec["completions"] = 1;
      spec["parallelism"] = 1;
    }
    Ptr(spec, "parallelism", 1);
    if (!spec.contains("backoffLimitPerIndex") || spec["backoffLimitPerIndex"].is_null())
      Ptr(spec, "backoffLimit", 6);
    else
      Ptr(spec, "backoffLimit", 2147483647);
    Ptr(spec, "completionMode", "NonIndexed");
    Ptr(spec, "suspend", false);
    bool has_failure_policy = spec.contains("podFailurePolicy") && !spec["podFailurePolicy"].is_null();
    Ptr(spec, "podReplacementPolicy", has_failure_policy ? "Failed" : "TerminatingOrFailed");
    if (spec.contains("podFailurePolicy") && spec["podFailurePolicy"].is_object())
      if (Json* rules = ChildArray(spec["podFailurePolicy"], "rules"))
        for (Json& r : *rules)
          if (r.is_object())
            if (Json* conds = ChildArray(r, "onPodConditions"))
              for (Json& c : *conds) String(c, "status", "True");
  }
  Template(spec);
}

}  // namespace

void Apps(const ResourceInfo& ri, Json& obj) {
  Json* spec = Child(obj, "spec");
  if (!spec) return;
  const std::string& k = ri.kind;
  if (k == "Deployment") {
    Ptr(*spec, "replicas", 1);
    Json* strategy = Child(*spec, "strategy");
    if (strategy) {
      String(*strategy, "type", "RollingUpdate");
      if (GetString(*strategy, "type") == "RollingUpdate") {
        Json* ru = Child(*strategy, "rollingUpdate");
        if (ru) {
          Ptr(*ru, "maxUnavailable", "25%");
          Ptr(*ru, "maxSurge", "25%");
        }
      }
    }
    Ptr(*spec, "revisionHistoryLimit", 10);
    Ptr(*spec, "progressDeadlineSeconds", 600);
    Template(*spec);
  } else if (k == "ReplicaSet") {
    Ptr(*spec, "replicas", 1);
    Template(*spec);
  } else if (k == "DaemonSet") {
    Json* us = Child(*spec, "updateStrategy");
    if (us) {
      String(*us, "type", "RollingUpdate");
      if (GetString(*us, "type") == "RollingUpdate") {
        Json* ru = Child(*us, "rollingUpdate");
        if (ru) {
          Ptr(*ru, "maxUnavailable", 1);
          Ptr(*ru, "maxSurge", 0);
        }
      }
    }
    Ptr(*spec, "revisionHistoryLimit", 10);
    Template(*spec);
  } else if (k == "StatefulSet") {
    String(*spec, "podManagementPolicy", "OrderedReady");
    Json* us = Child(*spec, "updateStrategy");
    if (us) {
      String(*us, "type", "RollingUpdate");
      if (GetString(*us, "type") == "RollingUpdate") {
        Json* ru = Child(*us, "rollingUpdate");
        if (ru) Ptr(*ru, "partition", 0);
      }
    }
    Json* retention = Child(*spec, "persistentVolumeClaimRetentionPolicy");
    if (retention) {
      String(*retention, "whenDeleted", "Retain");
      String(*retention, "whenScaled", "Retain");
    }
    Ptr(*spec, "replicas", 1);
    Ptr(*spec, "revisionHistoryLimit", 10);
    if (Json* vcts = ChildArray(*spec, "volumeClaimTemplates"))
      for (Json& t : *vcts) PersistentVolumeClaimSpec(t);
    Template(*spec);
  }
}

void Batch(const ResourceInfo& ri, Json& obj) {
  Json* spec = Child(obj, "spec");
  if (!spec) return;
  if (ri.kind == "Job") {
    JobSpec(*spec, true);
  } else if (ri.kind == "CronJob") {
    String(*spec, "concurrencyPolicy", "Allow");
    Ptr(*spec, "suspend", false);
    Ptr(*spec, "successfulJobsHistoryLimit", 3);
    Ptr(*spec, "failedJobsHistoryLimit", 1);
    if (spec->contains("jobTemplate") && (*spec)["jobTemplate"].is_object()) {
      Json& jt = (*spec)["jobTemplate"];
      if (jt.contains("spec") && jt["spec"].is_object()) JobSpec(jt["spec"], false);
    }
  }
}

}  // namespace common::api::defaults
