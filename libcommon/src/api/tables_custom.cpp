// Tables of custom resources (apiextensions-apiserver
// pkg/registry/customresource/tableconvertor): a Name column, then the
// version's additionalPrinterColumns, each cell the first value its JSONPath
// finds; a version without columns gets Age.
#include "common/api/tables.h"
#include "common/timeutil.h"
#include "jsonpath.h"
#include "tables_util.h"

namespace common::api {
namespace {

// serveDefaultColumnsIfEmpty.
Json PrinterColumns(const Json& crd_version) {
  const Json& cols = Get(crd_version, "additionalPrinterColumns");
  if (cols.is_array() && !cols.empty()) return cols;
  return Json::array({Json{{"name", "Age"},
                           {"type", "date"},
                           {"description", tables::kCreationTimestampDoc},
                           {"jsonPath", ".metadata.creationTimestamp"}}});
}

// cellForJSONValue: the cell of a non-string column, null when the value
// does not have the column's type.
Json Cell(const std::string& type, const Json& v) {
  if (v.is_null()) return nullptr;
  if (type == "integer") {
    if (v.is_number_integer()) return v;
    if (v.is_number_float()) return static_cast<int64_t>(v.get<double>());
  } else if (type == "number") {
    if (v.is_number()) return v.get<double>();
  } else if (type == "boolean") {
    if (v.is_boolean()) return v;
  } else if (type == "date") {
    if (v.is_string()) {
      auto t = ParseRFC3339(v.get<std::string>());
      if (!t.ok()) return "<invalid>";
      return HumanDuration(Clock::now() - *t);
    }
  }
  return nullptr;
}

}  // namespace

Json CustomTableColumns(const Json& crd_version) {
  Json out = Json::array({tables::Column("Name", "string", "name", tables::kNameDoc, 0)});
  for (const Json& c : PrinterColumns(crd_version))
    out.push_back(tables::Column(GetString(c, "name"), GetString(c, "type"), GetString(c, "format"),
                                 GetString(c, "description"),
                                 static_cast<int>(GetInt(c, "priority"))));
  return out;
}

Json CustomTableRow(const Json& crd_version, const Json& obj, const std::string& include_object) {
  Json cells = Json::array({GetString(Get(obj, "metadata"), "name")});
  for (const Json& c : PrinterColumns(crd_version)) {
    std::string type = GetString(c, "type");
    auto found = jsonpath::Find(obj, GetString(c, "jsonPath"));
    if (!found.ok() || found->empty()) {
      cells.push_back(nullptr);
      continue;
    }
    const Json& v = *found->front();
    if (type == "string") cells.push_back(v.is_null() ? Json(nullptr) : Json(jsonpath::Text(v)));
    else cells.push_back(Cell(type, v));
  }
  return tables::WithObject(Json{{"cells", cells}}, obj, include_object);
}

}  // namespace common::api
