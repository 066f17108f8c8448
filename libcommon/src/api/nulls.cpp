// Explicit nulls under typed decoding (encoding/json into the Go types): a
// null member leaves a pointer, map, slice or interface nil and any other
// field at its zero value, which omitempty drops on output; a null map value
// or list element is decoded into a fresh zero element.
#include "common/api/defaults.h"
#include "schema.h"

namespace common::api {
namespace {

void Walk(Json& v, const schema::TypeDef* t);

// The zero value a null element of `f`'s element type decodes to; null when
// the element is free-form JSON (kept as sent).
Json ZeroElement(const schema::Field& f) {
  const std::string& t = f.type;
  if (t == "string" || t == "byte") return "";
  if (t == "int32" || t == "int64" || t == "double") return 0;
  if (t == "bool") return false;
  if (t == "any") return nullptr;
  const schema::TypeDef* d = schema::Find(t);
  if (!d) return nullptr;
  if (d->scalar == "string" && d->name.find("Quantity") != std::string::npos) return "0";
  if (!d->scalar.empty() || !d->walk_as.empty()) return nullptr;
  return Json::object();
}

void WalkValue(Json& v, const schema::Field& f) {
  if (f.container == schema::Container::kList) {
    if (!v.is_array()) return;
    for (Json& e : v) {
      if (e.is_null()) e = ZeroElement(f);
      else if (!schema::IsPrimitive(f.type)) Walk(e, schema::Find(f.type));
    }
  } else if (f.container == schema::Container::kMap) {
    if (!v.is_object()) return;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (it.value().is_null()) it.value() = ZeroElement(f);
      else if (!schema::IsPrimitive(f.type)) Walk(it.value(), schema::Find(f.type));
    }
  } else if (!schema::IsPrimitive(f.type)) {
    Walk(v, schema::Find(f.type));
  }
}

void Walk(Json& v, const schema::TypeDef* t) {
  if (!t) return;
  if (!t->walk_as.empty()) {
    const schema::TypeDef* as = schema::Find(t->walk_as);
    if (v.is_object()) {
      Walk(v, as);
    } else if (v.is_array()) {
      for (Json& e : v)
        if (e.is_object()) Walk(e, as);
    }
    return;
  }
  if (t->preserve_unknown || !t->scalar.empty() || !v.is_object()) return;
  for (auto it = v.begin(); it != v.end();) {
    const schema::Field* f = t->FindField(it.key());
    if (!f) {  // unknown: strict decoding reports it, pruning drops it
      ++it;
      continue;
    }
    if (it.value().is_null()) {
      it = v.erase(it);
      continue;
    }
    WalkValue(it.value(), *f);
    ++it;
  }
}

}  // namespace

void DropNulls(const ResourceInfo& ri, Json& obj) { Walk(obj, schema::ForResource(ri)); }

void DropNullsAs(std::string_view type_name, Json& v) { Walk(v, schema::Find(type_name)); }

}  // namespace common::api
