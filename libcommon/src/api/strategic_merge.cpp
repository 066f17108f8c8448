// Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch) driven
// by the patch strategies and merge keys of the schema table.
#include <algorithm>

#include "common/api/patch.h"
#include "schema.h"

namespace common::api {
namespace {

constexpr std::string_view kDirective = "$patch";
constexpr std::string_view kRetainKeys = "$retainKeys";
constexpr std::string_view kDeleteFromPrimitiveList = "$deleteFromPrimitiveList/";
constexpr std::string_view kSetElementOrder = "$setElementOrder/";

const schema::TypeDef* ElemType(const schema::Field* f) {
  if (!f || schema::IsPrimitive(f->type)) return nullptr;
  return schema::Find(f->type);
}

Result<Json> MergeMap(const Json& original, const Json& patch, const schema::TypeDef* t);

bool Contains(const Json& arr, const Json& v) {
  return std::find(arr.begin(), arr.end(), v) != arr.end();
}

// The position of `item` in `order` (by merge key, or by value for
// primitive lists), -1 when absent.
int Index(const Json& order, const Json& item, const std::string& key) {
  if (!order.is_array()) return -1;
  for (size_t i = 0; i < order.size(); ++i) {
    if (key.empty() ? order[i] == item
                    : (order[i].is_object() && item.is_object() && order[i].contains(key) &&
                       Get(order[i], key) == Get(item, key)))
      return static_cast<int>(i);
  }
  return -1;
}

// normalizeSliceOrder: sorts `items` by their place in `order` with the
// comparator and (stable insertion) sort upstream uses, so elements missing
// from `order` move the way they move there.
std::vector<Json> SortByOrder(std::vector<Json> items, const Json& order, const std::string& key) {
  auto less = [&](const Json& a, const Json& b) {
    int ia = Index(order, a, key);
    if (ia < 0) return true;
    int ib = Index(order, b, key);
    if (ib < 0) return true;
    return ia < ib;
  };
  for (size_t i = 1; i < items.size(); ++i)
    for (size_t j = i; j > 0 && less(items[j], items[j - 1]); --j) std::swap(items[j], items[j - 1]);
  return items;
}

// normalizeElementOrder: the items of `merged` named in `patch_order` keep
// the patch's relative order, the others the server's, and the two are
// interleaved by the server's order (mergeSortedSlice). Elements new to the
// server therefore come before the server-only elements they are not
// ordered against, as upstream puts them.
Json NormalizeOrder(const Json& merged, const Json& patch_order, const Json& server_order,
                    const std::string& key) {
  std::vector<Json> patch_items, server_only;
  for (const Json& e : merged) {
    if (Index(patch_order, e, key) >= 0) patch_items.push_back(e);
    else server_only.push_back(e);
  }
  std::vector<Json> right = SortByOrder(std::move(patch_items), patch_order, key);
  std::vector<Json> left = SortByOrder(std::move(server_only), server_order, key);
  Json out = Json::array();
  size_t i = 0, j = 0;
  while (i < left.size() || j < right.size()) {
    if (i >= left.size()) {
      out.push_back(right[j++]);
    } else if (j >= right.size()) {
      out.push_back(left[i++]);
    } else {
      int li = Index(server_order, left[i], key), ri = Index(server_order, right[j], key);
      if (li >= 0 && ri >= 0 && li < ri) out.push_back(left[i++]);
      else out.push_back(right[j++]);
    }
  }
  return out;
}

Result<Json> MergeList(const Json& original, const Json& patch, const schema::Field* f) {
  bool merge = f && f->patch_strategy.find("merge") != std::string::npos;
  if (!merge) {
    // Lists without a merge strategy are replaced; a {"$patch":"replace"}
    // marker element is dropped.
    Json out = Json::array();
    for (const Json& e : patch)
      if (!(e.is_object() && e.contains(kDirective))) out.push_back(e);
    return out;
  }
  const std::string& key = f->patch_merge_key;
  Json out = original.is_array() ? original : Json::array();
  // A {"$patch":"replace"} element replaces the whole list with the others.
  for (const Json& e : patch)
    if (e.is_object() && GetString(e, kDirective) == "replace") {
      Json repl = Json::array();
      for (const Json& x : patch)
        if (!(x.is_object() && x.contains(kDirective))) repl.push_back(x);
      return repl;
    }
  if (key.empty()) {
    // Primitive list with strategy merge: the union, ordered as upstream.
    for (const Json& e : patch)
      if (!Contains(out, e)) out.push_back(e);
    return NormalizeOrder(out, patch, original, "");
  }
  const schema::TypeDef* et = ElemType(f);
  for (const Json& e : patch) {
    if (!e.is_object()) return Status::BadRequest("unable to find api field in struct for the patch element: " + e.dump());
    if (!e.contains(key))
      return Status::BadRequest("map: " + e.dump() + " does not contain declared merge key: " + key);
    const Json& id = e[key];
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const Json& o) { return o.is_object() && Get(o, key) == id; });
    std::string directive = GetString(e, kDirective);
    if (directive == "delete") {
      out.erase(std::remove_if(out.begin(), out.end(),
                               [&](const Json& o) { return o.is_object() && Get(o, key) == id; }),
                out.end());
      continue;
    }
    if (it == out.end()) {
      ASSIGN_OR_RETURN(Json added, MergeMap(Json::object(), e, et));
      out.push_back(std::move(added));
    } else {
      ASSIGN_OR_RETURN(Json merged, MergeMap(*it, e, et));
      *it = std::move(merged);
    }
  }
  Json order = Json::array();
  for (const Json& e : patch)
    if (GetString(e, kDirective) != "delete") order.push_back(e);
  return NormalizeOrder(out, order, original, key);
}

