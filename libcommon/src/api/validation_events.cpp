// Event validation (pkg/apis/core/validation/events.go): the legacy rules
// every Event passes, and the strict ones for events.k8s.io/v1 requests.
// Objects are in core/v1 shape; error paths name the internal fields, as
// upstream's do (so an events.k8s.io/v1 `note` is reported as "message").
#include "common/timeutil.h"
#include "validation_util.h"

namespace common::api::validation {
namespace {

constexpr size_t kReportingInstanceLimit = 128;
constexpr size_t kActionLimit = 128;
constexpr size_t kReasonLimit = 128;
constexpr size_t kNoteLimit = 1024;

bool IsZeroTime(const Json& t) { return !t.is_string() || t.get<std::string>().empty(); }

std::string Namespace(const Json& ev) { return GetString(Obj(ev, "metadata"), "namespace"); }

ErrorList Legacy(const Json& ev, bool events_api) {
  ErrorList out;
  std::string ns = Namespace(ev);
  std::string ins = GetString(Obj(ev, "involvedObject"), "namespace");
  Path ins_path = Path("involvedObject").Child("namespace");
  const std::string controller = events_api ? "reportingController" : "reportingComponent";
  if (IsZeroTime(Get(ev, "eventTime"))) {
    if (ins.empty()) {
      if (!ns.empty() && ns != "default") out.push_back(Invalid(ins_path, ins, "does not match event.namespace"));
    } else if (ns != ins) {
      out.push_back(Invalid(ins_path, ins, "does not match event.namespace"));
    }
  } else {
    if (ins.empty() && ns != "default" && ns != "kube-system")
      out.push_back(Invalid(ins_path, ins, "does not match event.namespace"));
    std::string rc = GetString(ev, "reportingComponent");
    if (rc.empty()) out.push_back(Required(Path(controller), ""));
    Append(out, InvalidEach(Path(controller), rc, IsQualifiedName(rc)));
    auto limited = [&](const char* key, const char* path, size_t limit, bool required) {
      std::string v = GetString(ev, key);
      if (required && v.empty()) out.push_back(Required(Path(path), ""));
      if (v.size() > limit)
        out.push_back(Invalid(Path(path), "", "can have at most " + std::to_string(limit) + " characters"));
    };
    limited("reportingInstance", "reportingInstance", kReportingInstanceLimit, true);
    limited("action", "action", kActionLimit, true);
    limited("reason", "reason", kReasonLimit, true);
    limited("message", "message", kNoteLimit, false);
  }
  Append(out, InvalidEach(Path("namespace"), ns, IsDNS1123Subdomain(ns)));
  return out;
}

// validateV1EventSeries.
ErrorList Series(const Json& ev) {
  ErrorList out;
  const Json& series = Get(ev, "series");
  if (!series.is_object()) return out;
  if (GetInt(series, "count") < 2)
    out.push_back(Invalid(Path("series").Child("count"), "", "should be at least 2"));
  if (IsZeroTime(Get(series, "lastObservedTime")))
    out.push_back(Required(Path("series").Child("lastObservedTime"), ""));
  return out;
}

}  // namespace

ErrorList Event(const Json& ev, const Json* old, bool events_api) {
  ErrorList out = Legacy(ev, events_api);
  if (!events_api) {
    // Core events keep their old, loose rules; only the type is checked.
    std::string type = GetString(ev, "type");
    if (!type.empty() && type != "Normal" && type != "Warning")
      out.push_back(NotSupported(Path("type"), type, {"Normal", "Warning"}));
    return out;
  }
  if (!old) {
    Append(out, Series(ev));
    if (IsZeroTime(Get(ev, "eventTime"))) out.push_back(Required(Path("eventTime"), ""));
    std::string type = GetString(ev, "type");
    if (type != "Normal" && type != "Warning")
      out.push_back(Invalid(Path("type"), "", "has invalid value: " + type));
    if (!IsZeroTime(Get(ev, "firstTimestamp")))
      out.push_back(Invalid(Path("deprecatedFirstTimestamp"), "", "needs to be unset"));
    if (!IsZeroTime(Get(ev, "lastTimestamp")))
      out.push_back(Invalid(Path("deprecatedLastTimestamp"), "", "needs to be unset"));
    if (GetInt(ev, "count") != 0) out.push_back(Invalid(Path("deprecatedCount"), "", "needs to be unset"));
    const Json& src = Obj(ev, "source");
    if (!GetString(src, "component").empty() || !GetString(src, "host").empty())
      out.push_back(Invalid(Path("deprecatedSource"), "", "needs to be unset"));
    return out;
  }
  if (Get(ev, "series") != Get(*old, "series")) Append(out, Series(ev));
  static const std::pair<const char*, const char*> kImmutable[] = {
      {"involvedObject", "involvedObject"}, {"reason", "reason"}, {"message", "note"},
      {"source", "source"}, {"firstTimestamp", "firstTimestamp"}, {"lastTimestamp", "lastTimestamp"},
      {"count", "count"}, {"reason", "reason"}, {"type", "type"}};
  for (const auto& [key, path] : kImmutable)
    Append(out, ValidateImmutable(Get(ev, key), Get(*old, key), Path(path)));
  // eventTime may change only below microsecond precision (it is stored in
  // microseconds, so any textual change is a real one).
  const Json& t = Get(ev, "eventTime");
  const Json& ot = Get(*old, "eventTime");
  if (t != ot) {
    auto a = t.is_string() ? ParseRFC3339(t.get<std::string>()) : Result<TimePoint>(Status::BadRequest(""));
    auto b = ot.is_string() ? ParseRFC3339(ot.get<std::string>()) : Result<TimePoint>(Status::BadRequest(""));
    if (!a.ok() || !b.ok() ||
        std::chrono::duration_cast<std::chrono::microseconds>(a->time_since_epoch()) !=
            std::chrono::duration_cast<std::chrono::microseconds>(b->time_since_epoch()))
      out.push_back(Invalid(Path("eventTime"), t, "field is immutable"));
  }
  for (const char* key : {"action", "related"})
    Append(out, ValidateImmutable(Get(ev, key), Get(*old, key), Path(key)));
  Append(out, ValidateImmutable(Get(ev, "reportingComponent"), Get(*old, "reportingComponent"),
                                Path("reportingController")));
  Append(out, ValidateImmutable(Get(ev, "reportingInstance"), Get(*old, "reportingInstance"),
                                Path("reportingInstance")));
  return out;
}

}  // namespace common::api::validation
