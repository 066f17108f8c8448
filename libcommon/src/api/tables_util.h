// Internal to libcommon/src/api: the printer registry behind TableColumns and
// TableRow, and helpers the per-family printers share.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/api/registry.h"
#include "common/json.h"

namespace common::api {

// {"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":...}
Json PartialObjectMetadata(const Json& obj);

namespace tables {

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

// kubectl's AGE cell: HumanDuration(now - creationTimestamp), "<unknown>"
// when unset.
std::string Age(const Json& obj);
// A timestamp's age ("<unknown>" for unset/invalid).
std::string TimestampAge(const Json& ts);

}  // namespace tables
}  // namespace common::api
