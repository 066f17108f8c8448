// Strict decoding: the fields of an object the kind's schema does not know,
// named as upstream's strict decoder names them ("spec.containers[0].imagePullPolice").
#include "common/api/validation.h"
#include "schema.h"

namespace common::api {
namespace {

void Walk(const Json& v, const schema::TypeDef* t, const std::string& path,
          std::vector<std::string>& out);

void WalkValue(const Json& v, const schema::Field& f, const std::string& path,
               std::vector<std::string>& out) {
  if (schema::IsPrimitive(f.type)) return;
  const schema::TypeDef* t = schema::Find(f.type);
  if (!t) return;
  if (f.container == schema::Container::kList) {
    if (!v.is_array()) return;
    for (size_t i = 0; i < v.size(); ++i) Walk(v[i], t, path + "[" + std::to_string(i) + "]", out);
  } else if (f.container == schema::Container::kMap) {
    if (!v.is_object()) return;
    for (auto it = v.begin(); it != v.end(); ++it) Walk(it.value(), t, path + "." + it.key(), out);
  } else {
    Walk(v, t, path, out);
  }
}

void Walk(const Json& v, const schema::TypeDef* t, const std::string& path,
          std::vector<std::string>& out) {
  if (t && !t->walk_as.empty()) {
    const schema::TypeDef* as = schema::Find(t->walk_as);
    if (v.is_object()) Walk(v, as, path, out);
    else if (v.is_array())
      for (size_t i = 0; i < v.size(); ++i) Walk(v[i], as, path + "[" + std::to_string(i) + "]", out);
    return;
  }
  if (!t || t->preserve_unknown || !t->scalar.empty() || !v.is_object()) return;
  for (auto it = v.begin(); it != v.end(); ++it) {
    std::string p = path.empty() ? it.key() : path + "." + it.key();
    const schema::Field* f = t->FindField(it.key());
    if (!f) {
      out.push_back(p);
      continue;
    }
    WalkValue(it.value(), *f, p, out);
  }
}

}  // namespace

void schema::CollectUnknown(const Json& v, const schema::TypeDef* t, const std::string& path,
                            std::vector<std::string>& out) {
  Walk(v, t, path, out);
}

std::vector<std::string> UnknownFields(const ResourceInfo& ri, const Json& obj) {
  std::vector<std::string> out;
  Walk(obj, schema::ForResource(ri), "", out);
  return out;
}

}  // namespace common::api
