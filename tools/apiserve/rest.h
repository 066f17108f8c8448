// The generic object operations behind every resource (upstream's
// registry/generic/registry.Store): create, update, delete with their
// metadata rules, strategies, admission, validation and optimistic
// concurrency. Handlers decode and encode; these functions decide.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api_server.h"
#include "common/json.h"

namespace apiserve::rest {

// The stored state of an object after a write (or a read).
struct Stored {
  std::string bytes;   // storage version, resourceVersion set
  int64_t rv = 0;
  bool exists = true;  // false after an immediate delete
  common::Json obj;    // the same object parsed, when the operation had it (else null)
  // `obj`, parsing `bytes` on first use (writes skip the parse otherwise).
  const common::Json& Obj() {
    if (obj.is_null()) {
      auto j = common::ParseJson(bytes);
      if (j.ok()) obj = std::move(j).value();
    }
    return obj;
  }
};

struct WriteOptions {
  bool dry_run = false;
  std::string field_manager;
  std::string user;
  std::string subresource;  // "status" for status updates, "" for the main resource
};

using Outcome = std::optional<ApiError>;  // nullopt = success

// Creates `obj` (in res's version; decoded, apiVersion/kind checked) in
// namespace `ns` (the URL's; "" for cluster-scoped).
Outcome Create(ApiServer& s, const ServedResource& res, const std::string& ns, common::Json obj,
               const WriteOptions& o, Stored* out);

// The mutation an update applies to the current object (served version,
// resourceVersion set) to get the new one. Returns an error to stop.
using MutateFn = std::function<Outcome(const common::Json& current, common::Json* next)>;

// Reads, mutates and writes `name`, retrying on conflicts unless the new
// object carries a resourceVersion (then a stale one is a 409). With
// create_on_missing, `mutate` gets a null current and may create.
Outcome Update(ApiServer& s, const ServedResource& res, const std::string& ns,
               const std::string& name, const MutateFn& mutate, const WriteOptions& o,
               Stored* out, bool create_on_missing = false);

struct DeleteOptions {
  std::optional<int64_t> grace_period_seconds;
  std::string propagation_policy;  // "", "Orphan", "Background", "Foreground"
  std::string precondition_uid;
  std::string precondition_rv;
  bool dry_run = false;
};
// Parses DeleteOptions from a body (may be empty) and the query.
common::Result<DeleteOptions> ParseDeleteOptions(const common::HttpRequest& req);

// Deletes `name`: at once, or by setting deletionTimestamp when finalizers
// or a pod's grace period keep it. out->exists tells which.
Outcome Delete(ApiServer& s, const ServedResource& res, const std::string& ns,
               const std::string& name, const DeleteOptions& o, Stored* out);

// Reads one object from storage (a consistent read).
Outcome Get(ApiServer& s, const ServedResource& res, const std::string& ns,
            const std::string& name, Stored* out);

// A server-side change of the stored object (storage version, without its
// resourceVersion) that skips strategies, admission and validation, as
// upstream's binding and finalize paths do; retried on conflicts.
Outcome Mutate(ApiServer& s, const ServedResource& res, const std::string& ns,
               const std::string& name, const std::function<Outcome(common::Json& obj)>& fn,
               bool dry_run, Stored* out);

// Sets metadata.resourceVersion on a served-version object.
void SetRV(common::Json& obj, int64_t rv);

// The finalizer a CRD gets when it is deleted; the CRD finalizer
// (ApiServer::FinalizeCrds) removes it once no custom resource is left.
inline constexpr const char kCrdCleanupFinalizer[] = "customresourcecleanup.apiextensions.k8s.io";

// Sets the CRD's Terminating condition (status "True") with `reason` and
// `message`, keeping lastTransitionTime when it was already True.
void SetCrdTerminating(common::Json& crd, const std::string& reason, const std::string& message);

// True when `crd` (a CRD object) is being deleted.
bool CrdTerminating(const common::Json& crd);

// Deletes every stored object of `crd` (a CRD object) in one range delete,
// as apiextensions-apiserver's CRD finalizer does before the CRD itself goes
// (customresourcecleanup.apiextensions.k8s.io): a CRD created again later
// starts empty. Watchers of the resource get DELETED events from the store.
common::Status PurgeCustomResources(ApiServer& s, const common::Json& crd);

}  // namespace apiserve::rest
