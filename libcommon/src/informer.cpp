#include "common/informer.h"

#include <random>
#include <unordered_set>

#include "common/log.h"

namespace common {
namespace {

using SteadyClock = std::chrono::steady_clock;

// "PodList" -> "Pod"; "" for the untyped "List".
std::string ItemKind(const std::string& list_kind) {
  if (list_kind.size() > 4 && list_kind.ends_with("List"))
    return list_kind.substr(0, list_kind.size() - 4);
  return "";
}

}  // namespace

void InformerOptions::DropManagedFields(Json& object) {
  auto md = object.find("metadata");
  if (md != object.end() && md->is_object()) md->erase("managedFields");
}

Informer::Informer(RestClient* client, GroupVersionResource gvr, InformerOptions options)
    : client_(client),
      gvr_(std::move(gvr)),
      options_(std::move(options)),
      store_(Indexers{}, options_.encoding) {}

Informer::~Informer() { Stop(); }

void Informer::AddEventHandler(ResourceEventHandler handler, std::chrono::milliseconds resync) {
  std::lock_guard<std::mutex> lock(dispatch_mu_);
  if (synced_.load() && handler.on_add)
    for (const auto& obj : store_.List()) handler.on_add(obj);
  handlers_.push_back({std::move(handler), resync, SteadyClock::now() + resync});
  if (resync.count() > 0) cv_.notify_all();
}

void Informer::Start() {
  if (started_.exchange(true)) return;
  thread_ = std::thread([this] { Run(); });
  resync_thread_ = std::thread([this] { ResyncLoop(); });
}

void Informer::RequestStop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
}

void Informer::Stop() {
  RequestStop();
  if (thread_.joinable()) thread_.join();
  if (resync_thread_.joinable()) resync_thread_.join();
}

bool Informer::WaitForSync(std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return synced_.load() || stop_.load(); });
  return synced_.load();
}

std::string Informer::LastSyncResourceVersion() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rv_;
}

void Informer::SetResourceVersion(std::string rv) {
  std::lock_guard<std::mutex> lock(mu_);
  rv_ = std::move(rv);
}

bool Informer::SleepFor(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  return !cv_.wait_for(lock, d, [&] { return stop_.load(); });
}

ObjectPtr Informer::Prepare(Json object, const std::string& kind,
                            const std::string& api_version) {
  // List items carry no kind/apiVersion of their own on the wire; handlers
  // (and event recorders) want every cached object to say what it is.
  if (!kind.empty() && !object.contains("kind")) {
    object["kind"] = kind;
    object["apiVersion"] = api_version;
  }
  if (options_.transform) options_.transform(object);
  return std::make_shared<const Json>(std::move(object));
}

void Informer::Run() {
  std::chrono::milliseconds backoff = options_.backoff_initial;
  bool need_list = true;
  while (!stop_.load()) {
    if (need_list) {
      Status st = ListAndReplace();
      if (stop_.load()) break;
      if (!st.ok()) {
        ++stats_.errors;
        LOG_WARNING("failed to list", {"resource", gvr_.GroupResource()}, {"err", st.ToString()});
        if (!SleepFor(backoff)) break;
        backoff = std::min(backoff * 2, options_.backoff_max);
        continue;
      }
      need_list = false;
      backoff = options_.backoff_initial;
    }
    bool saw_events = false;
    auto started = SteadyClock::now();
    Status st = WatchOnce(&saw_events);
    if (stop_.load()) break;
    if (st.code() == Code::kExpired) {
      // The server no longer has history from our resourceVersion: relist.
      ++stats_.expired;
      VLOG(2, "watch expired, relisting", {"resource", gvr_.GroupResource()},
           {"err", st.message()});
      need_list = true;
      continue;
    }
    if (!st.ok()) {
      // Connection refused, throttled, or the stream broke: watch again from
      // the same resourceVersion after a pause; a relist happens only if the
      // server says that version has expired.
      ++stats_.errors;
      LOG_WARNING("watch failed", {"resource", gvr_.GroupResource()}, {"err", st.ToString()});
      if (!SleepFor(backoff)) break;
      backoff = std::min(backoff * 2, options_.backoff_max);
      continue;
    }
    if (!saw_events && SteadyClock::now() - started < std::chrono::seconds(1)) {
      // A stream that ends at once, again and again, must not become a hot loop.
      if (!SleepFor(backoff)) break;
      backoff = std::min(backoff * 2, options_.backoff_max);
    } else {
      backoff = options_.backoff_initial;
    }
  }
}

