#include <algorithm>

#include "admission/admission.h"
#include "admission/plugins.h"

namespace apiserve::admission {

std::vector<std::string> KnownPlugins() {
  return {"NamespaceLifecycle", "DefaultTolerationSeconds", "ServiceAccount"};
}

std::vector<std::string> DefaultPlugins() { return {"NamespaceLifecycle", "DefaultTolerationSeconds"}; }

std::unique_ptr<Plugin> MakePlugin(const std::string& name, const Lookup& lookup) {
  if (name == "NamespaceLifecycle") return NewNamespaceLifecycle(lookup);
  if (name == "DefaultTolerationSeconds") return NewDefaultTolerationSeconds();
  if (name == "ServiceAccount") return NewServiceAccount();
  return nullptr;
}

common::Result<std::unique_ptr<Chain>> Chain::Build(const std::vector<std::string>& enable,
                                                    const std::vector<std::string>& disable,
                                                    const Lookup& lookup) {
  auto known = KnownPlugins();
  for (const auto& n : enable)
    if (std::find(known.begin(), known.end(), n) == known.end())
      return common::Status::BadRequest("unknown admission plugin '" + n + "'");
  for (const auto& n : disable)
    if (std::find(known.begin(), known.end(), n) == known.end())
      return common::Status::BadRequest("unknown admission plugin '" + n + "'");
  auto chain = std::make_unique<Chain>();
  // Upstream runs plugins in its own fixed order, whatever the flag order.
  auto defaults = DefaultPlugins();
  for (const auto& n : known) {
    bool on = std::find(defaults.begin(), defaults.end(), n) != defaults.end() ||
              std::find(enable.begin(), enable.end(), n) != enable.end();
    if (std::find(disable.begin(), disable.end(), n) != disable.end()) on = false;
    if (on) chain->plugins_.push_back(MakePlugin(n, lookup));
  }
  return chain;
}

std::optional<ApiError> Chain::Admit(Attributes& a) const {
  for (const auto& p : plugins_)
    if (auto e = p->Admit(a)) return e;
  return std::nullopt;
}

std::optional<ApiError> Chain::Validate(const Attributes& a) const {
  for (const auto& p : plugins_)
    if (auto e = p->Validate(a)) return e;
  return std::nullopt;
}

std::vector<std::string> Chain::names() const {
  std::vector<std::string> out;
  for (const auto& p : plugins_) out.push_back(p->name());
  return out;
}

}  // namespace apiserve::admission
