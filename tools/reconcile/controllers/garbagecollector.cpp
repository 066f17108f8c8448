// The garbage collector (pkg/controller/garbagecollector): deletes objects
// whose owners are gone (background propagation), deletes the dependents of
// owners deleted in the foreground before releasing them, and strips the
// ownerReferences of orphaned dependents.
//
// It keeps an ownership graph of every resource it can list and watch
// (discovered at start), built from informers: the shared ones where another
// controller already asked for them, metadata-only ones otherwise.
#include <map>
#include <set>
#include <unordered_map>

#include "common/log.h"
#include "controllers.h"
#include "discovery.h"

namespace reconcile {
namespace {

constexpr char kComponent[] = "garbage-collector-controller";
constexpr char kForeground[] = "foregroundDeletion";
constexpr char kOrphan[] = "orphan";

struct OwnerRef {
  std::string api_version, kind, name, uid;
  bool block = false;
};

struct Node {
  const ApiResource* resource = nullptr;
  std::string ns, name;
  std::vector<OwnerRef> owners;
  bool deleting = false;
  bool foreground = false;  // deletionTimestamp + foregroundDeletion
  bool orphaning = false;   // deletionTimestamp + orphan
};

std::vector<OwnerRef> OwnersOf(const Json& obj) {
  std::vector<OwnerRef> owners;
  const Json& refs = common::GetPath(obj, {"metadata", "ownerReferences"});
  if (refs.is_array())
    for (const auto& r : refs)
      owners.push_back({common::GetString(r, "apiVersion"), common::GetString(r, "kind"),
                        common::GetString(r, "name"), common::GetString(r, "uid"),
                        common::GetBool(r, "blockOwnerDeletion")});
  return owners;
}

void MetadataOnly(Json& obj) {
  Json md = common::Get(obj, "metadata");
  if (md.is_object()) md.erase("managedFields");
  Json slim = {{"metadata", std::move(md)}};
  if (obj.contains("kind")) slim["kind"] = obj["kind"];
  if (obj.contains("apiVersion")) slim["apiVersion"] = obj["apiVersion"];
  obj = std::move(slim);
}

class GarbageCollector : public QueueController {
 public:
  explicit GarbageCollector(const Options& o) : QueueController(kComponent, o.concurrent_gc_syncs) {}
  ~GarbageCollector() override { Stop(); }

  common::Status Init(ControllerContext& ctx) override {
    client_ = &ctx.Client(kComponent);
    std::string partial;
    auto resources = DiscoverResources(*client_, &partial);
    if (!resources.ok()) return resources.status();
    if (!partial.empty())
      LOG_WARNING("garbage collector: some groups could not be discovered", {"groups", partial});
    resources_ = std::move(*resources);
    common::InformerOptions slim;
    slim.transform = MetadataOnly;
    for (const auto& r : resources_) {
      if (!r.Has("list") || !r.Has("watch") || !r.Has("delete")) continue;
      // upstream's ignoredResources: events are never owned.
      if (r.gvr.resource == "events") continue;
      bool shared = false;
      for (common::Informer* inf : ctx.informers().Informers())
        shared |= inf->resource() == r.gvr;
      common::Informer& inf =
          shared ? ctx.informers().ForResource(r.gvr) : ctx.informers().ForResource(r.gvr, slim);
      const ApiResource* res = &r;
      common::ResourceEventHandler h;
      h.on_add = [this, res](const ObjectPtr& o) { Observe(res, *o); };
      h.on_update = [this, res](const ObjectPtr& a, const ObjectPtr& b) {
        if (ResourceVersion(*a) != ResourceVersion(*b)) Observe(res, *b);
      };
      h.on_delete = [this](const ObjectPtr& o, bool) { Forget(*o); };
      inf.AddEventHandler(h);
    }
    return common::Status::Ok();
  }

 protected:
  common::Status Sync(const std::string& key) override;

