// Schema validation of custom resources: kube-openapi's validator as
// apiextensions-apiserver runs it, and its errors converted to field errors
// the way apiserver/validation.ValidateCustomResource converts them (type
// errors as TypeInvalid, required as Required, enum as NotSupported,
// maxLength as TooLong, maxItems/maxProperties as TooMany, the rest as
// Invalid with kube-openapi's message).
#include <cmath>
#include <map>
#include <mutex>
#include <regex>
#include <set>

#include "common/api/custom.h"
#include "common/base64.h"
#include "common/strings.h"
#include "common/timeutil.h"
#include "crd_internal.h"
#include "jsonpath.h"
#include "validation_util.h"

namespace common::api {
namespace {

std::string NumText(const Json& n) {
  if (n.is_number_integer()) return n.dump();
  return jsonpath::GoFloat(n.get<double>());
}

// The JSON type name kube-openapi reports for a value.
std::string TypeName(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer()) return "integer";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_array()) return "array";
  return "object";
}

bool IsIntegral(const Json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return std::isfinite(d) && d == std::floor(d);
}

bool HasType(const Json& v, const std::string& type) {
  if (type == "integer") return IsIntegral(v);
  if (type == "number") return v.is_number();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_boolean();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "null") return v.is_null();
  return true;
}

// UTF-8 code points (Go's utf8.RuneCountInString).
size_t RuneCount(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xc0) != 0x80) ++n;
  return n;
}

const std::regex* Pattern(const std::string& pattern) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<std::regex>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(pattern);
  if (it != cache.end()) return it->second.get();
  std::unique_ptr<std::regex> re;
  try {
    re = std::make_unique<std::regex>(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error&) {
  }
  if (cache.size() > 1024) cache.clear();
  return (cache[pattern] = std::move(re)).get();
}

bool Matches(const std::string& re, const std::string& s) {
  const std::regex* compiled = Pattern(re);
  return compiled && std::regex_search(s, *compiled);
}

// strfmt's checks for the formats CRDs use; unknown formats pass.
bool FormatOk(const std::string& format, const std::string& s) {
  static const std::string kUuid =
      "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$";
  if (format == "date-time" || format == "datetime") return ParseRFC3339(s).ok();
  if (format == "date") return Matches("^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", s);
  if (format == "byte") return Base64Decode(s).has_value();
  if (format == "uuid" || format == "uuid3" || format == "uuid4" || format == "uuid5")
    return Matches(kUuid, s);
  if (format == "ipv4")
    return s.find(':') == std::string::npos && IsValidIP(s).empty();
  if (format == "ipv6") return s.find(':') != std::string::npos && IsValidIP(s).empty();
  if (format == "cidr") {
    size_t slash = s.find('/');
    if (slash == std::string::npos) return false;
    std::string ip = s.substr(0, slash), bits = s.substr(slash + 1);
    if (!IsValidIP(ip).empty() || bits.empty() || bits.size() > 3) return false;
    for (char c : bits)
      if (c < '0' || c > '9') return false;
    return std::stoi(bits) <= (ip.find(':') == std::string::npos ? 32 : 128);
  }
  if (format == "hostname")
    return s.size() <= 255 &&
           Matches("^([a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*\\.?$", s);
  if (format == "email") return Matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", s);
  if (format == "mac")
    return Matches("^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$", s);
  if (format == "duration")
    return Matches("^[-+]?([0-9]*(\\.[0-9]*)?[a-z]+)+$", s);
  if (format == "int32" || format == "int64") {
    auto v = ParseInt64(s);
    if (!v) return false;
    return format == "int64" || (*v >= INT32_MIN && *v <= INT32_MAX);
  }
  return true;
}

// Go's %#v of an element's merge keys (map[string]interface {}{...}).
std::string GoKeysMap(const Json& elem, const Json& keys) {
  std::vector<std::string> names;
  for (const Json& k : keys)
    if (k.is_string()) names.push_back(k.get<std::string>());
  std::sort(names.begin(), names.end());
  std::string out = "map[string]interface {}{";
  bool first = true;
  for (const std::string& n : names) {
    const Json& v = Get(elem, n);
    out += (first ? "" : ", ") + GoQuote(n) + ":";
    first = false;
    if (v.is_string()) out += GoQuote(v.get<std::string>());
    else if (v.is_null()) out += "interface {}(nil)";
    else out += v.dump();
  }
  return out + "}";
}

