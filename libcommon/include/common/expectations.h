// Controller expectations (client-go's controller.ControllerExpectations and
// UIDTrackingControllerExpectations): how many creates and deletes a
// controller has issued for an owner and not yet seen come back through its
// informer, so it does not act twice on a stale cache.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace common {

// Thread-safe. Keys are the owner's "namespace/name".
//
// The ReplicaSet controller's pattern:
//   if (!exp.Satisfied(rs_key)) return;            // wait for the cache
//   exp.ExpectCreations(rs_key, n);                 // before creating n pods
//   ... a create fails -> exp.CreationObserved(rs_key)  (it will never be seen)
//   informer on_add(pod)    -> exp.CreationObserved(owner_key)
//   exp.ExpectDeletions(rs_key, pod_keys);          // before deleting those pods
//   informer on_delete(pod) -> exp.DeletionObserved(owner_key, pod_key)
class ControllerExpectations {
 public:
  // Expectations older than `ttl` count as satisfied, so a lost watch event
  // cannot wedge an owner forever (upstream's ExpectationsTimeout: 5 min).
  explicit ControllerExpectations(std::chrono::milliseconds ttl = std::chrono::minutes(5));

  // True when the owner may sync: no expectations recorded, all of them
  // observed, or recorded longer than `ttl` ago.
  bool Satisfied(const std::string& key);

  // Replaces the owner's expectations (and restarts the ttl).
  void Set(const std::string& key, int64_t adds, int64_t dels);
  void ExpectCreations(const std::string& key, int64_t adds) { Set(key, adds, 0); }
  void ExpectDeletions(const std::string& key, int64_t dels) { Set(key, 0, dels); }
  // Expects the deletion of exactly these objects ("namespace/name" keys):
  // DeletionObserved(key, object_key) then counts each of them once, however
  // many times its deletion is reported (the update that sets
  // deletionTimestamp, then the delete event).
  void ExpectDeletions(const std::string& key, const std::vector<std::string>& object_keys);

  // Adjusts existing expectations; no-ops when the owner has none.
  void Raise(const std::string& key, int64_t adds, int64_t dels);
  void Lower(const std::string& key, int64_t adds, int64_t dels);
  void CreationObserved(const std::string& key) { Lower(key, 1, 0); }
  void DeletionObserved(const std::string& key) { Lower(key, 0, 1); }
  // Counts the deletion of `object_key` if it was expected (by the
  // vector form of ExpectDeletions), once.
  void DeletionObserved(const std::string& key, const std::string& object_key);

  // Forgets the owner (it was deleted).
  void Delete(const std::string& key);

  struct Pending {
    bool exists = false;
    int64_t adds = 0;
    int64_t dels = 0;
  };
  Pending Get(const std::string& key);
  // The object keys still expected to be deleted (vector form only).
  std::vector<std::string> PendingDeletions(const std::string& key);

 private:
  struct Entry {
    int64_t adds = 0;
    int64_t dels = 0;
    std::chrono::steady_clock::time_point timestamp;
    std::unordered_set<std::string> deleting;
  };
  std::mutex mu_;
  std::chrono::milliseconds ttl_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace common
