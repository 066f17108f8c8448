// proxyrules hash: the chain names kube-proxy gives a service port.
#include <cstdio>

#include "../model/chain_names.h"
#include "../model/types.h"
#include "common/cli.h"
#include "common/strings.h"
#include "verbs.h"

namespace proxyrules {

void AddHashFlags(CLI::App* app, Options* o) {
  app->add_option("port", o->hash_port, "the service port, \"NAMESPACE/NAME:PORTNAME\" (\"NAMESPACE/NAME\" when unnamed)")
      ->required()
      ->type_name("SERVICEPORT");
  app->add_option("--protocol", o->hash_protocol, "TCP, UDP or SCTP (default TCP)")->type_name("PROTO");
  app->add_option("--endpoint", o->hash_endpoints, "an endpoint \"IP:PORT\" to name the KUBE-SEP chain of; repeatable")
      ->type_name("IP:PORT");
}

int RunHash(Options& o) {
  auto proto = ParseProtocol(common::ToLower(o.hash_protocol) == "tcp"    ? "TCP"
                             : common::ToLower(o.hash_protocol) == "udp"  ? "UDP"
                             : common::ToLower(o.hash_protocol) == "sctp" ? "SCTP"
                                                                          : o.hash_protocol);
  if (!proto) {
    common::cli::PrintError("--protocol must be TCP, UDP or SCTP");
    return common::cli::kExitUsage;
  }
  if (o.hash_port.find('/') == std::string::npos) {
    common::cli::PrintError("service port must look like NAMESPACE/NAME[:PORTNAME], not \"" + o.hash_port + "\"");
    return common::cli::kExitUsage;
  }
  std::string_view p = LowerProtocol(*proto);
  std::string hash = PortProtoHash(o.hash_port, p);
  std::printf("%s%s\n%s%s\n%s%s\n%s%s\n", kServiceChainPrefix.data(), hash.c_str(),
              kLocalChainPrefix.data(), hash.c_str(), kExternalChainPrefix.data(), hash.c_str(),
              kFirewallChainPrefix.data(), hash.c_str());
  for (const auto& ep : o.hash_endpoints)
    std::printf("%s\n", EndpointChainName(o.hash_port, p, ep).c_str());
  return common::cli::kExitOk;
}

}  // namespace proxyrules
