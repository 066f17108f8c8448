// Server-side printing: column definitions and rows per kind. Kinds without
// a printer get upstream's default (Name, Created At).
#include "common/api/tables.h"

#include "tables_util.h"

namespace common::api {

Json PartialObjectMetadata(const Json& obj) {
  return Json{{"kind", "PartialObjectMetadata"},
              {"apiVersion", "meta.k8s.io/v1"},
              {"metadata", Get(obj, "metadata").is_object() ? Get(obj, "metadata") : Json::object()}};
}

namespace tables {

const char* const kNameDoc =
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const char* const kCreationTimestampDoc =
    "CreationTimestamp is a timestamp representing the server time when this object was "
    "created. It is not guaranteed to be set in happens-before order across separate "
    "operations. Clients may not set this value. It is represented in RFC3339 form and is in "
    "UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

Json Column(const std::string& name, const std::string& type, const std::string& format,
            const std::string& description, int priority) {
  return Json{{"name", name}, {"type", type}, {"format", format}, {"description", description},
              {"priority", priority}};
}

Json WithObject(Json row, const Json& obj, const std::string& include_object) {
  if (include_object == "Object") row["object"] = obj;
  else if (include_object == "None") row["object"] = nullptr;
  else row["object"] = PartialObjectMetadata(obj);
  return row;
}

const Printer* FindPrinter(const ResourceInfo& ri) {
  for (const Printer& p : AllPrinters())
    if (p.group == ri.group && p.kind == ri.kind) return &p;
  return nullptr;
}

}  // namespace tables

Json TableColumns(const ResourceInfo& ri) {
  if (const tables::Printer* p = tables::FindPrinter(ri)) return p->columns();
  return Json::array({tables::Column("Name", "string", "name", tables::kNameDoc, 0),
                      tables::Column("Created At", "date", "", tables::kCreationTimestampDoc, 0)});
}

Json TableRow(const ResourceInfo& ri, const Json& obj, const std::string& include_object) {
  Json row;
  if (const tables::Printer* p = tables::FindPrinter(ri)) {
    row = Json{{"cells", p->cells(obj)}};
    if (ri.group.empty() && ri.kind == "Pod") {
      Json conds = tables::PodRowConditions(obj);
      if (!conds.is_null()) row["conditions"] = conds;
    }
  } else {
    const Json& meta = Get(obj, "metadata");
    row = Json{{"cells", Json::array({GetString(meta, "name"), Get(meta, "creationTimestamp")})}};
  }
  return tables::WithObject(std::move(row), obj, include_object);
}

}  // namespace common::api
