// Shared informers (client-go's SharedIndexInformer and its factory): one
// list+watch per resource for the whole process, feeding an indexed Store and
// notifying event handlers; resumes from the last resourceVersion, relists on
// 410 Expired, follows bookmarks, and can resync periodically.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/json.h"
#include "common/rest_client.h"
#include "common/status.h"
#include "common/store.h"

namespace common {

// Callbacks an informer makes as its cache changes. Any may be empty.
// They run on the informer's own thread, one at a time and in the order the
// changes happened, after the Store already reflects the change. They must be
// quick and must not block (enqueue a key into a WorkQueue and return), and
// must not call AddEventHandler.
struct ResourceEventHandler {
  std::function<void(const ObjectPtr& object)> on_add;
  // Also called with old == new (the same pointer) by a periodic resync, and
  // for every object still present after a relist.
  std::function<void(const ObjectPtr& old_object, const ObjectPtr& new_object)> on_update;
  // `final_state_unknown` marks a tombstone (client-go's
  // DeletedFinalStateUnknown): the object vanished while the informer was not
  // watching (it was missing from a relist), so `object` is the last state the
  // cache saw, not the state it was deleted in.
  std::function<void(const ObjectPtr& object, bool final_state_unknown)> on_delete;
};

struct InformerOptions {
  // Restricts the informer to one namespace ("" = all).
  std::string ns;
  std::string label_selector;
  std::string field_selector;
  // Page size of the list calls (client-go's reflectors use 500).
  int64_t page_size = 500;
  // Each watch asks the server to end it after a random time in
  // [min_watch_timeout, 2 * min_watch_timeout) (client-go: 5 min), so
  // connections are rebalanced and a silently dead one is noticed.
  std::chrono::seconds min_watch_timeout{300};
  // Applied to every object before it is cached (client-go's TransformFunc):
  // the place to drop fields no handler reads. The default drops
  // metadata.managedFields, as kube-controller-manager does.
  std::function<void(Json& object)> transform = DropManagedFields;
  // How the cache keeps objects (see StoreEncoding). kCompact trades a
  // decode on every read (and one of the replaced object on every update)
  // for about a fifth of the memory; handlers still get the object the
  // informer just received without a decode.
  StoreEncoding encoding = StoreEncoding::kJson;
  // Initial and maximum wait between failed list or watch attempts
  // (client-go's reflector: 800 ms doubling to 30 s).
  std::chrono::milliseconds backoff_initial{800};
  std::chrono::milliseconds backoff_max{30000};

  static void DropManagedFields(Json& object);
};

// Counters for tests and /metrics. Thread-safe reads.
struct InformerStats {
  std::atomic<uint64_t> lists{0};          // complete lists (all pages)
  std::atomic<uint64_t> watches{0};        // watch requests opened
  std::atomic<uint64_t> expired{0};        // 410 Expired seen (each causes a relist)
  std::atomic<uint64_t> events{0};         // watch events applied
  std::atomic<uint64_t> bookmarks{0};
  std::atomic<uint64_t> errors{0};         // failed list or watch attempts
};

// One resource's list+watch loop and cache. Thread-safe. Start it once;
// Stop (or destruction) ends it.
class Informer {
 public:
  // `client` must outlive the informer.
  Informer(RestClient* client, GroupVersionResource gvr, InformerOptions options = {});
  ~Informer();  // Stop()
  Informer(const Informer&) = delete;
  Informer& operator=(const Informer&) = delete;

  // Registers `handler`. A handler added after the informer has synced first
  // gets on_add for every cached object (as client-go does), so late
  // registrations miss nothing. `resync` > 0 also calls on_update(obj, obj)
  // for every cached object that often.
  void AddEventHandler(ResourceEventHandler handler,
                       std::chrono::milliseconds resync = std::chrono::milliseconds(0));
  // Adds indexes to the store (see Store::AddIndexers).
  Status AddIndexers(Indexers indexers) { return store_.AddIndexers(std::move(indexers)); }

