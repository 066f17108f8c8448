// The API server: the request pipeline the seed article describes
// (authentication -> authorization -> routing -> decode -> convert ->
// defaulting -> admission -> validation -> storage conversion -> store) and
// the state every handler shares.
#pragma once

#include <atomic>
#include <condition_variable>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "admission/admission.h"
#include "allocators.h"
#include "common/http_server.h"
#include "common/json.h"
#include "common/kv.h"
#include "common/metrics.h"
#include "deadlines.h"
#include "errors.h"
#include "options.h"
#include "request_info.h"
#include "resources.h"
#include "storage/store.h"
#include "storage/watch_cache.h"

namespace apiserve {

struct UserInfo {
  std::string name;
  std::vector<std::string> groups;
};

// How a response body is written.
struct OutputFormat {
  enum class Kind { kJson, kYaml, kTable, kPartialMetadata };
  Kind kind = Kind::kJson;
  std::string table_version = "v1";  // meta.k8s.io version asked for tables
  bool pretty = false;
};

// The request's audit ID (from its Audit-ID header or made up by the
// pipeline); every response carries it as the Audit-Id header, as
// kube-apiserver's WithAuditInit filter does.
std::string_view AuditIdOf(const common::HttpRequest& req);
// Sends `resp` with the Audit-Id header set.
void Reply(const common::HttpRequest& req, const common::Responder& responder,
           common::HttpResponse resp);

// One resource request as it moves through the handlers.
struct Request {
  common::HttpRequest& http;
  common::Responder responder;
  RequestInfo info;
  ResourcePtr res;
  UserInfo user;
  std::string audit_id;
  OutputFormat out;
  bool dry_run = false;
  std::vector<std::string> warnings;

  GroupResource gr() const { return {res->info.group, res->info.resource}; }
  // Sends `e` as a Status.
  void Fail(const ApiError& e);
  // Sends `body` (already encoded JSON) with `code`, converting to YAML when asked.
  void SendJson(int code, std::string body);
  void SendObject(int code, const common::Json& obj);
};

// The storage of one resource (all its versions share it): its key segment and
// its watch cache.
struct ResourceStorage {
  std::string segment;
  std::string prefix;  // "<etcd-prefix>/<segment>/"
  std::unique_ptr<storage::WatchCache> cache;
};

class ApiServer {
 public:
  // REQUIRES: kv outlives the server.
  ApiServer(const Options& options, common::kv::KV* kv);
  ~ApiServer();

  // Starts the watch caches and creates the bootstrap objects (namespaces,
  // the kubernetes Service, flowcontrol configuration).
  common::Status Start();
  // Ends every watch; requests still running finish.
  void Stop();

  // The HttpHandler of every listener.
  void Handle(common::HttpRequest& req, common::Responder responder);
  // The HttpServerOptions::run_inline hook: true for requests Handle answers
  // at once without blocking, so they skip the handler pool: GETs of one
  // object and health checks, when storage is embedded (an in-process read
  // that never waits for a commit). Over --etcd-servers every read is a
  // network round trip and stays on the pool.
  bool ServesInline(const common::HttpRequest& req) const;
  // The HttpServerOptions::on_complete hook: access log and metrics.
  void OnComplete(const common::HttpRequest& req, int status,
                  std::chrono::steady_clock::duration latency);

  bool ready() const { return ready_.load(); }
  bool shutting_down() const { return stopping_.load(); }

  // --- shared with the handlers ---
  const Options& options() const { return opts_; }
  storage::Store& store() { return store_; }
  ResourceTable& resources() { return resources_; }
  Allocators& allocators() { return *allocators_; }
  admission::Chain& admission() { return *admission_; }
  // The storage of `res`, creating its watch cache on first use.
  common::Result<ResourceStorage*> StorageFor(const ServedResource& res);
  std::string Key(const ServedResource& res, const std::string& ns, const std::string& name) const;
  std::string Prefix(const ServedResource& res, const std::string& ns) const;
  // Reloads the CRDs into the resource table (after a CRD write).
  void ReloadCrds();
  // A random DNS-label-safe suffix of 5 characters (generateName).
  static std::string RandomSuffix();
  static std::string NewUid();
  common::metrics::Registry& metrics() { return *metrics_; }
  // Objects in each resource's watch cache ("pods", "deployments.apps").
  std::vector<std::pair<std::string, size_t>> StorageObjectCounts();
  // Watchers open per resource, for /metrics.
  std::vector<std::pair<std::string, size_t>> WatcherCounts();

 private:
  void ServeNonResource(common::HttpRequest& req, common::Responder& responder,
                        const RequestInfo& info);
  void ServeResource(Request& r);
  // Compaction, CRD reloads and the namespace finalizer, once a second.
  void BackgroundLoop();
  // Empties terminating namespaces and removes their "kubernetes" finalizer.
  void FinalizeNamespaces();
  // apiextensions-apiserver's CRD finalizer: deletes the custom resources of
  // each terminating CRD (their own finalizers respected) and, once none is
  // left, removes customresourcecleanup.apiextensions.k8s.io so the CRD goes.
  void FinalizeCrds();

  Options opts_;
  common::kv::KV* kv_;
  storage::Store store_;
  ResourceTable resources_;
  std::unique_ptr<Allocators> allocators_;
  std::unique_ptr<admission::Chain> admission_;
  common::metrics::Registry* metrics_;

  std::mutex storage_mu_;
  std::map<std::string, std::unique_ptr<ResourceStorage>> storages_;

  std::atomic<bool> ready_{false};
  std::atomic<bool> stopping_{false};
  DeadlineKeeper deadlines_;
  std::atomic<int> inflight_readonly_{0};
  std::atomic<int> inflight_mutating_{0};
  std::mutex bg_mu_;
  std::condition_variable bg_cv_;
  std::vector<std::thread> background_;
  std::shared_ptr<storage::CacheWatcher> crd_watch_;
  bool crd_dirty_ = false;  // guarded by bg_mu_
};

// Handlers (one file each under handlers/).
namespace handlers {
void Get(ApiServer& s, Request& r);
void List(ApiServer& s, Request& r);
void Watch(ApiServer& s, Request& r);
void Create(ApiServer& s, Request& r);
void Update(ApiServer& s, Request& r);
void Patch(ApiServer& s, Request& r);
void Delete(ApiServer& s, Request& r);
void DeleteCollection(ApiServer& s, Request& r);
void Scale(ApiServer& s, Request& r);
void Binding(ApiServer& s, Request& r);
void Eviction(ApiServer& s, Request& r);
void Discovery(ApiServer& s, common::HttpRequest& req, common::Responder& responder,
               const RequestInfo& info);
void OpenApi(ApiServer& s, common::HttpRequest& req, common::Responder& responder);
}  // namespace handlers

}  // namespace apiserve
