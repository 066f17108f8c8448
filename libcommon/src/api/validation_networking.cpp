// networking.k8s.io (pkg/apis/networking/validation) and discovery.k8s.io
// (pkg/apis/discovery/validation) validation.
#include <set>

#include "common/strings.h"
#include "validation_util.h"

namespace common::api::validation {
namespace {

// Parses "a.b.c.d/n" or "v6/n"; the prefix length, or -1.
int CidrBits(const std::string& cidr, bool* v6) {
  size_t slash = cidr.find('/');
  if (slash == std::string::npos) return -1;
  std::string ip = cidr.substr(0, slash), bits = cidr.substr(slash + 1);
  if (!IsValidIP(ip).empty() || bits.empty() || bits.size() > 3) return -1;
  for (char c : bits)
    if (c < '0' || c > '9') return -1;
  *v6 = ip.find(':') != std::string::npos;
  int n = std::stoi(bits);
  return n <= (*v6 ? 128 : 32) ? n : -1;
}

// The bytes of a valid IPv4 (4) or IPv6 (16) address.
std::vector<uint8_t> IpBytes(const std::string& ip) {
  std::vector<uint8_t> out;
  if (ip.find(':') == std::string::npos) {
    for (const std::string& part : Split(ip, '.')) out.push_back(static_cast<uint8_t>(std::stoi(part)));
    return out;
  }
  std::vector<uint16_t> head, tail;
  size_t dbl = ip.find("::");
  auto groups = [](const std::string& s, std::vector<uint16_t>& into) {
    for (const std::string& g : SplitNonEmpty(s, ':')) {
      if (g.find('.') != std::string::npos) {  // trailing dotted quad
        std::vector<std::string> q = Split(g, '.');
        into.push_back(static_cast<uint16_t>(std::stoi(q[0]) << 8 | std::stoi(q[1])));
        into.push_back(static_cast<uint16_t>(std::stoi(q[2]) << 8 | std::stoi(q[3])));
      } else {
        into.push_back(static_cast<uint16_t>(std::stoul(g, nullptr, 16)));
      }
    }
  };
  if (dbl == std::string::npos) {
    groups(ip, head);
  } else {
    groups(ip.substr(0, dbl), head);
    groups(ip.substr(dbl + 2), tail);
  }
  std::vector<uint16_t> all = head;
  all.resize(8 - tail.size(), 0);
  for (uint16_t g : tail) all.push_back(g);
  for (uint16_t g : all) {
    out.push_back(static_cast<uint8_t>(g >> 8));
    out.push_back(static_cast<uint8_t>(g & 0xff));
  }
  return out;
}

// Whether `inner` (with `inner_bits`) lies inside `outer`/`outer_bits`.
bool Contains(const std::string& outer, int outer_bits, const std::string& inner, int inner_bits) {
  if (inner_bits < outer_bits) return false;
  std::vector<uint8_t> a = IpBytes(outer.substr(0, outer.find('/')));
  std::vector<uint8_t> b = IpBytes(inner.substr(0, inner.find('/')));
  if (a.size() != b.size()) return false;
  for (int bit = 0; bit < outer_bits; ++bit) {
    int mask = 0x80 >> (bit % 8);
    if ((a[static_cast<size_t>(bit / 8)] & mask) != (b[static_cast<size_t>(bit / 8)] & mask)) return false;
  }
  return true;
}

ErrorList Cidr(const std::string& cidr, const Path& p) {
  bool v6 = false;
  if (cidr.empty()) return {Required(p, "")};
  if (CidrBits(cidr, &v6) < 0)
    return {Invalid(p, cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")};
  return {};
}

// A wildcard DNS-1123 subdomain ("*.example.com").
std::vector<std::string> IsWildcardDNS1123Subdomain(const std::string& v) {
  if (v.size() < 3 || v.rfind("*.", 0) != 0 || !IsDNS1123Subdomain(v.substr(2)).empty())
    return {"a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, "
            "which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
            "alphanumeric character (e.g. '*.example.com', regex used for validation is "
            "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"};
  return {};
}

// validateNetworkPolicyPort.
ErrorList PolicyPort(const Json& port, const Path& p) {
  ErrorList out;
  if (Has(port, "protocol"))
    Append(out, Enum(port, "protocol", p.Child("protocol"), {"SCTP", "TCP", "UDP"}, true));
  const Json& num = Get(port, "port");
  const Json& end = Get(port, "endPort");
  if (num.is_number()) {
    Append(out, InvalidEach(p.Child("port"), num, IsValidPortNum(num.get<int64_t>())));
    if (end.is_number()) {
      if (end.get<int64_t>() < num.get<int64_t>())
        out.push_back(Invalid(p.Child("endPort"), end, "must be greater than or equal to `port`"));
      Append(out, InvalidEach(p.Child("endPort"), end, IsValidPortNum(end.get<int64_t>())));
    }
  } else if (num.is_string()) {
    if (end.is_number())
      out.push_back(Invalid(p.Child("endPort"), end, "may not be specified when `port` is non-numeric"));
    Append(out, InvalidEach(p.Child("port"), num, IsValidPortName(num.get<std::string>())));
  } else if (end.is_number()) {
    out.push_back(Invalid(p.Child("endPort"), end, "may not be specified when `port` is not specified"));
  }
  return out;
}

// ValidateNetworkPolicyPeer.
ErrorList Peer(const Json& peer, const Path& p) {
  ErrorList out;
  int peers = 0;
  if (Get(peer, "podSelector").is_object()) {
    ++peers;
    Append(out, ValidateLabelSelector(peer["podSelector"], p.Child("podSelector")));
  }
  if (Get(peer, "namespaceSelector").is_object()) {
    ++peers;
    Append(out, ValidateLabelSelector(peer["namespaceSelector"], p.Child("namespaceSelector")));
  }
  if (Get(peer, "ipBlock").is_object()) {
    ++peers;
    const Json& block = peer["ipBlock"];
    Path bp = p.Child("ipBlock");
    std::string cidr = GetString(block, "cidr");
    ErrorList cidr_errs = Cidr(cidr, bp.Child("cidr"));
    bool cidr_ok = cidr_errs.empty();
    Append(out, std::move(cidr_errs));
    const Json& except = Arr(block, "except");
    for (size_t i = 0; i < except.size(); ++i) {
      std::string e = except[i].is_string() ? except[i].get<std::string>() : "";
      Path ep = bp.Child("except").Index(i);
      ErrorList errs = Cidr(e, ep);
      if (!errs.empty()) {
        Append(out, std::move(errs));
        continue;
      }
      bool v6a = false, v6b = false;
      int a = cidr_ok ? CidrBits(cidr, &v6a) : -1, b = CidrBits(e, &v6b);
      if (cidr_ok && (v6a != v6b || b <= a || !Contains(cidr, a, e, b)))
        out.push_back(Invalid(ep, e, "must be a strict subset of `cidr`"));
    }
  }
  if (peers == 0) out.push_back(Required(p, "must specify a peer"));
  else if (peers > 1 && Get(peer, "ipBlock").is_object())
    out.push_back(Forbidden(p, "may not specify both ipBlock and another peer"));
  return out;
}

ErrorList NetworkPolicy(const Json& obj) {
  ErrorList out;
  const Json& spec = Obj(obj, "spec");
  Path sp("spec");
  Append(out, ValidateLabelSelector(Get(spec, "podSelector"), sp.Child("podSelector")));
  for (const char* dir : {"ingress", "egress"}) {
    const Json& rules = Arr(spec, dir);
    const char* peers_key = std::string(dir) == "ingress" ? "from" : "to";
    for (size_t i = 0; i < rules.size(); ++i) {
      Path rp = sp.Child(dir).Index(i);
      const Json& ports = Arr(rules[i], "ports");
      for (size_t j = 0; j < ports.size(); ++j) Append(out, PolicyPort(ports[j], rp.Child("ports").Index(j)));
      const Json& peers = Arr(rules[i], peers_key);
      for (size_t j = 0; j < peers.size(); ++j) Append(out, Peer(peers[j], rp.Child(peers_key).Index(j)));
    }
  }
  const Json& types = Arr(spec, "policyTypes");
  for (size_t i = 0; i < types.size(); ++i) {
    std::string t = types[i].is_string() ? types[i].get<std::string>() : "";
    if (t != "Ingress" && t != "Egress")
      out.push_back(NotSupported(sp.Child("policyTypes").Index(i), t, {"Ingress", "Egress"}));
  }
  if (types.size() > 2)
    out.push_back(Invalid(sp.Child("policyTypes"), types, "may not specify more than two policyTypes"));
  return out;
}

// validateIngressBackend.
ErrorList Backend(const Json& b, const Path& p) {
  ErrorList out;
  bool has_service = Get(b, "service").is_object(), has_resource = Get(b, "resource").is_object();
  if (has_service && has_resource) {
    out.push_back(Invalid(p, "", "cannot set both resource and service backends"));
  } else if (has_resource) {
    const Json& r = b["resource"];
    if (GetString(r, "kind").empty()) out.push_back(Required(p.Child("resource").Child("kind"), ""));
    if (GetString(r, "name").empty()) out.push_back(Required(p.Child("resource").Child("name"), ""));
  } else if (has_service) {
    const Json& s = b["service"];
    Path sp = p.Child("service");
    std::string name = GetString(s, "name");
    if (name.empty()) out.push_back(Required(sp.Child("name"), ""));
    else Append(out, InvalidEach(sp.Child("name"), name, IsDNS1035Label(name)));
    const Json& port = Obj(s, "port");
    bool has_name = !GetString(port, "name").empty();
    bool has_number = Get(port, "number").is_number() && port["number"].get<int64_t>() != 0;
    if (has_name && has_number)
      out.push_back(Invalid(sp.Child("port"), "", "cannot set both port name & port number"));
    else if (has_name)
      Append(out, InvalidEach(sp.Child("port").Child("name"), port["name"], IsValidPortName(port["name"].get<std::string>())));
    else if (has_number)
      Append(out, InvalidEach(sp.Child("port").Child("number"), port["number"], IsValidPortNum(port["number"].get<int64_t>())));
    else
      out.push_back(Required(sp.Child("port"), "port name or number is required"));
  } else {
    out.push_back(Invalid(p, "", "resource or service backend is required"));
  }
  return out;
}

ErrorList Ingress(const Json& obj) {
  ErrorList out;
  const Json& spec = Obj(obj, "spec");
  Path sp("spec");
  const Json& rules = Arr(spec, "rules");
  if (rules.empty() && !Get(spec, "defaultBackend").is_object())
    out.push_back(Invalid(sp, "", "either `defaultBackend` or `rules` must be specified"));
  if (Get(spec, "defaultBackend").is_object())
    Append(out, Backend(spec["defaultBackend"], sp.Child("defaultBackend")));
  for (size_t i = 0; i < rules.size(); ++i) {
    Path rp = sp.Child("rules").Index(i);
    std::string host = GetString(rules[i], "host");
    if (!host.empty()) {
      if (host.find('*') != std::string::npos)
        Append(out, InvalidEach(rp.Child("host"), host, IsWildcardDNS1123Subdomain(host)));
      else
        Append(out, InvalidEach(rp.Child("host"), host, IsDNS1123Subdomain(host)));
      if (IsValidIP(host).empty()) out.push_back(Invalid(rp.Child("host"), host, "must be a DNS name, not an IP address"));
    }
    const Json& http = Get(rules[i], "http");
    if (!http.is_object()) continue;
    const Json& paths = Arr(http, "paths");
    if (paths.empty()) out.push_back(Required(rp.Child("http").Child("paths"), ""));
    for (size_t j = 0; j < paths.size(); ++j) {
      const Json& path = paths[j];
      Path pp = rp.Child("http").Child("paths").Index(j);
      std::string type = GetString(path, "pathType");
      std::string value = GetString(path, "path");
      if (type.empty()) {
        out.push_back(Required(pp.Child("pathType"), "pathType must be specified"));
      } else if (type != "Exact" && type != "Prefix" && type != "ImplementationSpecific") {
        out.push_back(NotSupported(pp.Child("pathType"), type, {"Exact", "ImplementationSpecific", "Prefix"}));
      } else if (type == "Exact" || type == "Prefix") {
        if (value.empty() || value[0] != '/') out.push_back(Invalid(pp.Child("path"), value, "must be an absolute path"));
        for (const char* bad : {"//", "/./", "/../", "%2f", "%2F"})
          if (value.find(bad) != std::string::npos)
            out.push_back(Invalid(pp.Child("path"), value, std::string("must not contain '") + bad + "'"));
      } else if (!value.empty() && value[0] != '/') {
        out.push_back(Invalid(pp.Child("path"), value, "must be an absolute path"));
      }
      Append(out, Backend(Get(path, "backend"), pp.Child("backend")));
    }
  }
  const Json& tls = Arr(spec, "tls");
  for (size_t i = 0; i < tls.size(); ++i) {
    const Json& hosts = Arr(tls[i], "hosts");
    for (size_t j = 0; j < hosts.size(); ++j) {
      std::string h = hosts[j].is_string() ? hosts[j].get<std::string>() : "";
      Path hp = sp.Child("tls").Index(i).Child("hosts").Index(j);
      if (h.find('*') != std::string::npos) Append(out, InvalidEach(hp, h, IsWildcardDNS1123Subdomain(h)));
      else Append(out, InvalidEach(hp, h, IsDNS1123Subdomain(h)));
    }
  }
  std::string cls = GetString(spec, "ingressClassName");
  if (Has(spec, "ingressClassName")) Append(out, InvalidEach(sp.Child("ingressClassName"), cls, IsDNS1123Subdomain(cls)));
  return out;
}

ErrorList IngressClass(const Json& obj, const Json* old) {
  ErrorList out;
  const Json& spec = Obj(obj, "spec");
  Path sp("spec");
  std::string controller = GetString(spec, "controller");
  if (controller.empty()) {
    out.push_back(Required(sp.Child("controller"), ""));
  } else if (controller.size() > 250) {
    out.push_back(TooLong(sp.Child("controller"), controller, 250));
  } else {
    Append(out, InvalidEach(sp.Child("controller"), controller, IsDomainPrefixedPath(controller)));
  }
  if (old)
    Append(out, ValidateImmutable(Get(spec, "controller"), GetPath(*old, {"spec", "controller"}), sp.Child("controller")));
  const Json& params = Get(spec, "parameters");
  if (params.is_object()) {
    Path pp = sp.Child("parameters");
    if (GetString(params, "kind").empty()) out.push_back(Required(pp.Child("kind"), ""));
    if (GetString(params, "name").empty()) out.push_back(Required(pp.Child("name"), ""));
    std::string scope = GetString(params, "scope");
    if (Has(params, "scope") && scope != "Cluster" && scope != "Namespace")
      out.push_back(NotSupported(pp.Child("scope"), scope, {"Cluster", "Namespace"}));
    if (scope == "Namespace" && GetString(params, "namespace").empty())
      out.push_back(Required(pp.Child("namespace"), "`parameters.scope` is set to 'Namespace'"));
    if (scope == "Cluster" && !GetString(params, "namespace").empty())
      out.push_back(Forbidden(pp.Child("namespace"), "`parameters.scope` is set to 'Cluster'"));
  }
  return out;
}

// ValidateEndpointSlice.
ErrorList EndpointSlice(const Json& obj, const Json* old) {
  ErrorList out;
  std::string type = GetString(obj, "addressType");
  static const std::vector<std::string> kTypes = {"FQDN", "IPv4", "IPv6"};
  if (type.empty()) out.push_back(Required(Path("addressType"), ""));
  else if (std::find(kTypes.begin(), kTypes.end(), type) == kTypes.end())
    out.push_back(NotSupported(Path("addressType"), type, kTypes));
  if (old) Append(out, ValidateImmutable(Get(obj, "addressType"), Get(*old, "addressType"), Path("addressType")));
  const Json& eps = Arr(obj, "endpoints");
  if (eps.size() > 1000) out.push_back(TooMany(Path("endpoints"), static_cast<int64_t>(eps.size()), 1000));
  for (size_t i = 0; i < eps.size(); ++i) {
    const Json& ep = eps[i];
    Path p = Path("endpoints").Index(i);
    const Json& addrs = Arr(ep, "addresses");
    if (addrs.empty()) out.push_back(Required(p.Child("addresses"), "must contain at least 1 address"));
    else if (addrs.size() > 100) out.push_back(TooMany(p.Child("addresses"), static_cast<int64_t>(addrs.size()), 100));
    for (size_t j = 0; j < addrs.size(); ++j) {
      std::string a = addrs[j].is_string() ? addrs[j].get<std::string>() : "";
      Path ap = p.Child("addresses").Index(j);
      if (type == "IPv4" && (!IsValidIP(a).empty() || a.find(':') != std::string::npos))
        out.push_back(Invalid(ap, a, "must be a valid IPv4 address"));
      else if (type == "IPv6" && (!IsValidIP(a).empty() || a.find(':') == std::string::npos))
        out.push_back(Invalid(ap, a, "must be a valid IPv6 address"));
      else if (type == "FQDN") Append(out, InvalidEach(ap, a, IsDNS1123Subdomain(a)));
    }
    std::string node = GetString(ep, "nodeName");
    if (Has(ep, "nodeName")) Append(out, InvalidEach(p.Child("nodeName"), node, IsDNS1123Subdomain(node)));
    std::string host = GetString(ep, "hostname");
    if (Has(ep, "hostname")) Append(out, InvalidEach(p.Child("hostname"), host, IsDNS1123Label(host)));
  }
  const Json& ports = Arr(obj, "ports");
  if (ports.size() > 100) out.push_back(TooMany(Path("ports"), static_cast<int64_t>(ports.size()), 100));
  std::set<std::string> names;
  for (size_t i = 0; i < ports.size(); ++i) {
    const Json& port = ports[i];
    Path p = Path("ports").Index(i);
    std::string name = GetString(port, "name");
    if (!name.empty()) Append(out, InvalidEach(p.Child("name"), name, IsDNS1123Label(name)));
    if (!names.insert(name).second) out.push_back(Duplicate(p.Child("name"), name));
    if (Has(port, "protocol")) Append(out, Enum(port, "protocol", p.Child("protocol"), {"SCTP", "TCP", "UDP"}, true));
    const Json& num = Get(port, "port");
    if (num.is_number()) Append(out, InvalidEach(p.Child("port"), num, IsValidPortNum(num.get<int64_t>())));
  }
  return out;
}

}  // namespace

ErrorList Networking(const ResourceInfo& ri, const Json& obj, const Json* old) {
  if (ri.kind == "NetworkPolicy") return NetworkPolicy(obj);
  if (ri.kind == "Ingress") return Ingress(obj);
  if (ri.kind == "IngressClass") return IngressClass(obj, old);
  return {};
}

ErrorList Discovery(const ResourceInfo& ri, const Json& obj, const Json* old) {
  if (ri.kind == "EndpointSlice") return EndpointSlice(obj, old);
  return {};
}

}  // namespace common::api::validation
