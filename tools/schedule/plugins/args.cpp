#include "plugins/args.h"

namespace schedule {

common::Status CheckArgsFields(const common::Json& args, const std::string& field,
                               std::initializer_list<const char*> known) {
  if (args.is_null()) return common::Status::Ok();
  if (!args.is_object()) return common::Status::Invalid(field + ": must be an object");
  for (auto it = args.begin(); it != args.end(); ++it) {
    if (it.key() == "kind" || it.key() == "apiVersion") continue;
    bool ok = false;
    for (const char* k : known) ok |= it.key() == k;
    if (!ok)
      return common::Status::Invalid("strict decoding error: unknown field \"" + field + "." + it.key() + "\"");
  }
  return common::Status::Ok();
}

}  // namespace schedule
