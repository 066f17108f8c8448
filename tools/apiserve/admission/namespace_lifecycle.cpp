// Upstream: plugin/pkg/admission/namespace/lifecycle.
#include "admission/plugins.h"

namespace apiserve::admission {
namespace {

class NamespaceLifecycle final : public Plugin {
 public:
  explicit NamespaceLifecycle(Lookup lookup) : lookup_(std::move(lookup)) {}
  const char* name() const override { return "NamespaceLifecycle"; }

  std::optional<ApiError> Validate(const Attributes& a) override {
    const auto& ri = a.resource->info;
    if (ri.group.empty() && ri.resource == "namespaces") {
      if (a.operation == "DELETE" &&
          (a.name == "default" || a.name == "kube-system" || a.name == "kube-public")) {
        return ApiError::Forbidden({"", "namespaces"}, a.name, "this namespace may not be deleted");
      }
      return std::nullopt;
    }
    if (!ri.namespaced || a.ns.empty()) return std::nullopt;
    if (a.operation != "CREATE") return std::nullopt;
    auto ns = lookup_.get_namespace(a.ns);
    if (!ns) return ApiError::NotFound({"", "namespaces"}, a.ns);
    // Objects that help a namespace finish terminating may still be created.
    if (!common::GetPath(*ns, {"metadata", "deletionTimestamp"}).is_null() ||
        common::GetString(common::Get(*ns, "status"), "phase") == "Terminating") {
      if (ri.group == "" && (ri.resource == "events")) return std::nullopt;
      ApiError e = ApiError::Forbidden({ri.group, ri.resource}, a.name,
                                       "unable to create new content in namespace " + a.ns +
                                           " because it is being terminated");
      e.details["causes"] = common::Json::array(
          {{{"reason", "NamespaceTerminating"},
            {"message", "namespace " + a.ns + " is being terminated"},
            {"field", "metadata.namespace"}}});
      return e;
    }
    return std::nullopt;
  }

 private:
  Lookup lookup_;
};

}  // namespace

std::unique_ptr<Plugin> NewNamespaceLifecycle(const Lookup& lookup) {
  return std::make_unique<NamespaceLifecycle>(lookup);
}

}  // namespace apiserve::admission
