// nodeagent's side of the API server: registers its node(s) and keeps them
// alive (Heartbeats), takes the pods bound to them from a watch
// (spec.nodeName=<node>), sends their statuses back (StatusManager), deletes
// a pod for good once its termination is done, records Events, and reads
// ConfigMaps and Secrets for volumes and environment variables.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "agent.h"
#include "common/events.h"
#include "common/informer.h"
#include "common/rest_client.h"
#include "heartbeats.h"
#include "status_manager.h"

namespace nodeagent {

class NodeApi {
 public:
  // `agent` must outlive this object; `port` is the node's served port
  // (daemonEndpoints.kubeletEndpoint.Port).
  NodeApi(Agent* agent, int port);
  ~NodeApi();  // Stop()

  // Connects (from --kubeconfig), wires the agent's sinks and starts every
  // loop. Must be called before the agent's Start() ends up running pods
  // from the API, i.e. after Agent::Start.
  common::Status Start();
  void Stop();

  Heartbeats* heartbeats() { return heartbeats_.get(); }
  StatusManager* statuses() { return statuses_.get(); }

  // The agent's ObjectLookup: ConfigMaps and Secrets, cached for 10 s.
  common::Result<std::optional<common::Json>> Lookup(const std::string& kind, const std::string& ns,
                                                     const std::string& name);

 private:
  NodeReport Report(const std::string& node);
  void OnNode(const common::Json& node);

  Agent* agent_;
  int port_;
  std::unique_ptr<common::RestClient> client_;     // pods, statuses, events, lookups
  std::unique_ptr<common::RestClient> hb_client_;  // heartbeats only
  std::unique_ptr<Heartbeats> heartbeats_;
  std::unique_ptr<StatusManager> statuses_;
  std::unique_ptr<common::Informer> pods_;
  std::unique_ptr<common::Informer> node_;  // this node's Node (process runtime only)
  std::string warned_cidr_;                 // a conflicting spec.podCIDR already logged (cache_mu_)
  std::unique_ptr<common::EventRecorder> events_;

  std::mutex cache_mu_;
  struct Cached {
    std::chrono::steady_clock::time_point at;
    std::optional<common::Json> object;
  };
  std::map<std::string, Cached> cache_;
  std::mutex images_mu_;
  common::Json images_;
  std::chrono::steady_clock::time_point images_at_{};
};

}  // namespace nodeagent