class Validator {
 public:
  explicit Validator(ErrorList& out) : out_(out) {}

  // `old`: the value at the same place in the object being updated, for
  // ratcheting; null on create.
  void Value(const Json& v, const Json& s, const Path& p, const Json* old) {
    if (!s.is_object()) return;
    if (old && *old == v) return;  // unchanged: ratcheted
    std::string name = p.str();
    bool int_or_string = GetBool(s, "x-kubernetes-int-or-string");
    std::string type = GetString(s, "type");
    if (int_or_string) type = "integer,string";
    if (v.is_null()) {
      if (!type.empty() && !GetBool(s, "nullable"))
        out_.push_back(TypeInvalid(p, "null", name + " in body must be of type " + type + ": \"null\""));
      return;
    }
    if (int_or_string ? !(IsIntegral(v) || v.is_string()) : !HasType(v, type)) {
      std::string actual = TypeName(v);
      out_.push_back(TypeInvalid(p, actual, name + " in body must be of type " + type + ": " + GoQuote(actual)));
      return;
    }
    Junctors(v, s, p);
    if (v.is_string()) String(v.get<std::string>(), s, p);
    if (v.is_number()) Number(v, s, p);
    Enum(v, s, p);
    if (v.is_array()) Array(v, s, p, old);
    if (v.is_object()) Object(v, s, p, old);
  }

 private:
  // Whether `v` passes `s`, without recording errors.
  bool Passes(const Json& v, const Json& s, const Path& p) {
    ErrorList scratch;
    Validator(scratch).Value(v, s, p, nullptr);
    return scratch.empty();
  }

  void Junctors(const Json& v, const Json& s, const Path& p) {
    const std::string name = p.str();
    if (Get(s, "allOf").is_array())
      for (const Json& sub : s["allOf"]) Value(v, sub, p, nullptr);
    if (Get(s, "anyOf").is_array()) {
      bool any = false;
      for (const Json& sub : s["anyOf"]) any = any || Passes(v, sub, p);
      if (!any)
        out_.push_back(Invalid(p, v, name + " in body must validate at least one schema (anyOf)"));
    }
    if (Get(s, "oneOf").is_array()) {
      int n = 0;
      for (const Json& sub : s["oneOf"]) n += Passes(v, sub, p) ? 1 : 0;
      if (n != 1)
        out_.push_back(Invalid(p, v, name + " in body must validate one and only one schema (oneOf)"));
    }
    if (Get(s, "not").is_object() && Passes(v, s["not"], p))
      out_.push_back(Invalid(p, v, name + " in body must not validate the schema (not)"));
  }

  void String(const std::string& str, const Json& s, const Path& p) {
    const std::string name = p.str();
    size_t len = RuneCount(str);
    if (Get(s, "maxLength").is_number_integer() && len > s["maxLength"].get<size_t>())
      out_.push_back(TooLong(p, str, s["maxLength"].get<int64_t>()));
    if (Get(s, "minLength").is_number_integer() && len < s["minLength"].get<size_t>())
      out_.push_back(Invalid(p, str, name + " in body should be at least " +
                                         std::to_string(s["minLength"].get<int64_t>()) +
                                         " chars long"));
    std::string pattern = GetString(s, "pattern");
    if (!pattern.empty()) {
      const std::regex* re = Pattern(pattern);
      if (re && !std::regex_search(str, *re))
        out_.push_back(Invalid(p, str, name + " in body should match '" + pattern + "'"));
    }
    std::string format = GetString(s, "format");
    if (!format.empty() && !FormatOk(format, str))
      out_.push_back(TypeInvalid(p, str, name + " in body must be of type " + format + ": " + GoQuote(str)));
  }

  void Number(const Json& v, const Json& s, const Path& p) {
    const std::string name = p.str();
    double d = v.get<double>();
    if (Get(s, "maximum").is_number()) {
      double max = s["maximum"].get<double>();
      if (GetBool(s, "exclusiveMaximum") ? d >= max : d > max)
        out_.push_back(Invalid(p, v, name + " in body should be less than " +
                                         (GetBool(s, "exclusiveMaximum") ? "" : "or equal to ") +
                                         NumText(s["maximum"])));
    }
    if (Get(s, "minimum").is_number()) {
      double min = s["minimum"].get<double>();
      if (GetBool(s, "exclusiveMinimum") ? d <= min : d < min)
        out_.push_back(Invalid(p, v, name + " in body should be greater than " +
                                         (GetBool(s, "exclusiveMinimum") ? "" : "or equal to ") +
                                         NumText(s["minimum"])));
    }
    if (Get(s, "multipleOf").is_number()) {
      double m = s["multipleOf"].get<double>();
      if (m > 0) {
        double q = d / m;
        if (std::fabs(q - std::round(q)) > 1e-9)
          out_.push_back(Invalid(p, v, name + " in body should be a multiple of " + NumText(s["multipleOf"])));
      }
    }
  }

