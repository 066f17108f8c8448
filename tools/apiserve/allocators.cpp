#include "allocators.h"

#include <arpa/inet.h>

#include <random>
#include <set>

#include "common/api/validation.h"
#include "common/kv.h"
#include "common/strings.h"

namespace apiserve {

using common::Json;
using common::Result;
using common::Status;

namespace {

std::string IpString(uint32_t host_order) {
  in_addr a{};
  a.s_addr = htonl(host_order);
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a, buf, sizeof buf);
  return buf;
}

std::optional<uint32_t> ParseIp(const std::string& s) {
  in_addr a{};
  if (inet_pton(AF_INET, s.c_str(), &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

Status InvalidField(const std::string& field, const Json& value, const std::string& detail) {
  common::api::FieldError fe;
  fe.type = "FieldValueInvalid";
  fe.field = field;
  fe.detail = detail;
  fe.bad_value = value;
  return Status::Invalid(fe.ToString());
}

bool NeedsNodePorts(const Json& spec) {
  std::string type = common::GetString(spec, "type", "ClusterIP");
  return type == "NodePort" || type == "LoadBalancer";
}

bool NeedsClusterIP(const Json& spec) {
  return common::GetString(spec, "type", "ClusterIP") != "ExternalName";
}

Json IpAddressObject(const std::string& ip, const std::string& ns, const std::string& name) {
  // networking.k8s.io/v1 IPAddress, as upstream's ipallocator records them.
  Json o = Json::object();
  o["kind"] = "IPAddress";
  o["apiVersion"] = "networking.k8s.io/v1";
  o["metadata"] = {{"name", ip},
                   {"labels",
                    {{"ipaddress.kubernetes.io/ip-family", "IPv4"},
                     {"ipaddress.kubernetes.io/managed-by", "ipallocator.k8s.io"}}}};
  o["spec"] = {{"parentRef", {{"group", ""}, {"resource", "services"}, {"namespace", ns},
                              {"name", name}}}};
  return o;
}

}  // namespace

Allocators::Allocators(storage::Store* store, std::string prefix, uint32_t cidr_base,
                       int cidr_bits, int port_min, int port_max)
    : store_(store),
      prefix_(std::move(prefix)),
      base_(cidr_base),
      bits_(cidr_bits),
      port_min_(port_min),
      port_max_(port_max) {}

std::string Allocators::FirstIP() const { return IpString(base_ + 1); }

std::string Allocators::IpKey(const std::string& ip) const {
  return prefix_ + "/ipaddresses/" + ip;
}

std::string Allocators::PortKey(int port, const std::string&) const {
  // One key per port number: upstream's node-port bitmap is shared by TCP,
  // UDP and SCTP.
  return prefix_ + "/kubix.io/servicenodeports/" + std::to_string(port);
}

bool Allocators::InRange(const std::string& ip) const {
  auto v = ParseIp(ip);
  if (!v) return false;
  uint32_t size = uint32_t{1} << (32 - bits_);
  return *v > base_ && *v < base_ + size - 1;
}

Result<std::string> Allocators::PickIP(const std::vector<std::string>& avoid) {
  std::string p = prefix_ + "/ipaddresses/";
  auto used = store_->List(p, common::kv::PrefixEnd(p), 0, 0);
  if (!used.ok()) return used.status();
  std::set<uint32_t> taken;
  for (const auto& item : used->items)
    if (auto v = ParseIp(item.key.substr(p.size()))) taken.insert(*v);
  for (const auto& a : avoid)
    if (auto v = ParseIp(a)) taken.insert(*v);
  uint32_t size = uint32_t{1} << (32 - bits_);
  uint32_t usable = size - 2;
  if (taken.size() >= usable)
    return Status::Internal("range is full");
  // Random start, then the next free address, as upstream's allocator does.
  uint32_t start = static_cast<uint32_t>(Rng()() % usable);
  for (uint32_t i = 0; i < usable; ++i) {
    uint32_t cand = base_ + 1 + (start + i) % usable;
    if (!taken.count(cand)) return IpString(cand);
  }
  return Status::Internal("range is full");
}

Result<int> Allocators::PickPort(const std::string&, const std::vector<int>& avoid) {
  std::string p = prefix_ + "/kubix.io/servicenodeports/";
  auto used = store_->List(p, common::kv::PrefixEnd(p), 0, 0);
  if (!used.ok()) return used.status();
  std::set<int> taken(avoid.begin(), avoid.end());
  for (const auto& item : used->items)
    if (auto v = common::ParseInt64(item.key.substr(p.size()))) taken.insert(static_cast<int>(*v));
  int n = port_max_ - port_min_ + 1;
  int start = static_cast<int>(Rng()() % static_cast<uint64_t>(n));
  for (int i = 0; i < n; ++i) {
    int cand = port_min_ + (start + i) % n;
    if (!taken.count(cand)) return cand;
  }
  return Status::Internal("range is full");
}

namespace {
std::string PortOwner(const std::string& ns, const std::string& name) {
  return common::DumpJson(Json{{"namespace", ns}, {"name", name}});
}
}  // namespace

Result<AllocationPlan> Allocators::ForCreate(Json& svc, const std::string& ns,
                                             const std::string& name) {
  AllocationPlan plan;
  Json& spec = svc["spec"];
  if (!spec.is_object()) spec = Json::object();
  if (NeedsClusterIP(spec)) {
    std::string ip = common::GetString(spec, "clusterIP");
    if (ip.empty() && spec.contains("clusterIPs") && spec["clusterIPs"].is_array() &&
        !spec["clusterIPs"].empty() && spec["clusterIPs"][0].is_string())
      ip = spec["clusterIPs"][0].get<std::string>();
    if (ip != "None") {
      if (ip.empty()) {
        auto picked = PickIP({});
        if (!picked.ok())
          return InvalidField("spec.clusterIPs", Json::array(),
                              "failed to allocate IP: range is full");
        ip = *picked;
      } else {
        if (!InRange(ip)) {
          return InvalidField("spec.clusterIPs", Json::array({ip}),
                              "failed to allocate IP " + ip + ": the provided IP (" + ip +
                                  ") is not in the valid range. The range of valid IPs is " +
                                  IpString(base_) + "/" + std::to_string(bits_));
        }
        auto existing = store_->Get(IpKey(ip));
        if (existing.ok())
          return InvalidField("spec.clusterIPs", Json::array({ip}),
                              "failed to allocate IP " + ip + ": provided IP is already allocated");
      }
      plan.creates.push_back({IpKey(ip), common::DumpJson(IpAddressObject(ip, ns, name))});
      spec["clusterIP"] = ip;
      spec["clusterIPs"] = Json::array({ip});
    } else {
      spec["clusterIP"] = "None";
      spec["clusterIPs"] = Json::array({"None"});
    }
    if (!spec.contains("ipFamilies")) spec["ipFamilies"] = Json::array({"IPv4"});
    if (!spec.contains("ipFamilyPolicy")) spec["ipFamilyPolicy"] = "SingleStack";
  }
  if (NeedsNodePorts(spec) && spec.contains("ports") && spec["ports"].is_array()) {
    std::vector<int> chosen;
    for (size_t i = 0; i < spec["ports"].size(); ++i) {
      Json& port = spec["ports"][i];
      int np = static_cast<int>(common::GetInt(port, "nodePort", 0));
      std::string proto = common::GetString(port, "protocol", "TCP");
      if (np == 0) {
        auto picked = PickPort(proto, chosen);
        if (!picked.ok())
          return InvalidField("spec.ports[" + std::to_string(i) + "].nodePort", 0,
                              "failed to allocate a nodePort: range is full");
        np = *picked;
        port["nodePort"] = np;
      } else {
        std::string field = "spec.ports[" + std::to_string(i) + "].nodePort";
        if (np < port_min_ || np > port_max_)
          return InvalidField(field, np,
                              "provided port is not in the valid range. The range of valid ports "
                              "is " + std::to_string(port_min_) + "-" + std::to_string(port_max_));
        if (std::find(chosen.begin(), chosen.end(), np) != chosen.end()) continue;
        if (store_->Get(PortKey(np, proto)).ok())
          return InvalidField(field, np, "provided port is already allocated");
      }
      if (std::find(chosen.begin(), chosen.end(), np) != chosen.end()) continue;
      chosen.push_back(np);
      plan.creates.push_back({PortKey(np, proto), PortOwner(ns, name)});
    }
  }
  return plan;
}

std::vector<std::string> Allocators::KeysOf(const Json& svc) const {
  std::vector<std::string> keys;
  const Json& spec = common::Get(svc, "spec");
  std::string ip = common::GetString(spec, "clusterIP");
  if (!ip.empty() && ip != "None" && NeedsClusterIP(spec)) keys.push_back(IpKey(ip));
  if (NeedsNodePorts(spec)) {
    for (const Json& p : common::Get(spec, "ports")) {
      int np = static_cast<int>(common::GetInt(p, "nodePort", 0));
      if (np <= 0) continue;
      std::string k = PortKey(np, common::GetString(p, "protocol", "TCP"));
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    }
  }
  return keys;
}

Result<AllocationPlan> Allocators::ForUpdate(Json& svc, const Json& old, const std::string& ns,
                                             const std::string& name) {
  AllocationPlan plan;
  Json& spec = svc["spec"];
  if (!spec.is_object()) spec = Json::object();
  const Json& old_spec = common::Get(old, "spec");
  // ClusterIP: keep the old one unless the type moved to or from ExternalName.
  bool old_ip = NeedsClusterIP(old_spec) && !common::GetString(old_spec, "clusterIP").empty() &&
                common::GetString(old_spec, "clusterIP") != "None";
  if (NeedsClusterIP(spec)) {
    std::string ip = common::GetString(spec, "clusterIP");
    if (ip.empty() && old_ip) {
      spec["clusterIP"] = old_spec["clusterIP"];
      spec["clusterIPs"] = common::Get(old_spec, "clusterIPs").is_null()
                               ? Json::array({old_spec["clusterIP"]})
                               : old_spec["clusterIPs"];
    } else if (ip.empty() || (!old_ip && ip != "None")) {
      Json copy = svc;
      auto sub = ForCreate(copy, ns, name);
      if (!sub.ok()) return sub.status();
      spec["clusterIP"] = copy["spec"]["clusterIP"];
      spec["clusterIPs"] = copy["spec"]["clusterIPs"];
      for (auto& c : sub->creates)
        if (c.key.find("/ipaddresses/") != std::string::npos) plan.creates.push_back(c);
    }
  } else if (old_ip) {
    plan.deletes.push_back(IpKey(common::GetString(old_spec, "clusterIP")));
    spec.erase("clusterIP");
    spec.erase("clusterIPs");
  }
  // Node ports.
  std::set<int> old_ports;
  if (NeedsNodePorts(old_spec))
    for (const Json& p : common::Get(old_spec, "ports"))
      if (int np = static_cast<int>(common::GetInt(p, "nodePort", 0)); np > 0) old_ports.insert(np);
  std::set<int> new_ports;
  if (NeedsNodePorts(spec) && spec.contains("ports") && spec["ports"].is_array()) {
    std::vector<int> chosen(old_ports.begin(), old_ports.end());
    for (size_t i = 0; i < spec["ports"].size(); ++i) {
      Json& port = spec["ports"][i];
      int np = static_cast<int>(common::GetInt(port, "nodePort", 0));
      std::string proto = common::GetString(port, "protocol", "TCP");
      std::string field = "spec.ports[" + std::to_string(i) + "].nodePort";
      if (np == 0) {
        // Keep the old port of the same port number when the client dropped it.
        for (const Json& op : common::Get(old_spec, "ports"))
          if (common::GetInt(op, "port", -1) == common::GetInt(port, "port", -2) &&
              common::GetInt(op, "nodePort", 0) > 0)
            np = static_cast<int>(common::GetInt(op, "nodePort", 0));
        if (np == 0) {
          auto picked = PickPort(proto, chosen);
          if (!picked.ok())
            return InvalidField(field, 0, "failed to allocate a nodePort: range is full");
          np = *picked;
          chosen.push_back(np);
        }
        port["nodePort"] = np;
      } else if (!old_ports.count(np) && !new_ports.count(np)) {
        if (np < port_min_ || np > port_max_)
          return InvalidField(field, np,
                              "provided port is not in the valid range. The range of valid ports "
                              "is " + std::to_string(port_min_) + "-" + std::to_string(port_max_));
        if (store_->Get(PortKey(np, proto)).ok())
          return InvalidField(field, np, "provided port is already allocated");
      }
      if (!old_ports.count(np) && !new_ports.count(np))
        plan.creates.push_back({PortKey(np, proto), PortOwner(ns, name)});
      new_ports.insert(np);
    }
  } else if (spec.contains("ports") && spec["ports"].is_array()) {
    for (Json& port : spec["ports"]) port.erase("nodePort");
  }
  for (int p : old_ports)
    if (!new_ports.count(p)) plan.deletes.push_back(PortKey(p, "TCP"));
  return plan;
}

}  // namespace apiserve
