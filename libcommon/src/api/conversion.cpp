// Version conversion between the served versions of a kind.
#include "common/api/conversion.h"

namespace common::api {

Result<Json> Convert(const Json& obj, const GroupVersion& to) {
  if (!obj.is_object()) return Status::BadRequest("object to convert is not a JSON object");
  Json out = obj;
  out["apiVersion"] = to.String();
  return out;
}

}  // namespace common::api
