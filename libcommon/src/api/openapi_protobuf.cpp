// /openapi/v2 in the only encoding kubectl accepts there: the protobuf of
// gnostic's openapi_v2.Document (github.com/google/gnostic
// openapiv2/OpenAPIv2.proto). kubectl 1.29+ reads it only for what the v3
// documents cannot answer (a `kind: List` file, kinds without a PATCH
// operation), but then create/apply fail without it.
//
// The encoder walks the Swagger 2.0 JSON document. Values gnostic keeps as
// `Any` (vendor extensions, enum, default, example) carry their YAML text;
// JSON is valid YAML, which is what kube-openapi's reader unmarshals.
#include <cstring>

#include "openapi_internal.h"

namespace common::api::openapi {
namespace {

// A protobuf message being written (proto3 wire format).
class Pb {
 public:
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      buf_ += static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    buf_ += static_cast<char>(v);
  }
  void Key(int field, int wire) { Varint(static_cast<uint64_t>(field) << 3 | wire); }
  void Bytes(int field, std::string_view s) {
    Key(field, 2);
    Varint(s.size());
    buf_.append(s);
  }
  // proto3 omits default values.
  void String(int field, const Json& v) {
    if (v.is_string() && !v.get_ref<const std::string&>().empty())
      Bytes(field, v.get_ref<const std::string&>());
  }
  void Bool(int field, const Json& v) {
    if (v.is_boolean() && v.get<bool>()) {
      Key(field, 0);
      Varint(1);
    }
  }
  void Int64(int field, const Json& v) {
    if (v.is_number_integer() && v.get<int64_t>() != 0) {
      Key(field, 0);
      Varint(static_cast<uint64_t>(v.get<int64_t>()));
    }
  }
  void Double(int field, const Json& v) {
    if (!v.is_number()) return;
    double d = v.get<double>();
    Key(field, 1);
    char raw[8];
    std::memcpy(raw, &d, 8);
    buf_.append(raw, 8);
  }
  void Message(int field, const Pb& m) { Bytes(field, m.buf_); }
  void Strings(int field, const Json& v) {
    if (v.is_string()) Bytes(field, v.get_ref<const std::string&>());
    if (!v.is_array()) return;
    for (const Json& s : v)
      if (s.is_string()) Bytes(field, s.get_ref<const std::string&>());
  }
  const std::string& data() const { return buf_; }

 private:
  std::string buf_;
};

// gnostic Any{yaml = 2}.
Pb AnyOf(const Json& v) {
  Pb any;
  any.Bytes(2, DumpJson(v) + "\n");
  return any;
}

// NamedAny{name = 1, value = 2} for every x- key of `obj`.
void VendorExtensions(int field, const Json& obj, Pb& out) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (it.key().rfind("x-", 0) != 0) continue;
    Pb named;
    named.Bytes(1, it.key());
    named.Message(2, AnyOf(it.value()));
    out.Message(field, named);
  }
}

Pb Schema(const Json& s) {
  Pb m;
  if (!s.is_object()) return m;
  m.String(1, Get(s, "$ref"));
  m.String(2, Get(s, "format"));
  m.String(3, Get(s, "title"));
  m.String(4, Get(s, "description"));
  if (s.contains("default")) m.Message(5, AnyOf(s["default"]));
  if (s.contains("multipleOf")) m.Double(6, s["multipleOf"]);
  if (s.contains("maximum")) m.Double(7, s["maximum"]);
  m.Bool(8, Get(s, "exclusiveMaximum"));
  if (s.contains("minimum")) m.Double(9, s["minimum"]);
  m.Bool(10, Get(s, "exclusiveMinimum"));
  m.Int64(11, Get(s, "maxLength"));
  m.Int64(12, Get(s, "minLength"));
  m.String(13, Get(s, "pattern"));
  m.Int64(14, Get(s, "maxItems"));
  m.Int64(15, Get(s, "minItems"));
  m.Bool(16, Get(s, "uniqueItems"));
  m.Int64(17, Get(s, "maxProperties"));
  m.Int64(18, Get(s, "minProperties"));
  m.Strings(19, Get(s, "required"));
  if (Get(s, "enum").is_array())
    for (const Json& e : s["enum"]) m.Message(20, AnyOf(e));
  const Json& ap = Get(s, "additionalProperties");
  if (ap.is_object()) {
    Pb item;
    item.Message(1, Schema(ap));
    m.Message(21, item);
  } else if (ap.is_boolean()) {
    Pb item;
    item.Key(2, 0);
    item.Varint(ap.get<bool>() ? 1 : 0);
    m.Message(21, item);
  }
  if (s.contains("type")) {
    Pb type;
    type.Strings(1, s["type"]);
    m.Message(22, type);
  }
  const Json& items = Get(s, "items");
  if (items.is_object() || items.is_array()) {
    Pb item;
    if (items.is_object()) item.Message(1, Schema(items));
    else
      for (const Json& i : items) item.Message(1, Schema(i));
    m.Message(23, item);
  }
  if (Get(s, "allOf").is_array())
    for (const Json& a : s["allOf"]) m.Message(24, Schema(a));
  const Json& props = Get(s, "properties");
  if (props.is_object()) {
    Pb p;
    for (auto it = props.begin(); it != props.end(); ++it) {
      Pb named;
      named.Bytes(1, it.key());
      named.Message(2, Schema(it.value()));
      p.Message(1, named);
    }
    m.Message(25, p);
  }
  m.Bool(27, Get(s, "readOnly"));
  if (s.contains("example")) m.Message(30, AnyOf(s["example"]));
  VendorExtensions(31, s, m);
  return m;
}

