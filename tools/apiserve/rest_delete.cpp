// Deletion semantics (upstream registry/generic/registry/store.go Delete,
// rest.BeforeDelete, the pod strategy's CheckGracefulDelete and the
// namespace REST's Delete).
#include <chrono>

#include "common/strings.h"
#include "common/timeutil.h"
#include "encoding.h"
#include "rest.h"
#include "storage/codec.h"

namespace apiserve::rest {

using common::Json;

common::Result<DeleteOptions> ParseDeleteOptions(const common::HttpRequest& req) {
  DeleteOptions o;
  std::string_view body = common::TrimSpace(req.body);
  if (!body.empty()) {
    auto j = DecodeAnyBody(req);
    if (!j.ok()) return common::Status::BadRequest(j.status().message());
    if (j->is_object()) {
      if (j->contains("gracePeriodSeconds") && (*j)["gracePeriodSeconds"].is_number_integer())
        o.grace_period_seconds = (*j)["gracePeriodSeconds"].get<int64_t>();
      o.propagation_policy = common::GetString(*j, "propagationPolicy");
      if (common::Get(*j, "orphanDependents").is_boolean() && o.propagation_policy.empty())
        o.propagation_policy = (*j)["orphanDependents"].get<bool>() ? "Orphan" : "Background";
      const Json& pre = common::Get(*j, "preconditions");
      o.precondition_uid = common::GetString(pre, "uid");
      o.precondition_rv = common::GetString(pre, "resourceVersion");
      for (const Json& d : common::Get(*j, "dryRun")) {
        if (d == "All") o.dry_run = true;
        else return common::Status::BadRequest("dryRun: Unsupported value: \"" +
                                               (d.is_string() ? d.get<std::string>() : std::string()) +
                                               "\": supported values: \"All\"");
      }
    }
  }
  if (auto g = req.Query("gracePeriodSeconds")) {
    auto v = common::ParseInt64(*g);
    if (!v) return common::Status::BadRequest("invalid gracePeriodSeconds '" + *g + "'");
    o.grace_period_seconds = *v;
  }
  if (auto p = req.Query("propagationPolicy")) o.propagation_policy = *p;
  if (auto d = req.Query("dryRun")) {
    if (*d != "All")
      return common::Status::BadRequest("dryRun: Unsupported value: \"" + *d +
                                        "\": supported values: \"All\"");
    o.dry_run = true;
  }
  if (!o.propagation_policy.empty() && o.propagation_policy != "Orphan" &&
      o.propagation_policy != "Background" && o.propagation_policy != "Foreground")
    return common::Status::Invalid("propagationPolicy: Unsupported value: \"" +
                                   o.propagation_policy +
                                   "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
  return o;
}

namespace {

bool IsPod(const ServedResource& r) { return !r.custom && r.info.group.empty() && r.info.resource == "pods"; }
bool IsNamespace(const ServedResource& r) {
  return !r.custom && r.info.group.empty() && r.info.resource == "namespaces";
}
bool IsService(const ServedResource& r) {
  return !r.custom && r.info.group.empty() && r.info.resource == "services";
}
bool IsCrd(const ServedResource& r) {
  return !r.custom && r.info.group == "apiextensions.k8s.io" &&
         r.info.resource == "customresourcedefinitions";
}

// The grace period a delete gets (0 = delete at once if nothing else holds it).
int64_t GracePeriod(const ServedResource& res, const Json& obj, const DeleteOptions& o) {
  if (!IsPod(res)) return 0;
  int64_t grace = o.grace_period_seconds.value_or(
      common::GetInt(common::Get(obj, "spec"), "terminationGracePeriodSeconds", 30));
  if (grace < 0) grace = 1;  // upstream: negative grace is treated as 1 second
  // CheckGracefulDelete: unbound and finished pods go at once.
  if (common::GetString(common::Get(obj, "spec"), "nodeName").empty()) grace = 0;
  std::string phase = common::GetString(common::Get(obj, "status"), "phase");
  if (phase == "Succeeded" || phase == "Failed") grace = 0;
  return grace;
}

}  // namespace

Outcome Delete(ApiServer& s, const ServedResource& res, const std::string& ns,
               const std::string& name, const DeleteOptions& o, Stored* out) {
  const GroupResource gr{res.info.group, res.info.resource};
  const std::string key = s.Key(res, ns, name);
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto cur = s.store().Get(key);
    if (!cur.ok()) return ApiError::FromStatus(cur.status(), gr, name);
    auto parsed = storage::DecodeObject(cur->value, cur->mod_revision);
    if (!parsed.ok()) return ApiError::Internal("stored object is not JSON");
    Json obj = std::move(parsed).value();
    Json& md = obj["metadata"];
    if (!o.precondition_uid.empty() && o.precondition_uid != common::GetString(md, "uid"))
      return ApiError::Conflict(gr, name,
                                "Precondition failed: UID in precondition: " + o.precondition_uid +
                                    ", UID in object meta: " + common::GetString(md, "uid"));
    if (!o.precondition_rv.empty() && o.precondition_rv != std::to_string(cur->mod_revision))
      return ApiError::Conflict(gr, name,
                                "Precondition failed: ResourceVersion in precondition: " +
                                    o.precondition_rv + ", ResourceVersion in object meta: " +
                                    std::to_string(cur->mod_revision));
    admission::Attributes attrs;
    attrs.resource = &res;
    attrs.operation = "DELETE";
    attrs.ns = ns;
    attrs.name = name;
    attrs.old = &obj;
    attrs.dry_run = o.dry_run;
    if (auto e = s.admission().Validate(attrs)) return e;

    int64_t grace = GracePeriod(res, obj, o);
    Json finalizers = common::Get(md, "finalizers").is_array() ? md["finalizers"] : Json::array();
    auto add_finalizer = [&](const char* f) {
      for (const auto& x : finalizers)
        if (x == f) return;
      finalizers.push_back(f);
    };
    bool being_deleted = md.contains("deletionTimestamp") && !md["deletionTimestamp"].is_null();
    if (o.propagation_policy == "Foreground") add_finalizer("foregroundDeletion");
    if (o.propagation_policy == "Orphan") add_finalizer("orphan");
    // apiextensions' CRD REST: the first delete adds the cleanup finalizer
    // and the Terminating condition; the CRD finalizer deletes the custom
    // resources (respecting their finalizers) and then lets the CRD go.
    if (IsCrd(res) && !being_deleted) {
      add_finalizer(kCrdCleanupFinalizer);
      SetCrdTerminating(obj, "InstanceDeletionPending",
                        "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon");
    }
    bool ns_finalizers = IsNamespace(res) && !common::GetPath(obj, {"spec", "finalizers"}).empty();

    bool immediate = finalizers.empty() && !ns_finalizers && grace == 0;
    if (being_deleted && !immediate) {
      // Already terminating: only a shorter pod grace period changes anything.
      int64_t cur_grace = common::GetInt(md, "deletionGracePeriodSeconds", 0);
      if (!(IsPod(res) && grace < cur_grace) && finalizers == common::Get(md, "finalizers")) {
        out->obj = obj;
        out->bytes = common::DumpJson(obj);
        out->rv = cur->mod_revision;
        out->exists = true;
        return std::nullopt;
      }
    }
    if (!immediate) {
      auto now = std::chrono::time_point_cast<std::chrono::seconds>(common::Clock::now());
      if (!being_deleted || (IsPod(res) && grace < common::GetInt(md, "deletionGracePeriodSeconds", 0)))
        md["deletionTimestamp"] = common::FormatRFC3339(now + std::chrono::seconds(grace));
      md["deletionGracePeriodSeconds"] = grace;
      if (!finalizers.empty()) md["finalizers"] = finalizers;
      if (!being_deleted && md.contains("generation") && md["generation"].is_number_integer())
        md["generation"] = md["generation"].get<int64_t>() + 1;
      if (IsNamespace(res)) obj["status"]["phase"] = "Terminating";
      std::string bytes = storage::EncodeForStorage(obj);
      if (o.dry_run) {
        out->obj = obj;
        out->bytes = common::DumpJson(obj);
        out->rv = cur->mod_revision;
        out->exists = true;
        return std::nullopt;
      }
      auto rev = s.store().Update(key, bytes, cur->mod_revision);
      if (rev.ok()) {
        if (IsCrd(res)) s.ReloadCrds();
        out->rv = *rev;
        out->bytes = storage::WithResourceVersion(bytes, *rev);
        out->obj = obj;
        SetRV(out->obj, *rev);
        out->exists = true;
        return std::nullopt;
      }
      if (!rev.status().IsConflict()) return ApiError::FromStatus(rev.status(), gr, name);
      continue;
    }
    if (o.dry_run) {
      out->obj = obj;
      out->bytes = common::DumpJson(obj);
      out->rv = cur->mod_revision;
      out->exists = false;
      return std::nullopt;
    }
    std::vector<std::string> also;
    if (IsService(res)) also = s.allocators().KeysOf(obj);
    if (IsCrd(res)) {
      auto st = PurgeCustomResources(s, obj);
      if (!st.ok()) return ApiError::FromStatus(st, gr, name);
    }
    auto rev = s.store().Delete(key, cur->mod_revision, also);
    if (rev.ok()) {
      out->rv = *rev;
      out->obj = obj;
      SetRV(out->obj, *rev);
      out->bytes = common::DumpJson(out->obj);
      out->exists = false;
      if (IsCrd(res)) s.ReloadCrds();
      return std::nullopt;
    }
    if (!rev.status().IsConflict()) return ApiError::FromStatus(rev.status(), gr, name);
  }
  return ApiError::ConflictModified(gr, name);
}

}  // namespace apiserve::rest
