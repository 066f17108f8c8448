#include "factories.h"
namespace proxyrules {
common::Result<std::unique_ptr<Backend>> NewLibiptcBackend() {
  return common::Status::Unavailable("libiptc backend: not yet built");
}
}  // namespace proxyrules
