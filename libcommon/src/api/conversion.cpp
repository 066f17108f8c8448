// Version conversion between the served versions of a kind.
// HorizontalPodAutoscaler: autoscaling/v1 has a single
// targetCPUUtilizationPercentage, autoscaling/v2 a list of metrics. As
// upstream (pkg/apis/autoscaling/v1/conversion.go), what v1 cannot express
// rides in annotations so a v1 round trip loses nothing.
// Event: core/v1 and events.k8s.io/v1 are one object under two sets of
// field names (pkg/apis/events/v1/conversion.go).
#include "common/api/conversion.h"

namespace common::api {
namespace {

constexpr const char* kMetricsAnn = "autoscaling.alpha.kubernetes.io/metrics";
constexpr const char* kCurrentAnn = "autoscaling.alpha.kubernetes.io/current-metrics";
constexpr const char* kConditionsAnn = "autoscaling.alpha.kubernetes.io/conditions";
constexpr const char* kBehaviorAnn = "autoscaling.alpha.kubernetes.io/behavior";

bool IsCpuUtilization(const Json& m) {
  return GetString(m, "type") == "Resource" && GetString(Get(m, "resource"), "name") == "cpu" &&
         GetString(GetPath(m, {"resource", "target"}), "type") == "Utilization";
}

// autoscaling/v2 MetricSpec -> autoscaling/v1 MetricSpec (the v2beta1 shape).
Json MetricToV1(const Json& m) {
  std::string type = GetString(m, "type");
  Json out = {{"type", type}};
  auto target = [](const Json& src, Json& dst, bool per_pod_names) {
    const Json& t = Get(src, "target");
    std::string tt = GetString(t, "type");
    if (tt == "Utilization") dst["targetAverageUtilization"] = Get(t, "averageUtilization");
    else if (tt == "AverageValue") dst[per_pod_names ? "targetAverageValue" : "averageValue"] = Get(t, "averageValue");
    else if (tt == "Value") dst["targetValue"] = Get(t, "value");
  };
  if (type == "Resource" || type == "ContainerResource") {
    const char* key = type == "Resource" ? "resource" : "containerResource";
    const Json& src = Get(m, key);
    Json r = {{"name", Get(src, "name")}};
    if (type == "ContainerResource") r["container"] = Get(src, "container");
    target(src, r, true);
    out[key] = r;
  } else if (type == "Pods" || type == "Object" || type == "External") {
    const char* key = type == "Pods" ? "pods" : type == "Object" ? "object" : "external";
    const Json& src = Get(m, key);
    Json r = Json::object();
    r[type == "External" ? "metricName" : "metricName"] = GetString(Get(src, "metric"), "name");
    if (!Get(Get(src, "metric"), "selector").is_null())
      r[type == "External" ? "metricSelector" : "selector"] = Get(Get(src, "metric"), "selector");
    if (type == "Object") r["target"] = Get(src, "describedObject");
    target(src, r, type != "Object");
    out[key] = r;
  }
  return out;
}

Json MetricToV2(const Json& m) {
  std::string type = GetString(m, "type");
  Json out = {{"type", type}};
  auto target = [](const Json& src) {
    if (!Get(src, "targetAverageUtilization").is_null())
      return Json{{"type", "Utilization"}, {"averageUtilization", src["targetAverageUtilization"]}};
    if (!Get(src, "targetAverageValue").is_null())
      return Json{{"type", "AverageValue"}, {"averageValue", src["targetAverageValue"]}};
    if (!Get(src, "averageValue").is_null())
      return Json{{"type", "AverageValue"}, {"averageValue", src["averageValue"]}};
    return Json{{"type", "Value"}, {"value", Get(src, "targetValue")}};
  };
  if (type == "Resource" || type == "ContainerResource") {
    const char* key = type == "Resource" ? "resource" : "containerResource";
    const Json& src = Get(m, key);
    Json r = {{"name", Get(src, "name")}};
    if (type == "ContainerResource") r["container"] = Get(src, "container");
    r["target"] = target(src);
    out[key] = r;
  } else if (type == "Pods" || type == "Object" || type == "External") {
    const char* key = type == "Pods" ? "pods" : type == "Object" ? "object" : "external";
    const Json& src = Get(m, key);
    Json metric = {{"name", GetString(src, "metricName")}};
    const Json& sel = type == "External" ? Get(src, "metricSelector") : Get(src, "selector");
    if (!sel.is_null()) metric["selector"] = sel;
    Json r = {{"metric", metric}, {"target", target(src)}};
    if (type == "Object") r["describedObject"] = Get(src, "target");
    out[key] = r;
  }
  return out;
}

Json& Annotations(Json& obj) {
  if (!obj["metadata"].is_object()) obj["metadata"] = Json::object();
  if (!obj["metadata"]["annotations"].is_object()) obj["metadata"]["annotations"] = Json::object();
  return obj["metadata"]["annotations"];
}

void DropEmptyAnnotations(Json& obj) {
  if (obj.contains("metadata") && obj["metadata"].is_object() &&
      obj["metadata"].contains("annotations") && obj["metadata"]["annotations"].is_object() &&
      obj["metadata"]["annotations"].empty())
    obj["metadata"].erase("annotations");
}

Json HpaV2ToV1(const Json& v2) {
  Json out = v2;
  out["apiVersion"] = "autoscaling/v1";
  const Json& spec = Get(v2, "spec");
  Json spec1 = Json::object();
  for (const char* k : {"scaleTargetRef", "minReplicas", "maxReplicas"})
    if (!Get(spec, k).is_null()) spec1[k] = spec[k];
  Json others = Json::array();
  const Json& metrics = Get(spec, "metrics");
  if (metrics.is_array())
    for (const Json& m : metrics) {
      if (IsCpuUtilization(m) && !spec1.contains("targetCPUUtilizationPercentage"))
        spec1["targetCPUUtilizationPercentage"] = GetPath(m, {"resource", "target", "averageUtilization"});
      else
        others.push_back(MetricToV1(m));
    }
  Json& ann = Annotations(out);
  if (!others.empty()) ann[kMetricsAnn] = DumpJson(others);
  if (!Get(spec, "behavior").is_null()) ann[kBehaviorAnn] = DumpJson(spec["behavior"]);
  out["spec"] = spec1;
  if (v2.contains("status")) {
    const Json& st = v2["status"];
    Json st1 = Json::object();
    for (const char* k : {"observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"})
      if (!Get(st, k).is_null()) st1[k] = st[k];
    Json current = Json::array();
    const Json& cm = Get(st, "currentMetrics");
    if (cm.is_array())
      for (const Json& m : cm) {
        if (GetString(m, "type") == "Resource" && GetString(Get(m, "resource"), "name") == "cpu" &&
            !GetPath(m, {"resource", "current", "averageUtilization"}).is_null())
          st1["currentCPUUtilizationPercentage"] = GetPath(m, {"resource", "current", "averageUtilization"});
        else
          current.push_back(m);
      }
    if (!current.empty()) ann[kCurrentAnn] = DumpJson(current);
    if (Get(st, "conditions").is_array() && !st["conditions"].empty()) ann[kConditionsAnn] = DumpJson(st["conditions"]);
    if (!Get(st, "desiredReplicas").is_null() || !st1.empty()) out["status"] = st1;
  }
  DropEmptyAnnotations(out);
  return out;
}

Json HpaV1ToV2(const Json& v1) {
  Json out = v1;
  out["apiVersion"] = "autoscaling/v2";
  const Json& spec = Get(v1, "spec");
  Json spec2 = Json::object();
  for (const char* k : {"scaleTargetRef", "minReplicas", "maxReplicas"})
    if (!Get(spec, k).is_null()) spec2[k] = spec[k];
  Json metrics = Json::array();
  const Json& cpu = Get(spec, "targetCPUUtilizationPercentage");
  // v2 defaulting adds an 80% CPU target when no metric is given.
  metrics.push_back({{"type", "Resource"},
                     {"resource", {{"name", "cpu"}, {"target", {{"type", "Utilization"},
                                                                {"averageUtilization", cpu.is_null() ? Json(80) : cpu}}}}}});
  Json& ann = Annotations(out);
  if (ann.contains(kMetricsAnn) && ann[kMetricsAnn].is_string()) {
    auto parsed = ParseJson(ann[kMetricsAnn].get<std::string>());
    if (parsed.ok() && parsed->is_array())
      for (const Json& m : *parsed) metrics.push_back(MetricToV2(m));
    ann.erase(kMetricsAnn);
  }
  if (cpu.is_null() && metrics.size() > 1) metrics.erase(metrics.begin());
  spec2["metrics"] = metrics;
  if (ann.contains(kBehaviorAnn) && ann[kBehaviorAnn].is_string()) {
    auto parsed = ParseJson(ann[kBehaviorAnn].get<std::string>());
    if (parsed.ok()) spec2["behavior"] = *parsed;
    ann.erase(kBehaviorAnn);
  }
  out["spec"] = spec2;
  if (v1.contains("status")) {
    const Json& st = v1["status"];
    Json st2 = Json::object();
    for (const char* k : {"observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"})
      if (!Get(st, k).is_null()) st2[k] = st[k];
    Json current = Json::array();
    if (!Get(st, "currentCPUUtilizationPercentage").is_null())
      current.push_back({{"type", "Resource"},
                         {"resource", {{"name", "cpu"}, {"current", {{"averageUtilization", st["currentCPUUtilizationPercentage"]}}}}}});
    if (ann.contains(kCurrentAnn) && ann[kCurrentAnn].is_string()) {
      auto parsed = ParseJson(ann[kCurrentAnn].get<std::string>());
      if (parsed.ok() && parsed->is_array())
        for (const Json& m : *parsed) current.push_back(m);
      ann.erase(kCurrentAnn);
    }
    if (!current.empty()) st2["currentMetrics"] = current;
    if (ann.contains(kConditionsAnn) && ann[kConditionsAnn].is_string()) {
      auto parsed = ParseJson(ann[kConditionsAnn].get<std::string>());
      if (parsed.ok()) st2["conditions"] = *parsed;
      ann.erase(kConditionsAnn);
    }
    out["status"] = st2;
  }
  DropEmptyAnnotations(out);
  return out;
}

// events.k8s.io/v1 name -> core/v1 name, in events.k8s.io/v1's field order.
const std::pair<const char*, const char*> kEventFields[] = {
    {"metadata", "metadata"},
    {"eventTime", "eventTime"},
    {"series", "series"},
    {"reportingController", "reportingComponent"},
    {"reportingInstance", "reportingInstance"},
    {"action", "action"},
    {"reason", "reason"},
    {"regarding", "involvedObject"},
    {"related", "related"},
    {"note", "message"},
    {"type", "type"},
    {"deprecatedSource", "source"},
    {"deprecatedFirstTimestamp", "firstTimestamp"},
    {"deprecatedLastTimestamp", "lastTimestamp"},
    {"deprecatedCount", "count"},
};
// core/v1's field order.
const char* const kCoreEventOrder[] = {
    "metadata", "involvedObject", "reason", "message", "source", "firstTimestamp",
    "lastTimestamp", "count", "type", "eventTime", "series", "action", "related",
    "reportingComponent", "reportingInstance"};

Json EventToCore(const Json& ev) {
  Json mapped = Json::object();
  for (const auto& [v1, core] : kEventFields)
    if (ev.contains(v1)) mapped[core] = ev[v1];
  Json out = {{"kind", "Event"}, {"apiVersion", "v1"}};
  for (const char* k : kCoreEventOrder)
    if (mapped.contains(k)) out[k] = mapped[k];
  return out;
}

Json EventToV1(const Json& ev) {
  Json out = {{"kind", "Event"}, {"apiVersion", "events.k8s.io/v1"}};
  for (const auto& [v1, core] : kEventFields)
    if (ev.contains(core)) out[v1] = ev[core];
  return out;
}

}  // namespace

Result<Json> Convert(const Json& obj, const GroupVersion& to) {
  if (!obj.is_object()) return Status::BadRequest("object to convert is not a JSON object");
  GroupVersion from = GroupVersion::Parse(GetString(obj, "apiVersion"));
  std::string kind = GetString(obj, "kind");
  if (kind == "HorizontalPodAutoscaler" && from.group == "autoscaling" && to.group == "autoscaling" &&
      from.version != to.version) {
    if (from.version == "v2" && to.version == "v1") return HpaV2ToV1(obj);
    if (from.version == "v1" && to.version == "v2") return HpaV1ToV2(obj);
    return Status::BadRequest("no conversion from " + from.String() + " to " + to.String());
  }
  if (kind == "Event" && from != to) {
    bool from_core = from == GroupVersion{"", "v1"}, to_core = to == GroupVersion{"", "v1"};
    bool from_events = from == GroupVersion{"events.k8s.io", "v1"};
    bool to_events = to == GroupVersion{"events.k8s.io", "v1"};
    if (from_core && to_events) return EventToV1(obj);
    if (from_events && to_core) return EventToCore(obj);
  }
  Json out = obj;
  out["apiVersion"] = to.String();
  return out;
}

}  // namespace common::api
