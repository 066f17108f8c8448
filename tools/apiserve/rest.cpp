#include "rest.h"

#include "common/api/custom.h"
#include "common/api/defaults.h"
#include "common/api/registry.h"
#include "common/api/validation.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "encoding.h"
#include "storage/codec.h"
#include "storage/keys.h"

namespace apiserve::rest {

using common::Json;

void SetRV(Json& obj, int64_t rv) {
  Json& md = obj["metadata"];
  if (!md.is_object()) md = Json::object();
  md["resourceVersion"] = std::to_string(rv);
}

namespace {

// The catalogue entry of res's storage version (validation and strategies
// run on the stored form).
const common::api::ResourceInfo& StorageInfo(const ServedResource& res) {
  if (res.custom || res.info.storage_version == res.info.gv()) return res.info;
  const auto* ri = common::api::FindResource(res.info.storage_version.group,
                                             res.info.storage_version.version, res.info.resource);
  return ri ? *ri : res.info;
}

std::string Now() { return common::FormatRFC3339(common::Clock::now()); }

Outcome ValidateObject(const ServedResource& res, const Json& obj, const Json* old,
                       bool status_update) {
  const auto& ri = StorageInfo(res);
  std::vector<common::api::FieldError> errs;
  if (res.custom) {
    // The CRD version's openAPIV3Schema (apiextensions-apiserver's strategy).
    errs = status_update && old
               ? common::api::ValidateCustomStatusUpdate(res.info, res.crd_version, obj, *old)
               : common::api::ValidateCustom(res.info, res.crd_version, obj, old);
  } else if (status_update && old) {
    errs = common::api::ValidateStatusUpdate(ri, obj, *old);
  } else {
    errs = common::api::Validate(ri, obj, old);
  }
  if (errs.empty()) return std::nullopt;
  return ApiError::Invalid(res.info.group, res.info.kind,
                           common::GetPath(obj, {"metadata", "name"}).is_string()
                               ? obj["metadata"]["name"].get<std::string>()
                               : "",
                           errs);
}

Outcome FinishStored(const ServedResource& res, const std::string& stored_bytes, int64_t rv,
                     Stored* out) {
  out->rv = rv;
  out->bytes = storage::WithResourceVersion(stored_bytes, rv);
  out->obj = nullptr;
  if (out->bytes.empty()) return ApiError::Internal("stored object of " + res.info.resource + " is not JSON");
  return std::nullopt;
}

bool IsService(const ServedResource& res) {
  return !res.custom && res.info.group.empty() && res.info.resource == "services";
}
bool IsNamespace(const ServedResource& res) {
  return !res.custom && res.info.group.empty() && res.info.resource == "namespaces";
}
// What decoding does to a request body: built-in kinds lose their explicit
// nulls as typed decoding does, then get their defaults; custom resources lose
// the fields their schema does not specify (and nulls in metadata and where
// the schema is not nullable), then get the schema's defaults.
void DefaultOnDecode(const ServedResource& res, Json& obj) {
  if (!res.custom) {
    common::api::DropNulls(res.info, obj);
    common::api::ApplyDefaults(res.info, obj);
    return;
  }
  common::api::PruneCustom(res.crd_version, obj);
  common::api::ApplyCustomDefaults(res.crd_version, obj);
}

bool IsCrd(const ServedResource& res) {
  return !res.custom && res.info.group == "apiextensions.k8s.io" &&
         res.info.resource == "customresourcedefinitions";
}

// What kube-apiserver's CRD strategy and controllers set: status.acceptedNames
// and the Established/NamesAccepted conditions (kubix serves a CRD at once).
void EstablishCrd(Json& crd) {
  Json& status = crd["status"];
  if (!status.is_object()) status = Json::object();
  status["acceptedNames"] = common::GetPath(crd, {"spec", "names"});
  std::string now = Now();
  Json terminating;  // set by a delete; an update keeps it
  for (const Json& c : common::Get(status, "conditions"))
    if (common::GetString(c, "type") == "Terminating") terminating = c;
  status["conditions"] = Json::array(
      {{{"type", "NamesAccepted"}, {"status", "True"}, {"lastTransitionTime", now},
        {"reason", "NoConflicts"}, {"message", "no conflicts found"}},
       {{"type", "Established"}, {"status", "True"}, {"lastTransitionTime", now},
        {"reason", "InitialNamesAccepted"}, {"message", "the initial names have been accepted"}}});
  if (!terminating.is_null()) status["conditions"].push_back(terminating);
  Json stored = Json::array();
  for (const Json& v : common::GetPath(crd, {"spec", "versions"}))
    if (common::GetBool(v, "storage")) stored.push_back(common::GetString(v, "name"));
  status["storedVersions"] = stored;
}

}  // namespace

void SetCrdTerminating(Json& crd, const std::string& reason, const std::string& message) {
  Json& status = crd["status"];
  if (!status.is_object()) status = Json::object();
  Json& conds = status["conditions"];
  if (!conds.is_array()) conds = Json::array();
  Json c = {{"type", "Terminating"}, {"status", "True"}, {"lastTransitionTime", Now()},
            {"reason", reason}, {"message", message}};
  for (Json& old : conds) {
    if (common::GetString(old, "type") != "Terminating") continue;
    if (common::GetString(old, "status") == "True" && old.contains("lastTransitionTime"))
      c["lastTransitionTime"] = old["lastTransitionTime"];
    old = std::move(c);
    return;
  }
  conds.push_back(std::move(c));
}

bool CrdTerminating(const Json& crd) {
  return !common::GetPath(crd, {"metadata", "deletionTimestamp"}).is_null();
}

Outcome Get(ApiServer& s, const ServedResource& res, const std::string& ns,
            const std::string& name, Stored* out) {
  auto raw = s.store().Get(s.Key(res, ns, name));
  if (!raw.ok()) return ApiError::FromStatus(raw.status(), {res.info.group, res.info.resource}, name);
  return FinishStored(res, raw->value, raw->mod_revision, out);
}

Outcome Create(ApiServer& s, const ServedResource& res, const std::string& ns, Json obj,
               const WriteOptions& o, Stored* out) {
  const GroupResource gr{res.info.group, res.info.resource};
  // The custom resource handler refuses new objects of a terminating CRD
  // (its finalizer is deleting them).
  if (res.custom && CrdTerminating(res.crd))
    return ApiError{405, "MethodNotAllowed",
                    "create not allowed while custom resource definition is terminating",
                    Json{{"group", res.info.group}, {"kind", res.info.resource}}};
  Json& md = obj["metadata"];
  if (!md.is_object()) md = Json::object();

  // Namespace: the URL's, which the body may repeat but not contradict.
  if (res.info.namespaced) {
    std::string body_ns = common::GetString(md, "namespace");
    if (!body_ns.empty() && body_ns != ns)
      return ApiError::BadRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
    md["namespace"] = ns;
  } else {
    md.erase("namespace");
  }
  if (!common::GetString(md, "resourceVersion").empty())
    return ApiError::Internal("resourceVersion should not be set on objects to be created");

  // Defaulting happens on the served version, as the decoder does.
  DefaultOnDecode(res, obj);
  auto stored_obj = ToStorageVersion(res, std::move(obj));
  if (!stored_obj.ok()) return ApiError::BadRequest(stored_obj.status().message());
  obj = std::move(stored_obj).value();
  Json& smd = obj["metadata"];

  admission::Attributes attrs;
  attrs.resource = &res;
  attrs.operation = "CREATE";
  attrs.ns = ns;
  attrs.name = common::GetString(smd, "name");
  attrs.object = &obj;
  attrs.user = o.user;
  attrs.dry_run = o.dry_run;
  if (auto e = s.admission().Admit(attrs)) return e;

  // BeforeCreate: generateName, system fields, the kind's strategy.
  std::string name = common::GetString(obj["metadata"], "name");
  std::string generate = common::GetString(obj["metadata"], "generateName");
  bool generated = false;
  if (name.empty() && !generate.empty()) {
    std::string base = generate.size() > 58 ? generate.substr(0, 58) : generate;
    name = base + ApiServer::RandomSuffix();
    obj["metadata"]["name"] = name;
    generated = true;
  }
  Json& m = obj["metadata"];
  m["uid"] = ApiServer::NewUid();
  m["creationTimestamp"] = Now();
  m.erase("deletionTimestamp");
  m.erase("deletionGracePeriodSeconds");
  m.erase("selfLink");
  if (StorageInfo(res).tracks_generation || res.custom) {
    m["generation"] = 1;
  } else {
    m.erase("generation");
  }
  if (!res.custom) common::api::PrepareForCreate(StorageInfo(res), obj);
  else common::api::PrepareCustomForCreate(res.info, obj);
  if (IsNamespace(res)) {
    Json& spec = obj["spec"];
    if (!spec.is_object()) spec = Json::object();
    if (!spec.contains("finalizers")) spec["finalizers"] = Json::array({"kubernetes"});
    obj["status"] = {{"phase", "Active"}};
    Json& labels = obj["metadata"]["labels"];
    if (!labels.is_object()) labels = Json::object();
    labels["kubernetes.io/metadata.name"] = name;
  }
  if (IsCrd(res)) EstablishCrd(obj);

  if (auto e = ValidateObject(res, obj, nullptr, false)) return e;
  attrs.name = name;
  if (auto e = s.admission().Validate(attrs)) return e;

  for (int attempt = 0; attempt < 8; ++attempt) {
    // Only a Service changes per attempt (its allocations); others are
    // written as they are, without a copy.
    Json service_obj;
    const bool service = IsService(res);
    if (service) service_obj = obj;
    const Json& final_obj = service ? service_obj : obj;
    std::vector<storage::KeyWrite> writes;
    if (service) {
      auto plan = s.allocators().ForCreate(service_obj, ns, name);
      if (!plan.ok()) {
        return ApiError{422, "Invalid",
                        "Service \"" + name + "\" is invalid: " + plan.status().message(),
                        Json{{"name", name}, {"kind", "Service"},
                             {"causes", Json::array({{{"reason", "FieldValueInvalid"},
                                                      {"message", plan.status().message()}}})}}};
      }
      writes = std::move(plan->creates);
    }
    std::string key = s.Key(res, ns, name);
    std::string bytes = storage::EncodeForStorage(final_obj);
    if (o.dry_run) {
      out->obj = final_obj;
      out->bytes = common::DumpJson(final_obj);
      out->rv = 0;
      return std::nullopt;
    }
    writes.insert(writes.begin(), storage::KeyWrite{key, bytes});
    auto rev = s.store().Create(writes);
    if (rev.ok()) {
      if (IsCrd(res)) s.ReloadCrds();
      return FinishStored(res, bytes, *rev, out);
    }
    if (rev.status().IsAlreadyExists()) {
      if (rev.status().message() == key) {
        if (generated) {
          // upstream retries generateName collisions a few times (KEP-4420).
          name = generate.substr(0, std::min<size_t>(58, generate.size())) + ApiServer::RandomSuffix();
          obj["metadata"]["name"] = name;
          continue;
        }
        return ApiError::AlreadyExists(gr, name);
      }
      continue;  // an allocation raced with another writer: pick again
    }
    return ApiError::FromStatus(rev.status(), gr, name);
  }
  return ApiError::Internal("could not allocate after repeated conflicts");
}

Outcome Update(ApiServer& s, const ServedResource& res, const std::string& ns,
               const std::string& name, const MutateFn& mutate, const WriteOptions& o,
               Stored* out, bool create_on_missing) {
  const GroupResource gr{res.info.group, res.info.resource};
  const std::string key = s.Key(res, ns, name);
  const bool status_update = o.subresource == "status";
  auto cur = s.store().Get(key);
  for (int attempt = 0; attempt < 50; ++attempt) {
    if (!cur.ok() && !cur.status().IsNotFound())
      return ApiError::FromStatus(cur.status(), gr, name);
    if (!cur.ok()) {
      if (!create_on_missing) return ApiError::NotFound(gr, name);
      Json next;
      if (auto e = mutate(Json(), &next)) return e;
      Outcome r = Create(s, res, ns, std::move(next), o, out);
      if (r && r->reason == "AlreadyExists") {
        cur = s.store().Get(key);
        continue;
      }
      return r;
    }
    // The current object in the served version.
    std::string cur_bytes = storage::WithResourceVersion(cur->value, cur->mod_revision);
    auto cur_stored = common::ParseJson(cur_bytes);
    if (!cur_stored.ok()) return ApiError::Internal("stored object is not JSON");
    auto cur_served = ToServedVersion(res, *cur_stored);
    if (!cur_served.ok()) return ApiError::Internal(cur_served.status().message());

    Json next;
    if (auto e = mutate(*cur_served, &next)) return e;
    if (!next.is_object()) return ApiError::BadRequest("the object provided is not a JSON object");
    Json& md = next["metadata"];
    if (!md.is_object()) md = Json::object();

    // Checks of BeforeUpdate.
    if (res.info.namespaced) {
      std::string body_ns = common::GetString(md, "namespace");
      if (!body_ns.empty() && body_ns != ns)
        return ApiError::BadRequest(
            "the namespace of the provided object does not match the namespace sent on the request");
      md["namespace"] = ns;
    } else {
      md.erase("namespace");
    }
    std::string body_name = common::GetString(md, "name");
    if (body_name.empty()) md["name"] = name;
    else if (body_name != name)
      return ApiError::BadRequest("the name of the object (" + body_name +
                                  ") does not match the name on the URL (" + name + ")");
    // A resourceVersion in the new object is a precondition.
    std::string want_rv = common::GetString(md, "resourceVersion");
    bool conditional = !want_rv.empty();
    if (conditional && want_rv != std::to_string(cur->mod_revision))
      return ApiError::ConflictModified(gr, name);
    md.erase("resourceVersion");

    DefaultOnDecode(res, next);
    auto next_stored = ToStorageVersion(res, std::move(next));
    if (!next_stored.ok()) return ApiError::BadRequest(next_stored.status().message());
    next = std::move(next_stored).value();
    Json old = *cur_stored;
    old["metadata"].erase("resourceVersion");
    Json& m = next["metadata"];
    const Json& om = old["metadata"];
    // System fields cannot be changed by an update.
    if (common::GetString(m, "uid").empty() && om.contains("uid")) m["uid"] = om["uid"];
    if (om.contains("creationTimestamp")) m["creationTimestamp"] = om["creationTimestamp"];
    if (om.contains("deletionTimestamp")) m["deletionTimestamp"] = om["deletionTimestamp"];
    else m.erase("deletionTimestamp");
    if (om.contains("deletionGracePeriodSeconds"))
      m["deletionGracePeriodSeconds"] = om["deletionGracePeriodSeconds"];
    else m.erase("deletionGracePeriodSeconds");
    if (om.contains("generation")) m["generation"] = om["generation"];
    else m.erase("generation");
    m.erase("selfLink");

    const auto& sri = StorageInfo(res);
    if (status_update) {
      if (!res.custom) {
        common::api::PrepareForStatusUpdate(sri, next, old);
      } else {
        common::api::PrepareCustomForStatusUpdate(res.info, next, old);
      }
    } else {
      bool spec_changed = false;
      if (!res.custom) {
        spec_changed = common::api::PrepareForUpdate(sri, next, old);
      } else {
        spec_changed = common::api::PrepareCustomForUpdate(res.info, next, old);
      }
      if (spec_changed && (sri.tracks_generation || res.custom))
        m["generation"] = common::GetInt(om, "generation", 0) + 1;
    }
    if (IsCrd(res)) EstablishCrd(next);
    if (IsNamespace(res) && !status_update) {
      // Namespace status is only written through /status (and /finalize).
      next["status"] = common::Get(old, "status");
    }

    admission::Attributes attrs;
    attrs.resource = &res;
    attrs.operation = "UPDATE";
    attrs.ns = ns;
    attrs.name = name;
    attrs.subresource = o.subresource;
    attrs.object = &next;
    attrs.old = &old;
    attrs.user = o.user;
    attrs.dry_run = o.dry_run;
    if (auto e = s.admission().Admit(attrs)) return e;
    if (auto e = ValidateObject(res, next, &old, status_update)) return e;
    if (auto e = s.admission().Validate(attrs)) return e;

    storage::RawObject& c = *cur;
    AllocationPlan plan;
    if (IsService(res) && !status_update) {
      auto p = s.allocators().ForUpdate(next, old, ns, name);
      if (!p.ok())
        return ApiError{422, "Invalid", "Service \"" + name + "\" is invalid: " + p.status().message(),
                        Json{{"name", name}, {"kind", "Service"}}};
      plan = std::move(p).value();
    }
    // An object being deleted whose last finalizer went away is deleted now.
    bool finalize = !common::GetPath(next, {"metadata", "deletionTimestamp"}).is_null() &&
                    common::GetPath(next, {"metadata", "finalizers"}).empty() &&
                    common::GetInt(next["metadata"], "deletionGracePeriodSeconds", 0) == 0;
    std::string bytes = storage::EncodeForStorage(next);
    if (o.dry_run) {
      out->obj = next;
      SetRV(out->obj, c.mod_revision);
      out->bytes = common::DumpJson(out->obj);
      out->rv = c.mod_revision;
      return std::nullopt;
    }
    if (finalize) {
      std::vector<std::string> also;
      if (IsService(res)) also = s.allocators().KeysOf(old);
      if (IsCrd(res)) {
        auto st = PurgeCustomResources(s, old);
        if (!st.ok()) return ApiError::FromStatus(st, gr, name);
      }
      std::optional<common::Result<storage::RawObject>> now;
      auto rev = s.store().Delete(key, c.mod_revision, also, &now);
      if (rev.ok()) {
        if (IsCrd(res)) s.ReloadCrds();
        out->exists = false;
        return FinishStored(res, bytes, *rev, out);
      }
      if (!rev.status().IsConflict()) return ApiError::FromStatus(rev.status(), gr, name);
      if (conditional) return ApiError::ConflictModified(gr, name);
      cur = now ? std::move(*now) : s.store().Get(key);
      continue;
    }
    if (bytes == c.value) {
      // A no-op update writes nothing and keeps the resourceVersion.
      out->exists = true;
      return FinishStored(res, c.value, c.mod_revision, out);
    }
    std::optional<common::Result<storage::RawObject>> now;
    auto rev = s.store().Update(key, bytes, c.mod_revision, plan.deletes, &now, plan.creates);
    if (rev.ok()) {
      if (IsCrd(res)) s.ReloadCrds();
      out->exists = true;
      return FinishStored(res, bytes, *rev, out);
    }
    if (rev.status().IsAlreadyExists()) {
      cur = s.store().Get(key);  // an allocation raced: allocate again
      continue;
    }
    if (!rev.status().IsConflict()) return ApiError::FromStatus(rev.status(), gr, name);
    if (conditional) return ApiError::ConflictModified(gr, name);
    if (now) {
      cur = std::move(*now);
    } else {
      cur = s.store().Get(key);
    }
  }
  return ApiError::ConflictModified(gr, name);
}

Outcome Mutate(ApiServer& s, const ServedResource& res, const std::string& ns,
               const std::string& name, const std::function<Outcome(Json& obj)>& fn, bool dry_run,
               Stored* out) {
  const GroupResource gr{res.info.group, res.info.resource};
  std::optional<ApiError> failure;
  Json last;
  auto r = s.store().GuaranteedUpdate(
      s.Key(res, ns, name), false,
      [&](const std::optional<storage::RawObject>& cur) -> common::Result<std::string> {
        if (!cur) return common::Status::NotFound("");
        auto obj = common::ParseJson(cur->value);
        if (!obj.ok()) return common::Status::Internal("stored object is not JSON");
        if (auto e = fn(*obj)) {
          failure = e;
          return common::Status::Internal("stop");
        }
        last = *obj;
        if (dry_run) {
          failure = std::nullopt;
          return cur->value;  // unchanged: nothing is written
        }
        return storage::EncodeForStorage(*obj);
      });
  if (failure) return failure;
  if (!r.ok()) return ApiError::FromStatus(r.status(), gr, name);
  if (dry_run) {
    out->obj = last;
    out->bytes = common::DumpJson(last);
    out->rv = r->mod_revision;
    return std::nullopt;
  }
  return FinishStored(res, r->value, r->mod_revision, out);
}

common::Status PurgeCustomResources(ApiServer& s, const Json& crd) {
  std::string group = common::GetString(common::Get(crd, "spec"), "group");
  std::string plural = common::GetPath(crd, {"spec", "names", "plural"}).is_string()
                           ? common::GetPath(crd, {"spec", "names", "plural"}).get<std::string>()
                           : "";
  if (group.empty() || plural.empty()) return common::Status::Ok();
  std::string prefix = storage::ListPrefix(s.options().etcd_prefix, group + "/" + plural, "");
  common::kv::DeleteRangeRequest req;
  req.key = prefix;
  req.range_end = common::kv::PrefixEnd(prefix);
  auto r = s.store().kv()->DeleteRange(req);
  if (!r.ok()) return r.status();
  return common::Status::Ok();
}

}  // namespace apiserve::rest
