// An event recorder that posts core/v1 Events the way client-go's
// record.EventRecorder does: asynchronously, with repeats of one event
// folded into a count (PATCH count/lastTimestamp), floods of similar events
// combined, and a per-object spam limit.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "common/json.h"
#include "common/rest_client.h"

namespace common {

inline constexpr std::string_view kEventTypeNormal = "Normal";
inline constexpr std::string_view kEventTypeWarning = "Warning";

struct EventRecorderOptions {
  // source.component / reportingController ("deployment-controller").
  std::string component;
  // source.host / reportingInstance ("" for controllers, the node for kubelets).
  std::string host;
  // Events waiting to be written; more are dropped (client-go: 1000).
  size_t queue_size = 1000;
  // Attempts per event and the pause between them (client-go: 12, 10 s).
  int max_tries = 12;
  std::chrono::milliseconds retry_sleep{10000};
  // Per involved object: a token bucket of `spam_burst` refilled at `spam_qps`
  // (client-go: 25, one per 5 minutes); events beyond it are dropped.
  int spam_burst = 25;
  double spam_qps = 1.0 / 300;
  // More than `aggregate_max` events alike but for their message within
  // `aggregate_interval` are combined into one (client-go: 10, 10 minutes).
  int aggregate_max = 10;
  std::chrono::seconds aggregate_interval{600};
  // Entries each correlation cache keeps (client-go: 4096).
  size_t cache_size = 4096;
};

// Counters for tests and /metrics.
struct EventRecorderStats {
  uint64_t created = 0;   // POSTs that succeeded
  uint64_t patched = 0;   // repeats folded into an existing Event
  uint64_t dropped = 0;   // queue full, spam-filtered, or out of tries
};

// Thread-safe. Record never blocks on the network.
class EventRecorder {
 public:
  // `client` must outlive the recorder.
  EventRecorder(RestClient* client, EventRecorderOptions options);
  // Stops after writing what is queued, for up to about a second.
  ~EventRecorder();
  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  // Records an event about `object` (any Kubernetes object with metadata;
  // kind and apiVersion taken from it). `type` is "Normal" or "Warning";
  // `reason` is UpperCamelCase ("ScalingReplicaSet"). Queued and written
  // later; dropped (and counted) when the queue is full.
  void Event(const Json& object, std::string_view type, std::string_view reason,
             std::string message);

  // Waits until every event recorded so far has been written or dropped, or
  // `timeout` passes. Returns true when the queue drained.
  bool Flush(std::chrono::milliseconds timeout);
  EventRecorderStats stats() const;

  // The Event object client-go's makeEvent builds (before correlation):
  // name "<object name>.<unix nanoseconds in hex>", namespace of the object
  // ("default" for cluster-scoped ones), count 1, first/lastTimestamp now.
  static Json MakeEvent(const Json& object, std::string_view type, std::string_view reason,
                        std::string message, const EventRecorderOptions& options);

 private:
  struct Correlated;
  Correlated Correlate(Json event);
  void WriteLoop();
  void Write(Json event);

  RestClient* client_;
  EventRecorderOptions options_;
  const GroupVersionResource events_{"", "v1", "events"};

  mutable std::mutex mu_;
  std::condition_variable cv_;       // the writer waits for work
  std::condition_variable idle_cv_;  // Flush waits for the writer
  std::deque<Json> queue_;
  bool writing_ = false;
  bool stop_ = false;
  EventRecorderStats stats_;

  // Correlation state, touched by the writer thread only.
  template <typename V>
  struct Lru {
    std::list<std::pair<std::string, V>> order;
    std::unordered_map<std::string, typename std::list<std::pair<std::string, V>>::iterator> map;
  };
  struct SpamBucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  struct AggregateRecord {
    std::unordered_map<std::string, bool> messages;
    std::chrono::steady_clock::time_point last;
  };
  struct Observation {
    int64_t count;
    std::string first_timestamp;
    std::string name;
  };
  Lru<SpamBucket> spam_;
  Lru<AggregateRecord> aggregate_;
  Lru<Observation> observed_;

  std::thread writer_;
};

}  // namespace common
