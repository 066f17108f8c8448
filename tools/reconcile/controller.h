// The shape every controller has: Init (informers, indexes, handlers), Start
// (workers, once caches have synced), Stop; and the context they share.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/events.h"
#include "common/informer.h"
#include "common/metrics.h"
#include "common/rest_client.h"
#include "common/workqueue.h"
#include "options.h"

namespace reconcile {

// What a controller gets from the daemon. Thread-safe.
class ControllerContext {
 public:
  // `make_client(component)` builds a RestClient with its own rate limit and
  // a User-Agent naming the component (upstream gives every controller its
  // own clientset, so one busy controller cannot starve the others).
  ControllerContext(const Options* options, common::SharedInformerFactory* informers,
                    std::function<std::unique_ptr<common::RestClient>(const std::string&)>
                        make_client,
                    common::metrics::Registry* metrics);
  ~ControllerContext();

  const Options& options() const { return *options_; }
  common::SharedInformerFactory& informers() { return *informers_; }
  common::metrics::Registry& metrics() { return *metrics_; }
  // The client of `component`, created on first use; owned by the context.
  common::RestClient& Client(const std::string& component);
  // The event recorder of `component` (source.component), owned by the context.
  common::EventRecorder& Recorder(const std::string& component);
  // Adds an index to `informer` unless one of that name exists (several
  // controllers ask for the same ones).
  static void EnsureIndex(common::Informer& informer, std::string_view name,
                          common::IndexFunc fn);

 private:
  const Options* options_;
  common::SharedInformerFactory* informers_;
  std::function<std::unique_ptr<common::RestClient>(const std::string&)> make_client_;
  common::metrics::Registry* metrics_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<common::RestClient>> clients_;
  std::map<std::string, std::unique_ptr<common::EventRecorder>> recorders_;
};

class Controller {
 public:
  virtual ~Controller() = default;
  // Registers the informers, indexes and event handlers it needs. Called
  // before any informer starts. An error keeps the daemon from starting.
  virtual common::Status Init(ControllerContext& ctx) = 0;
  // Starts the workers; called once every informer has synced. Must not block.
  virtual void Start() = 0;
  // Stops the workers and returns once they have. Idempotent.
  virtual void Stop() = 0;
};

// The `name` label upstream's kube-controller-manager gives the work queue of
// the controller named `component` ("deployment-controller" -> "deployment");
// `component` itself when there is no such mapping.
std::string UpstreamQueueName(const std::string& component);

// A controller driven by one rate-limited work queue of "namespace/name"
// keys, synced by `workers` threads. Subclasses implement Sync(); a failed
// sync is retried with the queue's backoff, and dropped after `max_retries`
// (0: never dropped), as upstream's controllers do.
class QueueController : public Controller {
 public:
  QueueController(std::string name, int workers, int max_retries = 0);
  ~QueueController() override;
  void Start() override;
  void Stop() override;

  const std::string& name() const { return name_; }
  common::WorkQueue& queue() { return queue_; }
  // Queues the key of `object`.
  void Enqueue(const common::Json& object);
  void EnqueueKey(const std::string& key) { queue_.Add(key); }

 protected:
  // Brings the object under `key` to its desired state. A non-OK status
  // retries the key with backoff.
  virtual common::Status Sync(const std::string& key) = 0;
  // Extra threads a controller runs beside its workers (periodic scans);
  // started by Start, and they must return once stopping() is true.
  virtual void StartPeriodic() {}
  bool stopping() const { return stopping_.load(); }
  // Sleeps `d` or until Stop; returns false when stopping.
  bool SleepFor(std::chrono::milliseconds d);
  std::vector<std::thread> periodic_;

 private:
  void Worker();

  std::string name_;
  int workers_;
  int max_retries_;
  common::WorkQueue queue_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::mutex sleep_mu_;
  std::condition_variable sleep_cv_;
};

}  // namespace reconcile
