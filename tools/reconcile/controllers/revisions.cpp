#include "revisions.h"

#include <algorithm>

#include "deployment/util.h"

namespace reconcile {
namespace {

Json PatchOf(const Json& owner) {
  Json tmpl = common::GetPath(owner, {"spec", "template"});
  tmpl["$patch"] = "replace";
  return Json{{"spec", {{"template", tmpl}}}};
}

}  // namespace

common::Result<CurrentRevision> EnsureRevision(common::RestClient& client, const Json& owner,
                                               std::string_view kind,
                                               const std::vector<ObjectPtr>& existing) {
  Json data = PatchOf(owner);
  const Json& cc = common::GetPath(owner, {"status", "collisionCount"});
  std::string hash = deployment::ComputeHash(
      common::GetPath(owner, {"spec", "template"}),
      cc.is_number_integer() ? std::optional<int64_t>(cc.get<int64_t>()) : std::nullopt);
  int64_t max_rev = 0;
  for (const auto& r : existing) max_rev = std::max(max_rev, common::GetInt(*r, "revision"));
  for (const auto& r : existing) {
    if (!deployment::SemanticEqual(common::Get(*r, "data"), data)) continue;
    CurrentRevision cur{Name(*r), common::GetString(common::GetPath(*r, {"metadata", "labels"}), kRevisionHashLabel),
                        common::GetInt(*r, "revision")};
    if (cur.hash.empty()) cur.hash = hash;
    if (cur.revision < max_rev) {
      // Back to an older template: it becomes the newest revision.
      Json next = *r;
      next["revision"] = max_rev + 1;
      auto u = client.Update(kControllerRevisions, Namespace(*r), next);
      if (!u.ok()) return u.status();
      cur.revision = max_rev + 1;
    }
    return cur;
  }
  Json labels = common::GetPath(owner, {"spec", "template", "metadata", "labels"});
  if (!labels.is_object()) labels = Json::object();
  labels[kRevisionHashLabel] = hash;
  Json rev = {{"apiVersion", "apps/v1"},
              {"kind", "ControllerRevision"},
              {"metadata",
               {{"name", Name(owner) + "-" + hash},
                {"namespace", Namespace(owner)},
                {"labels", labels},
                {"ownerReferences", Json::array({MakeControllerRef(owner, "apps/v1", kind)})}}},
              {"data", data},
              {"revision", max_rev + 1}};
  auto created = client.Create(kControllerRevisions, Namespace(owner), rev);
  if (!created.ok() && !created.status().IsAlreadyExists()) return created.status();
  // AlreadyExists: a stale cache (or a hash collision, resolved on retry).
  if (!created.ok()) return created.status();
  return CurrentRevision{Name(rev), hash, max_rev + 1};
}

common::Status TrimRevisions(common::RestClient& client, const std::vector<ObjectPtr>& existing,
                             const std::vector<std::string>& in_use, int64_t limit,
                             const std::string& keep) {
  std::vector<ObjectPtr> candidates;
  for (const auto& r : existing) {
    std::string hash = common::GetString(common::GetPath(*r, {"metadata", "labels"}), kRevisionHashLabel);
    if (Name(*r) == keep || std::find(in_use.begin(), in_use.end(), hash) != in_use.end()) continue;
    candidates.push_back(r);
  }
  if (static_cast<int64_t>(candidates.size()) <= limit) return common::Status::Ok();
  std::sort(candidates.begin(), candidates.end(), [](const ObjectPtr& a, const ObjectPtr& b) {
    return common::GetInt(*a, "revision") < common::GetInt(*b, "revision");
  });
  for (size_t i = 0; i + limit < candidates.size(); ++i) {
    auto r = client.Delete(kControllerRevisions, Namespace(*candidates[i]), Name(*candidates[i]));
    if (!r.ok() && !r.status().IsNotFound()) return r.status();
  }
  return common::Status::Ok();
}

}  // namespace reconcile
