// Strategic merge patch.
#include "common/api/patch.h"

namespace common::api {

Result<Json> ApplyStrategicMergePatch(const ResourceInfo& ri, const Json& doc, const Json& patch) {
  (void)doc;
  (void)patch;
  return Status(Code::kUnsupportedMedia,
                "the body of the request was in an unknown format - accepted media types include: "
                "application/json-patch+json, application/merge-patch+json, "
                "application/apply-patch+yaml (strategic merge patch for " + ri.kind +
                    " is not implemented yet)");
}

}  // namespace common::api
