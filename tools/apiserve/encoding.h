// Media types in and out: which format a client accepts (JSON, YAML, Table,
// PartialObjectMetadata; protobuf requests are answered in JSON), decoding
// request bodies (JSON or YAML) with upstream's error texts, strict-decoding
// checks, and conversion between the storage and the requested version.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api_server.h"
#include "common/json.h"
#include "common/status.h"

namespace apiserve {

// Picks the response format from the Accept header (and ?pretty).
OutputFormat NegotiateOutput(const common::HttpRequest& req);

// Decodes a create/update body for `res` (JSON or YAML by Content-Type).
// Errors are 400s with upstream's wording (transformDecodeError), 415 for an
// unknown media type.
common::Result<common::Json> DecodeBody(const common::HttpRequest& req,
                                        const ServedResource& res, ApiError* error);

// Decodes a body of any accepted media type (JSON, YAML, protobuf) without
// checking its kind: bodies of options and subresources (DeleteOptions,
// Binding, Eviction, Scale).
common::Result<common::Json> DecodeAnyBody(const common::HttpRequest& req);

// Field paths given twice in a JSON text ("metadata.name").
std::vector<std::string> DuplicateFields(std::string_view json);

// Serves stored bytes (storage version, resourceVersion set) in `res`'s
// version: the bytes themselves when the versions agree, else converted.
common::Result<std::string> ToServedVersion(const ServedResource& res, const std::string& bytes);
common::Result<common::Json> ToServedVersion(const ServedResource& res, common::Json obj);
// Converts an object of `res`'s version to its storage version.
common::Result<common::Json> ToStorageVersion(const ServedResource& res, common::Json obj);

}  // namespace apiserve
