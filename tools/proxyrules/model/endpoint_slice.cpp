#include "endpoint_slice.h"

#include <algorithm>

#include "chain_names.h"

namespace proxyrules {
namespace {

using common::Get;
using common::GetPath;
using common::GetString;
using common::Json;

ParsedSlices Ignored(std::string reason) {
  ParsedSlices p;
  p.kind = ParsedSlices::kIgnored;
  p.reason = std::move(reason);
  return p;
}

ParsedSlices Invalid(std::string reason) {
  ParsedSlices p;
  p.kind = ParsedSlices::kInvalid;
  p.reason = std::move(reason);
  return p;
}

bool CondOr(const Json& conditions, const char* key, bool dflt) {
  const Json& v = Get(conditions, key);
  return v.is_boolean() ? v.get<bool>() : dflt;
}

// Reads one port entry; "" on success, else the reason it is malformed.
std::string ReadPort(const Json& p, bool name_required, Slice::Port* out) {
  const Json& name = Get(p, "name");
  if (name.is_string()) {
    out->name = name.get<std::string>();
  } else if (name_required) {
    return "port has no name";
  }
  std::string proto = GetString(p, "protocol", "TCP");
  auto parsed = ParseProtocol(proto);
  if (!parsed) return "unknown protocol \"" + proto + "\"";
  out->protocol = *parsed;
  const Json& port = Get(p, "port");
  if (!port.is_number_integer() || port.get<int64_t>() < 1 || port.get<int64_t>() > 65535)
    return "port must be in 1-65535";
  out->port = static_cast<int>(port.get<int64_t>());
  return "";
}

}  // namespace

bool Slice::operator==(const Slice& o) const {
  if (!(service == o.service) || name != o.name || ports.size() != o.ports.size() ||
      endpoints.size() != o.endpoints.size())
    return false;
  for (size_t i = 0; i < ports.size(); ++i) {
    if (ports[i].name != o.ports[i].name || ports[i].protocol != o.ports[i].protocol ||
        ports[i].port != o.ports[i].port)
      return false;
  }
  for (size_t i = 0; i < endpoints.size(); ++i) {
    const auto &a = endpoints[i], &b = o.endpoints[i];
    if (!(a.ip == b.ip) || a.node_name != b.node_name || a.ready != b.ready ||
        a.serving != b.serving || a.terminating != b.terminating || a.zone_hints != b.zone_hints)
      return false;
  }
  return true;
}

ParsedSlices ParseEndpointSlice(const Json& obj, IPFamily family) {
  const Json& meta = Get(obj, "metadata");
  const Json& labels = Get(meta, "labels");
  Slice s;
  s.name = GetString(meta, "name");
  s.service.ns = GetString(meta, "namespace", "default");
  s.service.name = GetString(labels, "kubernetes.io/service-name");
  if (s.name.empty()) return Invalid("metadata.name is empty");
  if (s.service.name.empty()) return Invalid("no kubernetes.io/service-name label");
  if (!Get(labels, "service.kubernetes.io/service-proxy-name").is_null())
    return Ignored("served by another proxy (service.kubernetes.io/service-proxy-name)");
  if (!Get(labels, "service.kubernetes.io/headless").is_null())
    return Ignored("headless (service.kubernetes.io/headless)");

  std::string type = GetString(obj, "addressType");
  if (type == "FQDN") return Ignored("addressType FQDN");
  std::string want = family == IPFamily::kIPv4 ? "IPv4" : "IPv6";
  if (type != "IPv4" && type != "IPv6") return Invalid("unknown addressType \"" + type + "\"");
  if (type != want) return Ignored("addressType " + type);

  const Json& ports = Get(obj, "ports");
  for (size_t i = 0; i < ports.size(); ++i) {
    Slice::Port port;
    // kube-proxy ignores a port with a nil name or a nil/zero number; a port
    // like that only comes from a hand-written or half-written slice.
    std::string why = ReadPort(ports[i], true, &port);
    if (!why.empty()) return Invalid("ports[" + std::to_string(i) + "]: " + why);
    s.ports.push_back(std::move(port));
  }
  const Json& eps = Get(obj, "endpoints");
  for (size_t i = 0; i < eps.size(); ++i) {
    const Json& e = eps[i];
    std::string where = "endpoints[" + std::to_string(i) + "]";
    const Json& addrs = Get(e, "addresses");
    if (!addrs.is_array() || addrs.empty() || !addrs[0].is_string())
      return Invalid(where + ": no addresses");
    std::string text = addrs[0].get<std::string>();
    auto ip = ParseIP(text);
    if (!ip) return Invalid(where + ": bad address \"" + text + "\"");
    if (ip->family != family) return Invalid(where + ": address \"" + text + "\" is not " + want);
    Slice::Endpoint ep;
    ep.ip = *ip;
    ep.node_name = GetString(e, "nodeName");
    const Json& cond = Get(e, "conditions");
    ep.ready = CondOr(cond, "ready", true);
    ep.serving = CondOr(cond, "serving", true);
    ep.terminating = CondOr(cond, "terminating", false);
    for (const auto& z : GetPath(e, {"hints", "forZones"})) {
      std::string zone = GetString(z, "name");
      if (!zone.empty()) ep.zone_hints.push_back(zone);
    }
    s.endpoints.push_back(std::move(ep));
  }
  ParsedSlices out;
  out.slices.push_back(std::move(s));
  return out;
}

ParsedSlices ParseEndpoints(const Json& obj, IPFamily family) {
  const Json& meta = Get(obj, "metadata");
  NamespacedName svc{GetString(meta, "namespace", "default"), GetString(meta, "name")};
  if (svc.name.empty()) return Invalid("metadata.name is empty");
  if (!Get(Get(meta, "labels"), "service.kubernetes.io/service-proxy-name").is_null())
    return Ignored("served by another proxy (service.kubernetes.io/service-proxy-name)");
  ParsedSlices out;
  const Json& subsets = Get(obj, "subsets");
  for (size_t i = 0; i < subsets.size(); ++i) {
    const Json& ss = subsets[i];
    std::string where = "subsets[" + std::to_string(i) + "]";
    Slice s;
    s.service = svc;
    // Not a name a real EndpointSlice can have, so it never collides with one.
    s.name = "endpoints:" + svc.name + ":" + std::to_string(i);
    const Json& ports = Get(ss, "ports");
    for (size_t j = 0; j < ports.size(); ++j) {
      Slice::Port port;
      std::string why = ReadPort(ports[j], false, &port);
      if (!why.empty()) return Invalid(where + ".ports[" + std::to_string(j) + "]: " + why);
      s.ports.push_back(std::move(port));
    }
    for (const char* key : {"addresses", "notReadyAddresses"}) {
      bool ready = std::string_view(key) == "addresses";
      for (const auto& a : Get(ss, key)) {
        std::string text = GetString(a, "ip");
        auto ip = ParseIP(text);
        if (!ip) return Invalid(where + "." + key + ": bad ip \"" + text + "\"");
        if (ip->family != family) continue;
        Slice::Endpoint ep;
        ep.ip = *ip;
        ep.node_name = GetString(a, "nodeName");
        ep.ready = ready;
        ep.serving = ready;
        s.endpoints.push_back(std::move(ep));
      }
    }
    out.slices.push_back(std::move(s));
  }
  return out;
}

std::map<ServicePortName, std::vector<Endpoint>> MergeSlices(const std::vector<const Slice*>& slices,
                                                             const std::string& node_name) {
  // Keyed by "IP:port" so a duplicate across slices collapses into one.
  std::map<ServicePortName, std::map<std::string, Endpoint>> by_port;
  for (const Slice* s : slices) {
    for (const auto& port : s->ports) {
      ServicePortName spn{s->service, port.name, port.protocol};
      std::string spn_text = spn.String();
      std::string_view proto = LowerProtocol(port.protocol);
      auto& set = by_port[spn];
      for (const auto& e : s->endpoints) {
        Endpoint ep;
        ep.ip = e.ip;
        ep.port = port.port;
        ep.str = JoinHostPort(e.ip, port.port);
        ep.is_local = !node_name.empty() && e.node_name == node_name;
        ep.ready = e.ready;
        ep.serving = e.serving;
        ep.terminating = e.terminating;
        ep.zone_hints = e.zone_hints;
        // A running pod that reuses a terminating pod's IP wins (kube-proxy's
        // EndpointSliceCache.addEndpoints).
        auto it = set.find(ep.str);
        if (it != set.end() && ep.terminating) continue;
        ep.chain = EndpointChainName(spn_text, proto, ep.str);
        set[ep.str] = std::move(ep);
      }
    }
  }
  std::map<ServicePortName, std::vector<Endpoint>> out;
  for (auto& [spn, set] : by_port) {
    if (set.empty()) continue;
    auto& list = out[spn];
    list.reserve(set.size());
    // std::map iterates in string order, which is kube-proxy's byEndpoint sort.
    for (auto& [_, ep] : set) list.push_back(std::move(ep));
  }
  return out;
}

}  // namespace proxyrules
