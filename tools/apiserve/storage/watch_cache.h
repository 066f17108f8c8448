// The watch cache of one resource (upstream's cacher): the current objects
// under a storage prefix, kept up to date by one watch on the store, plus a
// ring of recent events. It serves resourceVersion="0" lists and gets, and
// every watch, so N watchers cost one store watch. Objects are kept as the
// bytes clients get (resourceVersion spliced in) plus what selectors need,
// never as parsed trees: 10,000 pods take ~20 MB.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/json.h"
#include "common/kv.h"
#include "common/selector.h"
#include "common/status.h"
#include "storage/json_extract.h"
#include "storage/store.h"

namespace apiserve::storage {

// A resource's field-selector function: the value of `field` in `obj`, nullopt
// when the resource does not support the field.
using FieldFn = std::function<std::optional<std::string>(const common::Json& obj, std::string_view field)>;

struct CachedObject {
  std::string key;
  std::string ns;
  std::string name;
  int64_t rv = 0;
  std::string bytes;      // served JSON in the storage version, with resourceVersion
  common::Labels labels;  // metadata.labels
  // Field-selector values computed when the object entered the cache.
  std::vector<std::pair<std::string, std::string>> fields;
  // The object's value for `field`: from `fields`, else by parsing `bytes`
  // with the resource's field function; nullopt = field not supported.
  std::optional<std::string> Field(std::string_view field) const;
  std::shared_ptr<const FieldFn> field_fn;  // shared by every object of the resource
};
using ObjectPtr = std::shared_ptr<const CachedObject>;

struct CacheEvent {
  enum class Type { kAdded, kModified, kDeleted, kBookmark };
  Type type = Type::kAdded;
  int64_t rv = 0;
  ObjectPtr obj;   // the new state; for kDeleted the last state (rv = the delete's)
  ObjectPtr prev;  // the state before (kModified, kDeleted)
};

// What a watcher or list selects.
struct Filter {
  std::string key_prefix;  // ListPrefix(...) of the namespace, or one object's key
  bool exact_key = false;  // key_prefix is a single object's key
  common::LabelSelector labels;
  common::FieldSelector fields;
  bool Matches(const CachedObject& o) const;
};

// One event as a watcher sees it: the type after its filter (an object that
// stops matching is DELETED for it), the object to send, and the event framed
// as the JSON watch line `{"type":...,"object":...}\n` for watchers that want
// the storage version as JSON (computed once per event for all of them).
struct Delivery {
  CacheEvent::Type type;
  const ObjectPtr& obj;  // null for bookmarks
  int64_t rv;
  const std::string& frame;
};

// Receives the events of one watch, in order, on a cache thread. Must not
// block. Returns false to end the watch (client gone or too slow).
using WatchSink = std::function<bool(const Delivery& d)>;

class CacheWatcher;

struct WatchCacheOptions {
  std::string prefix;       // "/registry/pods/"
  size_t capacity = 1000;   // events kept for watches that resume from an old RV
  // Fills labels and fields of `o` from the parsed object.
  std::function<void(const common::Json& obj, CachedObject& o)> index;
  // The members `index` reads. Set: `index` gets only those (ExtractPaths),
  // which is far cheaper than parsing the whole object. Empty: the whole object.
  std::vector<JsonPath> index_paths;
  // The field function CachedObject::Field falls back to.
  std::shared_ptr<const FieldFn> field_fn;
};

// Thread-safe.
class WatchCache {
 public:
  WatchCache(Store* store, WatchCacheOptions options);
  ~WatchCache();

  // Lists the prefix and starts the store watch. Returns when the cache holds
  // the state at some revision. Retries in the background if the watch breaks.
  common::Status Start();
  void Stop();

  // The revision the cache reflects.
  int64_t ResourceVersion() const;
  // Waits until the cache reflects at least `rv` (asking the store for a
  // progress notification). Timeout: 504 "Too large resource version".
  common::Status WaitUntilFresh(int64_t rv, std::chrono::milliseconds timeout);
  bool ready() const;

  // Objects matching `filter`, sorted by key, and the revision they reflect.
  std::vector<ObjectPtr> List(const Filter& filter, int64_t* rv) const;
  ObjectPtr Get(const std::string& key, int64_t* rv) const;
  size_t Size() const;

  // Starts a watch. from_rv == 0: synthetic ADDED events for every matching
  // object first, then changes. from_rv > 0: the events after from_rv
  // (Expired with upstream's message when older than the ring holds).
  // The sink is called for the initial events before Watch returns.
  common::Result<std::shared_ptr<CacheWatcher>> Watch(int64_t from_rv, Filter filter,
                                                      WatchSink sink);
  // Removes a watcher; its sink is not called after this returns.
  void Unwatch(const std::shared_ptr<CacheWatcher>& w);
  // Sends a bookmark (type kBookmark, rv = current) to `w`.
  void Bookmark(const std::shared_ptr<CacheWatcher>& w);
  size_t WatcherCount() const;

 private:
  void OnWatchResponse(common::kv::WatchResponse resp);
  void ApplyEventLocked(CacheEvent ev);
  void Dispatch(const CacheEvent& ev);
  ObjectPtr MakeObject(const std::string& key, const std::string& value, int64_t rv) const;
  common::Status Relist();
  void RestartLoop();

  Store* store_;
  WatchCacheOptions opts_;
  mutable std::mutex mu_;
  std::condition_variable fresh_;
  std::map<std::string, ObjectPtr> objects_;
  std::deque<CacheEvent> ring_;
  int64_t rv_ = 0;
  int64_t oldest_rv_ = 0;  // watches from below this get 410
  bool ready_ = false;
  bool stopping_ = false;
  bool broken_ = false;
  std::vector<std::shared_ptr<CacheWatcher>> watchers_;
  std::unique_ptr<common::kv::Watcher> kv_watch_;
  std::thread restarter_;
  std::condition_variable restart_cv_;
};

class CacheWatcher {
 public:
  Filter filter;
  WatchSink sink;
  int64_t from_rv = 0;
  // Called (once, on a cache thread) when the cache ends the watch itself:
  // the store watch broke and the cache is relisting.
  std::function<void()> on_terminate;
  bool stopped = false;  // guarded by the cache's mutex
};

// The text of a 410 for a watch or list from a revision the cache no longer has.
std::string TooOldMessage(int64_t requested, int64_t oldest);

}  // namespace apiserve::storage
