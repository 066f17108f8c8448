// apps/v1 and batch/v1 validation (pkg/apis/apps/validation,
// pkg/apis/batch/validation).
#include <set>

#include "common/selector.h"
#include "common/strings.h"
#include "validation_util.h"

namespace common::api::validation {
namespace {

// A selector (metav1.LabelSelector) that must be set, non-empty, and match
// the template's labels; upstream's ValidateDeploymentSpec & co.
ErrorList SelectorAndTemplate(const Json& spec, const Path& sp, const std::string& what,
                              bool require_template = true) {
  ErrorList out;
  const Json& selector = Get(spec, "selector");
  if (!selector.is_object()) {
    out.push_back(Required(sp.Child("selector")));
  } else {
    Append(out, ValidateLabelSelector(selector, sp.Child("selector")));
    if (Obj(selector, "matchLabels").empty() && Arr(selector, "matchExpressions").empty())
      out.push_back(InvalidRepr(sp.Child("selector"), GoLabelSelector(selector),
                                "empty selector is invalid for " + what));
  }
  const Json& tmpl = Get(spec, "template");
  if (!tmpl.is_object()) {
    if (require_template) out.push_back(Required(sp.Child("template")));
    return out;
  }
  if (selector.is_object()) {
    auto sel = LabelSelector::FromJson(selector);
    const Json& labels = GetPath(tmpl, {"metadata", "labels"});
    if (sel.ok() && !sel->Empty() && !sel->Matches(labels))
      out.push_back(InvalidRepr(sp.Child("template").Child("metadata").Child("labels"),
                                GoStringMap(labels), "`selector` does not match template `labels`"));
  }
  return out;
}

ErrorList RestartAlways(const Json& spec, const Path& sp, const std::string& kind) {
  ErrorList out;
  const Json& tspec = GetPath(spec, {"template", "spec"});
  if (!tspec.is_object()) return out;
  Path tp = sp.Child("template").Child("spec");
  Append(out, Enum(tspec, "restartPolicy", tp.Child("restartPolicy"), {"Always"}, true));
  if (!Get(tspec, "activeDeadlineSeconds").is_null())
    out.push_back(Forbidden(tp.Child("activeDeadlineSeconds"),
                            "activeDeadlineSeconds in " + kind + " is not Supported"));
  return out;
}

bool IsZeroIntOrPercent(const Json& v) {
  if (v.is_number()) return v.get<int64_t>() == 0;
  if (v.is_string()) return v.get<std::string>() == "0%" || v.get<std::string>() == "0";
  return true;
}

ErrorList RollingUpdate(const Json& ru, const Path& p) {
  ErrorList out;
  const Json& mu = Get(ru, "maxUnavailable");
  const Json& ms = Get(ru, "maxSurge");
  Append(out, IntOrPercent(mu, p.Child("maxUnavailable")));
  Append(out, IntOrPercent(ms, p.Child("maxSurge")));
  if (IsZeroIntOrPercent(mu) && IsZeroIntOrPercent(ms))
    out.push_back(Invalid(p.Child("maxUnavailable"), mu.is_null() ? Json(0) : mu,
                          "may not be 0 when `maxSurge` is 0"));
  return out;
}

ErrorList SelectorImmutable(const Json& obj, const Json* old, const Path& sp) {
  if (!old) return {};
  const Json& a = GetPath(obj, {"spec", "selector"});
  const Json& b = GetPath(*old, {"spec", "selector"});
  if (a == b) return {};
  return {InvalidRepr(sp.Child("selector"), GoLabelSelector(a), "field is immutable")};
}

ErrorList Deployment(const Json& obj, const Json* old) {
  ErrorList out;
  const Json& spec = Obj(obj, "spec");
  Path sp("spec");
  Append(out, Nonnegative(spec, "replicas", sp.Child("replicas")));
  Append(out, SelectorAndTemplate(spec, sp, "deployment"));
  if (Get(spec, "template").is_object()) {
    Append(out, PodTemplateSpec(spec["template"], sp.Child("template")));
    Append(out, RestartAlways(spec, sp, "ReplicaSet"));
  }
  const Json& strategy = Obj(spec, "strategy");
  Path stp = sp.Child("strategy");
  Append(out, Enum(strategy, "type", stp.Child("type"), {"Recreate", "RollingUpdate"}, true));
  std::string type = GetString(strategy, "type");
  if (type == "Recreate" && !Get(strategy, "rollingUpdate").is_null())
    out.push_back(Forbidden(stp.Child("rollingUpdate"),
                            "may not be specified when strategy `type` is 'Recreate'"));
  if (type == "RollingUpdate" && Get(strategy, "rollingUpdate").is_object())
    Append(out, RollingUpdate(strategy["rollingUpdate"], stp.Child("rollingUpdate")));
  for (const char* f : {"revisionHistoryLimit", "minReadySeconds"})
    Append(out, Nonnegative(spec, f, sp.Child(f)));
  const Json& pds = Get(spec, "progressDeadlineSeconds");
  if (pds.is_number()) {
    Append(out, ValidateNonnegative(sp.Child("progressDeadlineSeconds"), pds.get<int64_t>()));
    if (pds.get<int64_t>() <= GetInt(spec, "minReadySeconds"))
      out.push_back(Invalid(sp.Child("progressDeadlineSeconds"), pds,
                            "must be greater than minReadySeconds"));
  }
  Append(out, SelectorImmutable(obj, old, sp));
  return out;
}

ErrorList ReplicaSet(const Json& obj, const Json* old) {
  ErrorList out;
  const Json& spec = Obj(obj, "spec");
  Path sp("spec");
  Append(out, Nonnegative(spec, "replicas", sp.Child("replicas")));
  Append(out, Nonnegative(spec, "minReadySeconds", sp.Child("minReadySeconds")));
  Append(out, SelectorAndTemplate(spec, sp, "replicaset"));
  if (Get(spec, "template").is_object()) {
    Append(out, PodTemplateSpec(spec["template"], sp.Child("template")));
    Append(out, RestartAlways(spec, sp, "ReplicaSet"));
  }
  Append(out, SelectorImmutable(obj, old, sp));
  return out;
}

ErrorList DaemonSet(const Json& obj, const Json* old) {
  ErrorList out;
  const Json& spec = Obj(obj, "spec");
  Path sp("spec");
  Append(out, SelectorAndTemplate(spec, sp, "daemonset"));
  if (Get(spec, "template").is_object()) {
    Append(out, PodTemplateSpec(spec["template"], sp.Child("template")));
    Append(out, RestartAlways(spec, sp, "DaemonSet"));
  }
  for (const char* f : {"revisionHistoryLimit", "minReadySeconds"})
    Append(out, Nonnegative(spec, f, sp.Child(f)));
  const Json& us = Obj(spec, "updateStrategy");
  Path up = sp.Child("updateStrategy");
  Append(out, Enum(us, "type", up.Child("type"), {"OnDelete", "RollingUpdate"}, true));
  if (GetString(us, "type") == "RollingUpdate") {
    if (!Get(us, "rollingUpdate").is_object())
      out.push_back(Required(up.Child("rollingUpdate")));
    else
      Append(out, RollingUpdate(us["rollingUpdate"], up.Child("rollingUpdate")));
  }
  Append(out, SelectorImmutable(obj, old, sp));
  return out;
}

ErrorList StatefulSet(const Json& obj, const Json* old) {
  ErrorList out;
  const Json& spec = Obj(obj, "spec");
  Path sp("spec");
  Append(out, Enum(spec, "podManagementPolicy", sp.Child("podManagementPolicy"),
                   {"OrderedReady", "Parallel"}, true));
  const Json& us = Obj(spec, "updateStrategy");
  Path up = sp.Child("updateStrategy");
  Append(out, Enum(us, "type", up.Child("type"), {"OnDelete", "RollingUpdate"}, true));
  if (GetString(us, "type") == "OnDelete" && !Get(us, "rollingUpdate").is_null())
    out.push_back(Invalid(up.Child("rollingUpdate"), Get(us, "rollingUpdate"),
                          "only allowed for updateStrategy 'RollingUpdate'"));
  const Json& ru = Obj(us, "rollingUpdate");
  Append(out, Nonnegative(ru, "partition", up.Child("rollingUpdate").Child("partition")));
  if (Has(ru, "maxUnavailable")) Append(out, IntOrPercent(ru["maxUnavailable"], up.Child("rollingUpdate").Child("maxUnavailable")));
  for (const char* f : {"replicas", "minReadySeconds", "revisionHistoryLimit"})
    Append(out, Nonnegative(spec, f, sp.Child(f)));
  const Json& retention = Obj(spec, "persistentVolumeClaimRetentionPolicy");
  Path rp = sp.Child("persistentVolumeClaimRetentionPolicy");
  Append(out, Enum(retention, "whenDeleted", rp.Child("whenDeleted"), {"Retain", "Delete"}, true));
  Append(out, Enum(retention, "whenScaled", rp.Child("whenScaled"), {"Retain", "Delete"}, true));
  Append(out, SelectorAndTemplate(spec, sp, "statefulset"));
  const Json& tmpl = Get(spec, "template");
  if (tmpl.is_object()) {
    // Upstream validates only the template's metadata and restart policy here:
    // volumes may come from volumeClaimTemplates.
    const Json& meta = Get(tmpl, "metadata");
    Append(out, ValidateLabels(Get(meta, "labels"), sp.Child("template").Child("metadata").Child("labels")));
    Append(out, ValidateAnnotations(Get(meta, "annotations"),
                                    sp.Child("template").Child("metadata").Child("annotations")));
    Append(out, RestartAlways(spec, sp, "StatefulSet"));
  }
  if (old) {
    Json a = spec, b = Obj(*old, "spec");
    for (const char* f : {"replicas", "ordinals", "template", "updateStrategy",
                          "persistentVolumeClaimRetentionPolicy", "minReadySeconds",
                          "revisionHistoryLimit", "serviceName", "volumeClaimTemplates"}) {
      if (std::string(f) == "serviceName" || std::string(f) == "volumeClaimTemplates") continue;
      a.erase(f);
      b.erase(f);
    }
    if (a != b)
      out.push_back(Forbidden(sp, "updates to statefulset spec for fields other than 'replicas', "
                                  "'ordinals', 'template', 'updateStrategy', "
                                  "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are "
                                  "forbidden"));
  }
  return out;
}

ErrorList JobSpec(const Json& spec, const Path& sp, bool is_template) {
  ErrorList out;
  for (const char* f : {"parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished"})
    Append(out, Nonnegative(spec, f, sp.Child(f)));
  const Json& ads = Get(spec, "activeDeadlineSeconds");
  if (ads.is_number() && ads.get<int64_t>() <= 0)
    out.push_back(Invalid(sp.Child("activeDeadlineSeconds"), ads, "must be greater than zero"));
  if (!is_template) Append(out, SelectorAndTemplate(spec, sp, "job"));
  else if (Get(spec, "selector").is_object())
    Append(out, ValidateLabelSelector(spec["selector"], sp.Child("selector")));
  const Json& tmpl = Get(spec, "template");
  if (!tmpl.is_object()) {
    if (is_template) out.push_back(Required(sp.Child("template")));
    return out;
  }
  Append(out, PodTemplateSpec(tmpl, sp.Child("template")));
  std::string rp = GetString(Obj(tmpl, "spec"), "restartPolicy");
  if (rp != "OnFailure" && rp != "Never")
    out.push_back(NotSupported(sp.Child("template").Child("spec").Child("restartPolicy"), rp,
                               {"OnFailure", "Never"}));
  Append(out, Enum(spec, "completionMode", sp.Child("completionMode"), {"NonIndexed", "Indexed"}, false));
  if (GetString(spec, "completionMode") == "Indexed" && !Get(spec, "completions").is_number())
    out.push_back(Required(sp.Child("completions"), "when completion mode is Indexed"));
  Append(out, Enum(spec, "podReplacementPolicy", sp.Child("podReplacementPolicy"),
                   {"Failed", "TerminatingOrFailed"}, false));
  return out;
}

ErrorList Job(const Json& obj, const Json* old) {
  ErrorList out;
  const Json& spec = Obj(obj, "spec");
  Path sp("spec");
  Append(out, JobSpec(spec, sp, false));
  if (old) {
    const Json& os = Obj(*old, "spec");
    if (Get(spec, "selector") != Get(os, "selector"))
      out.push_back(InvalidRepr(sp.Child("selector"), GoLabelSelector(Get(spec, "selector")),
                                "field is immutable"));
    if (GetString(spec, "completionMode") != GetString(os, "completionMode"))
      Append(out, ValidateImmutable(Get(spec, "completionMode"), Get(os, "completionMode"),
                                    sp.Child("completionMode")));
    if (GetString(os, "completionMode") != "Indexed")
      Append(out, ValidateImmutable(Get(spec, "completions"), Get(os, "completions"), sp.Child("completions")));
    // The template may change only while the job is suspended and has not started.
    bool suspended = GetBool(os, "suspend") && GetPath(*old, {"status", "startTime"}).is_null();
    if (!suspended && Get(spec, "template") != Get(os, "template"))
      out.push_back(Invalid(sp.Child("template"), Get(spec, "template"), "field is immutable"));
  }
  return out;
}

// robfig/cron's standard parser, which upstream's CronJob validation uses.
std::string CronError(const std::string& schedule) {
  std::string s(TrimSpace(schedule));
  if (s.rfind("TZ=", 0) == 0 || s.rfind("CRON_TZ=", 0) == 0) {
    size_t sp = s.find(' ');
    if (sp == std::string::npos) return "provided bad location " + s.substr(s.find('=') + 1) + ": unknown time zone";
    s = std::string(TrimSpace(s.substr(sp + 1)));
  }
  if (!s.empty() && s[0] == '@') {
    static const std::set<std::string> kDescriptors = {"@yearly", "@annually", "@monthly", "@weekly",
                                                      "@daily", "@midnight", "@hourly"};
    if (kDescriptors.count(s) || s.rfind("@every ", 0) == 0) return "";
    return "unrecognized descriptor: " + s;
  }
  std::vector<std::string> fields = SplitNonEmpty(s, ' ');
  std::vector<std::string> tmp;
  for (const std::string& f : fields)
    for (const std::string& t : SplitNonEmpty(f, '\t')) tmp.push_back(t);
  fields = tmp;
  if (fields.size() != 5) {
    std::string list;
    for (size_t i = 0; i < fields.size(); ++i) list += (i ? " " : "") + fields[i];
    return "expected exactly 5 fields, found " + std::to_string(fields.size()) + ": [" + list + "]";
  }
  struct Bounds { int min, max; std::vector<std::string> names; };
  const Bounds kBounds[5] = {
      {0, 59, {}}, {0, 23, {}}, {1, 31, {}},
      {1, 12, {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
      {0, 6, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}}};
  for (int i = 0; i < 5; ++i) {
    const Bounds& b = kBounds[i];
    for (const std::string& expr : Split(fields[i], ',')) {
      std::string range = expr;
      size_t slash = expr.find('/');
      if (slash != std::string::npos) {
        range = expr.substr(0, slash);
        std::string step = expr.substr(slash + 1);
        if (!ParseInt64(step) || *ParseInt64(step) < 0)
          return "failed to parse int from " + step + ": strconv.Atoi: parsing \"" + step + "\": invalid syntax";
        if (*ParseInt64(step) == 0) return "step of range should be a positive number: " + expr;
      }
      if (range == "*" || range == "?") continue;
      auto value = [&](const std::string& v, int64_t& out) -> std::string {
        std::string lower = ToLower(v);
        for (size_t n = 0; n < b.names.size(); ++n)
          if (b.names[n] == lower) {
            out = static_cast<int64_t>(n) + (i == 3 ? 1 : 0);
            return "";
          }
        auto parsed = ParseInt64(v);
        if (!parsed) return "failed to parse int from " + v + ": strconv.Atoi: parsing \"" + v + "\": invalid syntax";
        if (*parsed < 0) return "negative number (" + v + ") not allowed: " + v;
        out = *parsed;
        return "";
      };
      size_t dash = range.find('-');
      int64_t lo = 0, hi = 0;
      std::string err = value(dash == std::string::npos ? range : range.substr(0, dash), lo);
      if (!err.empty()) return err;
      hi = lo;
      if (dash != std::string::npos) {
        err = value(range.substr(dash + 1), hi);
        if (!err.empty()) return err;
      }
      if (lo < b.min) return "beginning of range (" + std::to_string(lo) + ") below minimum (" + std::to_string(b.min) + "): " + expr;
      if (hi > b.max) return "end of range (" + std::to_string(hi) + ") above maximum (" + std::to_string(b.max) + "): " + expr;
      if (lo > hi) return "beginning of range (" + std::to_string(lo) + ") beyond end of range (" + std::to_string(hi) + "): " + expr;
    }
  }
  return "";
}

ErrorList CronJob(const Json& obj, const Json* old) {
  ErrorList out;
  (void)old;
  std::string name = GetString(Obj(obj, "metadata"), "name");
  if (name.size() > 52)
    out.push_back(Invalid(Path("metadata").Child("name"), name, "must be no more than 52 characters"));
  const Json& spec = Obj(obj, "spec");
  Path sp("spec");
  std::string schedule = GetString(spec, "schedule");
  if (schedule.empty()) {
    out.push_back(Required(sp.Child("schedule")));
  } else {
    std::string err = CronError(schedule);
    if (!err.empty()) out.push_back(Invalid(sp.Child("schedule"), schedule, err));
    if (schedule.find("TZ") != std::string::npos && schedule.rfind("TZ", 0) == 0)
      out.push_back(Invalid(sp.Child("schedule"), schedule,
                            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
  }
  Append(out, Enum(spec, "concurrencyPolicy", sp.Child("concurrencyPolicy"), {"Allow", "Forbid", "Replace"}, true));
  for (const char* f : {"startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"})
    Append(out, Nonnegative(spec, f, sp.Child(f)));
  const Json& jt = Get(spec, "jobTemplate");
  Path jp = sp.Child("jobTemplate");
  if (!jt.is_object()) {
    out.push_back(Required(jp));
    return out;
  }
  const Json& jmeta = Get(jt, "metadata");
  Append(out, ValidateLabels(Get(jmeta, "labels"), jp.Child("metadata").Child("labels")));
  Append(out, ValidateAnnotations(Get(jmeta, "annotations"), jp.Child("metadata").Child("annotations")));
  Append(out, JobSpec(Obj(jt, "spec"), jp.Child("spec"), true));
  return out;
}

}  // namespace

// An IntOrString that is a count or a percentage (ValidatePositiveIntOrPercent,
// IsNotMoreThan100Percent).
ErrorList IntOrPercent(const Json& v, const Path& p) {
  ErrorList out;
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    bool ok = s.size() > 1 && s.back() == '%';
    for (size_t i = 0; ok && i + 1 < s.size(); ++i)
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) ok = false;
    if (!ok) {
      out.push_back(Invalid(p, s, "a valid percent string must be a numeric string followed by an "
                                  "ending '%' (e.g. '1%',  or '93%', regex used for validation is "
                                  "'[0-9]+%')"));
      return out;
    }
    if (std::stoll(s.substr(0, s.size() - 1)) > 100)
      out.push_back(Invalid(p, s, "must not be greater than 100%"));
  } else if (v.is_number()) {
    Append(out, ValidateNonnegative(p, v.get<int64_t>()));
  }
  return out;
}

ErrorList Apps(const ResourceInfo& ri, const Json& obj, const Json* old) {
  const std::string& k = ri.kind;
  if (k == "Deployment") return Deployment(obj, old);
  if (k == "ReplicaSet") return ReplicaSet(obj, old);
  if (k == "DaemonSet") return DaemonSet(obj, old);
  if (k == "StatefulSet") return StatefulSet(obj, old);
  if (k == "ControllerRevision") {
    ErrorList out = Nonnegative(obj, "revision", Path("revision"));
    if (old) {
      Append(out, ValidateImmutable(Get(obj, "data"), Get(*old, "data"), Path("data")));
    }
    return out;
  }
  return {};
}

ErrorList Batch(const ResourceInfo& ri, const Json& obj, const Json* old) {
  if (ri.kind == "Job") return Job(obj, old);
  if (ri.kind == "CronJob") return CronJob(obj, old);
  return {};
}

}  // namespace common::api::validation
