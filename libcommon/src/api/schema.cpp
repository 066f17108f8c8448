// Parser of the schema text form (see schema.h) and lookups.
#include "schema.h"


#include "common/strings.h"

namespace common::api::schema {
namespace {

const std::map<std::string, std::string>& Aliases() {
  static const std::map<std::string, std::string> aliases = {
      {"meta", "io.k8s.apimachinery.pkg.apis.meta.v1"},
      {"resource", "io.k8s.apimachinery.pkg.api.resource"},
      {"intstr", "io.k8s.apimachinery.pkg.util.intstr"},
      {"runtime", "io.k8s.apimachinery.pkg.runtime"},
      {"core", "io.k8s.api.core.v1"},
      {"apps", "io.k8s.api.apps.v1"},
      {"batch", "io.k8s.api.batch.v1"},
      {"autoscalingv1", "io.k8s.api.autoscaling.v1"},
      {"autoscalingv2", "io.k8s.api.autoscaling.v2"},
      {"ext", "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1"},
  };
  return aliases;
}

// Splits a line into words, keeping a trailing "quoted description" whole.
std::vector<std::string> Words(std::string_view line, std::string* description) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    if (line[i] == '"') {
      size_t end = line.rfind('"');
      *description = std::string(line.substr(i + 1, end > i ? end - i - 1 : 0));
      break;
    }
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    out.emplace_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string Resolve(const std::string& pkg, const std::string& type) {
  if (IsPrimitive(type)) return type;
  size_t dot = type.find('.');
  if (dot == std::string::npos) return pkg + "." + type;
  auto it = Aliases().find(type.substr(0, dot));
  if (it != Aliases().end()) return it->second + type.substr(dot);
  return type;
}

void Parse(const char* text, std::map<std::string, TypeDef>& out) {
  std::string pkg;
  TypeDef* cur = nullptr;
  for (const std::string& raw : Split(text, '\n')) {
    std::string_view line = raw;
    std::string_view trimmed = TrimSpace(line);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    std::string description;
    std::vector<std::string> w = Words(line, &description);
    if (w.empty()) continue;
    bool indented = line[0] == ' ' || line[0] == '\t';
    if (!indented && w[0] == "package") {
      pkg = w.at(1);
      continue;
    }
    if (!indented && w[0] == "type") {
      std::string name = Resolve(pkg, w.at(1));
      cur = &out[name];
      cur->name = name;
      cur->description = description;
      for (size_t i = 2; i < w.size(); ++i) {
        const std::string& f = w[i];
        if (f.rfind("gvk=", 0) == 0) {
          std::vector<std::string> parts = Split(f.substr(4), '/');
          if (parts.size() == 3) cur->gvks.push_back({parts[0], parts[1], parts[2]});
        } else if (f.rfind("scalar=", 0) == 0) {
          cur->scalar = f.substr(7);
        } else if (f.rfind("format=", 0) == 0) {
          cur->format = f.substr(7);
        } else if (f == "preserve") {
          cur->preserve_unknown = true;
        } else if (f.rfind("as=", 0) == 0) {
          cur->walk_as = Resolve(pkg, f.substr(3));
        }
      }
      continue;
    }
    if (!cur || w.size() < 2) continue;
    Field field;
    field.name = w[0];
    field.description = description;
    std::string type = w[1];
    if (type.rfind("[]", 0) == 0) {
      field.container = Container::kList;
      type = type.substr(2);
    } else if (type.rfind("{}", 0) == 0) {
      field.container = Container::kMap;
      type = type.substr(2);
    }
    field.type = Resolve(pkg, type);
    for (size_t i = 2; i < w.size(); ++i) {
      const std::string& f = w[i];
      if (f == "!") {
        field.required = true;
      } else if (f.rfind("merge=", 0) == 0) {
        field.patch_strategy = "merge";
        field.patch_merge_key = f.substr(6);
      } else if (f.rfind("strategy=", 0) == 0) {
        field.patch_strategy = f.substr(9);
      } else if (f.rfind("list=", 0) == 0) {
        std::string lt = f.substr(5);
        if (lt.rfind("map:", 0) == 0) {
          field.list_type = "map";
          field.list_map_keys = Split(lt.substr(4), ',');
        } else {
          field.list_type = lt;
        }
      } else if (f.rfind("enum=", 0) == 0) {
        field.enum_values = Split(f.substr(5), '|');
      }
    }
    cur->fields.push_back(std::move(field));
  }
}

std::map<std::string, TypeDef> Build() {
  std::map<std::string, TypeDef> out;
  for (const char* text : {MetaSchemaText(), CoreSchemaText(), CoreSchemaText2(),
                           AppsSchemaText(), OtherSchemaText()})
    Parse(text, out);
  return out;
}

}  // namespace

const Field* TypeDef::FindField(std::string_view n) const {
  for (const Field& f : fields)
    if (f.name == n) return &f;
  return nullptr;
}

bool IsPrimitive(std::string_view t) {
  return t == "string" || t == "int32" || t == "int64" || t == "bool" || t == "double" ||
         t == "byte" || t == "any";
}

const std::map<std::string, TypeDef>& Types() {
  static const std::map<std::string, TypeDef> types = Build();
  return types;
}

const TypeDef* Find(std::string_view name) {
  auto it = Types().find(std::string(name));
  return it == Types().end() ? nullptr : &it->second;
}

std::string Package(std::string_view group, std::string_view version) {
  std::string g(group), v(version);
  if (g.empty()) return "io.k8s.api.core.v1";
  if (g == "apiextensions.k8s.io") return "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions." + v;
  // "rbac.authorization.k8s.io" -> "rbac", "flowcontrol.apiserver.k8s.io" -> "flowcontrol".
  std::string first = g.substr(0, g.find('.'));
  return "io.k8s.api." + first + "." + v;
}

const TypeDef* ForResource(const ResourceInfo& ri) {
  return Find(Package(ri.group, ri.version) + "." + ri.kind);
}

}  // namespace common::api::schema
