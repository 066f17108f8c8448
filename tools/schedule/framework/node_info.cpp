#include "framework/node_info.h"

#include <algorithm>
#include <atomic>

namespace schedule {

namespace {

bool SamePair(const HostPort& a, const HostPort& b) {
  return a.port == b.port && a.protocol == b.protocol;
}

}  // namespace

bool HostPortInfo::CheckConflict(const HostPort& p) const {
  if (p.port <= 0) return false;
  if (p.host_ip == "0.0.0.0") {
    for (const auto& e : entries_)
      if (SamePair(e, p)) return true;
    return false;
  }
  for (const auto& e : entries_)
    if (SamePair(e, p) && (e.host_ip == "0.0.0.0" || e.host_ip == p.host_ip)) return true;
  return false;
}

void HostPortInfo::Add(const HostPort& p) {
  if (p.port <= 0) return;
  for (const auto& e : entries_)
    if (SamePair(e, p) && e.host_ip == p.host_ip) return;
  entries_.push_back(p);
}

void HostPortInfo::Remove(const HostPort& p) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it)
    if (SamePair(*it, p) && it->host_ip == p.host_ip) {
      entries_.erase(it);
      return;
    }
}

int64_t NextGeneration() {
  static std::atomic<int64_t> gen{0};
  return ++gen;
}

const std::string& NodeInfo::name() const {
  static const std::string kNone;
  return node_ ? node_->name : kNone;
}

void NodeInfo::SetNode(NodePtr node) {
  node_ = std::move(node);
  allocatable_ = node_->allocatable;
  image_sizes_.clear();
  for (const auto& im : node_->images)
    for (const auto& n : im.names) image_sizes_.emplace(n, im.size);
  generation_ = NextGeneration();
}

int64_t NodeInfo::ImageSize(const std::string& image) const {
  if (image_sizes_.empty()) return -1;
  auto it = image_sizes_.find(image);
  return it == image_sizes_.end() ? -1 : it->second;
}

void NodeInfo::Account(const Pod& pod, int sign) {
  if (sign > 0) {
    requested_.Add(pod.requests);
  } else {
    requested_.Sub(pod.requests);
  }
  non_zero_milli_cpu_ += sign * pod.non_zero_milli_cpu;
  non_zero_memory_ += sign * pod.non_zero_memory;
  for (const auto& hp : pod.host_ports) {
    if (sign > 0) used_ports_.Add(hp);
    else used_ports_.Remove(hp);
  }
  generation_ = NextGeneration();
}

void NodeInfo::AddPod(const PodPtr& pod) {
  pods_.push_back(pod);
  if (pod->has_pod_affinity) pods_with_affinity_.push_back(pod);
  if (!pod->required_anti_affinity.empty()) pods_with_required_anti_affinity_.push_back(pod);
  Account(*pod, 1);
}

int NodeInfo::FindPod(const std::string& uid) const {
  for (size_t i = 0; i < pods_.size(); ++i)
    if (pods_[i]->uid == uid) return static_cast<int>(i);
  return -1;
}

bool NodeInfo::RemovePod(const Pod& pod) {
  auto erase_from = [&](std::vector<PodPtr>& v) {
    for (size_t i = 0; i < v.size(); ++i)
      if (v[i]->uid == pod.uid) {
        PodPtr p = std::move(v[i]);
        v[i] = std::move(v.back());
        v.pop_back();
        return p;
      }
    return PodPtr();
  };
  PodPtr removed = erase_from(pods_);
  if (!removed) return false;
  erase_from(pods_with_affinity_);
  erase_from(pods_with_required_anti_affinity_);
  Account(*removed, -1);
  return true;
}

}  // namespace schedule
