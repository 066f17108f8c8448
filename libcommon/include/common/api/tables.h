// Server-side printing: meta.k8s.io/v1 Table columns and rows for built-in
// kinds with upstream's columns (what `kubectl get` shows).
#pragma once

#include <vector>

#include "common/api/registry.h"
#include "common/json.h"

namespace common::api {

// The columnDefinitions array for ri's kind (name, type, format,
// description, priority), as upstream's printers declare them. Kinds without
// a printer get the default Name/Created At pair.
Json TableColumns(const ResourceInfo& ri);

// One row: {"cells": [...], "object": ...}. `include_object` is upstream's
// includeObject parameter: "None", "Metadata" (the default; a
// PartialObjectMetadata) or "Object".
Json TableRow(const ResourceInfo& ri, const Json& obj, const std::string& include_object);

// For a custom resource: columns and rows from a CRD version's
// additionalPrinterColumns (JSONPath expressions), plus Name and Age.
Json CustomTableColumns(const Json& crd_version);
Json CustomTableRow(const Json& crd_version, const Json& obj, const std::string& include_object);

}  // namespace common::api
