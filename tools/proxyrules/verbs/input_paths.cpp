#include "input_paths.h"

namespace proxyrules {

common::Result<std::vector<std::string>> InputPaths(const Options& o) {
  std::vector<std::string> out;
  int stdin_uses = 0;
  for (const auto* list : {&o.files, &o.services_files, &o.endpoints_files}) {
    for (const auto& p : *list) {
      if (p == "-") ++stdin_uses;
      out.push_back(p);
    }
  }
  if (stdin_uses > 1) return common::Status::BadRequest("stdin (-) can be read only once");
  return out;
}

}  // namespace proxyrules