 private:
  void Observe(const ApiResource* res, const Json& obj);
  void Forget(const Json& obj);
  common::Status AttemptToDelete(const std::string& uid);
  common::Status ProcessForeground(const std::string& uid);
  common::Status ProcessOrphan(const std::string& uid);
  // Whether the owner exists: by the graph, else by asking the server.
  enum class OwnerState { kSolid, kAbsent, kWaitingForDependents, kUnknown };
  OwnerState Classify(const OwnerRef& ref, const std::string& dependent_ns, bool dependent_namespaced);
  common::Status RemoveFinalizer(const Node& node, const std::string& uid, const std::string& finalizer);
  common::Status SetOwners(const Node& node, const std::string& uid, const std::vector<OwnerRef>& keep,
                           const std::set<std::string>& drop);

  common::RestClient* client_ = nullptr;
  std::vector<ApiResource> resources_;
  std::mutex mu_;
  std::unordered_map<std::string, Node> nodes_;                         // uid -> node
  std::unordered_map<std::string, std::set<std::string>> dependents_;  // owner uid -> uids
};

void GarbageCollector::Observe(const ApiResource* res, const Json& obj) {
  const std::string& uid = Uid(obj);
  if (uid.empty()) return;
  Node n;
  n.resource = res;
  n.ns = Namespace(obj);
  n.name = Name(obj);
  n.owners = OwnersOf(obj);
  n.deleting = IsDeleting(obj);
  n.foreground = n.deleting && HasFinalizer(obj, kForeground);
  n.orphaning = n.deleting && HasFinalizer(obj, kOrphan);
  bool check = false;
  const bool foreground = n.foreground, orphaning = n.orphaning;
  std::vector<std::string> waiting_owners;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto old = nodes_.find(uid);
    if (old != nodes_.end())
      for (const auto& o : old->second.owners) {
        auto d = dependents_.find(o.uid);
        if (d != dependents_.end()) d->second.erase(uid);
      }
    for (const auto& o : n.owners) {
      dependents_[o.uid].insert(uid);
      auto owner = nodes_.find(o.uid);
      // An owner the graph does not know, or one being deleted, needs a look.
      if (owner == nodes_.end() || owner->second.deleting) check = true;
      if (owner != nodes_.end() && owner->second.foreground) waiting_owners.push_back(o.uid);
    }
    nodes_[uid] = std::move(n);
  }
  if (check) EnqueueKey("delete:" + uid);
  if (foreground) EnqueueKey("foreground:" + uid);
  if (orphaning) EnqueueKey("orphan:" + uid);
  for (const auto& o : waiting_owners) EnqueueKey("foreground:" + o);
}

void GarbageCollector::Forget(const Json& obj) {
  const std::string& uid = Uid(obj);
  std::set<std::string> deps;
  std::vector<std::string> owners;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = nodes_.find(uid);
    if (it != nodes_.end()) {
      for (const auto& o : it->second.owners) {
        owners.push_back(o.uid);
        auto d = dependents_.find(o.uid);
        if (d != dependents_.end()) d->second.erase(uid);
      }
      nodes_.erase(it);
    }
    auto d = dependents_.find(uid);
    if (d != dependents_.end()) deps = d->second;
  }
  // Its dependents may now be garbage; an owner waiting on it may be done.
  for (const auto& dep : deps) EnqueueKey("delete:" + dep);
  for (const auto& o : owners) EnqueueKey("foreground:" + o);
}

common::Status GarbageCollector::Sync(const std::string& key) {
  size_t colon = key.find(':');
  std::string kind = key.substr(0, colon), uid = key.substr(colon + 1);
  if (kind == "delete") return AttemptToDelete(uid);
  if (kind == "foreground") return ProcessForeground(uid);
  if (kind == "orphan") return ProcessOrphan(uid);
  return common::Status::Ok();
}

