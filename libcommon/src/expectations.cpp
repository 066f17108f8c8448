#include "common/expectations.h"

#include "common/log.h"

namespace common {

ControllerExpectations::ControllerExpectations(std::chrono::milliseconds ttl) : ttl_(ttl) {}

bool ControllerExpectations::Satisfied(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return true;
  const Entry& e = it->second;
  if (e.adds <= 0 && e.dels <= 0) return true;
  if (std::chrono::steady_clock::now() - e.timestamp > ttl_) {
    // Upstream syncs anyway after the timeout; say so, since it can mean a
    // lost event (and may create extra pods: kubernetes#129795).
    VLOG(4, "controller expectations expired", {"key", key}, {"adds", e.adds}, {"dels", e.dels});
    return true;
  }
  return false;
}

void ControllerExpectations::Set(const std::string& key, int64_t adds, int64_t dels) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[key];
  e.adds = adds;
  e.dels = dels;
  e.deleting.clear();
  e.timestamp = std::chrono::steady_clock::now();
}

void ControllerExpectations::ExpectDeletions(const std::string& key,
                                             const std::vector<std::string>& object_keys) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[key];
  e.deleting = {object_keys.begin(), object_keys.end()};
  e.adds = 0;
  e.dels = static_cast<int64_t>(e.deleting.size());
  e.timestamp = std::chrono::steady_clock::now();
}

void ControllerExpectations::Raise(const std::string& key, int64_t adds, int64_t dels) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  it->second.adds += adds;
  it->second.dels += dels;
}

void ControllerExpectations::Lower(const std::string& key, int64_t adds, int64_t dels) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  it->second.adds -= adds;
  it->second.dels -= dels;
}

void ControllerExpectations::DeletionObserved(const std::string& key,
                                              const std::string& object_key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  if (it->second.deleting.erase(object_key)) it->second.dels -= 1;
}

void ControllerExpectations::Delete(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(key);
}

ControllerExpectations::Pending ControllerExpectations::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return {};
  return {true, it->second.adds, it->second.dels};
}

std::vector<std::string> ControllerExpectations::PendingDeletions(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return {};
  return {it->second.deleting.begin(), it->second.deleting.end()};
}

}  // namespace common
