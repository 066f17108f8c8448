// Storage keys (<prefix>/<segment>/<namespace>/<name>) and list continue
// tokens in upstream's format (base64url JSON {"v","rv","start"}), so a token
// from one apiserve instance works on another sharing the store.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace apiserve::storage {

// "/registry/pods/default/web"; cluster-scoped objects have no namespace part.
std::string ObjectKey(const std::string& prefix, const std::string& segment,
                      const std::string& ns, const std::string& name);
// The prefix every object of a list lives under, with a trailing '/':
// "/registry/pods/" (all namespaces) or "/registry/pods/default/".
std::string ListPrefix(const std::string& prefix, const std::string& segment,
                       const std::string& ns);

struct ContinueToken {
  int64_t rv = 0;
  std::string start_key;  // full key to resume from (inclusive)
};

// Encodes a token that resumes after `last_key` (a key under `list_prefix`).
std::string EncodeContinue(const std::string& last_key, const std::string& list_prefix,
                           int64_t rv);
// Decodes a token for a list under `list_prefix`. Errors are BadRequest with
// upstream's "continue key is not valid: ..." texts.
common::Result<ContinueToken> DecodeContinue(const std::string& token,
                                             const std::string& list_prefix);

// The 410 message for a continue token whose revision was compacted.
extern const char* const kContinueExpiredMessage;

}  // namespace apiserve::storage
