// Validation of CustomResourceDefinition objects (apiextensions-apiserver
// pkg/apis/apiextensions/validation and the structural-schema checks of
// pkg/apiserver/schema/validation.go), with upstream's texts.
#include <algorithm>
#include <regex>
#include <set>

#include "common/strings.h"
#include "crd_internal.h"
#include "jsonpath.h"
#include "validation_util.h"

namespace common::api::validation {

namespace {

enum class Level { kRoot, kItem, kField };

std::vector<std::string> SortedKeys(const Json& obj) {
  std::vector<std::string> keys;
  for (auto it = obj.begin(); it != obj.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::string Joined(const std::vector<std::string>& msgs) { return Join(msgs, ","); }

// The structural invariants (validateStructuralInvariants and friends).
void Structural(const Json& s, Level lvl, const Path& p, ErrorList& out) {
  if (!s.is_object()) return;
  std::string type = GetString(s, "type");
  bool int_or_string = GetBool(s, "x-kubernetes-int-or-string");
  bool preserve = GetBool(s, "x-kubernetes-preserve-unknown-fields");
  bool embedded = GetBool(s, "x-kubernetes-embedded-resource");
  if (type == "array" && !Get(s, "items").is_object())
    out.push_back(Required(p.Child("items"), "must be specified"));
  if (Get(s, "items").is_object()) Structural(s["items"], Level::kItem, p.Child("items"), out);
  const Json& props = Obj(s, "properties");
  for (auto it = props.begin(); it != props.end(); ++it)
    Structural(it.value(), Level::kField, p.Child("properties").Key(it.key()), out);
  const Json& additional = Get(s, "additionalProperties");
  if (!additional.is_null()) {
    if (lvl == Level::kRoot)
      out.push_back(Forbidden(p.Child("additionalProperties"), "must not be used at the root"));
    if (additional.is_object())
      Structural(additional, Level::kField, p.Child("additionalProperties"), out);
  }
  if (int_or_string && preserve)
    out.push_back(Invalid(p.Child("x-kubernetes-preserve-unknown-fields"), true,
                          "must be false if x-kubernetes-int-or-string is true"));
  if (int_or_string && embedded)
    out.push_back(Invalid(p.Child("x-kubernetes-embedded-resource"), true,
                          "must be false if x-kubernetes-int-or-string is true"));
  if (Has(s, "x-kubernetes-preserve-unknown-fields") && !preserve)
    out.push_back(Invalid(p.Child("x-kubernetes-preserve-unknown-fields"), false,
                          "must be true or undefined"));
  std::string pattern = GetString(s, "pattern");
  if (!pattern.empty()) {
    try {
      std::regex re(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      out.push_back(Invalid(p.Child("pattern"), pattern,
                            std::string("must be a valid regular expression, but isn't: ") + e.what()));
    }
  }
  bool check_metadata = lvl == Level::kRoot || embedded;
  if (embedded && type != "object") {
    if (type.empty())
      out.push_back(Required(p.Child("type"), "must be object if x-kubernetes-embedded-resource is true"));
    else
      out.push_back(Invalid(p.Child("type"), type, "must be object if x-kubernetes-embedded-resource is true"));
  } else if (type.empty() && !int_or_string && !preserve) {
    const char* detail = lvl == Level::kRoot   ? "must not be empty at the root"
                         : lvl == Level::kItem ? "must not be empty for specified array items"
                                               : "must not be empty for specified object fields";
    out.push_back(Required(p.Child("type"), detail));
  }
  if (embedded && !additional.is_null())
    out.push_back(Forbidden(p.Child("additionalProperties"),
                            "must not be used if x-kubernetes-embedded-resource is set"));
  if (lvl == Level::kRoot && !type.empty() && type != "object")
    out.push_back(Invalid(p.Child("type"), type, "must be object at the root"));
  if (check_metadata) {
    for (const char* k : {"kind", "apiVersion"})
      if (props.contains(k) && GetString(props[k], "type") != "string")
        out.push_back(Invalid(p.Child("properties").Key(k).Child("type"), GetString(props[k], "type"),
                              "must be string"));
    if (props.contains("metadata") && GetString(props["metadata"], "type") != "object")
      out.push_back(Invalid(p.Child("properties").Key("metadata").Child("type"),
                            GetString(props["metadata"], "type"), "must be object"));
  }
  if (lvl == Level::kRoot && props.contains("metadata")) {
    // Only name and generateName may be restricted at the root.
    bool other = false;
    const Json& meta = props["metadata"];
    for (auto it = meta.begin(); it != meta.end(); ++it) {
      const std::string& k = it.key();
      if (k == "type" || k == "description" || k == "default") continue;
      if (k == "properties") {
        for (auto pit = it.value().begin(); pit != it.value().end(); ++pit)
          if (pit.key() != "name" && pit.key() != "generateName") other = true;
        continue;
      }
      other = true;
    }
    if (other)
      out.push_back(Forbidden(p.Child("properties").Key("metadata"),
                              "must not specify anything other than name and generateName, but "
                              "metadata is implicitly specified"));
  }
  if (embedded && !preserve && props.empty())
    out.push_back(Required(p.Child("properties"),
                           "must not be empty if x-kubernetes-embedded-resource is true without "
                           "x-kubernetes-preserve-unknown-fields"));
}

// The per-node rules of ValidateCustomResourceDefinitionOpenAPISchema
// (specStandardValidatorV3 and the list-type checks).
void OpenApiRules(const Json& s, const Path& p, bool in_resource_meta, ErrorList& out) {
  if (!s.is_object()) return;
  if (GetBool(s, "uniqueItems"))
    out.push_back(Forbidden(p.Child("uniqueItems"),
                            "uniqueItems cannot be set to true since the runtime complexity becomes "
                            "quadratic"));
  const Json& additional = Get(s, "additionalProperties");
  const Json& props = Obj(s, "properties");
  if (!additional.is_null() && !props.empty() &&
      (additional.is_object() || (additional.is_boolean() && !additional.get<bool>())))
    out.push_back(Forbidden(p.Child("additionalProperties"),
                            "additionalProperties and properties are mutual exclusive"));
  static const std::pair<const char*, const char*> kUnsupported[] = {
      {"id", "id is not supported"},
      {"additionalItems", "additionalItems is not supported"},
      {"patternProperties", "patternProperties is not supported"},
      {"definitions", "definitions is not supported"},
      {"dependencies", "dependencies is not supported"},
      {"$ref", "$ref is not supported"},
  };
  for (const auto& [k, msg] : kUnsupported)
    if (Has(s, k)) out.push_back(Forbidden(p.Child(k), msg));
  if (GetString(s, "type") == "null")
    out.push_back(Forbidden(p.Child("type"), "type cannot be set to null, use nullable as an alternative"));
  if (Get(s, "items").is_array())
    out.push_back(Forbidden(p.Child("items"), "items must be a schema object and not an array"));
  if (in_resource_meta && GetBool(s, "x-kubernetes-embedded-resource"))
    out.push_back(Forbidden(p.Child("x-kubernetes-embedded-resource"),
                            "must not be used inside of resource meta"));
  const Json& list_type = Get(s, "x-kubernetes-list-type");
  if (list_type.is_string()) {
    std::string lt = list_type.get<std::string>();
    if (lt != "atomic" && lt != "set" && lt != "map")
      out.push_back(NotSupported(p.Child("x-kubernetes-list-type"), lt, {"atomic", "set", "map"}));
    else if (GetString(s, "type") != "array")
      out.push_back(Invalid(p.Child("x-kubernetes-list-type"), lt, "must only be used if type is array"));
  }
  const Json& keys = Get(s, "x-kubernetes-list-map-keys");
  if (keys.is_array() && !keys.empty() && GetString(s, "x-kubernetes-list-type") != "map")
    out.push_back(Forbidden(p.Child("x-kubernetes-list-map-keys"),
                            "must only be used if x-kubernetes-list-type is \"map\""));
  if (GetString(s, "x-kubernetes-list-type") == "map") {
    if (!keys.is_array() || keys.empty()) {
      out.push_back(Required(p.Child("x-kubernetes-list-map-keys"),
                             "must not be empty if x-kubernetes-list-type is \"map\""));
    } else {
      const Json& item_props = GetPath(s, {"items", "properties"});
      for (const Json& k : keys)
        if (k.is_string() && !(item_props.is_object() && item_props.contains(k.get<std::string>())))
          out.push_back(Invalid(p.Child("x-kubernetes-list-map-keys"), keys,
                                "entries must all be names of item properties"));
    }
  }
  if (GetString(s, "x-kubernetes-list-type") == "set" && GetString(GetPath(s, {"items"}), "type") == "object")
    out.push_back(Invalid(p.Child("items").Child("type"), "object",
                          "must be a scalar type if parent array type is 'set'"));
  // Recurse.
  if (additional.is_object()) OpenApiRules(additional, p.Child("additionalProperties"), false, out);
  // Property order is Go's map order upstream (random); name order here.
  for (const std::string& k : SortedKeys(props))
    OpenApiRules(props[k], p.Child("properties").Key(k),
                 GetBool(s, "x-kubernetes-embedded-resource") && k == "metadata", out);
  if (Get(s, "items").is_object()) OpenApiRules(s["items"], p.Child("items"), false, out);
  if (Get(s, "not").is_object()) OpenApiRules(s["not"], p.Child("not"), false, out);
  for (const char* j : {"allOf", "oneOf", "anyOf"})
    for (size_t i = 0; i < Arr(s, j).size(); ++i) OpenApiRules(s[j][i], p.Child(j).Index(i), false, out);
}

// Defaults must validate against their own schema (validateDefaults).
void Defaults(const Json& s, const Path& schema_path, const Path& data_path, ErrorList& out) {
  if (!s.is_object()) return;
  if (s.contains("default")) {
    Json node = s;
    node.erase("default");
    ErrorList errs = ValidateValueAgainstSchema(s["default"], node, data_path);
    for (FieldError& e : errs) {
      e.field = schema_path.Child("default").str();
      out.push_back(std::move(e));
    }
  }
  const Json& props = Obj(s, "properties");
  for (const std::string& k : SortedKeys(props))
    Defaults(props[k], schema_path.Child("properties").Key(k), data_path.Child(k), out);
  if (Get(s, "items").is_object())
    Defaults(s["items"], schema_path.Child("items"), data_path.Index(0), out);
  if (Get(s, "additionalProperties").is_object())
    Defaults(s["additionalProperties"], schema_path.Child("additionalProperties"), data_path.Key("*"), out);
}

ErrorList Names(const Json& names, const Path& p) {
  ErrorList out;
  auto label = [&](const char* key) {
    std::string v = GetString(names, key);
    if (!v.empty()) {
      auto errs = IsDNS1035Label(v);
      if (!errs.empty()) out.push_back(Invalid(p.Child(key), v, Joined(errs)));
    }
  };
  label("plural");
  label("singular");
  for (const char* key : {"kind", "listKind"}) {
    std::string v = GetString(names, key);
    if (v.empty()) continue;
    auto errs = IsDNS1035Label(ToLower(v));
    if (!errs.empty())
      out.push_back(Invalid(p.Child(key), v, "may have mixed case, but should otherwise match: " + Joined(errs)));
  }
  const Json& short_names = Arr(names, "shortNames");
  for (size_t i = 0; i < short_names.size(); ++i) {
    std::string v = short_names[i].is_string() ? short_names[i].get<std::string>() : "";
    auto errs = IsDNS1035Label(v);
    if (!errs.empty()) out.push_back(Invalid(p.Child("shortNames").Index(i), v, Joined(errs)));
  }
  std::string kind = GetString(names, "kind");
  if (!kind.empty() && kind == GetString(names, "listKind"))
    out.push_back(Invalid(p.Child("listKind"), kind, "kind and listKind may not be the same"));
  const Json& categories = Arr(names, "categories");
  for (size_t i = 0; i < categories.size(); ++i) {
    std::string v = categories[i].is_string() ? categories[i].get<std::string>() : "";
    auto errs = IsDNS1035Label(v);
    if (!errs.empty()) out.push_back(Invalid(p.Child("categories").Index(i), v, Joined(errs)));
  }
  return out;
}

ErrorList PrinterColumns(const Json& cols, const Path& p) {
  ErrorList out;
  static const std::vector<std::string> kTypes = {"array",   "boolean", "date", "integer",
                                                  "number",  "object",  "string"};
  static const std::vector<std::string> kFormats = {"int32", "int64", "float",     "double",
                                                    "byte",  "date",  "date-time", "password"};
  for (size_t i = 0; i < cols.size(); ++i) {
    const Json& c = cols[i];
    Path cp = p.Index(i);
    if (GetString(c, "name").empty()) out.push_back(Required(cp.Child("name"), ""));
    std::string type = GetString(c, "type");
    if (type.empty()) out.push_back(Required(cp.Child("type"), ""));
    else if (std::find(kTypes.begin(), kTypes.end(), type) == kTypes.end())
      out.push_back(NotSupported(cp.Child("type"), type, kTypes));
    std::string format = GetString(c, "format");
    if (!format.empty() && std::find(kFormats.begin(), kFormats.end(), format) == kFormats.end())
      out.push_back(NotSupported(cp.Child("format"), format, kFormats));
    if (GetInt(c, "priority") < 0)
      out.push_back(Invalid(cp.Child("priority"), GetInt(c, "priority"), "must be greater than or equal to 0"));
    std::string path = GetString(c, "jsonPath");
    if (path.empty()) {
      out.push_back(Required(cp.Child("jsonPath"), ""));
    } else {
      Status st = jsonpath::Check(path);
      if (!st.ok())
        out.push_back(Invalid(cp.Child("jsonPath"), path, "must be a simple json path (" + st.message() + ")"));
      else if (path[0] != '.' && path[0] != '{' && path[0] != '$')
        out.push_back(Invalid(cp.Child("jsonPath"), path, "must be a simple json path starting with ."));
    }
  }
  return out;
}

ErrorList Scale(const Json& scale, const Path& p) {
  ErrorList out;
  auto json_path = [&](const char* key, bool required, std::vector<std::string> roots, const char* what) {
    std::string v = GetString(scale, key);
    if (v.empty()) {
      if (required) out.push_back(Required(p.Child(key), ""));
      return;
    }
    bool ok = false;
    for (const std::string& r : roots) ok = ok || v.rfind(r, 0) == 0;
    if (!ok || !jsonpath::Check(v).ok()) out.push_back(Invalid(p.Child(key), v, what));
  };
  json_path("specReplicasPath", true, {".spec."}, "should be a json path under .spec");
  json_path("statusReplicasPath", true, {".status."}, "should be a json path under .status");
  json_path("labelSelectorPath", false, {".spec.", ".status."},
            "should be a json path under either .spec or .status");
  return out;
}

ErrorList Versions(const Json& spec, const Path& p) {
  ErrorList out;
  const Json& versions = Get(spec, "versions");
  if (!versions.is_array() || versions.empty()) {
    out.push_back(Required(p.Child("versions"), ""));
    return out;
  }
  int storage = 0;
  std::set<std::string> seen;
  bool unique = true;
  for (size_t i = 0; i < versions.size(); ++i) {
    const Json& v = versions[i];
    Path vp = p.Child("versions").Index(i);
    std::string name = GetString(v, "name");
    if (GetBool(v, "storage")) ++storage;
    if (!seen.insert(name).second) unique = false;
    auto errs = IsDNS1035Label(name);
    if (!errs.empty()) out.push_back(Invalid(vp.Child("name"), name, Joined(errs)));
    Path sp = vp.Child("schema").Child("openAPIV3Schema");
    const Json& schema = crd::VersionSchema(v);
    if (!schema.is_object()) {
      out.push_back(Required(sp, "schemas are required"));
    } else {
      ErrorList structural;
      Structural(schema, Level::kRoot, sp, structural);
      // Upstream sorts the structural errors by their text.
      std::sort(structural.begin(), structural.end(),
                [](const FieldError& a, const FieldError& b) { return a.ToString() < b.ToString(); });
      Append(out, std::move(structural));
      OpenApiRules(schema, sp, false, out);
      Defaults(schema, sp, Path(), out);
    }
    const Json& sub = Get(v, "subresources");
    if (Get(sub, "scale").is_object()) Append(out, Scale(sub["scale"], vp.Child("subresources").Child("scale")));
    Append(out, PrinterColumns(Arr(v, "additionalPrinterColumns"), vp.Child("additionalPrinterColumns")));
    if (Has(v, "deprecationWarning") && !GetBool(v, "deprecated"))
      out.push_back(Invalid(vp.Child("deprecationWarning"), GetString(v, "deprecationWarning"),
                            "can only be set for deprecated versions"));
  }
  if (!unique) out.push_back(InvalidRepr(p.Child("versions"), "[]apiextensions.CustomResourceDefinitionVersion{...}",
                                         "must contain unique version names"));
  if (storage != 1)
    out.push_back(InvalidRepr(p.Child("versions"), "[]apiextensions.CustomResourceDefinitionVersion{...}",
                              "must have exactly one version marked as storage version"));
  return out;
}

ErrorList Conversion(const Json& spec, const Path& p) {
  ErrorList out;
  const Json& conv = Get(spec, "conversion");
  if (!conv.is_object()) return out;
  std::string strategy = GetString(conv, "strategy");
  if (strategy != "None" && strategy != "Webhook") {
    out.push_back(NotSupported(p.Child("strategy"), strategy, {"None", "Webhook"}));
  } else if (strategy == "Webhook") {
    const Json& webhook = Get(conv, "webhook");
    if (!Get(webhook, "clientConfig").is_object())
      out.push_back(Required(p.Child("webhook").Child("clientConfig"), "required when strategy is set to Webhook"));
    if (Arr(webhook, "conversionReviewVersions").empty())
      out.push_back(Required(p.Child("webhook").Child("conversionReviewVersions"),
                             "must include at least one of v1, v1beta1"));
  } else if (!Get(conv, "webhook").is_null()) {
    out.push_back(Forbidden(p.Child("webhook"), "should not be set when strategy is not set to Webhook"));
  }
  return out;
}

ErrorList Spec(const Json& spec, const Path& p) {
  ErrorList out;
  std::string group = GetString(spec, "group");
  if (group.empty()) {
    out.push_back(Required(p.Child("group"), ""));
  } else if (auto errs = IsDNS1123Subdomain(group); !errs.empty()) {
    out.push_back(Invalid(p.Child("group"), group, Joined(errs)));
  } else if (Split(group, '.').size() < 2) {
    out.push_back(Invalid(p.Child("group"), group, "should be a domain with at least one dot"));
  }
  std::string scope = GetString(spec, "scope");
  if (scope.empty()) out.push_back(Required(p.Child("scope"), ""));
  else if (scope != "Cluster" && scope != "Namespaced")
    out.push_back(NotSupported(p.Child("scope"), scope, {"Cluster", "Namespaced"}));
  Append(out, Versions(spec, p));
  const Json& names = Get(spec, "names");
  for (const char* key : {"plural", "singular", "kind", "listKind"})
    if (GetString(names, key).empty()) out.push_back(Required(p.Child("names").Child(key), ""));
  Append(out, Names(names, p.Child("names")));
  Append(out, Conversion(spec, p.Child("conversion")));
  if (GetBool(spec, "preserveUnknownFields"))
    out.push_back(Invalid(p.Child("preserveUnknownFields"), true,
                          "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in "
                          "spec.versions[*].schema instead"));
  return out;
}

bool Established(const Json& crd) {
  for (const Json& c : Arr(Get(crd, "status"), "conditions"))
    if (GetString(c, "type") == "Established" && GetString(c, "status") == "True") return true;
  return false;
}

}  // namespace

ErrorList CustomResourceDefinition(const Json& obj, const Json* old) {
  ErrorList out;
  const Json& spec = Get(obj, "spec");
  if (!old) {
    std::string name = GetPath(obj, {"metadata", "name"}).is_string()
                           ? GetPath(obj, {"metadata", "name"}).get<std::string>()
                           : "";
    std::string required = GetString(Get(spec, "names"), "plural") + "." + GetString(spec, "group");
    if (!name.empty() && name != required)
      out.push_back(Invalid(Path("metadata").Child("name"), name, "must be spec.names.plural+\".\"+spec.group"));
  }
  Append(out, Spec(spec, Path("spec")));
  if (old) {
    const Json& old_spec = Get(*old, "spec");
    if (Established(*old)) {
      Append(out, ValidateImmutable(Get(spec, "scope"), Get(old_spec, "scope"), Path("spec").Child("scope")));
      Append(out, ValidateImmutable(GetPath(spec, {"names", "kind"}), GetPath(old_spec, {"names", "kind"}),
                                    Path("spec").Child("names").Child("kind")));
    }
    Append(out, ValidateImmutable(Get(spec, "group"), Get(old_spec, "group"), Path("spec").Child("group")));
    Append(out, ValidateImmutable(GetPath(spec, {"names", "plural"}), GetPath(old_spec, {"names", "plural"}),
                                  Path("spec").Child("names").Child("plural")));
    const Json& stored = Arr(Get(obj, "status"), "storedVersions");
    for (size_t i = 0; i < stored.size(); ++i) {
      bool found = false;
      for (const Json& v : Arr(spec, "versions")) found = found || Get(v, "name") == stored[i];
      if (!found)
        out.push_back(Invalid(Path("status").Child("storedVersions").Index(i), stored[i],
                              "must appear in spec.versions"));
    }
  }
  Append(out, Names(GetPath(obj, {"status", "acceptedNames"}), Path("status").Child("acceptedNames")));
  return out;
}

}  // namespace common::api::validation
