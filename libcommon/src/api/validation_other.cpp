// Validation of the smaller groups: autoscaling (pkg/apis/autoscaling/
// validation), policy, scheduling, coordination and storage, plus the
// dispatch to networking, discovery, rbac, flowcontrol, events.k8s.io and
// apiextensions.
#include "common/api/conversion.h"
#include "common/quantity.h"
#include "common/strings.h"
#include "validation_util.h"

namespace common::api::validation {
namespace {

// ValidateCrossVersionObjectReference.
ErrorList ObjectRef(const Json& ref, const Path& p) {
  ErrorList out;
  for (const char* key : {"kind", "name"}) {
    std::string v = GetString(ref, key);
    if (v.empty()) out.push_back(Required(p.Child(key), ""));
    else Append(out, InvalidEach(p.Child(key), v, IsValidPathSegmentName(v)));
  }
  return out;
}

// A quantity that must be positive ("must be positive").
void Positive(const Json& target, const char* key, const Path& p, ErrorList& out) {
  const Json& v = Get(target, key);
  if (v.is_null()) return;
  auto q = Quantity::FromJson(v);
  if (!q.ok() || q->Sign() != 1) out.push_back(Invalid(p.Child(key), v, "must be positive"));
}

ErrorList MetricTarget(const Json& t, const Path& p) {
  ErrorList out;
  std::string type = GetString(t, "type");
  if (type.empty()) out.push_back(Required(p.Child("type"), "must specify a metric target type"));
  if (type != "Utilization" && type != "Value" && type != "AverageValue")
    out.push_back(Invalid(p.Child("type"), type, "must be either Utilization, Value, or AverageValue"));
  Positive(t, "value", p, out);
  Positive(t, "averageValue", p, out);
  const Json& util = Get(t, "averageUtilization");
  if (util.is_number() && util.get<int64_t>() < 1)
    out.push_back(Invalid(p.Child("averageUtilization"), util, "must be greater than 0"));
  return out;
}

ErrorList MetricIdentifier(const Json& id, const Path& p) {
  ErrorList out;
  std::string name = GetString(id, "name");
  if (name.empty()) out.push_back(Required(p.Child("name"), "must specify a metric name"));
  else Append(out, InvalidEach(p.Child("name"), name, IsValidPathSegmentName(name)));
  Append(out, ValidateLabelSelector(Get(id, "selector"), p.Child("selector")));
  return out;
}

ErrorList MetricSource(const std::string& key, const Json& src, const Path& p) {
  ErrorList out;
  const Json& t = Get(src, "target");
  Path tp = p.Child("target");
  bool has_value = !Get(t, "value").is_null(), has_avg = !Get(t, "averageValue").is_null();
  if (key == "resource" || key == "containerResource") {
    if (GetString(src, "name").empty())
      out.push_back(Required(p.Child("name"), "must specify a resource name"));
    if (key == "containerResource" && GetString(src, "container").empty())
      out.push_back(Required(p.Child("container"), "must specify a container"));
    Append(out, MetricTarget(t, tp));
    bool has_util = !Get(t, "averageUtilization").is_null();
    if (!has_util && !has_avg)
      out.push_back(Required(tp.Child("averageUtilization"),
                             "must set either a target raw value or a target utilization"));
    if (has_util && has_avg)
      out.push_back(Forbidden(tp.Child("averageValue"),
                              "may not set both a target raw value and a target utilization"));
  } else if (key == "pods") {
    Append(out, MetricIdentifier(Get(src, "metric"), p.Child("metric")));
    Append(out, MetricTarget(t, tp));
    if (!has_avg) out.push_back(Required(tp.Child("averageValue"), "must specify a positive target averageValue"));
  } else if (key == "object") {
    Append(out, ObjectRef(Get(src, "describedObject"), p.Child("describedObject")));
    Append(out, MetricIdentifier(Get(src, "metric"), p.Child("metric")));
    Append(out, MetricTarget(t, tp));
    if (!has_value && !has_avg)
      out.push_back(Required(tp.Child("averageValue"), "must set either a target value or averageValue"));
  } else if (key == "external") {
    Append(out, MetricIdentifier(Get(src, "metric"), p.Child("metric")));
    Append(out, MetricTarget(t, tp));
    if (!has_value && !has_avg)
      out.push_back(Required(tp.Child("averageValue"),
                             "must set either a target value for metric or a per-pod target"));
    if (has_value && has_avg)
      out.push_back(Forbidden(tp.Child("value"),
                              "may not set both a target value for metric and a per-pod target"));
  }
  return out;
}

// validateMetricSpec.
ErrorList Metric(const Json& m, const Path& p) {
  static const std::vector<std::string> kTypes = {"ContainerResource", "External", "Object", "Pods",
                                                  "Resource"};
  static const std::pair<const char*, const char*> kSources[] = {
      {"Object", "object"}, {"External", "external"}, {"Pods", "pods"},
      {"Resource", "resource"}, {"ContainerResource", "containerResource"}};
  ErrorList out;
  std::string type = GetString(m, "type");
  if (type.empty()) out.push_back(Required(p.Child("type"), "must specify a metric source type"));
  bool known = std::find(kTypes.begin(), kTypes.end(), type) != kTypes.end();
  if (!known) out.push_back(NotSupported(p.Child("type"), type, kTypes));
  std::vector<std::string> present;
  for (const auto& [t, key] : kSources) {
    (void)t;
    if (!Get(m, key).is_object()) continue;
    present.push_back(key);
    if (present.size() == 1) Append(out, MetricSource(key, m[key], p.Child(key)));
  }
  std::string expected;
  for (const auto& [t, key] : kSources)
    if (type == t) {
      expected = key;
      if (!Get(m, key).is_object())
        out.push_back(Required(p.Child(key), "must populate information for the given metric source"));
    }
  if (!known) out.push_back(NotSupported(p.Child("type"), type, kTypes));
  if (present.size() != 1)
    for (const std::string& key : present)
      if (key != expected) out.push_back(Forbidden(p.Child(key), "must populate the given metric source only"));
  return out;
}

ErrorList ScalingRules(const Json& rules, const Path& p) {
  ErrorList out;
  if (!rules.is_object()) return out;
  const Json& window = Get(rules, "stabilizationWindowSeconds");
  if (window.is_number()) {
    int64_t w = window.get<int64_t>();
    if (w < 0) out.push_back(Invalid(p.Child("stabilizationWindowSeconds"), w, "must be greater than or equal to zero"));
    if (w > 3600) out.push_back(Invalid(p.Child("stabilizationWindowSeconds"), w, "must be less than or equal to 3600"));
  }
  Append(out, Enum(rules, "selectPolicy", p.Child("selectPolicy"), {"Disabled", "Max", "Min"}, false));
  const Json& policies = Arr(rules, "policies");
  if (policies.empty()) out.push_back(Required(p.Child("policies"), "must specify at least one Policy"));
  for (size_t i = 0; i < policies.size(); ++i) {
    const Json& pol = policies[i];
    Path pp = p.Child("policies").Index(i);
    Append(out, Enum(pol, "type", pp.Child("type"), {"Percent", "Pods"}, true));
    if (GetInt(pol, "value") <= 0)
      out.push_back(Invalid(pp.Child("value"), GetInt(pol, "value"), "must be greater than zero"));
    int64_t period = GetInt(pol, "periodSeconds");
    if (period <= 0) out.push_back(Invalid(pp.Child("periodSeconds"), period, "must be greater than zero"));
    if (period > 1800) out.push_back(Invalid(pp.Child("periodSeconds"), period, "must be less than or equal to 1800"));
  }
  return out;
}

// validateHorizontalPodAutoscalerSpec on the autoscaling/v2 shape (upstream
// validates the internal version, so v1 objects report v2 paths too).
ErrorList Hpa(const Json& obj) {
  ErrorList out;
  Json v2 = obj;
  if (GetString(obj, "apiVersion") == "autoscaling/v1") {
    auto converted = Convert(obj, {"autoscaling", "v2"});
    if (converted.ok()) v2 = *converted;
  }
  const Json& spec = Obj(v2, "spec");
  Path sp("spec");
  const Json& min = Get(spec, "minReplicas");
  int64_t max = GetInt(spec, "maxReplicas");
  if (min.is_number() && min.get<int64_t>() < 1)
    out.push_back(Invalid(sp.Child("minReplicas"), min, "must be greater than or equal to 1"));
  if (max < 1) out.push_back(Invalid(sp.Child("maxReplicas"), max, "must be greater than 0"));
  if (min.is_number() && max < min.get<int64_t>())
    out.push_back(Invalid(sp.Child("maxReplicas"), max, "must be greater than or equal to `minReplicas`"));
  Append(out, ObjectRef(Get(spec, "scaleTargetRef"), sp.Child("scaleTargetRef")));
  const Json& metrics = Arr(spec, "metrics");
  for (size_t i = 0; i < metrics.size(); ++i) Append(out, Metric(metrics[i], sp.Child("metrics").Index(i)));
  const Json& behavior = Get(spec, "behavior");
  Append(out, ScalingRules(Get(behavior, "scaleUp"), sp.Child("behavior").Child("scaleUp")));
  Append(out, ScalingRules(Get(behavior, "scaleDown"), sp.Child("behavior").Child("scaleDown")));
  return out;
}

// ValidatePodDisruptionBudgetSpec.
ErrorList Pdb(const Json& obj) {
  ErrorList out;
  const Json& spec = Obj(obj, "spec");
  Path sp("spec");
  const Json& min = Get(spec, "minAvailable");
  const Json& max = Get(spec, "maxUnavailable");
  if (!min.is_null() && !max.is_null())
    out.push_back(InvalidRepr(sp, "policy.PodDisruptionBudgetSpec{...}",
                              "minAvailable and maxUnavailable cannot be both set"));
  if (!min.is_null()) Append(out, IntOrPercent(min, sp.Child("minAvailable")));
  if (!max.is_null()) Append(out, IntOrPercent(max, sp.Child("maxUnavailable")));
  Append(out, ValidateLabelSelector(Get(spec, "selector"), sp.Child("selector")));
  if (Has(spec, "unhealthyPodEvictionPolicy"))
    Append(out, Enum(spec, "unhealthyPodEvictionPolicy", sp.Child("unhealthyPodEvictionPolicy"),
                     {"AlwaysAllow", "IfHealthyBudget"}, true));
  return out;
}

ErrorList PriorityClass(const Json& obj, const Json* old) {
  ErrorList out;
  if (old) {
    if (Get(obj, "value") != Get(*old, "value"))
      out.push_back(Forbidden(Path("value"), "may not be changed in an update."));
    Append(out, ValidateImmutable(Get(obj, "preemptionPolicy"), Get(*old, "preemptionPolicy"),
                                  Path("preemptionPolicy")));
    return out;
  }
  std::string name = GetString(Obj(obj, "metadata"), "name");
  int64_t value = GetInt(obj, "value");
  if (name.rfind("system-", 0) == 0) {
    // scheduling.IsKnownSystemPriorityClass.
    std::string err;
    if (name == "system-node-critical" || name == "system-cluster-critical") {
      int64_t want = name == "system-node-critical" ? 2000001000 : 2000000000;
      if (value != want) err = "value of " + name + " PriorityClass must be " + std::to_string(want);
      else if (GetBool(obj, "globalDefault")) err = "globalDefault of " + name + " PriorityClass must be false";
    } else {
      err = name + " is not a known system priority class";
    }
    if (!err.empty())
      out.push_back(Forbidden(Path("metadata").Child("name"),
                              "priority class names with 'system-' prefix are reserved for system use "
                              "only. error: " + err));
  } else if (value > 1000000000) {
    out.push_back(Forbidden(Path("value"), "maximum allowed value of a user defined priority is 1000000000"));
  }
  if (Has(obj, "preemptionPolicy"))
    Append(out, Enum(obj, "preemptionPolicy", Path("preemptionPolicy"), {"Never", "PreemptLowerPriority"}, true));
  return out;
}

ErrorList Lease(const Json& obj) {
  ErrorList out;
  const Json& spec = Obj(obj, "spec");
  Path sp("spec");
  const Json& dur = Get(spec, "leaseDurationSeconds");
  if (dur.is_number() && dur.get<int64_t>() <= 0)
    out.push_back(Invalid(sp.Child("leaseDurationSeconds"), dur, "must be greater than 0"));
  const Json& trans = Get(spec, "leaseTransitions");
  if (trans.is_number() && trans.get<int64_t>() < 0)
    out.push_back(Invalid(sp.Child("leaseTransitions"), trans, "must be greater than or equal to 0"));
  std::string strategy = GetString(spec, "strategy");
  if (Has(spec, "strategy")) {
    if (strategy.empty()) out.push_back(Required(sp.Child("strategy"), ""));
    else if (strategy.find('/') == std::string::npos && strategy != "OldestEmulationVersion")
      out.push_back(NotSupported(sp.Child("strategy"), strategy, {"OldestEmulationVersion"}));
    else if (strategy.find('/') != std::string::npos)
      Append(out, InvalidEach(sp.Child("strategy"), strategy, IsQualifiedName(strategy)));
  }
  if (!GetString(spec, "preferredHolder").empty() && strategy.empty())
    out.push_back(Forbidden(sp.Child("preferredHolder"), "may only be specified if `strategy` is defined"));
  return out;
}

ErrorList StorageClass(const Json& obj, const Json* old) {
  ErrorList out;
  if (old) {
    if (Get(obj, "parameters") != Get(*old, "parameters"))
      out.push_back(Forbidden(Path("parameters"), "updates to parameters are forbidden."));
    if (Get(obj, "provisioner") != Get(*old, "provisioner"))
      out.push_back(Forbidden(Path("provisioner"), "updates to provisioner are forbidden."));
    if (Get(obj, "reclaimPolicy") != Get(*old, "reclaimPolicy"))
      out.push_back(Forbidden(Path("reclaimPolicy"), "updates to reclaimPolicy are forbidden."));
    Append(out, ValidateImmutable(Get(obj, "volumeBindingMode"), Get(*old, "volumeBindingMode"),
                                  Path("volumeBindingMode")));
    return out;
  }
  std::string provisioner = GetString(obj, "provisioner");
  if (provisioner.empty()) out.push_back(Required(Path("provisioner"), ""));
  else Append(out, InvalidEach(Path("provisioner"), ToLower(provisioner), IsQualifiedName(ToLower(provisioner))));
  const Json& params = Obj(obj, "parameters");
  if (params.size() > 512) {
    out.push_back(TooLong(Path("parameters"), "Provisioner Parameters exceeded max allowed", 512));
  } else {
    size_t total = 0;
    for (auto it = params.begin(); it != params.end(); ++it) {
      if (it.key().empty()) out.push_back(Invalid(Path("parameters"), it.key(), "field can not be empty."));
      total += it.key().size() + (it.value().is_string() ? it.value().get<std::string>().size() : 0);
    }
    if (total > 256 * 1024) out.push_back(TooLong(Path("parameters"), "", 256 * 1024));
  }
  std::string reclaim = GetString(obj, "reclaimPolicy");
  if (!reclaim.empty() && reclaim != "Delete" && reclaim != "Retain")
    out.push_back(NotSupported(Path("reclaimPolicy"), reclaim, {"Delete", "Retain"}));
  Append(out, Enum(obj, "volumeBindingMode", Path("volumeBindingMode"), {"Immediate", "WaitForFirstConsumer"}, true));
  return out;
}

}  // namespace

ErrorList Other(const ResourceInfo& ri, const Json& obj, const Json* old) {
  const std::string& g = ri.group;
  const std::string& k = ri.kind;
  if (g == "apiextensions.k8s.io" && k == "CustomResourceDefinition")
    return CustomResourceDefinition(obj, old);
  if (g == "autoscaling" && k == "HorizontalPodAutoscaler") return Hpa(obj);
  if (g == "policy" && k == "PodDisruptionBudget") return Pdb(obj);
  if (g == "scheduling.k8s.io" && k == "PriorityClass") return PriorityClass(obj, old);
  if (g == "coordination.k8s.io" && k == "Lease") return Lease(obj);
  if (g == "storage.k8s.io" && k == "StorageClass") return StorageClass(obj, old);
  if (g == "networking.k8s.io") return Networking(ri, obj, old);
  if (g == "discovery.k8s.io") return Discovery(ri, obj, old);
  if (g == "rbac.authorization.k8s.io") return Rbac(ri, obj, old);
  if (g == "flowcontrol.apiserver.k8s.io") return Flowcontrol(ri, obj, old);
  if (g == "events.k8s.io" && k == "Event") {
    auto core = Convert(obj, {"", "v1"});
    if (!core.ok()) return {};
    Json old_core;
    if (old) {
      auto c = Convert(*old, {"", "v1"});
      if (c.ok()) old_core = *c;
    }
    return Event(*core, old ? &old_core : nullptr, true);
  }
  return {};
}

}  // namespace common::api::validation
