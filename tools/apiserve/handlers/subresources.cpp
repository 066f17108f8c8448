// The scale (autoscaling/v1 Scale), binding and eviction subresources.
#include "common/api/patch.h"
#include "common/api/registry.h"
#include "common/selector.h"
#include "common/strings.h"
#include "common/timeutil.h"
#include "encoding.h"
#include "handlers/list_options.h"
#include "rest.h"

namespace apiserve::handlers {

using common::Json;

namespace {

// Reads a dotted JSON path (".spec.replicas" as CRDs write them).
const Json& AtPath(const Json& obj, const std::string& path) {
  static const Json kNull;
  const Json* cur = &obj;
  for (const auto& seg : common::SplitNonEmpty(path, '.')) {
    if (!cur->is_object() || !cur->contains(seg)) return kNull;
    cur = &(*cur)[seg];
  }
  return *cur;
}

void SetAtPath(Json& obj, const std::string& path, Json value) {
  Json* cur = &obj;
  auto segs = common::SplitNonEmpty(path, '.');
  for (size_t i = 0; i + 1 < segs.size(); ++i) {
    Json& next = (*cur)[segs[i]];
    if (!next.is_object()) next = Json::object();
    cur = &next;
  }
  if (!segs.empty()) (*cur)[segs.back()] = std::move(value);
}

std::string SpecPath(const ServedResource& res) {
  return res.custom ? res.spec_replicas_path : ".spec.replicas";
}

Json ScaleOf(const ServedResource& res, const Json& obj) {
  const Json& md = common::Get(obj, "metadata");
  Json scale = Json::object();
  scale["kind"] = "Scale";
  scale["apiVersion"] = "autoscaling/v1";
  Json m = Json::object();
  for (const char* k : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"})
    if (md.contains(k)) m[k] = md[k];
  scale["metadata"] = m;
  const Json& spec_replicas = AtPath(obj, SpecPath(res));
  scale["spec"] = {{"replicas", spec_replicas.is_number() ? spec_replicas : Json(0)}};
  Json status = Json::object();
  std::string status_path = res.custom ? res.status_replicas_path : ".status.replicas";
  const Json& sr = AtPath(obj, status_path);
  status["replicas"] = sr.is_number() ? sr : Json(0);
  // status.selector: the label selector in its string form.
  if (res.custom) {
    const Json& sel = AtPath(obj, res.label_selector_path);
    if (sel.is_string() && !sel.get<std::string>().empty()) status["selector"] = sel;
  } else {
    const Json& sel = common::GetPath(obj, {"spec", "selector"});
    if (sel.is_object()) {
      bool is_label_selector = sel.contains("matchLabels") || sel.contains("matchExpressions");
      auto ls = is_label_selector ? common::LabelSelector::FromJson(sel)
                                  : common::Result<common::LabelSelector>(
                                        common::LabelSelector::FromMap(common::LabelsFromJson(sel)));
      if (ls.ok() && !ls->String().empty()) status["selector"] = ls->String();
    }
  }
  scale["status"] = status;
  return scale;
}

}  // namespace

void Scale(ApiServer& s, Request& r) {
  std::string ns = r.res->info.namespaced ? r.info.namespace_ : "";
  const ServedResource& res = *r.res;
  const GroupResource gr = r.gr();
  auto respond = [&](const rest::Stored& out) {
    auto served = ToServedVersion(res, const_cast<rest::Stored&>(out).Obj());
    if (!served.ok()) return r.Fail(ApiError::Internal(served.status().message()));
    r.SendObject(200, ScaleOf(res, *served));
  };
  if (r.info.verb == "get") {
    rest::Stored out;
    if (auto e = rest::Get(s, res, ns, r.info.name, &out)) return r.Fail(*e);
    return respond(out);
  }
  // update/patch: compute the new Scale, then write spec.replicas.
  std::optional<Json> patch_doc;
  std::string ct = common::ToLower(common::TrimSpace(common::Split(r.http.Header("Content-Type"), ';')[0]));
  Json body;
  auto parsed = DecodeAnyBody(r.http);
  if (!parsed.ok()) return r.Fail(ApiError::BadRequest(parsed.status().message()));
  body = std::move(parsed).value();
  auto mutate = [&](const Json& cur, Json* next) -> rest::Outcome {
    Json scale = ScaleOf(res, cur);
    Json wanted;
    if (r.info.verb == "update") {
      wanted = body;
      std::string rv = common::GetString(common::Get(wanted, "metadata"), "resourceVersion");
      if (!rv.empty() && rv != common::GetString(common::Get(scale, "metadata"), "resourceVersion"))
        return ApiError::ConflictModified(gr, r.info.name);
    } else {
      const auto* scale_ri = common::api::FindResource("autoscaling", "v1", "horizontalpodautoscalers");
      common::Result<Json> p = common::Status::Internal("");
      if (ct == "application/json-patch+json") p = common::api::ApplyJsonPatch(scale, body);
      else if (ct == "application/merge-patch+json") p = common::api::ApplyMergePatch(scale, body);
      else if (ct == "application/strategic-merge-patch+json" && scale_ri)
        p = common::api::ApplyMergePatch(scale, body);  // Scale has no list fields to merge
      else return ApiError::UnsupportedMediaType(ct);
      if (!p.ok()) return ApiError::BadRequest(p.status().message());
      wanted = std::move(p).value();
    }
    const Json& replicas = common::GetPath(wanted, {"spec", "replicas"});
    if (!replicas.is_null() && !replicas.is_number_integer())
      return ApiError::BadRequest("spec.replicas must be an integer");
    int64_t n = replicas.is_null() ? 0 : replicas.get<int64_t>();
    if (n < 0) {
      common::api::FieldError fe{"FieldValueInvalid", "spec.replicas",
                                 "must be greater than or equal to 0", n};
      return ApiError::Invalid("autoscaling", "Scale", r.info.name, {fe});
    }
    *next = cur;
    SetAtPath(*next, SpecPath(res), n);
    (*next)["metadata"].erase("resourceVersion");
    return std::nullopt;
  };
  rest::WriteOptions wo;
  wo.dry_run = r.dry_run;
  wo.user = r.user.name;
  rest::Stored out;
  if (auto e = rest::Update(s, res, ns, r.info.name, mutate, wo, &out)) return r.Fail(*e);
  respond(out);
}

void Binding(ApiServer& s, Request& r) {
  std::string ns = r.info.namespace_;
  auto body = DecodeAnyBody(r.http);
  if (!body.ok() || !body->is_object())
    return r.Fail(ApiError::BadRequest("the object provided is unrecognized (must be of type Binding)"));
  std::string pod = r.info.subresource == "binding" ? r.info.name
                                                    : common::GetPath(*body, {"metadata", "name"}).is_string()
                                                          ? (*body)["metadata"]["name"].get<std::string>()
                                                          : "";
  std::string node = common::GetPath(*body, {"target", "name"}).is_string()
                         ? (*body)["target"]["name"].get<std::string>()
                         : "";
  std::string kind = common::GetPath(*body, {"target", "kind"}).is_string()
                         ? (*body)["target"]["kind"].get<std::string>()
                         : "";
  if (!kind.empty() && kind != "Node")
    return r.Fail(ApiError::Invalid("", "Binding", pod,
                                    {{"FieldValueNotSupported", "target.kind", "supported values: \"Node\"", kind}}));
  if (node.empty())
    return r.Fail(ApiError::Invalid("", "Binding", pod, {{"FieldValueRequired", "target.name", "", nullptr}}));
  auto pods = s.resources().Find("", "v1", "pods");
  const GroupResource gr{"", "pods"};
  auto mutate = [&](Json& cur) -> rest::Outcome {
    if (!common::GetPath(cur, {"metadata", "deletionTimestamp"}).is_null())
      return ApiError::Conflict(gr, pod, "pod " + pod + " is being deleted, cannot be assigned to a host");
    std::string bound = common::GetString(common::Get(cur, "spec"), "nodeName");
    if (!bound.empty())
      return ApiError::Conflict(gr, pod, "pod " + pod + " is already assigned to node \"" + bound + "\"");
    std::string want_uid = common::GetPath(*body, {"metadata", "uid"}).is_string()
                               ? (*body)["metadata"]["uid"].get<std::string>()
                               : "";
    if (!want_uid.empty() && want_uid != common::GetString(common::Get(cur, "metadata"), "uid"))
      return ApiError::Conflict(gr, pod, "Precondition failed: UID in precondition: " + want_uid +
                                             ", UID in object meta: " +
                                             common::GetString(common::Get(cur, "metadata"), "uid"));
    cur["spec"]["nodeName"] = node;
    // The PodScheduled condition, as the binding REST (assignPod) sets it.
    Json& conds = cur["status"]["conditions"];
    if (!conds.is_array()) conds = Json::array();
    bool found = false;
    for (auto& c : conds)
      if (common::GetString(c, "type") == "PodScheduled") {
        c["status"] = "True";
        c.erase("reason");
        c.erase("message");
        found = true;
      }
    if (!found)
      conds.push_back({{"type", "PodScheduled"},
                       {"status", "True"},
                       {"lastProbeTime", nullptr},
                       {"lastTransitionTime", common::FormatRFC3339(common::Clock::now())}});
    return std::nullopt;
  };
  if (!pods) return r.Fail(ApiError::ResourceNotFound());
  rest::Stored out;
  if (auto e = rest::Mutate(s, *pods, ns, pod, mutate, r.dry_run, &out)) return r.Fail(*e);
  Json st = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()},
             {"status", "Success"}, {"code", 201}};
  r.SendObject(201, st);
}

