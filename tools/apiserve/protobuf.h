// Kubernetes' protobuf wire format for request bodies: client-go's typed
// clients (kubectl create deployment/configmap/secret/..., controllers) send
// built-in objects as "k8s\0" + runtime.Unknown{typeMeta, raw}. This decodes
// the kinds those clients create into the JSON the rest of apiserve handles.
// Responses stay JSON (clients accept it). Field numbers are upstream's
// generated.proto ones.
#pragma once

#include <string_view>

#include "common/json.h"
#include "common/status.h"

namespace apiserve {

inline constexpr std::string_view kProtobufContentType = "application/vnd.kubernetes.protobuf";

// Decodes a protobuf-encoded object. Errors are BadRequest naming what could
// not be decoded (a kind without a schema here, a malformed message).
common::Result<common::Json> DecodeKubeProtobuf(std::string_view body);

// Encodes `obj` (only what the decoder's schema covers) for round-trip tests.
// Returns "" for kinds without a schema.
std::string EncodeKubeProtobufForTest(const common::Json& obj);

}  // namespace apiserve
