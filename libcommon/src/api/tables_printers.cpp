// The printer table and shared cell helpers.
#include <algorithm>

#include "common/selector.h"
#include "common/timeutil.h"
#include "tables_util.h"

namespace common::api::tables {

std::string TimestampAge(const Json& ts) {
  if (!ts.is_string()) return "<unknown>";
  auto t = ParseRFC3339(ts.get<std::string>());
  if (!t.ok()) return "<unknown>";
  return HumanDuration(Clock::now() - *t);
}

std::string Age(const Json& obj) { return TimestampAge(GetPath(obj, {"metadata", "creationTimestamp"})); }

const std::vector<Printer>& AllPrinters() {
  static const std::vector<Printer> printers = [] {
    std::vector<Printer> all = CorePrinters();
    for (auto& p : AppsPrinters()) all.push_back(p);
    for (auto& p : OtherPrinters()) all.push_back(p);
    return all;
  }();
  return printers;
}

Json NameColumn() {
  return Column("Name", "string", "name",
                "Name must be unique within a namespace. Is required when creating resources, "
                "although some resources may allow a client to request the generation of an "
                "appropriate name automatically. Name is primarily intended for creation idempotence "
                "and configuration definition. Cannot be updated. More info: "
                "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
                0);
}

Json AgeColumn() {
  return Column("Age", "string", "",
                "CreationTimestamp is a timestamp representing the server time when this object was "
                "created. It is not guaranteed to be set in happens-before order across separate "
                "operations. Clients may not set this value. It is represented in RFC3339 form and "
                "is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
                "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
                0);
}

Json StringColumn(const std::string& name, const std::string& description, int priority) {
  return Column(name, "string", "", description, priority);
}

Json IntColumn(const std::string& name, const std::string& description, int priority) {
  return Column(name, "integer", "", description, priority);
}

std::string Name(const Json& obj) { return GetString(Get(obj, "metadata"), "name"); }

std::string OrNone(const std::string& s) { return s.empty() ? "<none>" : s; }

std::string FormatLabels(const Json& labels) {
  if (!labels.is_object() || labels.empty()) return "<none>";
  std::vector<std::pair<std::string, std::string>> kv;
  for (auto it = labels.begin(); it != labels.end(); ++it)
    kv.emplace_back(it.key(), it.value().is_string() ? it.value().get<std::string>() : "");
  std::sort(kv.begin(), kv.end());
  std::string out;
  for (size_t i = 0; i < kv.size(); ++i) out += (i ? "," : "") + kv[i].first + "=" + kv[i].second;
  return out;
}

std::string FormatSelector(const Json& selector) {
  if (!selector.is_object()) return "<none>";
  auto sel = LabelSelector::FromJson(selector);
  if (!sel.ok()) return "<error>";
  std::string s = sel->String();
  return s.empty() ? "<none>" : s;
}

static std::string JoinContainers(const Json& pod_spec, const char* key) {
  std::string out;
  const Json& cs = Get(pod_spec, "containers");
  if (!cs.is_array()) return out;
  for (size_t i = 0; i < cs.size(); ++i) out += (i ? "," : "") + GetString(cs[i], key);
  return out;
}

std::string ContainerNames(const Json& pod_spec) { return JoinContainers(pod_spec, "name"); }
std::string ContainerImages(const Json& pod_spec) { return JoinContainers(pod_spec, "image"); }

int64_t Int(const Json& obj, std::initializer_list<std::string_view> path) {
  const Json& v = GetPath(obj, path);
  return v.is_number() ? v.get<int64_t>() : 0;
}

}  // namespace common::api::tables
