// GET of one object and LIST, with upstream's resourceVersion rules: unset =
// a consistent read from storage; "0" = whatever the watch cache holds; N =
// not older than N (from the cache once it has caught up), or exactly N for
// paginated and Exact lists (from storage, 410 when compacted).
#include "common/api/fields.h"
#include "common/kv.h"
#include "common/strings.h"
#include "handlers/list_options.h"
#include "rest.h"
#include "storage/codec.h"
#include "storage/keys.h"

namespace apiserve::handlers {

using common::Json;

namespace {
constexpr auto kFreshTimeout = std::chrono::seconds(3);

ApiError TooLarge(const common::Status& st) {
  ApiError e = ApiError::Timeout(st.message(), 1);
  e.details["causes"] = Json::array({{{"reason", "ResourceVersionTooLarge"},
                                      {"message", "Too large resource version"}}});
  return e;
}
}  // namespace

void Get(ApiServer& s, Request& r) {
  const auto& info = r.info;
  std::string ns = r.res->info.namespaced ? info.namespace_ : "";
  auto rv = r.http.Query("resourceVersion");
  if (rv && !rv->empty()) {
    auto n = common::ParseInt64(*rv);
    if (!n || *n < 0) return r.Fail(ApiError::BadRequest("invalid resource version: " + *rv));
    auto st = s.StorageFor(*r.res);
    if (!st.ok()) return r.Fail(ApiError::FromStatus(st.status(), r.gr(), info.name));
    auto* cache = (*st)->cache.get();
    if (*n > 0) {
      auto fresh = cache->WaitUntilFresh(*n, kFreshTimeout);
      if (!fresh.ok()) return r.Fail(TooLarge(fresh));
    }
    auto obj = cache->Get(s.Key(*r.res, ns, info.name), nullptr);
    if (!obj) return r.Fail(ApiError::NotFound(r.gr(), info.name));
    return SendStoredObject(s, r, 200, obj->bytes);
  }
  rest::Stored out;
  if (auto e = rest::Get(s, *r.res, ns, info.name, &out)) return r.Fail(*e);
  SendStoredObject(s, r, 200, out.bytes);
}

void List(ApiServer& s, Request& r) {
  ListOptions o;
  if (auto e = ParseListOptions(r, &o)) return r.Fail(*e);
  std::string ns = r.res->info.namespaced ? r.info.namespace_ : "";
  auto st = s.StorageFor(*r.res);
  if (!st.ok()) return r.Fail(ApiError::FromStatus(st.status(), r.gr(), ""));
  ResourceStorage* rs = *st;
  storage::Filter filter = MakeFilter(s, *r.res, ns, o);

  bool from_cache = false;
  int64_t exact_rv = 0;
  if (!o.continue_token.empty()) {
    // Continue: exactly the first page's revision, from storage.
  } else if (!o.resource_version) {
    // Consistent read from storage.
  } else if (*o.resource_version == "0") {
    from_cache = true;
  } else {
    int64_t n = *common::ParseInt64(*o.resource_version);
    if (o.resource_version_match == "Exact" || (o.resource_version_match.empty() && o.limit > 0)) {
      exact_rv = n;
    } else {
      auto fresh = rs->cache->WaitUntilFresh(n, kFreshTimeout);
      if (!fresh.ok()) return r.Fail(TooLarge(fresh));
      from_cache = true;
    }
  }

  if (from_cache) {
    int64_t rv = 0;
    auto objs = rs->cache->List(filter, &rv);
    std::vector<const std::string*> items;
    items.reserve(objs.size());
    for (const auto& p : objs) items.push_back(&p->bytes);
    return SendList(s, r, items, rv, "", 0);
  }

  // From storage: page through the range, filtering, until `limit` match.
  const std::string list_prefix = s.Prefix(*r.res, ns);
  std::string start = filter.exact_key ? filter.key_prefix : list_prefix;
  std::string end = filter.exact_key ? filter.key_prefix + '\0' : common::kv::PrefixEnd(list_prefix);
  int64_t revision = exact_rv;
  if (!o.continue_token.empty()) {
    auto tok = storage::DecodeContinue(o.continue_token, list_prefix);
    if (!tok.ok()) return r.Fail(ApiError::BadRequest(tok.status().message()));
    start = tok->start_key;
    revision = tok->rv;
  }
  const bool needs_parse = !filter.labels.Empty() || !filter.fields.Empty();
  std::vector<std::string> served;
  std::string last_key;
  bool more = false;
  int64_t remaining = 0;
  int64_t list_rev = 0;
  int64_t batch = o.limit > 0 ? std::max<int64_t>(o.limit, 100) : 0;
  for (;;) {
    auto page = s.store().List(start, end, revision, batch);
    if (!page.ok()) {
      if (page.status().code() == common::Code::kExpired) {
        if (!o.continue_token.empty()) return r.Fail(ApiError::Expired(storage::kContinueExpiredMessage));
        return r.Fail(ApiError::Expired("too old resource version: " + std::to_string(revision)));
      }
      if (page.status().code() == common::Code::kBadRequest && revision > 0)
        return r.Fail(TooLarge(common::Status::Timeout("Too large resource version: " +
                                                       std::to_string(revision))));
      return r.Fail(ApiError::FromStatus(page.status(), r.gr(), ""));
    }
    if (revision == 0) revision = page->revision;
    list_rev = revision;
    for (size_t i = 0; i < page->items.size(); ++i) {
      auto& item = page->items[i];
      if (o.limit > 0 && static_cast<int64_t>(served.size()) >= o.limit) {
        more = true;
        remaining = static_cast<int64_t>(page->items.size() - i) + page->remaining;
        break;
      }
      last_key = item.key;
      std::string bytes = storage::WithResourceVersion(item.value, item.mod_revision);
      if (needs_parse) {
        // Match on a cache-style view of the object.
        storage::CachedObject view;
        view.key = item.key;
        std::string_view rel = std::string_view(item.key).substr(
            std::min(item.key.size(), s.Prefix(*r.res, "").size()));
        auto slash = rel.find('/');
        if (slash == std::string_view::npos) {
          view.name = std::string(rel);
        } else {
          view.ns = std::string(rel.substr(0, slash));
          view.name = std::string(rel.substr(slash + 1));
        }
        view.bytes = bytes;
        auto parsed = common::ParseJson(item.value);
        if (!parsed.ok()) continue;
        view.labels = common::LabelsFromJson(common::GetPath(*parsed, {"metadata", "labels"}));
        if (!r.res->custom) {
          common::api::ResourceInfo ri = r.res->info;
          view.field_fn = std::make_shared<const storage::FieldFn>(
              [ri](const Json& obj, std::string_view f) { return common::api::FieldValue(ri, obj, f); });
        }
        if (!filter.Matches(view)) continue;
      }
      served.push_back(std::move(bytes));
    }
    if (more || !page->more) break;
    if (page->items.empty()) break;
    start = page->items.back().key + '\0';
    if (o.limit > 0 && static_cast<int64_t>(served.size()) >= o.limit) {
      more = true;
      remaining = page->remaining;
      break;
    }
  }
  std::string token;
  if (more && !last_key.empty()) token = storage::EncodeContinue(last_key, list_prefix, list_rev);
  std::vector<const std::string*> items;
  items.reserve(served.size());
  for (const auto& b : served) items.push_back(&b);
  SendList(s, r, items, list_rev, token, remaining);
}

}  // namespace apiserve::handlers
