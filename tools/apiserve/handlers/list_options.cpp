#include "handlers/list_options.h"

#include "common/api/fields.h"
#include "common/api/tables.h"
#include "common/strings.h"
#include "common/yaml.h"
#include "encoding.h"

namespace apiserve::handlers {

using common::Json;

std::optional<ApiError> ParseListOptions(const Request& r, ListOptions* o) {
  const auto& req = r.http;
  if (auto ls = req.Query("labelSelector"); ls && !ls->empty()) {
    auto sel = common::LabelSelector::Parse(*ls);
    if (!sel.ok()) return ApiError::BadRequest(sel.status().message());
    o->labels = std::move(sel).value();
  }
  if (auto fs = req.Query("fieldSelector"); fs && !fs->empty()) {
    auto sel = common::FieldSelector::Parse(*fs);
    if (!sel.ok()) return ApiError::BadRequest(sel.status().message());
    // Every field must be one the resource can be selected by.
    for (const auto& req_f : sel->requirements()) {
      const std::string& f = req_f.field;
      if (f == "metadata.name" || f == "metadata.namespace") continue;
      bool ok = false;
      if (!r.res->custom) ok = common::api::FieldValue(r.res->info, Json::object(), f).has_value();
      if (!ok) return ApiError::BadRequest("field label not supported: " + f);
    }
    o->fields = std::move(sel).value();
  }
  if (auto rv = req.Query("resourceVersion"); rv && !rv->empty()) {
    if (!common::ParseInt64(*rv) || *common::ParseInt64(*rv) < 0)
      return ApiError::BadRequest("invalid resource version: " + *rv);
    o->resource_version = *rv;
  }
  if (auto m = req.Query("resourceVersionMatch"); m && !m->empty()) {
    if (*m != "NotOlderThan" && *m != "Exact")
      return ApiError::Invalid("", "ListOptions", "",
                               {{"FieldValueNotSupported", "resourceVersionMatch",
                                 "supported values: \"Exact\", \"NotOlderThan\", \"\"", *m}});
    if (!o->resource_version)
      return ApiError::Invalid("", "ListOptions", "",
                               {{"FieldValueForbidden", "resourceVersionMatch",
                                 "resourceVersionMatch is forbidden unless resourceVersion is provided",
                                 nullptr}});
    if (*m == "Exact" && *o->resource_version == "0")
      return ApiError::Invalid("", "ListOptions", "",
                               {{"FieldValueForbidden", "resourceVersionMatch",
                                 "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
                                 nullptr}});
    o->resource_version_match = *m;
  }
  if (auto l = req.Query("limit"); l && !l->empty()) {
    auto v = common::ParseInt64(*l);
    if (!v) return ApiError::BadRequest("invalid limit: " + *l);
    o->limit = std::max<int64_t>(0, *v);
  }
  if (auto c = req.Query("continue"); c && !c->empty()) {
    if (o->resource_version && *o->resource_version != "0")
      return ApiError::BadRequest("specifying resource version is not allowed when using continue");
    o->continue_token = *c;
  }
  if (auto b = req.Query("allowWatchBookmarks")) o->allow_bookmarks = *b == "true" || *b == "1";
  if (auto t = req.Query("timeoutSeconds"); t && !t->empty()) {
    auto v = common::ParseInt64(*t);
    if (!v) return ApiError::BadRequest("invalid timeoutSeconds: " + *t);
    o->timeout_seconds = *v;
  }
  if (auto si = req.Query("sendInitialEvents")) o->send_initial_events = *si == "true" || *si == "1";
  if (auto io = req.Query("includeObject"); io && !io->empty()) {
    if (*io != "None" && *io != "Metadata" && *io != "Object")
      return ApiError::BadRequest("includeObject: Unsupported value: \"" + *io + "\"");
    o->include_object = *io;
  }
  return std::nullopt;
}

storage::Filter MakeFilter(ApiServer& s, const ServedResource& res, const std::string& ns,
                           const ListOptions& o) {
  storage::Filter f;
  f.labels = o.labels;
  f.fields = o.fields;
  f.key_prefix = s.Prefix(res, ns);
  // A name selector narrows the scan to one key.
  if (auto name = o.fields.RequiredValue("metadata.name")) {
    if (res.info.namespaced && ns.empty()) {
      // all namespaces: keep the prefix scan
    } else {
      f.key_prefix = s.Key(res, ns, *name);
      f.exact_key = true;
    }
  }
  return f;
}

// Custom resources get the columns of their CRD version's
// additionalPrinterColumns (plus Name and Age).
Json TableColumns(const ServedResource& res) {
  if (res.custom) return common::api::CustomTableColumns(res.crd_version);
  return common::api::TableColumns(res.info);
}

Json TableRow(const ServedResource& res, const Json& obj, const std::string& include_object) {
  if (res.custom) return common::api::CustomTableRow(res.crd_version, obj, include_object);
  return common::api::TableRow(res.info, obj, include_object);
}

Json PartialMetadata(const Json& obj, const std::string& version) {
  return {{"kind", "PartialObjectMetadata"},
          {"apiVersion", "meta.k8s.io/" + version},
          {"metadata", common::Get(obj, "metadata")}};
}

namespace {

std::string IncludeObject(const Request& r) {
  auto io = r.http.Query("includeObject");
  return io && !io->empty() ? *io : "Metadata";
}

Json MakeTable(const Request& r, Json rows, const Json& list_meta) {
  Json t = Json::object();
  t["kind"] = "Table";
  t["apiVersion"] = "meta.k8s.io/" + r.out.table_version;
  t["metadata"] = list_meta;
  t["columnDefinitions"] = TableColumns(*r.res);
  t["rows"] = std::move(rows);
  return t;
}

}  // namespace

void SendStoredObject(ApiServer&, Request& r, int code, const std::string& bytes) {
  auto served = ToServedVersion(*r.res, bytes);
  if (!served.ok()) return r.Fail(ApiError::Internal(served.status().message()));
  if (r.out.kind == OutputFormat::Kind::kJson && !r.out.pretty) {
    return r.SendJson(code, std::move(served).value());
  }
  if (r.out.kind == OutputFormat::Kind::kJson || r.out.kind == OutputFormat::Kind::kYaml)
    return r.SendJson(code, std::move(served).value());
  auto obj = common::ParseJson(*served);
  if (!obj.ok()) return r.Fail(ApiError::Internal("stored object is not JSON"));
  if (r.out.kind == OutputFormat::Kind::kPartialMetadata)
    return r.SendObject(code, PartialMetadata(*obj, r.out.table_version));
  Json md = Json::object();
  md["resourceVersion"] = common::GetPath(*obj, {"metadata", "resourceVersion"});
  Json rows = Json::array({TableRow(*r.res, *obj, IncludeObject(r))});
  r.SendObject(code, MakeTable(r, std::move(rows), md));
}

void SendList(ApiServer&, Request& r, const std::vector<const std::string*>& items, int64_t rv,
              const std::string& continue_token, int64_t remaining) {
  const auto& ri = r.res->info;
  Json meta = Json::object();
  meta["resourceVersion"] = std::to_string(rv);
  if (!continue_token.empty()) {
    meta["continue"] = continue_token;
    if (remaining > 0) meta["remainingItemCount"] = remaining;
  }
  if (r.out.kind == OutputFormat::Kind::kTable) {
    Json rows = Json::array();
    std::string include = IncludeObject(r);
    for (const std::string* b : items) {
      auto served = ToServedVersion(*r.res, *b);
      if (!served.ok()) continue;
      auto obj = common::ParseJson(*served);
      if (!obj.ok()) continue;
      rows.push_back(TableRow(*r.res, *obj, include));
    }
    return r.SendObject(200, MakeTable(r, std::move(rows), meta));
  }
  if (r.out.kind == OutputFormat::Kind::kPartialMetadata) {
    Json list = {{"kind", "PartialObjectMetadataList"},
                 {"apiVersion", "meta.k8s.io/" + r.out.table_version},
                 {"metadata", meta},
                 {"items", Json::array()}};
    for (const std::string* b : items) {
      auto obj = common::ParseJson(*b);
      if (obj.ok()) list["items"].push_back(PartialMetadata(*obj, r.out.table_version));
    }
    return r.SendObject(200, list);
  }
  // The list is assembled from the cached encodings: no object is parsed.
  size_t total = 128;
  for (const std::string* b : items) total += b->size() + 1;
  std::string body;
  body.reserve(total);
  body += "{\"kind\":\"";
  body += ri.list_kind;
  body += "\",\"apiVersion\":\"";
  body += ri.gv().String();
  body += "\",\"metadata\":";
  body += common::DumpJson(meta);
  body += ",\"items\":[";
  bool first = true;
  bool same_version = ri.storage_version == ri.gv();
  for (const std::string* b : items) {
    if (!first) body += ',';
    first = false;
    if (same_version) {
      body += *b;
    } else {
      auto served = ToServedVersion(*r.res, *b);
      body += served.ok() ? *served : *b;
    }
  }
  body += "]}";
  r.SendJson(200, std::move(body));
}

}  // namespace apiserve::handlers
