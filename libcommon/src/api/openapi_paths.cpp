// The paths and operations of one resource, shaped as kube-apiserver's
// installer registers them (operation ids such as listCoreV1NamespacedPod,
// x-kubernetes-action, x-kubernetes-group-version-kind, the query parameters
// of each verb).
#include <algorithm>
#include <map>

#include "openapi_internal.h"

namespace common::api::openapi {
namespace {

constexpr const char* kStatusDef = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
constexpr const char* kDeleteOptionsDef = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
constexpr const char* kPatchDef = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
// A response that is a plain string (pod logs, connect operations).
constexpr const char* kStringBody = "string";

struct ParamDoc {
  const char* type;
  const char* description;
};

// The query parameters of the REST verbs, with upstream's wording
// (k8s.io/apimachinery/pkg/apis/meta/v1/types.go ListOptions & co).
const std::map<std::string, ParamDoc>& Params() {
  static const std::map<std::string, ParamDoc> params = {
      {"allowWatchBookmarks",
       {"boolean",
        "allowWatchBookmarks requests watch events with type \"BOOKMARK\". Servers that do not "
        "implement bookmarks may ignore this flag and bookmarks are sent at the server's "
        "discretion. Clients should not assume bookmarks are returned at any specific "
        "interval, nor may they assume the server will send any BOOKMARK event during a "
        "session. If this is not a watch, this field is ignored."}},
      {"continue",
       {"string",
        "The continue option should be set when retrieving more results from the server. "
        "Since this value is server defined, clients may only use the continue value from a "
        "previous query result with identical query parameters (except for the value of "
        "continue) and the server may reject a continue value it does not recognize. If the "
        "specified continue value is no longer valid whether due to expiration (generally "
        "five to fifteen minutes) or a configuration change on the server, the server will "
        "respond with a 410 ResourceExpired error together with a continue token.\n\nThis "
        "field is not supported when watch is true. Clients may start a watch from the last "
        "resourceVersion value returned by the server and not miss any modifications."}},
      {"dryRun",
       {"string",
        "When present, indicates that modifications should not be persisted. An invalid or "
        "unrecognized dryRun directive will result in an error response and no further "
        "processing of the request. Valid values are: - All: all dry run stages will be "
        "processed"}},
      {"fieldManager",
       {"string",
        "fieldManager is a name associated with the actor or entity that is making these "
        "changes. The value must be less than or 128 characters long, and only contain "
        "printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint."}},
      {"fieldSelector",
       {"string",
        "A selector to restrict the list of returned objects by their fields. Defaults to "
        "everything."}},
      {"fieldValidation",
       {"string",
        "fieldValidation instructs the server on how to handle objects in the request "
        "(POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: "
        "This will ignore any unknown fields that are silently dropped from the object, and "
        "will ignore all but the last duplicate field that the decoder encounters. This is "
        "the default behavior prior to v1.23. - Warn: This will send a warning via the "
        "standard warning response header for each unknown field that is dropped from the "
        "object, and for each duplicate field that is encountered. The request will still "
        "succeed if there are no other errors, and will only persist the last of any "
        "duplicate fields. This is the default in v1.23+ - Strict: This will fail the request "
        "with a BadRequest error if any unknown fields would be dropped from the object, or "
        "if any duplicate fields are present. The error returned from the server will contain "
        "all unknown and duplicate fields encountered."}},
      {"force",
       {"boolean",
        "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting "
        "fields owned by other people. Force flag must be unset for non-apply patch "
        "requests."}},
      {"gracePeriodSeconds",
       {"integer",
        "The duration in seconds before the object should be deleted. Value must be "
        "non-negative integer. The value zero indicates delete immediately. If this value is "
        "nil, the default grace period for the specified type will be used. Defaults to a per "
        "object value if not specified. zero means delete immediately."}},
      {"ignoreStoreReadErrorWithClusterBreakingPotential",
       {"boolean",
        "if set to true, it will trigger an unsafe deletion of the resource in case the "
        "normal deletion flow fails with a corrupt object error."}},
      {"labelSelector",
       {"string",
        "A selector to restrict the list of returned objects by their labels. Defaults to "
        "everything."}},
      {"limit",
       {"integer",
        "limit is a maximum number of responses to return for a list call. If more items "
        "exist, the server will set the `continue` field on the list metadata to a value that "
        "can be used with the same initial query to retrieve the next set of results."}},
      {"orphanDependents",
       {"boolean",
        "Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. "
        "Should the dependent objects be orphaned. If true/false, the \"orphan\" finalizer "
        "will be added to/removed from the object's finalizers list. Either this field or "
        "PropagationPolicy may be set, but not both."}},
      {"pretty", {"string", "If 'true', then the output is pretty printed."}},
      {"propagationPolicy",
       {"string",
        "Whether and how garbage collection will be performed. Either this field or "
        "OrphanDependents may be set, but not both. The default policy is decided by the "
        "existing finalizer set in the metadata.finalizers and the resource-specific default "
        "policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - "
        "allow the garbage collector to delete the dependents in the background; "
        "'Foreground' - a cascading policy that deletes all dependents in the foreground."}},
      {"resourceVersion",
       {"string",
        "resourceVersion sets a constraint on what resource versions a request may be served "
        "from. See https://kubernetes.io/docs/reference/using-api/api-concepts/"
        "#resource-versions for details.\n\nDefaults to unset"}},
      {"resourceVersionMatch",
       {"string",
        "resourceVersionMatch determines how resourceVersion is applied to list calls. It is "
        "highly recommended that resourceVersionMatch be set for list calls where "
        "resourceVersion is set See https://kubernetes.io/docs/reference/using-api/"
        "api-concepts/#resource-versions for details.\n\nDefaults to unset"}},
      {"sendInitialEvents",
       {"boolean",
        "`sendInitialEvents=true` may be set together with `watch=true`. In that case, the "
        "watch stream will begin with synthetic events to produce the current state of "
        "objects in the collection. Once all such events have been sent, a synthetic "
        "\"Bookmark\" event will be sent."}},
      {"timeoutSeconds",
       {"integer",
        "Timeout for the list/watch call. This limits the duration of the call, regardless of "
        "any activity or inactivity."}},
      {"watch",
       {"boolean",
        "Watch for changes to the described resources and return them as a stream of add, "
        "update, and remove notifications. Specify resourceVersion."}},
      // pods/log (PodLogOptions)
      {"container",
       {"string",
        "The container for which to stream logs. Defaults to only container if there is one "
        "container in the pod."}},
      {"follow", {"boolean", "Follow the log stream of the pod. Defaults to false."}},
      {"insecureSkipTLSVerifyBackend",
       {"boolean",
        "insecureSkipTLSVerifyBackend indicates that the apiserver should not confirm the "
        "validity of the serving certificate of the backend it is connecting to."}},
      {"limitBytes",
       {"integer",
        "If set, the number of bytes to read from the server before terminating the log "
        "output."}},
      {"previous",
       {"boolean",
        "Return previous terminated container logs. Defaults to false."}},
      {"sinceSeconds",
       {"integer",
        "A relative time in seconds before the current time from which to show logs."}},
      {"stream",
       {"string",
        "Specify which container log stream to return to the client. Acceptable values are "
        "\"All\", \"Stdout\" and \"Stderr\". If not specified, \"All\" is used."}},
      {"tailLines",
       {"integer",
        "If set, the number of lines from the end of the logs to show. If not specified, logs "
        "are shown from the creation of the container or sinceSeconds or sinceTime"}},
      {"timestamps",
       {"boolean",
        "If true, add an RFC3339 or RFC3339Nano timestamp at the beginning of every line of "
        "log output. Defaults to false."}},
      // exec/attach/portforward/proxy
      {"command", {"string", "Command is the remote command to execute. argv array. Not executed within a shell."}},
      {"stderr", {"boolean", "Redirect the standard error stream of the pod for this call."}},
      {"stdin", {"boolean", "Redirect the standard input stream of the pod for this call. Defaults to false."}},
      {"stdout", {"boolean", "Redirect the standard output stream of the pod for this call."}},
      {"tty", {"boolean", "TTY if true indicates that a tty will be allocated for the exec call. Defaults to false."}},
      {"ports", {"integer", "List of ports to forward Required when using WebSockets"}},
      {"path", {"string", "Path is the URL path to use for the current proxy request to pod."}},
  };
  return params;
}

Json QueryParam(const std::string& name, Flavor f) {
  const ParamDoc& p = Params().at(name);
  if (f == Flavor::kV2)
    return Json{{"uniqueItems", true},
                {"type", p.type},
                {"description", p.description},
                {"name", name},
                {"in", "query"}};
  return Json{{"name", name},
              {"in", "query"},
              {"description", p.description},
              {"schema", Json{{"type", p.type}, {"uniqueItems", true}}}};
}

Json PathParam(const std::string& name, const std::string& description, Flavor f) {
  if (f == Flavor::kV2)
    return Json{{"uniqueItems", true}, {"type", "string"}, {"description", description},
                {"name", name},        {"in", "path"},     {"required", true}};
  return Json{{"name", name},
              {"in", "path"},
              {"description", description},
              {"required", true},
              {"schema", Json{{"type", "string"}, {"uniqueItems", true}}}};
}

struct Gvk {
  std::string group, version, kind;
};

// One operation before it is rendered in a flavor.
struct Op {
  std::string method;       // "get", "post", "put", "patch", "delete"
  std::string id;           // "listCoreV1NamespacedPod"
  std::string description;  // "list or watch objects of kind Pod"
  std::string action;       // x-kubernetes-action
  std::vector<std::string> query;
  std::string body;         // definition name of the request body, "" for none
  bool patch_body = false;  // the four patch media types
  std::vector<std::pair<int, std::string>> responses;  // code, definition or kStringBody
  bool watch_media = false;
  Gvk gvk;
};

const char* CodeText(int code) {
  switch (code) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    default: return "Unauthorized";
  }
}

std::vector<std::string> ResponseMedia(const Op& op, const std::string& def) {
  if (def == kStringBody) return {"*/*"};
  std::vector<std::string> out = {"application/json"};
  if (op.watch_media) out.push_back("application/json;stream=watch");
  out.push_back("application/yaml");
  return out;
}

Json BodySchema(const std::string& def, Flavor f) {
  if (def == kStringBody) return Json{{"type", "string"}};
  return Json{{"$ref", Ref(f, def)}};
}

Json Render(const Op& op, const std::string& tag, Flavor f) {
  Json out = Json::object();
  out["tags"] = Json::array({tag});
  out["description"] = op.description;
  if (f == Flavor::kV2) {
    out["consumes"] = op.patch_body
                          ? Json::array({"application/json-patch+json",
                                         "application/merge-patch+json",
                                         "application/strategic-merge-patch+json",
                                         "application/apply-patch+yaml"})
                          : Json::array({"*/*"});
    std::string first = op.responses.empty() ? "" : op.responses.front().second;
    out["produces"] = ResponseMedia(op, first);
    out["schemes"] = Json::array({"https"});
  }
  out["operationId"] = op.id;
  Json params = Json::array();
  if (f == Flavor::kV2 && (!op.body.empty() || op.patch_body)) {
    params.push_back({{"name", "body"},
                      {"in", "body"},
                      {"required", true},
                      {"schema", BodySchema(op.patch_body ? kPatchDef : op.body, f)}});
  }
  for (const std::string& q : op.query) params.push_back(QueryParam(q, f));
  if (!params.empty()) out["parameters"] = std::move(params);
  if (f == Flavor::kV3 && (!op.body.empty() || op.patch_body)) {
    Json content = Json::object();
    if (op.patch_body) {
      for (const char* m : {"application/apply-patch+yaml", "application/json-patch+json",
                            "application/merge-patch+json",
                            "application/strategic-merge-patch+json"})
        content[m] = {{"schema", BodySchema(kPatchDef, f)}};
    } else {
      content["*/*"] = {{"schema", BodySchema(op.body, f)}};
    }
    out["requestBody"] = {{"content", std::move(content)}, {"required", true}};
  }
  Json responses = Json::object();
  for (const auto& [code, def] : op.responses) {
    Json r = {{"description", CodeText(code)}};
    if (f == Flavor::kV2) {
      r["schema"] = BodySchema(def, f);
    } else {
      Json content = Json::object();
      for (const std::string& m : ResponseMedia(op, def)) content[m] = {{"schema", BodySchema(def, f)}};
      r["content"] = std::move(content);
    }
    responses[std::to_string(code)] = std::move(r);
  }
  responses["401"] = {{"description", "Unauthorized"}};
  out["responses"] = std::move(responses);
  out["x-kubernetes-action"] = op.action;
  out["x-kubernetes-group-version-kind"] = {
      {"group", op.gvk.group}, {"version", op.gvk.version}, {"kind", op.gvk.kind}};
  return out;
}

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// "a Pod", "an Ingress": upstream's descriptions put an article before the kind.
std::string Article(const std::string& kind) {
  bool vowel = !kind.empty() && std::string("AEIOU").find(kind[0]) != std::string::npos;
  return (vowel ? "an " : "a ") + kind;
}

std::string Title(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(toupper(static_cast<unsigned char>(s[0])));
  return s;
}

const std::vector<std::string> kWriteParams = {"dryRun", "fieldManager", "fieldValidation"};
const std::vector<std::string> kPatchParams = {"dryRun", "fieldManager", "fieldValidation",
                                               "force"};
const std::vector<std::string> kDeleteParams = {
    "dryRun", "gracePeriodSeconds", "ignoreStoreReadErrorWithClusterBreakingPotential",
    "orphanDependents", "propagationPolicy"};
const std::vector<std::string> kListParams = {
    "allowWatchBookmarks", "continue",          "fieldSelector",  "labelSelector", "limit",
    "resourceVersion",     "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds",
    "watch"};
const std::vector<std::string> kDeleteCollectionParams = {
    "continue",          "dryRun",
    "fieldSelector",     "gracePeriodSeconds",
    "ignoreStoreReadErrorWithClusterBreakingPotential",
    "labelSelector",     "limit",
    "orphanDependents",  "propagationPolicy",
    "resourceVersion",   "resourceVersionMatch",
    "sendInitialEvents", "timeoutSeconds"};

// The operations of one subresource of an item path.
std::vector<Op> SubresourceOps(const ResourceInfo& ri, const SubresourceInfo& sub,
                               const std::string& item_def, const std::string& og,
                               const std::string& scope, const Gvk& parent,
                               std::set<std::string>& refs) {
  std::string suffix = og + scope + ri.kind + Title(sub.name);
  std::string kind_def = item_def;
  Gvk gvk = parent;
  if (!sub.group.empty() || !sub.version.empty() || sub.kind != ri.kind) {
    gvk = {sub.group.empty() ? ri.group : sub.group,
           sub.version.empty() ? ri.version : sub.version, sub.kind};
    kind_def = schema::Package(gvk.group, gvk.version) + "." + gvk.kind;
    if (schema::Find(kind_def)) refs.insert(kind_def);
  }
  std::vector<Op> ops;
  const std::string& name = sub.name;
  if (name == "log") {
    ops.push_back({"get", "read" + suffix, "read log of the specified " + ri.kind, "get",
                   {"container", "follow", "insecureSkipTLSVerifyBackend", "limitBytes",
                    "previous", "sinceSeconds", "stream", "tailLines", "timestamps"},
                   "", false, {{200, kStringBody}}, false, parent});
    return ops;
  }
  if (name == "exec" || name == "attach" || name == "portforward" || name == "proxy") {
    std::vector<std::string> q;
    if (name == "exec") q = {"command", "container", "stderr", "stdin", "stdout", "tty"};
    if (name == "attach") q = {"container", "stderr", "stdin", "stdout", "tty"};
    if (name == "portforward") q = {"ports"};
    if (name == "proxy") q = {"path"};
    for (const std::string& verb : sub.verbs) {
      std::string method = verb == "create" ? "POST" : verb == "get" ? "GET"
                         : verb == "update" ? "PUT" : verb == "patch" ? "PATCH" : "DELETE";
      std::string lower = method;
      for (char& c : lower) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
      ops.push_back({lower, "connect" + og + Title(lower) + scope + ri.kind + Title(name),
                     "connect " + method + " requests to " + name + " of " + ri.kind, "connect",
                     q, "", false, {{200, kStringBody}}, false, gvk});
    }
    return ops;
  }
  if (name == "eviction" || name == "binding" || name == "token") {
    ops.push_back({"post", "create" + suffix, "create " + name + " of " + Article(ri.kind), "post",
                   kWriteParams, kind_def, false,
                   {{200, kind_def}, {201, kind_def}, {202, kind_def}}, false, gvk});
    return ops;
  }
  if (name == "finalize") {
    ops.push_back({"put", "replace" + suffix, "replace finalize of the specified " + ri.kind,
                   "put", kWriteParams, kind_def, false, {{200, kind_def}, {201, kind_def}},
                   false, gvk});
    return ops;
  }
  // status, scale, ephemeralcontainers, resize, approval: get/put/patch.
  if (Has(sub.verbs, "get"))
    ops.push_back({"get", "read" + suffix, "read " + name + " of the specified " + ri.kind, "get",
                   {}, "", false, {{200, kind_def}}, false, gvk});
  if (Has(sub.verbs, "update"))
    ops.push_back({"put", "replace" + suffix, "replace " + name + " of the specified " + ri.kind,
                   "put", kWriteParams, kind_def, false, {{200, kind_def}, {201, kind_def}},
                   false, gvk});
  if (Has(sub.verbs, "patch"))
    ops.push_back({"patch", "patch" + suffix,
                   "partially update " + name + " of the specified " + ri.kind, "patch",
                   kPatchParams, "", true, {{200, kind_def}, {201, kind_def}}, false, gvk});
  return ops;
}

Json PathItem(const std::vector<Op>& ops, const Json& params, const std::string& tag, Flavor f) {
  Json item = Json::object();
  for (const Op& op : ops) item[op.method] = Render(op, tag, f);
  item["parameters"] = params;
  return item;
}

}  // namespace

