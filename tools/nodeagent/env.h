// A container's environment and arguments as the kubelet builds them:
// envFrom, env with valueFrom (fieldRef, resourceFieldRef, configMapKeyRef,
// secretKeyRef), and $(VAR) expansion in values, command and args.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "podspec.h"
#include "volumes.h"

namespace nodeagent {

// Expands $(VAR) references in `in` from `vars` as upstream's
// third_party/forked/golang/expansion does: "$$" is a literal "$", an
// undefined $(VAR) is left as written, an unterminated "$(" is kept.
std::string Expand(const std::string& in, const std::map<std::string, std::string>& vars);

struct ResolvedEnv {
  std::vector<std::string> env;  // NAME=value, in order (later duplicates win when exec'd)
  std::vector<std::string> command, args;  // expanded
};

// Resolves everything for `c`. Errors are the messages upstream shows with
// CreateContainerConfigError ("configmap \"x\" not found", "couldn't find
// key k in ConfigMap ns/x").
common::Result<ResolvedEnv> ResolveEnv(const PodSpec& pod, const ContainerSpec& c,
                                       const DownwardContext& ctx, const ObjectLookup& lookup);

}  // namespace nodeagent
