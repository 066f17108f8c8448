// CREATE (POST), UPDATE (PUT) and PATCH: decode, strict field validation
// (fieldValidation Strict/Warn/Ignore), then the generic write path.
#include "common/api/custom.h"
#include "common/api/patch.h"
#include "common/api/validation.h"
#include "common/strings.h"
#include "common/yaml.h"
#include "encoding.h"
#include "handlers/list_options.h"
#include "rest.h"

namespace apiserve::handlers {

using common::Json;

namespace {

// fieldValidation: "Strict", "Warn" (the default) or "Ignore".
std::optional<ApiError> FieldValidationMode(const Request& r, std::string* mode) {
  *mode = "Warn";
  if (auto v = r.http.Query("fieldValidation"); v && !v->empty()) {
    if (*v != "Strict" && *v != "Warn" && *v != "Ignore")
      return ApiError::BadRequest("fieldValidation: Unsupported value: \"" + *v +
                                  "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
    *mode = *v;
  }
  return std::nullopt;
}

// Checks unknown and duplicate fields of `obj` (decoded from `raw`).
std::optional<ApiError> StrictCheck(Request& r, const std::string& mode, const Json& obj,
                                    const std::string& raw, bool raw_is_json) {
  if (mode == "Ignore") return std::nullopt;
  std::vector<std::string> problems;
  if (raw_is_json)
    for (const auto& d : DuplicateFields(raw)) problems.push_back("duplicate field \"" + d + "\"");
  auto unknown = r.res->custom ? common::api::CustomUnknownFields(r.res->crd_version, obj)
                               : common::api::UnknownFields(r.res->info, obj);
  for (const auto& u : unknown) problems.push_back("unknown field \"" + u + "\"");
  if (problems.empty()) return std::nullopt;
  if (mode == "Warn") {
    for (auto& p : problems) r.warnings.push_back(p);
    return std::nullopt;
  }
  const auto& ri = r.res->info;
  return ApiError::BadRequest(ri.kind + " in version \"" + ri.version + "\" cannot be handled as a " +
                              ri.kind + ": strict decoding error: " + common::Join(problems, ", "));
}

bool BodyIsJson(const common::HttpRequest& req) {
  auto ct = common::ToLower(common::TrimSpace(common::Split(req.Header("Content-Type"), ';')[0]));
  return ct.empty() || ct == "application/json" || ct.ends_with("+json");
}

rest::WriteOptions WriteOpts(const Request& r) {
  rest::WriteOptions o;
  o.dry_run = r.dry_run;
  o.user = r.user.name;
  o.field_manager = r.http.Query("fieldManager").value_or("");
  o.subresource = r.info.subresource;
  return o;
}

void SendWritten(ApiServer& s, Request& r, int code, const rest::Stored& out) {
  SendStoredObject(s, r, code, out.bytes);
}

}  // namespace

void Create(ApiServer& s, Request& r) {
  std::string mode;
  if (auto e = FieldValidationMode(r, &mode)) return r.Fail(*e);
  ApiError err;
  auto obj = DecodeBody(r.http, *r.res, &err);
  if (!obj.ok()) return r.Fail(err);
  if (auto e = StrictCheck(r, mode, *obj, r.http.body, BodyIsJson(r.http))) return r.Fail(*e);
  rest::Stored out;
  std::string ns = r.res->info.namespaced ? r.info.namespace_ : "";
  if (auto e = rest::Create(s, *r.res, ns, std::move(obj).value(), WriteOpts(r), &out))
    return r.Fail(*e);
  SendWritten(s, r, 201, out);
}

void Update(ApiServer& s, Request& r) {
  std::string mode;
  if (auto e = FieldValidationMode(r, &mode)) return r.Fail(*e);
  ApiError err;
  auto body = DecodeBody(r.http, *r.res, &err);
  if (!body.ok()) return r.Fail(err);
  if (auto e = StrictCheck(r, mode, *body, r.http.body, BodyIsJson(r.http))) return r.Fail(*e);
  std::string ns = r.res->info.namespaced ? r.info.namespace_ : "";
  const std::string& sub = r.info.subresource;
  Json new_obj = std::move(body).value();
  rest::MutateFn mutate;
  if (sub == "finalize") {
    // namespaces/<n>/finalize replaces spec.finalizers and nothing else.
    mutate = [&new_obj](const Json& cur, Json* next) -> rest::Outcome {
      *next = cur;
      (*next)["spec"]["finalizers"] = common::GetPath(new_obj, {"spec", "finalizers"}).is_null()
                                          ? Json::array()
                                          : new_obj["spec"]["finalizers"];
      if (common::GetPath(new_obj, {"metadata", "resourceVersion"}).is_string())
        (*next)["metadata"]["resourceVersion"] = new_obj["metadata"]["resourceVersion"];
      else
        (*next)["metadata"].erase("resourceVersion");
      return std::nullopt;
    };
  } else {
    mutate = [&new_obj](const Json&, Json* next) -> rest::Outcome {
      *next = new_obj;
      return std::nullopt;
    };
  }
  // Objects that upstream lets a PUT create.
  const auto& ri = r.res->info;
  bool create_on_missing = sub.empty() && ((ri.group.empty() && ri.resource == "endpoints") ||
                                           (ri.group == "coordination.k8s.io" && ri.resource == "leases") ||
                                           (ri.group == "discovery.k8s.io" && ri.resource == "endpointslices") ||
                                           (ri.group.empty() && ri.resource == "events"));
  rest::WriteOptions wo = WriteOpts(r);
  if (sub == "finalize") wo.subresource = "";
  rest::Stored out;
  bool existed = s.store().Get(s.Key(*r.res, ns, r.info.name)).ok();
  if (auto e = rest::Update(s, *r.res, ns, r.info.name, mutate, wo, &out, create_on_missing))
    return r.Fail(*e);
  SendWritten(s, r, existed ? 200 : 201, out);
}

void Patch(ApiServer& s, Request& r) {
  std::string mode;
  if (auto e = FieldValidationMode(r, &mode)) return r.Fail(*e);
  std::string ct = common::ToLower(common::TrimSpace(common::Split(r.http.Header("Content-Type"), ';')[0]));
  enum { kJsonPatch, kMerge, kStrategic } type;
  if (ct == "application/json-patch+json") type = kJsonPatch;
  else if (ct == "application/merge-patch+json") type = kMerge;
  else if (ct == "application/strategic-merge-patch+json") type = kStrategic;
  else {
    ApiError e = ApiError::UnsupportedMediaType(ct);
    e.message = "the body of the request was in an unknown format - accepted media types include: "
                "application/json-patch+json, application/merge-patch+json, "
                "application/strategic-merge-patch+json";
    return r.Fail(e);
  }
  if (type == kStrategic && r.res->custom) {
    ApiError e = ApiError::UnsupportedMediaType(ct);
    e.message = "the body of the request was in an unknown format - accepted media types include: "
                "application/json-patch+json, application/merge-patch+json, "
                "application/apply-patch+yaml";
    return r.Fail(e);
  }
  auto patch = common::ParseJson(r.http.body);
  if (!patch.ok()) return r.Fail(ApiError::BadRequest(patch.status().message()));
  if (type == kJsonPatch && !patch->is_array())
    return r.Fail(ApiError::BadRequest(
        "json: cannot unmarshal object into Go value of type jsonpatch.Patch"));
  if (type != kJsonPatch && !patch->is_object())
    return r.Fail(ApiError::BadRequest("the patch must be a JSON object"));
  std::string ns = r.res->info.namespaced ? r.info.namespace_ : "";
  const Json patch_doc = std::move(patch).value();
  const ServedResource& res = *r.res;
  std::optional<ApiError> strict_error;
  std::vector<std::string> warnings;
  auto mutate = [&](const Json& cur, Json* next) -> rest::Outcome {
    Json doc = cur;
    common::Result<Json> patched = common::Status::Internal("unreachable");
    if (type == kJsonPatch) patched = common::api::ApplyJsonPatch(doc, patch_doc);
    else if (type == kMerge) patched = common::api::ApplyMergePatch(doc, patch_doc);
    else patched = common::api::ApplyStrategicMergePatch(res.info, doc, patch_doc);
    if (!patched.ok()) {
      const auto& st = patched.status();
      if (st.code() == common::Code::kInvalid)
        return ApiError{422, "Invalid", st.message(), nullptr};
      if (st.code() == common::Code::kUnsupportedMedia) {
        ApiError e = ApiError::UnsupportedMediaType(ct);
        e.message = st.message();
        return e;
      }
      return ApiError::BadRequest(st.message());
    }
    if (!patched->is_object()) return ApiError::BadRequest("the patched object is not a JSON object");
    // The patched object must still be of this kind and version.
    if (common::GetString(*patched, "kind") != res.info.kind ||
        common::GetString(*patched, "apiVersion") != res.info.gv().String())
      return ApiError::BadRequest("the patch changes the object's kind or apiVersion");
    if (mode != "Ignore") {
      auto unknown = res.custom ? common::api::CustomUnknownFields(res.crd_version, *patched)
                                : common::api::UnknownFields(res.info, *patched);
      if (!unknown.empty()) {
        std::vector<std::string> msgs;
        for (const auto& u : unknown) msgs.push_back("unknown field \"" + u + "\"");
        if (mode == "Strict")
          return ApiError::BadRequest(res.info.kind + " in version \"" + res.info.version +
                                      "\" cannot be handled as a " + res.info.kind +
                                      ": strict decoding error: " + common::Join(msgs, ", "));
        warnings = msgs;
      }
    }
    // A resourceVersion the patch did not set is no precondition.
    std::string patched_rv = common::GetString(common::Get(*patched, "metadata"), "resourceVersion");
    std::string cur_rv = common::GetString(common::Get(cur, "metadata"), "resourceVersion");
    if (patched_rv == cur_rv) (*patched)["metadata"].erase("resourceVersion");
    *next = std::move(patched).value();
    return std::nullopt;
  };
  rest::Stored out;
  if (auto e = rest::Update(s, res, ns, r.info.name, mutate, WriteOpts(r), &out)) return r.Fail(*e);
  for (auto& w : warnings) r.warnings.push_back(w);
  SendWritten(s, r, 200, out);
}

}  // namespace apiserve::handlers