void Eviction(ApiServer& s, Request& r) {
  std::string ns = r.info.namespace_;
  const std::string& pod = r.info.name;
  auto pods = s.resources().Find("", "v1", "pods");
  rest::Stored cur;
  if (auto e = rest::Get(s, *pods, ns, pod, &cur)) return r.Fail(*e);
  cur.Obj();
  // PodDisruptionBudgets in the namespace that select the pod.
  auto pdbs = s.resources().Find("policy", "v1", "poddisruptionbudgets");
  if (pdbs) {
    auto st = s.StorageFor(*pdbs);
    if (st.ok()) {
      storage::Filter f;
      f.key_prefix = s.Prefix(*pdbs, ns);
      auto labels = common::LabelsFromJson(common::GetPath(cur.obj, {"metadata", "labels"}));
      for (const auto& p : (*st)->cache->List(f, nullptr)) {
        auto pdb = common::ParseJson(p->bytes);
        if (!pdb.ok()) continue;
        auto sel = common::LabelSelector::FromJson(common::GetPath(*pdb, {"spec", "selector"}));
        if (!sel.ok() || sel->Empty() || !sel->Matches(labels)) continue;
        int64_t allowed = common::GetInt(common::Get(*pdb, "status"), "disruptionsAllowed", 0);
        if (allowed <= 0) {
          ApiError e = ApiError::TooManyRequests(
              "Cannot evict pod as it would violate the pod's disruption budget.", 0);
          e.retry_after_seconds = 0;
          e.details = {{"causes", Json::array({{{"reason", "DisruptionBudget"},
                                                {"message", "The disruption budget " +
                                                                common::GetString((*pdb)["metadata"], "name") +
                                                                " needs " + std::to_string(common::GetInt(common::Get(*pdb, "status"), "desiredHealthy", 0)) +
                                                                " healthy pods and has " + std::to_string(common::GetInt(common::Get(*pdb, "status"), "currentHealthy", 0)) +
                                                                " currently"}}})}};
          return r.Fail(e);
        }
      }
    }
  }
  rest::DeleteOptions o;
  auto body = DecodeAnyBody(r.http);
  if (body.ok() && body->is_object()) {
    const Json& d = common::Get(*body, "deleteOptions");
    if (common::Get(d, "gracePeriodSeconds").is_number_integer())
      o.grace_period_seconds = d["gracePeriodSeconds"].get<int64_t>();
  }
  o.dry_run = r.dry_run;
  rest::Stored out;
  if (auto e = rest::Delete(s, *pods, ns, pod, o, &out)) return r.Fail(*e);
  Json st = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()},
             {"status", "Success"}, {"code", 201}};
  r.SendObject(201, st);
}

}  // namespace apiserve::handlers
