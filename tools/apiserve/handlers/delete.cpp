// DELETE of one object and of a collection (deletecollection).
#include "handlers/list_options.h"
#include "rest.h"

namespace apiserve::handlers {

using common::Json;

namespace {

// Resources whose immediate delete answers with the object rather than a
// Status (upstream stores with ReturnDeletedObject).
bool ReturnsDeletedObject(const ServedResource& res) {
  if (res.custom) return true;
  const auto& ri = res.info;
  return ri.group.empty() && (ri.resource == "pods" || ri.resource == "services" ||
                              ri.resource == "namespaces");
}

}  // namespace

void Delete(ApiServer& s, Request& r) {
  auto opts = rest::ParseDeleteOptions(r.http);
  if (!opts.ok()) return r.Fail(ApiError::FromStatus(opts.status(), r.gr(), r.info.name));
  opts->dry_run = opts->dry_run || r.dry_run;
  std::string ns = r.res->info.namespaced ? r.info.namespace_ : "";
  rest::Stored out;
  if (auto e = rest::Delete(s, *r.res, ns, r.info.name, *opts, &out)) return r.Fail(*e);
  if (out.exists || ReturnsDeletedObject(*r.res)) return SendStoredObject(s, r, 200, out.bytes);
  r.SendObject(200, SuccessStatus(r.gr(), r.info.name,
                                  common::GetString(common::Get(out.obj, "metadata"), "uid")));
}

void DeleteCollection(ApiServer& s, Request& r) {
  ListOptions lo;
  if (auto e = ParseListOptions(r, &lo)) return r.Fail(*e);
  auto opts = rest::ParseDeleteOptions(r.http);
  if (!opts.ok()) return r.Fail(ApiError::FromStatus(opts.status(), r.gr(), ""));
  opts->dry_run = opts->dry_run || r.dry_run;
  std::string ns = r.res->info.namespaced ? r.info.namespace_ : "";
  auto st = s.StorageFor(*r.res);
  if (!st.ok()) return r.Fail(ApiError::FromStatus(st.status(), r.gr(), ""));
  // Upstream lists (from the cache) and deletes each match.
  auto objs = (*st)->cache->List(MakeFilter(s, *r.res, ns, lo), nullptr);
  Json items = Json::array();
  for (const auto& o : objs) {
    rest::Stored out;
    auto e = rest::Delete(s, *r.res, o->ns, o->name, *opts, &out);
    if (e && e->code != 404) return r.Fail(*e);
    if (!e) {
      auto j = common::ParseJson(out.bytes);
      if (j.ok()) items.push_back(std::move(j).value());
    }
  }
  const auto& ri = r.res->info;
  Json list = {{"kind", ri.list_kind},
               {"apiVersion", ri.gv().String()},
               {"metadata", Json::object()},
               {"items", items}};
  r.SendObject(200, list);
}

}  // namespace apiserve::handlers
