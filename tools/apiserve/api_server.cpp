#include "api_server.h"

#include <random>

#include "bootstrap.h"
#include "common/api/fields.h"
#include "common/log.h"
#include "common/strings.h"
#include "common/timeutil.h"
#include "common/yaml.h"
#include "encoding.h"
#include "rest.h"
#include "server_metrics.h"
#include "storage/codec.h"
#include "storage/keys.h"

namespace apiserve {

using common::Json;

// ---------------------------------------------------------------------------
// Request helpers.

void Request::Fail(const ApiError& e) { Reply(http, responder, e.ToResponse()); }

void Request::SendJson(int code, std::string body) {
  common::HttpResponse resp;
  resp.status = code;
  if (out.kind == OutputFormat::Kind::kYaml) {
    auto j = common::ParseJson(body);
    if (j.ok()) {
      resp.headers.push_back({"Content-Type", "application/yaml"});
      resp.body = common::ToYaml(*j);
    } else {
      resp.headers.push_back({"Content-Type", "application/json"});
      resp.body = std::move(body);
    }
  } else if (out.pretty) {
    auto j = common::ParseJson(body);
    resp.headers.push_back({"Content-Type", "application/json"});
    resp.body = j.ok() ? common::DumpJsonPretty(*j, 2) + "\n" : std::move(body);
  } else {
    resp.headers.push_back({"Content-Type", "application/json"});
    resp.body = std::move(body);
  }
  for (const auto& w : warnings) resp.headers.push_back({"Warning", "299 - " + common::log::KV::Quote(w)});
  Reply(http, responder, std::move(resp));
}

void Request::SendObject(int code, const Json& obj) { SendJson(code, common::DumpJson(obj)); }

// ---------------------------------------------------------------------------

namespace {

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

// Fields worth indexing in the watch cache: the selectors components use on
// every event (kubelets select spec.nodeName, schedulers status.phase).
const std::vector<std::string>& IndexedFields(const std::string& resource) {
  static const std::vector<std::string> kPods = {"spec.nodeName", "status.phase"};
  static const std::vector<std::string> kNone;
  return resource == "pods" ? kPods : kNone;
}

}  // namespace

std::string ApiServer::RandomSuffix() {
  // apimachinery util/rand: vowels and easily confused characters removed.
  static const char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::string s;
  for (int i = 0; i < 5; ++i) s += kAlphabet[Rng()() % (sizeof(kAlphabet) - 1)];
  return s;
}

std::string ApiServer::NewUid() {
  uint64_t a = Rng()(), b = Rng()();
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  // 8-4-4-4-12 lower-case hex digits of a then b, written by hand: this runs
  // for every request (its audit ID), where snprintf was a visible cost.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  size_t at = 0;
  auto put = [&](uint64_t v, int digits) {
    for (int d = digits - 1; d >= 0; --d) out[at++] = kHex[(v >> (4 * d)) & 0xf];
  };
  put(a >> 32, 8);
  ++at;
  put(a >> 16, 4);
  ++at;
  put(a, 4);
  ++at;
  put(b >> 48, 4);
  ++at;
  put(b, 12);
  return out;
}

ApiServer::ApiServer(const Options& options, common::kv::KV* kv)
    : opts_(options),
      kv_(kv),
      store_(kv),
      metrics_(&common::metrics::Registry::Default()),
      deadlines_([](const std::string& audit_id) {
        // apierrors.NewTimeoutError(..., 0): no retryAfterSeconds.
        ApiError e{504, "Timeout",
                   "Timeout: request did not complete within requested timeout - context "
                   "deadline exceeded",
                   Json::object()};
        auto r = e.ToResponse();
        if (!audit_id.empty()) r.SetHeader("Audit-Id", audit_id);
        return r;
      }) {
  allocators_ = std::make_unique<Allocators>(&store_, opts_.etcd_prefix, opts_.service_cidr_base,
                                             opts_.service_cidr_bits, opts_.node_port_min,
                                             opts_.node_port_max);
  admission::Lookup lookup;
  lookup.get_namespace = [this](const std::string& name) -> std::optional<Json> {
    auto res = resources_.Find("", "v1", "namespaces");
    if (!res) return std::nullopt;
    auto st = StorageFor(*res);
    if (st.ok()) {
      auto obj = (*st)->cache->Get(Key(*res, "", name), nullptr);
      if (obj) {
        static const std::vector<storage::JsonPath> kRead = {{"metadata", "deletionTimestamp"},
                                                             {"status", "phase"}};
        if (auto j = storage::ExtractPaths(obj->bytes, kRead)) return std::move(*j);
      }
    }
    // A namespace created an instant ago may not be in the cache yet.
    auto raw = store_.Get(Key(*res, "", name));
    if (!raw.ok()) return std::nullopt;
    auto j = storage::DecodeObject(raw->value, raw->mod_revision);
    if (!j.ok()) return std::nullopt;
    return std::move(j).value();
  };
  auto chain = admission::Chain::Build(opts_.enable_admission_plugins,
                                       opts_.disable_admission_plugins, lookup);
  if (chain.ok()) {
    admission_ = std::move(chain).value();
  } else {
    admission_ = admission::Chain::Build({}, {}, lookup).value();
  }
  RegisterServerMetrics(*metrics_);
}

ApiServer::~ApiServer() { Stop(); }

std::string ApiServer::Key(const ServedResource& res, const std::string& ns,
                           const std::string& name) const {
  return storage::ObjectKey(opts_.etcd_prefix, res.info.storage_segment,
                            res.info.namespaced ? ns : "", name);
}

std::string ApiServer::Prefix(const ServedResource& res, const std::string& ns) const {
  return storage::ListPrefix(opts_.etcd_prefix, res.info.storage_segment,
                             res.info.namespaced ? ns : "");
}

common::Result<ResourceStorage*> ApiServer::StorageFor(const ServedResource& res) {
  std::lock_guard<std::mutex> lock(storage_mu_);
  auto it = storages_.find(res.info.storage_segment);
  if (it != storages_.end()) return it->second.get();
  auto rs = std::make_unique<ResourceStorage>();
  rs->segment = res.info.storage_segment;
  rs->prefix = storage::ListPrefix(opts_.etcd_prefix, rs->segment, "");
  storage::WatchCacheOptions wo;
  wo.prefix = rs->prefix;
  size_t cap = static_cast<size_t>(opts_.default_watch_cache_size);
  std::string gr = res.info.group.empty() ? res.info.resource : res.info.resource + "." + res.info.group;
  if (auto f = opts_.watch_cache_size_by_resource.find(gr); f != opts_.watch_cache_size_by_resource.end())
    cap = static_cast<size_t>(std::max(1, f->second));
  wo.capacity = cap;
  common::api::ResourceInfo ri = res.info;
  bool custom = res.custom;
  const auto& fields = IndexedFields(custom ? std::string() : ri.resource);
  wo.index = [ri, custom, &fields](const Json& obj, storage::CachedObject& o) {
    o.labels = common::LabelsFromJson(common::GetPath(obj, {"metadata", "labels"}));
    if (custom) return;
    for (const auto& f : fields)
      if (auto v = common::api::FieldValue(ri, obj, f)) o.fields.emplace_back(f, *v);
  };
  wo.index_paths.push_back({"metadata", "labels"});
  for (const auto& f : fields) wo.index_paths.push_back(common::Split(f, '.'));
  wo.field_fn = std::make_shared<const storage::FieldFn>(
      [ri, custom](const Json& obj, std::string_view field) -> std::optional<std::string> {
        if (custom) return std::nullopt;
        return common::api::FieldValue(ri, obj, field);
      });
  rs->cache = std::make_unique<storage::WatchCache>(&store_, std::move(wo));
  common::Status st = rs->cache->Start();
  if (!st.ok()) LOG_WARNING("watch cache start failed; retrying", {"prefix", rs->prefix}, {"err", st.ToString()});
  auto* p = rs.get();
  storages_.emplace(res.info.storage_segment, std::move(rs));
  SetStorageObjectsCollector(*metrics_, this);
  return p;
}

std::vector<std::pair<std::string, size_t>> ApiServer::StorageObjectCounts() {
  std::vector<std::pair<std::string, size_t>> out;
  std::lock_guard<std::mutex> lock(storage_mu_);
  for (const auto& r : resources_.All()) {
    auto it = storages_.find(r->info.storage_segment);
    if (it == storages_.end()) continue;
    std::string gr = r->info.group.empty() ? r->info.resource : r->info.resource + "." + r->info.group;
    bool seen = false;
    for (auto& [n, c] : out)
      if (n == gr) seen = true;
    if (!seen) out.emplace_back(gr, it->second->cache->Size());
  }
  return out;
}

void ApiServer::ReloadCrds() {
  auto res = resources_.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions");
  if (!res) return;
  auto list = store_.List(Prefix(*res, ""), common::kv::PrefixEnd(Prefix(*res, "")), 0, 0);
  if (!list.ok()) return;
  std::vector<Json> crds;
  for (const auto& item : list->items) {
    auto j = common::ParseJson(item.value);
    if (!j.ok()) continue;
    // A CRD being deleted stays served (reads, updates and deletes; creates
    // are refused) until its finalizer has removed every custom resource.
    crds.push_back(std::move(j).value());
  }
  resources_.SetCrds(crds);
}

common::Status ApiServer::Start() {
  // Caches for the resources every client lists first.
  for (const char* r : {"namespaces", "pods", "services", "nodes", "events", "configmaps"}) {
    if (auto res = resources_.Find("", "v1", r)) {
      auto st = StorageFor(*res);
      if (!st.ok()) return st.status();
    }
  }
  // Bootstrap objects; AlreadyExists means an earlier start made them.
  auto create = [this](const char* group, const char* version, const char* resource,
                       const std::string& ns, const Json& obj) {
    auto res = resources_.Find(group, version, resource);
    if (!res) return;
    rest::Stored out;
    rest::WriteOptions wo;
    wo.user = "system:apiserver";
    auto e = rest::Create(*this, *res, ns, obj, wo, &out);
    if (e && e->reason != "AlreadyExists")
      LOG_WARNING("cannot create bootstrap object", {"resource", resource},
                  {"name", common::GetString(obj["metadata"], "name")}, {"err", e->message});
    // Create resets status; the bootstrap status (flowcontrol's Dangling
    // condition, which upstream's configuration controller writes) goes
    // through the status path.
    if (!e && res->info.has_status_subresource && obj.contains("status") &&
        !obj["status"].empty()) {
      rest::Stored st;
      const Json status = obj["status"];
      rest::Mutate(*this, *res, ns, common::GetString(obj["metadata"], "name"),
                   [&status](Json& o) -> rest::Outcome {
                     o["status"] = status;
                     return std::nullopt;
                   },
                   false, &st);
    }
  };
  for (const auto& ns : BootstrapNamespaces()) create("", "v1", "namespaces", "", ns);
  for (const auto& pl : BootstrapPriorityLevels())
    create("flowcontrol.apiserver.k8s.io", "v1", "prioritylevelconfigurations", "", pl);
  for (const auto& fs : BootstrapFlowSchemas())
    create("flowcontrol.apiserver.k8s.io", "v1", "flowschemas", "", fs);
  {
    std::string ip = allocators_->FirstIP();
    auto svc_res = resources_.Find("", "v1", "services");
    if (svc_res && !store_.Get(Key(*svc_res, "default", "kubernetes")).ok())
      create("", "v1", "services", "default", KubernetesService(ip, opts_.secure_port));
    std::string addr = opts_.advertise_address.empty() ? "127.0.0.1" : opts_.advertise_address;
    create("", "v1", "endpoints", "default", KubernetesEndpoints(addr, opts_.secure_port));
  }
  ReloadCrds();
  // Watch CRDs so CRDs written through another apiserve instance are served here too.
  if (auto crd_res = resources_.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")) {
    auto st = StorageFor(*crd_res);
    if (st.ok()) {
      storage::Filter f;
      f.key_prefix = (*st)->prefix;
      auto w = (*st)->cache->Watch((*st)->cache->ResourceVersion(), f,
                                   [this](const storage::Delivery&) {
                                     std::lock_guard<std::mutex> lock(bg_mu_);
                                     crd_dirty_ = true;
                                     bg_cv_.notify_all();
                                     return true;
                                   });
      if (w.ok()) crd_watch_ = *w;
    }
  }
  background_.emplace_back([this] { BackgroundLoop(); });
  ready_ = true;
  return common::Status::Ok();
}

void ApiServer::Stop() {
  if (stopping_.exchange(true)) return;
  ready_ = false;
  {
    std::lock_guard<std::mutex> lock(bg_mu_);
    bg_cv_.notify_all();
  }
  for (auto& t : background_) t.join();
  background_.clear();
  std::lock_guard<std::mutex> lock(storage_mu_);
  for (auto& [k, rs] : storages_) rs->cache->Stop();
}

void ApiServer::BackgroundLoop() {
  auto next_compact = std::chrono::steady_clock::now() +
                      std::chrono::seconds(std::max(1, opts_.etcd_compaction_interval_s));
  int64_t compact_target = 0;
  auto next_ns = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(bg_mu_);
  while (!stopping_) {
    bg_cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_.load() || crd_dirty_; });
    if (stopping_) break;
    bool crd = crd_dirty_;
    crd_dirty_ = false;
    lock.unlock();
    if (crd) ReloadCrds();
    auto now = std::chrono::steady_clock::now();
    if (opts_.etcd_compaction_interval_s > 0 && now >= next_compact) {
      // Compact to the revision seen one interval ago, as kube-apiserver's
      // compactor does, so watches have an interval's worth of history.
      auto cur = store_.CurrentRevision();
      if (cur.ok()) {
        if (compact_target > 0) {
          auto r = kv_->Compact(compact_target);
          if (!r.ok() && r.status().code() != common::Code::kExpired)
            LOG_WARNING("compaction failed", {"revision", compact_target}, {"err", r.status().ToString()});
        }
        compact_target = *cur;
      }
      next_compact = now + std::chrono::seconds(opts_.etcd_compaction_interval_s);
    }
    if (now >= next_ns) {
      if (opts_.namespace_finalizer) FinalizeNamespaces();
      FinalizeCrds();
      next_ns = now + std::chrono::seconds(1);
    }
    lock.lock();
  }
}

}  // namespace apiserve
