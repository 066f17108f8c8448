// What the read handlers share: list options (selectors, resourceVersion
// rules, limit/continue), the filter they become, and encoding of objects,
// lists and tables in the format the client asked for.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api_server.h"
#include "storage/watch_cache.h"

namespace apiserve::handlers {

struct ListOptions {
  common::LabelSelector labels;
  common::FieldSelector fields;
  std::optional<std::string> resource_version;  // absent = unset
  std::string resource_version_match;           // "", "NotOlderThan", "Exact"
  int64_t limit = 0;
  std::string continue_token;
  bool allow_bookmarks = false;
  std::optional<int64_t> timeout_seconds;
  bool send_initial_events = false;
  std::string include_object = "Metadata";  // Table rows: None, Metadata, Object
};

// Parses and checks the query of a list, watch or collection delete.
std::optional<ApiError> ParseListOptions(const Request& r, ListOptions* o);

// The filter of `o` for `res` in namespace `ns` (and one object's name, for
// ?watch on an object and fieldSelector=metadata.name=x).
storage::Filter MakeFilter(ApiServer& s, const ServedResource& res, const std::string& ns,
                           const ListOptions& o);

// One object (storage-version bytes, resourceVersion set) as the response
// body: JSON/YAML in the requested version, a one-row Table or metadata.
void SendStoredObject(ApiServer& s, Request& r, int code, const std::string& bytes);

// Encodes a list of stored objects with list metadata.
void SendList(ApiServer& s, Request& r, const std::vector<const std::string*>& items,
              int64_t rv, const std::string& continue_token, int64_t remaining);

// Table columns/rows for the resource (built-in printers or CRD columns).
common::Json TableColumns(const ServedResource& res);
common::Json TableRow(const ServedResource& res, const common::Json& obj,
                      const std::string& include_object);
// PartialObjectMetadata of an object.
common::Json PartialMetadata(const common::Json& obj, const std::string& version);

}  // namespace apiserve::handlers
