// Self-signed serving certificates, as kube-apiserver makes them in
// --cert-dir when no --tls-cert-file is given: a CA and a serving
// certificate it signs, for localhost, 127.0.0.1, the kubernetes Service
// names and IP, and any extra names.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace apiserve {

struct CertPaths {
  std::string cert;  // <dir>/apiserve.crt (serving certificate, then the CA)
  std::string key;   // <dir>/apiserve.key
  std::string ca;    // <dir>/ca.crt (what clients trust)
};

// Returns the certificate files in `dir`, creating them (mode 0600 for the
// key) when missing. An existing pair is reused whatever its names.
// Errors name the file that could not be written.
common::Result<CertPaths> EnsureSelfSignedCert(const std::string& dir,
                                               const std::vector<std::string>& names);

}  // namespace apiserve