  // The cache. Read it freely; only the informer writes it.
  const Store& store() const { return store_; }
  const GroupVersionResource& resource() const { return gvr_; }
  const InformerStats& stats() const { return stats_; }

  // Starts the list+watch thread (and the resync thread). Idempotent.
  void Start();
  // Ends the watch (within about a second) and joins the threads. Idempotent.
  void Stop();
  // Asks the threads to end without waiting for them (Stop waits). Lets a
  // caller stop many informers in about a second in total.
  void RequestStop();
  bool Running() const { return started_.load() && !stop_.load(); }

  // True once the first complete list is in the store and handlers have seen it.
  bool HasSynced() const { return synced_.load(); }
  // Waits until HasSynced, `timeout` passes, or Stop. Returns HasSynced().
  bool WaitForSync(std::chrono::milliseconds timeout) const;
  // The resourceVersion the cache is current to ("" before the first list).
  std::string LastSyncResourceVersion() const;

 private:
  struct HandlerEntry {
    ResourceEventHandler handler;
    std::chrono::milliseconds resync;
    std::chrono::steady_clock::time_point next_resync;
  };

  void Run();
  void ResyncLoop();
  // Lists everything and replaces the cache, notifying handlers.
  Status ListAndReplace();
  // Watches from the last resourceVersion until the stream ends.
  Status WatchOnce(bool* saw_events);
  void Apply(WatchEvent& event);
  ObjectPtr Prepare(Json object, const std::string& kind, const std::string& api_version);
  void SetResourceVersion(std::string rv);
  // Sleeps for `d` unless stopped first; returns false when stopped.
  bool SleepFor(std::chrono::milliseconds d);

  RestClient* client_;
  GroupVersionResource gvr_;
  InformerOptions options_;
  Store store_;
  InformerStats stats_;
  std::string kind_;  // from the list's kind ("PodList" -> "Pod")

  // Serialises store changes + handler calls with handler registration.
  std::mutex dispatch_mu_;
  std::vector<HandlerEntry> handlers_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::string rv_;
  std::atomic<bool> synced_{false};
  std::atomic<bool> started_{false};
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::thread resync_thread_;
};

// Waits until every informer in `informers` has synced or `timeout` passes.
bool WaitForCacheSync(const std::vector<Informer*>& informers, std::chrono::milliseconds timeout);

// Hands out one Informer per resource for the whole process, so every
// controller watching pods shares one watch and one cache. Thread-safe.
class SharedInformerFactory {
 public:
  // `client` must outlive the factory. `defaults` are the options of every
  // informer created without its own.
  explicit SharedInformerFactory(RestClient* client, InformerOptions defaults = {});
  ~SharedInformerFactory();  // Shutdown()
  SharedInformerFactory(const SharedInformerFactory&) = delete;
  SharedInformerFactory& operator=(const SharedInformerFactory&) = delete;

  // The informer of `gvr`, created on first use (with `options` when given,
  // else the factory's defaults; later calls return the same informer and
  // ignore `options`). Informers requested after Start() start at once.
  Informer& ForResource(const GroupVersionResource& gvr);
  Informer& ForResource(const GroupVersionResource& gvr, const InformerOptions& options);
  // Starts every informer created so far. Idempotent.
  void Start();
  // Waits for every informer created so far to sync; false on timeout.
  bool WaitForCacheSync(std::chrono::milliseconds timeout);
  // Stops every informer. Idempotent.
  void Shutdown();
  // Every informer, in creation order.
  std::vector<Informer*> Informers() const;

 private:
  RestClient* client_;
  InformerOptions defaults_;
  mutable std::mutex mu_;
  bool started_ = false;
  std::map<GroupVersionResource, std::unique_ptr<Informer>> informers_;
  std::vector<Informer*> order_;
};

}  // namespace common