Status Informer::ListAndReplace() {
  ListOptions o;
  o.label_selector = options_.label_selector;
  o.field_selector = options_.field_selector;
  o.limit = options_.page_size;
  ASSIGN_OR_RETURN(Json list, client_->ListAll(gvr_, options_.ns, o));
  ++stats_.lists;
  std::string kind = ItemKind(GetString(list, "kind"));
  std::string api_version = GetString(list, "apiVersion", gvr_.ApiVersion());
  if (!kind.empty()) kind_ = kind;
  std::string rv = GetString(Get(list, "metadata"), "resourceVersion");

  std::vector<ObjectPtr> fresh;
  if (list["items"].is_array()) {
    fresh.reserve(list["items"].size());
    for (auto& item : list["items"]) fresh.push_back(Prepare(std::move(item), kind_, api_version));
  }
  list = Json();

  std::lock_guard<std::mutex> lock(dispatch_mu_);
  std::unordered_set<std::string> seen;
  seen.reserve(fresh.size());
  for (auto& obj : fresh) {
    std::string key = MetaNamespaceKey(*obj);
    seen.insert(key);
    ObjectPtr old = store_.Upsert(obj);
    for (auto& h : handlers_) {
      if (old) {
        if (h.handler.on_update) h.handler.on_update(old, obj);
      } else if (h.handler.on_add) {
        h.handler.on_add(obj);
      }
    }
  }
  // Whatever the cache holds that the list lacks was deleted while we were
  // not watching: its final state is unknown.
  for (const auto& key : store_.ListKeys()) {
    if (seen.count(key)) continue;
    ObjectPtr gone = store_.Remove(key);
    if (!gone) continue;
    for (auto& h : handlers_)
      if (h.handler.on_delete) h.handler.on_delete(gone, true);
  }
  SetResourceVersion(rv);
  if (!synced_.exchange(true)) {
    std::lock_guard<std::mutex> l(mu_);
    cv_.notify_all();
  }
  return Status::Ok();
}

Status Informer::WatchOnce(bool* saw_events) {
  ListOptions o;
  o.label_selector = options_.label_selector;
  o.field_selector = options_.field_selector;
  o.resource_version = LastSyncResourceVersion();
  o.allow_watch_bookmarks = true;
  static thread_local std::mt19937 rng(std::random_device{}());
  int64_t min = options_.min_watch_timeout.count();
  o.timeout_seconds = min + static_cast<int64_t>(rng() % static_cast<uint64_t>(std::max<int64_t>(min, 1)));
  ++stats_.watches;
  Status in_stream;
  Status st = client_->Watch(
      gvr_, options_.ns, o,
      [&](WatchEvent& ev) {
        if (ev.type == WatchEvent::Type::kError) {
          in_stream = StatusFromObject(ev.object);
          if (in_stream.ok()) in_stream = Status::Internal("watch ERROR event without a Status");
          return false;
        }
        *saw_events = true;
        Apply(ev);
        return !stop_.load();
      },
      &stop_);
  if (!in_stream.ok()) return in_stream;
  return st;
}

void Informer::Apply(WatchEvent& ev) {
  std::string rv = GetString(Get(ev.object, "metadata"), "resourceVersion");
  if (ev.type == WatchEvent::Type::kBookmark) {
    ++stats_.bookmarks;
    if (!rv.empty()) SetResourceVersion(std::move(rv));
    return;
  }
  ++stats_.events;
  ObjectPtr obj = Prepare(std::move(ev.object), kind_, gvr_.ApiVersion());
  {
    std::lock_guard<std::mutex> lock(dispatch_mu_);
    if (ev.type == WatchEvent::Type::kDeleted) {
      ObjectPtr old = store_.Remove(MetaNamespaceKey(*obj));
      for (auto& h : handlers_)
        if (h.handler.on_delete) h.handler.on_delete(obj, false);
    } else {
      ObjectPtr old = store_.Upsert(obj);
      for (auto& h : handlers_) {
        if (old) {
          if (h.handler.on_update) h.handler.on_update(old, obj);
        } else if (h.handler.on_add) {
          h.handler.on_add(obj);
        }
      }
    }
  }
  if (!rv.empty()) SetResourceVersion(std::move(rv));
}

void Informer::ResyncLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_.load()) {
    cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stop_.load(); });
    if (stop_.load() || !synced_.load()) continue;
    lock.unlock();
    {
      std::lock_guard<std::mutex> d(dispatch_mu_);
      auto now = SteadyClock::now();
      std::vector<ObjectPtr> objects;
      for (auto& h : handlers_) {
        if (h.resync.count() <= 0 || now < h.next_resync) continue;
        h.next_resync = now + h.resync;
        if (!h.handler.on_update) continue;
        if (objects.empty()) objects = store_.List();
        for (const auto& obj : objects) h.handler.on_update(obj, obj);
      }
    }
    lock.lock();
  }
}

bool WaitForCacheSync(const std::vector<Informer*>& informers, std::chrono::milliseconds timeout) {
  auto deadline = SteadyClock::now() + timeout;
  for (Informer* inf : informers) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (!inf->WaitForSync(std::max(left, std::chrono::milliseconds(0)))) return false;
  }
  return true;
}

SharedInformerFactory::SharedInformerFactory(RestClient* client, InformerOptions defaults)
    : client_(client), defaults_(std::move(defaults)) {}

SharedInformerFactory::~SharedInformerFactory() { Shutdown(); }

Informer& SharedInformerFactory::ForResource(const GroupVersionResource& gvr) {
  return ForResource(gvr, defaults_);
}

Informer& SharedInformerFactory::ForResource(const GroupVersionResource& gvr,
                                             const InformerOptions& options) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = informers_[gvr];
  if (!slot) {
    slot = std::make_unique<Informer>(client_, gvr, options);
    order_.push_back(slot.get());
    if (started_) slot->Start();
  }
  return *slot;
}

void SharedInformerFactory::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  started_ = true;
  for (Informer* inf : order_) inf->Start();
}

bool SharedInformerFactory::WaitForCacheSync(std::chrono::milliseconds timeout) {
  return common::WaitForCacheSync(Informers(), timeout);
}

void SharedInformerFactory::Shutdown() {
  auto all = Informers();
  for (Informer* inf : all) inf->RequestStop();
  for (Informer* inf : all) inf->Stop();
}

std::vector<Informer*> SharedInformerFactory::Informers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return order_;
}

}  // namespace common