GarbageCollector::OwnerState GarbageCollector::Classify(const OwnerRef& ref,
                                                        const std::string& dependent_ns,
                                                        bool dependent_namespaced) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = nodes_.find(ref.uid);
    if (it != nodes_.end())
      return it->second.foreground ? OwnerState::kWaitingForDependents : OwnerState::kSolid;
  }
  const ApiResource* r = FindByKind(resources_, ref.api_version, ref.kind);
  if (!r) return OwnerState::kUnknown;  // cannot tell: leave the dependent alone
  // A cluster-scoped dependent cannot have a namespaced owner: such a
  // reference resolves to nothing.
  if (r->namespaced && !dependent_namespaced) return OwnerState::kAbsent;
  auto got = client_->Get(r->gvr, r->namespaced ? dependent_ns : "", ref.name);
  if (!got.ok()) return got.status().IsNotFound() ? OwnerState::kAbsent : OwnerState::kUnknown;
  if (Uid(*got) != ref.uid) return OwnerState::kAbsent;  // same name, another object
  if (IsDeleting(*got) && HasFinalizer(*got, kForeground)) return OwnerState::kWaitingForDependents;
  return OwnerState::kSolid;
}

common::Status GarbageCollector::AttemptToDelete(const std::string& uid) {
  Node node;
  bool has_dependents;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = nodes_.find(uid);
    if (it == nodes_.end()) return common::Status::Ok();
    node = it->second;
    auto d = dependents_.find(uid);
    has_dependents = d != dependents_.end() && !d->second.empty();
  }
  if (node.deleting && !node.foreground) return common::Status::Ok();
  if (node.owners.empty()) return common::Status::Ok();
  // Decide on the live object, as upstream's attemptToDeleteItem does, not on
  // the graph's copy: owner and dependent come from separate watches, so the
  // graph can still hold a reference the server has dropped (an orphaned
  // ReplicaSet whose Deployment's delete arrived first), and acting on it
  // would delete what was just orphaned.
  auto live = client_->Get(node.resource->gvr, node.ns, node.name);
  if (!live.ok()) return live.status().IsNotFound() ? common::Status::Ok() : live.status();
  if (Uid(*live) != uid) return common::Status::Ok();
  node.owners = OwnersOf(*live);
  node.deleting = IsDeleting(*live);
  node.foreground = node.deleting && HasFinalizer(*live, kForeground);
  node.orphaning = node.deleting && HasFinalizer(*live, kOrphan);
  if (node.deleting && !node.foreground) return common::Status::Ok();
  if (node.owners.empty()) return common::Status::Ok();

  std::vector<OwnerRef> solid;
  std::set<std::string> dangling, waiting;
  for (const auto& o : node.owners) {
    switch (Classify(o, node.ns, node.resource->namespaced)) {
      case OwnerState::kSolid: solid.push_back(o); break;
      case OwnerState::kAbsent: dangling.insert(o.uid); break;
      case OwnerState::kWaitingForDependents: waiting.insert(o.uid); break;
      case OwnerState::kUnknown:
        // Treat as present: deleting on a guess would be the worse mistake.
        solid.push_back(o);
        break;
    }
  }
  if (!solid.empty()) {
    // Still owned: drop the references that no longer hold it.
    std::set<std::string> drop = dangling;
    drop.insert(waiting.begin(), waiting.end());
    if (drop.empty()) return common::Status::Ok();
    return SetOwners(node, uid, solid, drop);
  }
  // Every owner is gone or being deleted in the foreground: delete it. An
  // object whose owner waits for it, and that has dependents of its own, is
  // deleted in the foreground too, so the wait covers the whole tree.
  common::DeleteOptions opts;
  opts.precondition_uid = uid;
  // A change since the read (say, its references dropped) makes this a
  // conflict, and the change's own event brings the object back here.
  opts.precondition_resource_version = ResourceVersion(*live);
  if (!waiting.empty() && has_dependents) opts.propagation_policy = "Foreground";
  else if (node.orphaning) opts.propagation_policy = "Orphan";
  else if (node.foreground) opts.propagation_policy = "Foreground";
  else opts.propagation_policy = "Background";
  VLOG(2, "deleting object whose owners are gone", {"resource", node.resource->gvr.GroupResource()},
       {"object", node.ns + "/" + node.name}, {"propagation", opts.propagation_policy});
  auto r = client_->Delete(node.resource->gvr, node.ns, node.name, opts);
  if (!r.ok() && !r.status().IsNotFound() && !r.status().IsConflict()) return r.status();
  return common::Status::Ok();
}

