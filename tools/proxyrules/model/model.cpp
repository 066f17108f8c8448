#include "model.h"

#include <algorithm>

namespace proxyrules {
namespace {

// The range of map keys belonging to one service.
template <typename Map>
std::pair<typename Map::iterator, typename Map::iterator> ServiceRange(Map& m,
                                                                       const NamespacedName& s) {
  ServicePortName lo{s, "", Protocol::kTCP};
  auto begin = m.lower_bound(lo);
  auto end = begin;
  while (end != m.end() && end->first.service == s) ++end;
  return {begin, end};
}

}  // namespace

void Model::SetService(Service service) {
  NamespacedName name = service.name;
  services_[name] = std::move(service);
  Rebuild(name);
}

void Model::RemoveService(const NamespacedName& name) {
  if (services_.erase(name) == 0) return;
  Rebuild(name);
}

void Model::SetSlice(Slice slice) {
  auto key = std::make_pair(slice.service.ns, slice.name);
  // A slice may be relabelled to another service: drop it from the old one.
  auto owner = slice_owner_.find(key);
  if (owner != slice_owner_.end() && !(owner->second == slice.service)) {
    NamespacedName old = owner->second;
    slices_[old].erase(slice.name);
    if (slices_[old].empty()) slices_.erase(old);
    Rebuild(old);
  }
  NamespacedName svc = slice.service;
  auto& slot = slices_[svc][slice.name];
  if (slot == slice && owner != slice_owner_.end()) return;
  slot = std::move(slice);
  slice_owner_[key] = svc;
  Rebuild(svc);
}

void Model::RemoveSlice(const std::string& ns, const std::string& slice_name) {
  auto owner = slice_owner_.find({ns, slice_name});
  if (owner == slice_owner_.end()) return;
  NamespacedName svc = owner->second;
  slice_owner_.erase(owner);
  auto it = slices_.find(svc);
  if (it != slices_.end()) {
    it->second.erase(slice_name);
    if (it->second.empty()) slices_.erase(it);
  }
  Rebuild(svc);
}

void Model::SetEndpoints(const NamespacedName& service, std::vector<Slice> subsets) {
  endpoints_[service] = std::move(subsets);
  Rebuild(service);
}

void Model::RemoveEndpoints(const NamespacedName& service) {
  if (endpoints_.erase(service) == 0) return;
  Rebuild(service);
}

const std::vector<Endpoint>* Model::EndpointsOf(const ServicePortName& port) const {
  auto it = endpoints_of_.find(port);
  return it == endpoints_of_.end() ? nullptr : &it->second;
}

size_t Model::TotalEndpoints() const {
  size_t n = 0;
  for (const auto& [name, _] : ports_) {
    auto it = endpoints_of_.find(name);
    if (it != endpoints_of_.end()) n += it->second.size();
  }
  return n;
}

std::set<NamespacedName> Model::TakeChanged() {
  std::set<NamespacedName> out;
  out.swap(changed_);
  return out;
}

void Model::Rebuild(const NamespacedName& service) {
  std::vector<std::pair<ServicePortName, ServicePort>> old_ports;
  auto [pb, pe] = ServiceRange(ports_, service);
  for (auto it = pb; it != pe; ++it) old_ports.emplace_back(it->first, std::move(it->second));
  ports_.erase(pb, pe);
  std::vector<std::pair<ServicePortName, std::vector<Endpoint>>> old_eps;
  auto [eb, ee] = ServiceRange(endpoints_of_, service);
  for (auto it = eb; it != ee; ++it) old_eps.emplace_back(it->first, std::move(it->second));
  endpoints_of_.erase(eb, ee);

  auto svc = services_.find(service);
  if (svc != services_.end()) {
    for (const auto& p : svc->second.ports) ports_[p.name] = p;
  }
  std::vector<const Slice*> sources;
  auto sl = slices_.find(service);
  if (sl != slices_.end()) {
    for (const auto& [_, s] : sl->second) sources.push_back(&s);
  } else {
    auto ep = endpoints_.find(service);
    if (ep != endpoints_.end())
      for (const auto& s : ep->second) sources.push_back(&s);
  }
  if (!sources.empty()) {
    for (auto& [spn, list] : MergeSlices(sources, node_name_)) endpoints_of_[spn] = std::move(list);
  }

  // Only a real difference makes the service's chains worth rewriting.
  auto [nb, ne] = ServiceRange(ports_, service);
  bool same = std::equal(old_ports.begin(), old_ports.end(), nb, ne,
                         [](const auto& a, const auto& b) { return a.first == b.first && a.second == b.second; });
  if (same) {
    auto [xb, xe] = ServiceRange(endpoints_of_, service);
    same = std::equal(old_eps.begin(), old_eps.end(), xb, xe,
                      [](const auto& a, const auto& b) { return a.first == b.first && a.second == b.second; });
  }
  if (!same) changed_.insert(service);
}

}  // namespace proxyrules
