// Upstream: plugin/pkg/admission/defaulttolerationseconds and the part of
// plugin/pkg/admission/serviceaccount that names the default account.
#include "admission/plugins.h"

namespace apiserve::admission {
namespace {

bool IsPodCreate(const Attributes& a) {
  return a.operation == "CREATE" && a.subresource.empty() && a.resource->info.group.empty() &&
         a.resource->info.resource == "pods" && a.object && a.object->is_object();
}

class DefaultTolerationSeconds final : public Plugin {
 public:
  const char* name() const override { return "DefaultTolerationSeconds"; }
  std::optional<ApiError> Admit(Attributes& a) override {
    if (!IsPodCreate(a)) return std::nullopt;
    common::Json& spec = (*a.object)["spec"];
    if (!spec.is_object()) return std::nullopt;
    common::Json& tols = spec["tolerations"];
    if (!tols.is_array()) tols = common::Json::array();
    for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
      bool has = false;
      for (const auto& t : tols) {
        std::string k = common::GetString(t, "key");
        std::string effect = common::GetString(t, "effect");
        // A toleration of the key (or of every key) with NoExecute or any effect.
        if ((k == key || (k.empty() && common::GetString(t, "operator") == "Exists")) &&
            (effect.empty() || effect == "NoExecute"))
          has = true;
      }
      if (!has) {
        common::Json t = common::Json::object();
        t["key"] = key;
        t["operator"] = "Exists";
        t["effect"] = "NoExecute";
        t["tolerationSeconds"] = 300;
        tols.push_back(std::move(t));
      }
    }
    return std::nullopt;
  }
};

class ServiceAccount final : public Plugin {
 public:
  const char* name() const override { return "ServiceAccount"; }
  std::optional<ApiError> Admit(Attributes& a) override {
    if (!IsPodCreate(a)) return std::nullopt;
    common::Json& spec = (*a.object)["spec"];
    if (!spec.is_object()) return std::nullopt;
    if (common::GetString(spec, "serviceAccountName").empty()) {
      spec["serviceAccountName"] = "default";
      if (!spec.contains("serviceAccount")) spec["serviceAccount"] = "default";
    }
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<Plugin> NewDefaultTolerationSeconds() {
  return std::make_unique<DefaultTolerationSeconds>();
}
std::unique_ptr<Plugin> NewServiceAccount() { return std::make_unique<ServiceAccount>(); }

}  // namespace apiserve::admission