  void Enum(const Json& v, const Json& s, const Path& p) {
    const Json& values = Get(s, "enum");
    if (!values.is_array() || values.empty()) return;
    for (const Json& e : values)
      if (e == v || (e.is_number() && v.is_number() && e.get<double>() == v.get<double>())) return;
    std::vector<std::string> texts;
    for (const Json& e : values) texts.push_back(e.is_string() ? e.get<std::string>() : e.dump());
    out_.push_back(NotSupported(p, v, texts));
  }

  void Array(const Json& v, const Json& s, const Path& p, const Json* old) {
    const std::string name = p.str();
    if (Get(s, "maxItems").is_number_integer() && v.size() > s["maxItems"].get<size_t>())
      out_.push_back(TooMany(p, static_cast<int64_t>(v.size()), s["maxItems"].get<int64_t>()));
    if (Get(s, "minItems").is_number_integer() && v.size() < s["minItems"].get<size_t>())
      out_.push_back(Invalid(p, v, name + " in body should have at least " +
                                       std::to_string(s["minItems"].get<int64_t>()) + " items"));
    if (GetBool(s, "uniqueItems")) {
      for (size_t i = 0; i < v.size(); ++i)
        for (size_t j = 0; j < i; ++j)
          if (v[i] == v[j]) {
            out_.push_back(Invalid(p, v, name + " in body shouldn't contain duplicates"));
            i = v.size();
            break;
          }
    }
    std::string list_type = GetString(s, "x-kubernetes-list-type");
    const Json& keys = Get(s, "x-kubernetes-list-map-keys");
    auto same_keys = [&](const Json& a, const Json& b) {
      for (const Json& k : keys)
        if (k.is_string() && Get(a, k.get<std::string>()) != Get(b, k.get<std::string>()))
          return false;
      return true;
    };
    if (list_type == "set") {
      for (size_t i = 0; i < v.size(); ++i)
        for (size_t j = 0; j < i; ++j)
          if (v[i] == v[j]) {
            out_.push_back(Duplicate(p.Index(i), v[i]));
            break;
          }
    } else if (list_type == "map" && keys.is_array()) {
      for (size_t i = 0; i < v.size(); ++i)
        for (size_t j = 0; j < i; ++j)
          if (v[i].is_object() && v[j].is_object() && same_keys(v[i], v[j])) {
            FieldError e = Duplicate(p.Index(i), Json());
            e.bad_value_repr = GoKeysMap(v[i], keys);
            out_.push_back(std::move(e));
            break;
          }
    }
    const Json& items = Get(s, "items");
    if (!items.is_object()) return;
    for (size_t i = 0; i < v.size(); ++i) {
      // Ratcheting correlates elements of map lists by key and of sets by
      // value; atomic lists are not correlated.
      const Json* old_elem = nullptr;
      if (old && old->is_array()) {
        if (list_type == "map" && keys.is_array()) {
          for (const Json& o : *old)
            if (o.is_object() && v[i].is_object() && same_keys(o, v[i])) old_elem = &o;
        } else if (list_type == "set") {
          for (const Json& o : *old)
            if (o == v[i]) old_elem = &o;
        }
      }
      Value(v[i], items, p.Index(i), old_elem);
    }
  }

