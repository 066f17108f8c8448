#include "ref_manager.h"

#include "common/log.h"

namespace reconcile {

common::Result<std::vector<ObjectPtr>> ClaimObjects(ClaimRequest& req,
                                                    const std::vector<ObjectPtr>& candidates) {
  std::vector<ObjectPtr> kept;
  common::Status first_error;
  std::optional<common::Status> adopt_check;
  const std::string& owner_uid = Uid(*req.owner);
  const bool owner_deleting = IsDeleting(*req.owner);

  for (const auto& obj : candidates) {
    const Json* ref = ControllerRefOf(*obj);
    bool matches = req.selector.Matches(common::GetPath(*obj, {"metadata", "labels"}));
    if (ref) {
      if (common::GetString(*ref, "uid") != owner_uid) continue;  // someone else's
      if (matches) {
        kept.push_back(obj);
        continue;
      }
      if (owner_deleting) continue;
      // Release: drop our reference (merge key of ownerReferences is uid).
      Json patch = {{"metadata",
                     {{"ownerReferences", Json::array({{{"$patch", "delete"}, {"uid", owner_uid}}})},
                      {"uid", Uid(*obj)}}}};
      auto r = req.client->Patch(req.dependents, Namespace(*obj), Name(*obj),
                                 common::PatchType::kStrategic, patch);
      if (!r.ok() && !r.status().IsNotFound() && first_error.ok()) first_error = r.status();
      continue;
    }
    // An orphan.
    if (owner_deleting || !matches || IsDeleting(*obj)) continue;
    if (!adopt_check) adopt_check = req.can_adopt ? req.can_adopt() : common::Status::Ok();
    if (!adopt_check->ok()) {
      if (first_error.ok()) first_error = *adopt_check;
      break;
    }
    Json patch = {{"metadata",
                   {{"ownerReferences", Json::array({req.controller_ref})}, {"uid", Uid(*obj)}}}};
    auto r = req.client->Patch(req.dependents, Namespace(*obj), Name(*obj),
                               common::PatchType::kStrategic, patch);
    if (r.ok()) {
      kept.push_back(std::make_shared<const Json>(std::move(*r)));
    } else if (!r.status().IsNotFound() && first_error.ok()) {
      first_error = r.status();
    }
  }
  if (!first_error.ok()) return first_error;
  return kept;
}

}  // namespace reconcile
