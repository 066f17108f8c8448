// Internal to libcommon/src/api: the printer registry behind TableColumns and
// TableRow, and helpers the per-family printers share.
#pragma once

#include <chrono>
#include <string>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "common/api/registry.h"
#include "common/json.h"

namespace common::api {

// {"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":...}
Json PartialObjectMetadata(const Json& obj);

namespace tables {

// ObjectMeta's name and creationTimestamp descriptions, which upstream's
// default and custom-resource columns carry.
extern const char* const kNameDoc;
extern const char* const kCreationTimestampDoc;

Json Column(const std::string& name, const std::string& type, const std::string& format,
            const std::string& description, int priority);
Json WithObject(Json row, const Json& obj, const std::string& include_object);

// One printer: upstream's column list and a row function, for a group/kind.
struct Printer {
  std::string group;
  std::string kind;
  Json (*columns)();
  Json (*cells)(const Json& obj);
};

// Every built-in printer (tables_core.cpp, tables_apps.cpp, tables_other.cpp).
const std::vector<Printer>& AllPrinters();
const Printer* FindPrinter(const ResourceInfo& ri);

// Column lists and cell helpers the printers share.
Json NameColumn();
Json AgeColumn();
Json StringColumn(const std::string& name, const std::string& description, int priority = 0);
Json IntColumn(const std::string& name, const std::string& description, int priority = 0);
std::string Name(const Json& obj);
// "<none>" for an empty string.
std::string OrNone(const std::string& s);
// labels.FormatLabels: "a=b,c=d" sorted by key, "<none>" when empty.
std::string FormatLabels(const Json& labels);
// metav1.FormatLabelSelector of a LabelSelector, "<none>" when empty.
std::string FormatSelector(const Json& selector);
// Comma-joined container names and images of a pod template spec.
std::string ContainerNames(const Json& pod_spec);
std::string ContainerImages(const Json& pod_spec);
int64_t Int(const Json& obj, std::initializer_list<std::string_view> path);

// printPod's row conditions (Completed) for Succeeded/Failed pods; null otherwise.
Json PodRowConditions(const Json& pod);

// Per-family printer lists.
std::vector<Printer> CorePrinters();
std::vector<Printer> AppsPrinters();
std::vector<Printer> OtherPrinters();

// kubectl's AGE cell: HumanDuration(now - creationTimestamp), "<unknown>"
// when unset.
std::string Age(const Json& obj);
// A timestamp's age ("<unknown>" for unset/invalid).
std::string TimestampAge(const Json& ts);

}  // namespace tables
}  // namespace common::api