std::string OperationGroup(const std::string& group, const std::string& version) {
  std::string g = group.empty() ? "core" : group;
  if (g.size() > 7 && g.ends_with(".k8s.io")) g.resize(g.size() - 7);
  std::string out;
  bool upper = true;
  for (char c : g) {
    if (c == '.' || c == '-') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out + Title(version);
}

std::string Tag(const std::string& group, const std::string& version) {
  std::string og = OperationGroup(group, version);
  std::string g = og.substr(0, og.size() - version.size());
  if (!g.empty()) g[0] = static_cast<char>(tolower(static_cast<unsigned char>(g[0])));
  return g + "_" + version;
}

void AddResourcePaths(const PathTarget& t, Flavor f, Json& paths, std::set<std::string>& refs) {
  const ResourceInfo& ri = *t.ri;
  const std::string og = OperationGroup(ri.group, ri.version);
  const std::string tag = Tag(ri.group, ri.version);
  const std::string root = ri.group.empty() ? "/api/" + ri.version
                                            : "/apis/" + ri.group + "/" + ri.version;
  const std::string scope = ri.namespaced ? "Namespaced" : "";
  const std::string base =
      root + (ri.namespaced ? "/namespaces/{namespace}/" : "/") + ri.resource;
  const Gvk gvk{ri.group, ri.version, ri.kind};
  const std::string& kind_def = t.item_def;
  const std::string& list_def = t.list_def;
  auto has = [&](const char* verb) { return Has(ri.verbs, verb); };

  Json ns_params = Json::array();
  if (ri.namespaced)
    ns_params.push_back(PathParam(
        "namespace", "object name and auth scope, such as for teams and projects", f));
  Json collection_params = ns_params;
  collection_params.push_back(QueryParam("pretty", f));
  Json item_params = Json::array({PathParam("name", "name of the " + ri.kind, f)});
  for (const Json& p : ns_params) item_params.push_back(p);
  item_params.push_back(QueryParam("pretty", f));

  bool listed = has("list") || has("watch");
  std::vector<Op> coll;
  if (listed)
    coll.push_back({"get", "list" + og + scope + ri.kind,
                    "list or watch objects of kind " + ri.kind, "list", kListParams, "", false,
                    {{200, list_def}}, true, gvk});
  if (has("create"))
    coll.push_back({"post", "create" + og + scope + ri.kind, "create " + Article(ri.kind), "post",
                    kWriteParams, kind_def, false,
                    {{200, kind_def}, {201, kind_def}, {202, kind_def}}, false, gvk});
  if (has("deletecollection")) {
    coll.push_back({"delete", "delete" + og + "Collection" + scope + ri.kind,
                    "delete collection of " + ri.kind, "deletecollection",
                    kDeleteCollectionParams, kDeleteOptionsDef, false, {{200, kStatusDef}},
                    false, gvk});
    refs.insert(kDeleteOptionsDef);
  }
  if (!coll.empty()) paths[base] = PathItem(coll, collection_params, tag, f);
  if (listed) refs.insert(list_def);

  std::vector<Op> item;
  if (has("get"))
    item.push_back({"get", "read" + og + scope + ri.kind, "read the specified " + ri.kind, "get",
                    {}, "", false, {{200, kind_def}}, false, gvk});
  if (has("update"))
    item.push_back({"put", "replace" + og + scope + ri.kind, "replace the specified " + ri.kind,
                    "put", kWriteParams, kind_def, false, {{200, kind_def}, {201, kind_def}},
                    false, gvk});
  if (has("delete")) {
    item.push_back({"delete", "delete" + og + scope + ri.kind, "delete " + Article(ri.kind),
                    "delete", kDeleteParams, kDeleteOptionsDef, false,
                    {{200, kind_def}, {202, kind_def}}, false, gvk});
    refs.insert(kDeleteOptionsDef);
  }
  if (has("patch")) {
    item.push_back({"patch", "patch" + og + scope + ri.kind,
                    "partially update the specified " + ri.kind, "patch", kPatchParams, "", true,
                    {{200, kind_def}, {201, kind_def}}, false, gvk});
    refs.insert(kPatchDef);
  }
  if (!item.empty()) paths[base + "/{name}"] = PathItem(item, item_params, tag, f);

  for (const std::string& name : ri.subresources) {
    std::optional<SubresourceInfo> sub = FindSubresource(ri, name);
    if (!sub) continue;
    std::vector<Op> ops = SubresourceOps(ri, *sub, kind_def, og, scope, gvk, refs);
    for (const Op& op : ops)
      if (op.patch_body) refs.insert(kPatchDef);
    if (!ops.empty()) paths[base + "/{name}/" + name] = PathItem(ops, item_params, tag, f);
  }

  if (ri.namespaced && listed) {
    Op all = {"get", "list" + og + ri.kind + "ForAllNamespaces",
              "list or watch objects of kind " + ri.kind, "list", {}, "", false,
              {{200, list_def}}, true, gvk};
    Json params = Json::array();
    for (const std::string& q : kListParams) {
      params.push_back(QueryParam(q, f));
      if (q == "limit") params.push_back(QueryParam("pretty", f));
    }
    paths[root + "/" + ri.resource] = PathItem({all}, params, tag, f);
  }
  if (has("deletecollection") || has("delete") || has("create")) refs.insert(kStatusDef);
}

}  // namespace common::api::openapi
