#include "env.h"

#include "common/base64.h"

namespace nodeagent {

using common::Json;

std::string Expand(const std::string& in, const std::map<std::string, std::string>& vars) {
  std::string out;
  size_t i = 0;
  while (i < in.size()) {
    if (in[i] != '$' || i + 1 >= in.size()) {
      out += in[i++];
      continue;
    }
    char next = in[i + 1];
    if (next == '$') {  // escaped: "$$" -> "$", "$$(X)" -> "$(X)"
      out += '$';
      i += 2;
      continue;
    }
    if (next == '(') {
      auto close = in.find(')', i + 2);
      if (close == std::string::npos) {  // unterminated: kept as written
        out += in.substr(i);
        break;
      }
      std::string name = in.substr(i + 2, close - i - 2);
      auto it = vars.find(name);
      if (it != vars.end()) out += it->second;
      else out += in.substr(i, close - i + 1);
      i = close + 1;
      continue;
    }
    out += in[i++];
  }
  return out;
}

namespace {

common::Result<std::optional<Json>> Lookup(const ObjectLookup& lookup, const std::string& kind,
                                           const std::string& ns, const std::string& name) {
  if (!lookup) return std::optional<Json>();
  return lookup(kind, ns, name);
}

std::optional<std::string> KeyOf(const Json& obj, const std::string& key, bool secret) {
  const Json& data = common::Get(obj, "data");
  if (data.is_object() && data.contains(key) && data[key].is_string()) {
    std::string v = data[key].get<std::string>();
    if (!secret) return v;
    auto d = common::Base64Decode(v);
    return d ? *d : v;
  }
  if (!secret) {
    const Json& bin = common::Get(obj, "binaryData");
    if (bin.is_object() && bin.contains(key) && bin[key].is_string()) {
      auto d = common::Base64Decode(bin[key].get<std::string>());
      if (d) return *d;
    }
  }
  return std::nullopt;
}

}  // namespace

common::Result<ResolvedEnv> ResolveEnv(const PodSpec& pod, const ContainerSpec& c,
                                       const DownwardContext& ctx, const ObjectLookup& lookup) {
  std::map<std::string, std::string> vars;
  std::vector<std::string> order;
  auto set = [&](const std::string& k, const std::string& v) {
    if (!vars.count(k)) order.push_back(k);
    vars[k] = v;
  };
  for (const Json& src : c.env_from.is_array() ? c.env_from : Json::array()) {
    std::string prefix = common::GetString(src, "prefix");
    bool secret = common::Get(src, "secretRef").is_object();
    const Json& ref = secret ? common::Get(src, "secretRef") : common::Get(src, "configMapRef");
    if (!ref.is_object()) continue;
    std::string name = common::GetString(ref, "name");
    ASSIGN_OR_RETURN(auto obj, Lookup(lookup, secret ? "Secret" : "ConfigMap", pod.ns, name));
    if (!obj) {
      if (common::GetBool(ref, "optional")) continue;
      return common::Status::NotFound(std::string(secret ? "secret" : "configmap") + " \"" + name +
                                      "\" not found");
    }
    const Json& data = common::Get(*obj, "data");
    if (!data.is_object()) continue;
    for (auto it = data.begin(); it != data.end(); ++it) {
      auto v = KeyOf(*obj, it.key(), secret);
      if (v) set(prefix + it.key(), *v);
    }
  }
  for (const EnvVar& e : c.env) {
    if (e.value_from.is_null()) {
      set(e.name, Expand(e.value, vars));
      continue;
    }
    const Json& vf = e.value_from;
    if (const Json& f = common::Get(vf, "fieldRef"); f.is_object()) {
      ASSIGN_OR_RETURN(std::string v, FieldRefValue(pod, ctx, common::GetString(f, "fieldPath")));
      set(e.name, v);
    } else if (const Json& r = common::Get(vf, "resourceFieldRef"); r.is_object()) {
      std::string cname = common::GetString(r, "containerName", c.name);
      if (cname.empty()) cname = c.name;
      ASSIGN_OR_RETURN(std::string v, ResourceFieldValue(pod, ctx, cname, common::GetString(r, "resource"),
                                                         common::Get(r, "divisor")));
      set(e.name, v);
    } else {
      bool secret = common::Get(vf, "secretKeyRef").is_object();
      const Json& ref = secret ? common::Get(vf, "secretKeyRef") : common::Get(vf, "configMapKeyRef");
      if (!ref.is_object()) continue;
      std::string name = common::GetString(ref, "name"), key = common::GetString(ref, "key");
      bool optional = common::GetBool(ref, "optional");
      ASSIGN_OR_RETURN(auto obj, Lookup(lookup, secret ? "Secret" : "ConfigMap", pod.ns, name));
      if (!obj) {
        if (optional) continue;
        return common::Status::NotFound(std::string(secret ? "secret" : "configmap") + " \"" + name +
                                        "\" not found");
      }
      auto v = KeyOf(*obj, key, secret);
      if (!v) {
        if (optional) continue;
        return common::Status::NotFound("couldn't find key " + key + " in " +
                                        (secret ? "Secret " : "ConfigMap ") + pod.ns + "/" + name);
      }
      set(e.name, *v);
    }
  }
  ResolvedEnv out;
  for (const auto& k : order) out.env.push_back(k + "=" + vars[k]);
  for (const auto& s : c.command) out.command.push_back(Expand(s, vars));
  for (const auto& s : c.args) out.args.push_back(Expand(s, vars));
  return out;
}

}  // namespace nodeagent