Result<Json> MergeMap(const Json& original, const Json& patch, const schema::TypeDef* t) {
  if (!patch.is_object()) return patch;
  std::string directive = GetString(patch, kDirective);
  if (!directive.empty() && directive != "replace" && directive != "merge" && directive != "delete")
    return Status::BadRequest("Unknown patch type: " + directive + " in map: " + patch.dump());
  Json out = original.is_object() && directive != "replace" ? original : Json::object();
  if (directive == "delete") return Json(nullptr);
  if (patch.contains(kRetainKeys)) {
    const Json& keep = patch[std::string(kRetainKeys)];
    if (!keep.is_array()) return Status::BadRequest("invalid retainKeys: " + keep.dump());
    for (auto it = out.begin(); it != out.end();) {
      if (!Contains(keep, it.key())) it = out.erase(it);
      else ++it;
    }
  }
  // Plain keys first, then the list directives that refer to them.
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    const std::string& k = it.key();
    if (k == kDirective || k == kRetainKeys || k.rfind("$", 0) == 0) continue;
    const Json& pv = it.value();
    const schema::Field* f = t ? t->FindField(k) : nullptr;
    if (pv.is_null()) {
      out.erase(k);
      continue;
    }
    const Json& ov = Get(out, k);
    if (pv.is_object()) {
      const schema::TypeDef* ft = ElemType(f);
      if (f && f->container == schema::Container::kMap) ft = nullptr;
      if (f && f->patch_strategy == "replace") {
        ASSIGN_OR_RETURN(Json v, MergeMap(Json::object(), pv, ft));
        out[k] = std::move(v);
        continue;
      }
      ASSIGN_OR_RETURN(Json v, MergeMap(ov, pv, ft));
      if (v.is_null()) out.erase(k);
      else out[k] = std::move(v);
    } else if (pv.is_array() && f && f->container == schema::Container::kList) {
      ASSIGN_OR_RETURN(Json v, MergeList(ov, pv, f));
      out[k] = std::move(v);
    } else {
      out[k] = pv;
    }
  }
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    const std::string& k = it.key();
    if (k.rfind(kDeleteFromPrimitiveList, 0) == 0) {
      std::string field = k.substr(kDeleteFromPrimitiveList.size());
      if (!out.contains(field) || !out[field].is_array() || !it.value().is_array()) continue;
      Json kept = Json::array();
      for (const Json& e : out[field])
        if (!Contains(it.value(), e)) kept.push_back(e);
      out[field] = kept;
    } else if (k.rfind(kSetElementOrder, 0) == 0) {
      std::string field = k.substr(kSetElementOrder.size());
      if (!out.contains(field) || !out[field].is_array() || !it.value().is_array()) continue;
      const schema::Field* f = t ? t->FindField(field) : nullptr;
      out[field] = NormalizeOrder(out[field], it.value(), Get(original, field),
                                  f ? f->patch_merge_key : "");
    }
  }
  return out;
}

}  // namespace

Result<Json> ApplyStrategicMergePatch(const ResourceInfo& ri, const Json& doc, const Json& patch) {
  const schema::TypeDef* t = schema::ForResource(ri);
  if (!t)
    return Status(Code::kUnsupportedMedia,
                  "the body of the request was in an unknown format - accepted media types "
                  "include: application/json-patch+json, application/merge-patch+json, "
                  "application/apply-patch+yaml");
  if (!patch.is_object())
    return Status::BadRequest("json: cannot unmarshal " + std::string(patch.type_name()) +
                              " into Go value of type map[string]interface {}");
  ASSIGN_OR_RETURN(Json out, MergeMap(doc, patch, t));
  if (out.is_null()) out = Json::object();
  return out;
}

}  // namespace common::api
