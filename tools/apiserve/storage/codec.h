// How objects sit in storage: compact JSON without metadata.resourceVersion
// (the key's mod_revision is the resourceVersion, as upstream's etcd3 store
// does), and the cheap splice that puts the resourceVersion back when an
// object is served, without parsing it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/json.h"

namespace apiserve::storage {

// Compact JSON of `obj` with metadata.resourceVersion (and selfLink) removed.
std::string EncodeForStorage(const common::Json& obj);

// `stored` (compact JSON of an object) with metadata.resourceVersion set to
// `rv`. Splices the bytes when the top-level "metadata" object can be found by
// a scan of the keys before it; otherwise parses and re-encodes. Returns ""
// when `stored` is not a JSON object.
std::string WithResourceVersion(std::string_view stored, int64_t rv);

// `served` (bytes WithResourceVersion made for `old_rv`) with the
// resourceVersion changed to `new_rv`.
std::string ReplaceResourceVersion(std::string_view served, int64_t old_rv, int64_t new_rv);

// Parses stored (or served) bytes; sets metadata.resourceVersion when rv > 0.
common::Result<common::Json> DecodeObject(std::string_view bytes, int64_t rv = 0);

}  // namespace apiserve::storage