common::Status GarbageCollector::ProcessForeground(const std::string& uid) {
  Node node;
  std::vector<std::string> blocking, all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = nodes_.find(uid);
    if (it == nodes_.end() || !it->second.foreground) return common::Status::Ok();
    node = it->second;
    auto d = dependents_.find(uid);
    if (d != dependents_.end())
      for (const auto& dep : d->second) {
        auto dn = nodes_.find(dep);
        if (dn == nodes_.end()) continue;
        all.push_back(dep);
        for (const auto& o : dn->second.owners)
          if (o.uid == uid && o.block) blocking.push_back(dep);
      }
  }
  if (blocking.empty()) return RemoveFinalizer(node, uid, kForeground);
  // Delete the dependents; their delete events bring this owner back here.
  for (const auto& dep : all) EnqueueKey("delete:" + dep);
  return common::Status::Ok();
}

common::Status GarbageCollector::ProcessOrphan(const std::string& uid) {
  Node node;
  std::vector<std::string> deps;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = nodes_.find(uid);
    if (it == nodes_.end() || !it->second.orphaning) return common::Status::Ok();
    node = it->second;
    auto d = dependents_.find(uid);
    if (d != dependents_.end()) deps.assign(d->second.begin(), d->second.end());
  }
  for (const auto& dep : deps) {
    Node dn;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = nodes_.find(dep);
      if (it == nodes_.end()) continue;
      dn = it->second;
    }
    std::vector<OwnerRef> keep;
    for (const auto& o : dn.owners)
      if (o.uid != uid) keep.push_back(o);
    RETURN_IF_ERROR(SetOwners(dn, dep, keep, {uid}));
  }
  return RemoveFinalizer(node, uid, kOrphan);
}

common::Status GarbageCollector::SetOwners(const Node& node, const std::string& uid,
                                           const std::vector<OwnerRef>&,
                                           const std::set<std::string>& drop) {
  // Read-modify-write with the resourceVersion as precondition, so a
  // concurrent change of the references is never overwritten.
  auto got = client_->Get(node.resource->gvr, node.ns, node.name);
  if (!got.ok()) return got.status().IsNotFound() ? common::Status::Ok() : got.status();
  if (Uid(*got) != uid) return common::Status::Ok();
  Json refs = Json::array();
  for (const auto& r : common::GetPath(*got, {"metadata", "ownerReferences"}))
    if (!drop.count(common::GetString(r, "uid"))) refs.push_back(r);
  Json patch = {{"metadata",
                 {{"ownerReferences", refs.empty() ? Json() : refs},
                  {"resourceVersion", ResourceVersion(*got)},
                  {"uid", uid}}}};
  auto r = client_->Patch(node.resource->gvr, node.ns, node.name, common::PatchType::kMerge, patch);
  if (!r.ok() && !r.status().IsNotFound()) return r.status();
  return common::Status::Ok();
}

common::Status GarbageCollector::RemoveFinalizer(const Node& node, const std::string& uid,
                                                 const std::string& finalizer) {
  auto got = client_->Get(node.resource->gvr, node.ns, node.name);
  if (!got.ok()) return got.status().IsNotFound() ? common::Status::Ok() : got.status();
  if (Uid(*got) != uid || !HasFinalizer(*got, finalizer)) return common::Status::Ok();
  Json kept = Json::array();
  for (const auto& f : common::GetPath(*got, {"metadata", "finalizers"}))
    if (f != finalizer) kept.push_back(f);
  Json patch = {{"metadata",
                 {{"finalizers", kept.empty() ? Json() : kept},
                  {"resourceVersion", ResourceVersion(*got)}}}};
  auto r = client_->Patch(node.resource->gvr, node.ns, node.name, common::PatchType::kMerge, patch);
  if (!r.ok() && !r.status().IsNotFound()) return r.status();
  return common::Status::Ok();
}

}  // namespace

std::unique_ptr<Controller> NewGarbageCollectorController(const Options& o) {
  return std::make_unique<GarbageCollector>(o);
}

}  // namespace reconcile