  void Object(const Json& v, const Json& s, const Path& p, const Json* old) {
    const std::string name = p.str();
    if (Get(s, "maxProperties").is_number_integer() && v.size() > s["maxProperties"].get<size_t>())
      out_.push_back(TooMany(p, static_cast<int64_t>(v.size()), s["maxProperties"].get<int64_t>()));
    if (Get(s, "minProperties").is_number_integer() && v.size() < s["minProperties"].get<size_t>())
      out_.push_back(Invalid(p, v, name + " in body should have at least " +
                                       std::to_string(s["minProperties"].get<int64_t>()) +
                                       " properties"));
    for (const Json& r : Arr(s, "required"))
      if (r.is_string() && !v.contains(r.get<std::string>())) out_.push_back(Required(p.Child(r.get<std::string>()), ""));
    const Json& props = Get(s, "properties");
    const Json& additional = Get(s, "additionalProperties");
    // Properties in name order, as Go's sorted maps give them.
    std::vector<std::string> keys;
    for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    bool embedded = GetBool(s, "x-kubernetes-embedded-resource");
    for (const std::string& k : keys) {
      if (embedded && k == "metadata") continue;
      const Json* old_child = old && old->is_object() && old->contains(k) ? &(*old)[k] : nullptr;
      if (props.is_object() && props.contains(k)) Value(v[k], props[k], p.Child(k), old_child);
      else if (additional.is_object()) Value(v[k], additional, p.Child(k), old_child);
    }
    if (embedded) Embedded(v, p);
  }

  // x-kubernetes-embedded-resource: an object with apiVersion, kind and
  // (optional) metadata (apiextensions objectmeta.validateEmbeddedResource).
  void Embedded(const Json& v, const Path& p) {
    const Json& meta = Get(v, "metadata");
    if (meta.is_object()) {
      std::string name = GetString(meta, "name");
      if (!name.empty()) Append(out_, InvalidEach(p.Child("metadata").Child("name"), name, IsDNS1123Subdomain(name)));
      std::string gen = GetString(meta, "generateName");
      if (!gen.empty())
        Append(out_, InvalidEach(p.Child("metadata").Child("generateName"), gen, IsDNS1123Subdomain(gen + "a")));
      Append(out_, ValidateLabels(Get(meta, "labels"), p.Child("metadata").Child("labels")));
      Append(out_, ValidateAnnotations(Get(meta, "annotations"), p.Child("metadata").Child("annotations")));
    }
    if (GetString(v, "kind").empty()) out_.push_back(Required(p.Child("kind"), "must not be empty"));
    std::string api_version = GetString(v, "apiVersion");
    if (api_version.empty()) {
      out_.push_back(Required(p.Child("apiVersion"), "must not be empty"));
    } else if (std::count(api_version.begin(), api_version.end(), '/') > 1) {
      out_.push_back(Invalid(p.Child("apiVersion"), api_version,
                             "unexpected GroupVersion string: " + api_version));
    }
  }

  ErrorList& out_;
};

ErrorList SchemaErrors(const Json& crd_version, const Json& obj, const Json* old) {
  ErrorList out;
  const Json& schema = crd::VersionSchema(crd_version);
  if (!schema.is_object()) return out;
  // The root's apiVersion, kind and metadata are the server's business.
  Json body = obj;
  Json old_body;
  if (body.is_object()) {
    body.erase("apiVersion");
    body.erase("kind");
    body.erase("metadata");
  }
  if (old) {
    old_body = *old;
    if (old_body.is_object()) {
      old_body.erase("apiVersion");
      old_body.erase("kind");
      old_body.erase("metadata");
    }
  }
  Json root = schema;
  if (root.is_object()) root.erase("x-kubernetes-embedded-resource");
  Validator(out).Value(body, root, Path(), old ? &old_body : nullptr);
  return out;
}

}  // namespace

ErrorList validation::ValidateValueAgainstSchema(const Json& value, const Json& schema,
                                                 const Path& data_path) {
  ErrorList out;
  Validator(out).Value(value, schema, data_path, nullptr);
  return out;
}

std::vector<FieldError> ValidateCustom(const ResourceInfo& ri, const Json& crd_version,
                                       const Json& obj, const Json* old) {
  ErrorList out;
  const Json& meta = Get(obj, "metadata");
  if (old == nullptr) Append(out, validation::ObjectMeta(ri, meta, Path("metadata")));
  else Append(out, validation::ObjectMetaUpdate(meta, Get(*old, "metadata"), Path("metadata")));
  Append(out, SchemaErrors(crd_version, obj, old));
  return out;
}

std::vector<FieldError> ValidateCustomStatusUpdate(const ResourceInfo& ri, const Json& crd_version,
                                                   const Json& obj, const Json& old) {
  (void)ri;
  ErrorList out = validation::ObjectMetaUpdate(Get(obj, "metadata"), Get(old, "metadata"),
                                               Path("metadata"));
  Append(out, SchemaErrors(crd_version, obj, &old));
  return out;
}

}  // namespace common::api