// ParametersItem{parameter = 1: Parameter{body_parameter = 1 |
// non_body_parameter = 2: NonBodyParameter{query = 3 | path = 4}}}.
Pb Parameter(const Json& p) {
  Pb param;
  std::string in = GetString(p, "in");
  if (in == "body") {
    Pb body;
    body.String(1, Get(p, "description"));
    body.String(2, Get(p, "name"));
    body.String(3, Get(p, "in"));
    body.Bool(4, Get(p, "required"));
    body.Message(5, Schema(Get(p, "schema")));
    param.Message(1, body);
  } else {
    // Query and path sub-schemas share their first fields; the type and
    // uniqueItems numbers differ (query has allowEmptyValue at 5).
    bool query = in == "query";
    Pb sub;
    sub.Bool(1, Get(p, "required"));
    sub.String(2, Get(p, "in"));
    sub.String(3, Get(p, "description"));
    sub.String(4, Get(p, "name"));
    sub.String(query ? 6 : 5, Get(p, "type"));
    sub.Bool(query ? 20 : 19, Get(p, "uniqueItems"));
    Pb non_body;
    non_body.Message(query ? 3 : 4, sub);
    param.Message(2, non_body);
  }
  Pb item;
  item.Message(1, param);
  return item;
}

Pb Operation(const Json& op) {
  Pb m;
  m.Strings(1, Get(op, "tags"));
  m.String(3, Get(op, "description"));
  m.String(5, Get(op, "operationId"));
  m.Strings(6, Get(op, "produces"));
  m.Strings(7, Get(op, "consumes"));
  if (Get(op, "parameters").is_array())
    for (const Json& p : op["parameters"]) m.Message(8, Parameter(p));
  Pb responses;
  const Json& rs = Get(op, "responses");
  for (auto it = rs.begin(); it != rs.end(); ++it) {
    Pb response;
    response.String(1, Get(it.value(), "description"));
    if (it.value().contains("schema")) {
      Pb schema_item;
      schema_item.Message(1, Schema(it.value()["schema"]));
      response.Message(2, schema_item);
    }
    Pb value;
    value.Message(1, response);
    Pb named;
    named.Bytes(1, it.key());
    named.Message(2, value);
    responses.Message(1, named);
  }
  m.Message(9, responses);
  m.Strings(10, Get(op, "schemes"));
  VendorExtensions(13, op, m);
  return m;
}

Pb PathItem(const Json& item) {
  Pb m;
  static const std::pair<const char*, int> kMethods[] = {
      {"get", 2}, {"put", 3}, {"post", 4}, {"delete", 5}, {"options", 6}, {"head", 7}, {"patch", 8}};
  for (const auto& [name, field] : kMethods)
    if (item.contains(name)) m.Message(field, Operation(item[name]));
  if (Get(item, "parameters").is_array())
    for (const Json& p : item["parameters"]) m.Message(9, Parameter(p));
  return m;
}

}  // namespace

std::string SwaggerToProtobuf(const Json& doc) {
  Pb m;
  m.String(1, Get(doc, "swagger"));
  Pb info;
  info.String(1, GetPath(doc, {"info", "title"}));
  info.String(2, GetPath(doc, {"info", "version"}));
  m.Message(2, info);
  Pb paths;
  const Json& ps = Get(doc, "paths");
  for (auto it = ps.begin(); it != ps.end(); ++it) {
    Pb named;
    named.Bytes(1, it.key());
    named.Message(2, PathItem(it.value()));
    paths.Message(2, named);
  }
  m.Message(8, paths);
  Pb defs;
  const Json& ds = Get(doc, "definitions");
  for (auto it = ds.begin(); it != ds.end(); ++it) {
    Pb named;
    named.Bytes(1, it.key());
    named.Message(2, Schema(it.value()));
    defs.Message(1, named);
  }
  m.Message(9, defs);
  // security: [{"BearerToken": []}] as SecurityRequirement{NamedStringArray}.
  if (Get(doc, "security").is_array())
    for (const Json& req : doc["security"]) {
      Pb sr;
      for (auto it = req.begin(); it != req.end(); ++it) {
        Pb arr;
        arr.Strings(1, it.value());
        Pb named;
        named.Bytes(1, it.key());
        named.Message(2, arr);
        sr.Message(1, named);
      }
      m.Message(12, sr);
    }
  const Json& sd = Get(doc, "securityDefinitions");
  if (sd.is_object()) {
    Pb defs_msg;
    for (auto it = sd.begin(); it != sd.end(); ++it) {
      Pb api_key;  // ApiKeySecurity{type, name, in, description}
      api_key.String(1, Get(it.value(), "type"));
      api_key.String(2, Get(it.value(), "name"));
      api_key.String(3, Get(it.value(), "in"));
      api_key.String(4, Get(it.value(), "description"));
      Pb item;
      item.Message(2, api_key);
      Pb named;
      named.Bytes(1, it.key());
      named.Message(2, item);
      defs_msg.Message(1, named);
    }
    m.Message(13, defs_msg);
  }
  return m.data();
}

}  // namespace common::api::openapi
