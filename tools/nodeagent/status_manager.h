// Sends pod statuses to the API server, as the kubelet's status manager
// does: the newest status of a pod replaces any unsent one (so a burst of
// changes costs one request), a few threads send them through the
// pods/<name>/status subresource, and a pod whose deletion the node has
// finished carrying out is then deleted for good (grace period 0).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/json.h"
#include "common/rest_client.h"

namespace nodeagent {

struct StatusManagerStats {
  std::atomic<uint64_t> patches{0}, deletes{0}, failures{0}, coalesced{0};
};

class StatusManager {
 public:
  // `client` must outlive this object.
  StatusManager(common::RestClient* client, int threads);
  ~StatusManager();  // Stop()

  // Queues `status` for pod ns/name (uid `uid`), replacing any unsent one.
  void Set(const std::string& uid, const std::string& ns, const std::string& name,
           common::Json status);
  // After the pod's latest status is sent, deletes it with grace 0 (the
  // node finished terminating a pod that was being deleted).
  void Finalize(const std::string& uid, const std::string& ns, const std::string& name);
  // Forgets a pod (it is gone from the API).
  void Forget(const std::string& uid);
  void Start();
  void Stop();
  // Waits until nothing is queued or in flight, up to `timeout`.
  bool Flush(std::chrono::milliseconds timeout);
  const StatusManagerStats& stats() const { return stats_; }
  size_t pending() const;

 private:
  struct Entry {
    std::string ns, name;
    common::Json status;
    bool dirty = false;
    bool finalize = false;
    bool queued = false;
    bool in_flight = false;
    int failures = 0;
  };
  void Loop();
  void Enqueue(const std::string& uid, Entry& e);

  common::RestClient* client_;
  int threads_;
  StatusManagerStats stats_;
  mutable std::mutex mu_;
  std::condition_variable cv_, idle_cv_;
  std::map<std::string, Entry> entries_;
  std::deque<std::string> queue_;
  int busy_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace nodeagent
