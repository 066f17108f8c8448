// Constructors of the admission plugins (one file each).
#pragma once

#include <memory>

#include "admission/admission.h"

namespace apiserve::admission {

// Refuses content in namespaces that do not exist or are terminating, and the
// deletion of default, kube-system and kube-public.
std::unique_ptr<Plugin> NewNamespaceLifecycle(const Lookup& lookup);
// Adds the not-ready/unreachable NoExecute tolerations (300 s) to pods.
std::unique_ptr<Plugin> NewDefaultTolerationSeconds();
// Sets spec.serviceAccountName "default" on pods that name none.
std::unique_ptr<Plugin> NewServiceAccount();

}  // namespace apiserve::admission
