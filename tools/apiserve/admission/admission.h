// Admission: a chain of plugins that may change (Admit) and then accept or
// refuse (Validate) each write, between defaulting and validation, as
// upstream's admission controllers do. Plugins are named like upstream's.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "errors.h"
#include "resources.h"

namespace apiserve::admission {

struct Attributes {
  const ServedResource* resource = nullptr;
  std::string operation;  // "CREATE", "UPDATE", "DELETE", "CONNECT"
  std::string ns;
  std::string name;
  std::string subresource;
  common::Json* object = nullptr;    // CREATE/UPDATE: the object being written
  const common::Json* old = nullptr;  // UPDATE/DELETE: the stored object
  std::string user;
  bool dry_run = false;
};

// Answers questions plugins ask about stored state.
struct Lookup {
  // The namespace object, or nullopt when it does not exist. From the watch
  // cache it holds only metadata.deletionTimestamp and status.phase (what the
  // lifecycle plugin reads on every create), not the whole object.
  std::function<std::optional<common::Json>(const std::string& name)> get_namespace;
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual const char* name() const = 0;
  // Mutating phase; returns an error to refuse.
  virtual std::optional<ApiError> Admit(Attributes&) { return std::nullopt; }
  // Validating phase.
  virtual std::optional<ApiError> Validate(const Attributes&) { return std::nullopt; }
};

// The plugins apiserve knows, by upstream name, and the default set.
std::unique_ptr<Plugin> MakePlugin(const std::string& name, const Lookup& lookup);
std::vector<std::string> KnownPlugins();
std::vector<std::string> DefaultPlugins();

// Thread-safe once built.
class Chain {
 public:
  // Unknown names are an error naming the plugin.
  static common::Result<std::unique_ptr<Chain>> Build(const std::vector<std::string>& enable,
                                                      const std::vector<std::string>& disable,
                                                      const Lookup& lookup);
  std::optional<ApiError> Admit(Attributes& a) const;
  std::optional<ApiError> Validate(const Attributes& a) const;
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<Plugin>> plugins_;
};

}  // namespace apiserve::admission
