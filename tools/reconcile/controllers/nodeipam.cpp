// The node IPAM controller's range allocator (pkg/controller/nodeipam):
// with --allocate-node-cidrs, every node gets spec.podCIDR(s) carved from
// --cluster-cidr in /--node-cidr-mask-size pieces, outside the service range.
#include <mutex>

#include "cidr.h"
#include "common/log.h"
#include "common/strings.h"
#include "controllers.h"

namespace reconcile {
namespace {

constexpr char kComponent[] = "node-ipam-controller";

class NodeIpamController : public QueueController {
 public:
  explicit NodeIpamController(const Options& o) : QueueController(kComponent, 1), o_(o) {}
  ~NodeIpamController() override { Stop(); }

  common::Status Init(ControllerContext& ctx) override {
    if (!o_.allocate_node_cidrs) return common::Status::Ok();  // upstream: does nothing
    for (const auto& text : common::SplitNonEmpty(o_.cluster_cidr, ',')) {
      ASSIGN_OR_RETURN(Cidr range, ParseCidr(text));
      int mask = range.v6 ? (o_.node_cidr_mask_size_ipv6 ? o_.node_cidr_mask_size_ipv6 : 64)
                          : (o_.node_cidr_mask_size_ipv4 ? o_.node_cidr_mask_size_ipv4 : 24);
      if (o_.node_cidr_mask_size) mask = o_.node_cidr_mask_size;
      for (const auto& s : sets_)
        if (s.first.v6 == range.v6)
          return common::Status::BadRequest("--cluster-cidr: at most one IPv4 and one IPv6 range");
      ASSIGN_OR_RETURN(CidrSet set, CidrSet::Make(range, mask));
      for (const auto& svc : common::SplitNonEmpty(o_.service_cluster_ip_range, ',')) {
        ASSIGN_OR_RETURN(Cidr s, ParseCidr(svc));
        set.Exclude(s);
      }
      sets_.emplace_back(range, std::move(set));
    }
    if (sets_.empty()) return common::Status::BadRequest("--allocate-node-cidrs requires --cluster-cidr");
    client_ = &ctx.Client(kComponent);
    recorder_ = &ctx.Recorder(kComponent);
    nodes_ = &ctx.informers().ForResource(kNodes);
    common::ResourceEventHandler h;
    h.on_add = [this](const ObjectPtr& n) { Enqueue(*n); };
    h.on_update = [this](const ObjectPtr&, const ObjectPtr& n) {
      if (CidrsOf(*n).empty()) Enqueue(*n);
    };
    h.on_delete = [this](const ObjectPtr& n, bool) { Release(*n); };
    nodes_->AddEventHandler(h);
    return common::Status::Ok();
  }

  void Start() override {
    if (!nodes_) return;
    // Every range already handed out is taken before anything is allocated.
    for (const auto& n : nodes_->store().List()) Occupy(*n);
    QueueController::Start();
  }

 protected:
  common::Status Sync(const std::string& key) override {
    ObjectPtr node = nodes_->store().Get(key);
    if (!node) return common::Status::Ok();
    if (!CidrsOf(*node).empty()) {
      Occupy(*node);
      return common::Status::Ok();
    }
    std::vector<Cidr> got;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& [range, set] : sets_) {
        auto c = set.AllocateNext();
        if (!c.ok()) {
          for (const auto& g : got)
            for (auto& [r, s] : sets_) s.Release(g);
          recorder_->Event(*node, common::kEventTypeNormal, "CIDRNotAvailable",
                           "Node " + Name(*node) + " status is now: CIDRNotAvailable");
          return c.status();
        }
        got.push_back(*c);
      }
    }
    Json cidrs = Json::array();
    for (const auto& c : got) cidrs.push_back(c.String());
    Json patch = {{"spec", {{"podCIDR", cidrs[0]}, {"podCIDRs", cidrs}}}};
    auto r = client_->Patch(kNodes, "", Name(*node), common::PatchType::kMerge, patch);
    if (!r.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& g : got)
        for (auto& [range, set] : sets_) set.Release(g);
      if (r.status().IsNotFound()) return common::Status::Ok();
      recorder_->Event(*node, common::kEventTypeWarning, "CIDRAssignmentFailed",
                       "Node " + Name(*node) + " status is now: CIDRAssignmentFailed");
      return r.status();
    }
    LOG_INFO("allocated pod CIDRs", {"node", Name(*node)}, {"podCIDRs", cidrs.dump()});
    return common::Status::Ok();
  }

 private:
  static std::vector<std::string> CidrsOf(const Json& node) {
    std::vector<std::string> out;
    const Json& list = common::GetPath(node, {"spec", "podCIDRs"});
    if (list.is_array())
      for (const auto& c : list)
        if (c.is_string()) out.push_back(c.get<std::string>());
    if (out.empty()) {
      std::string one = common::GetString(common::Get(node, "spec"), "podCIDR");
      if (!one.empty()) out.push_back(one);
    }
    return out;
  }
  void Occupy(const Json& node) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& text : CidrsOf(node)) {
      auto c = ParseCidr(text);
      if (!c.ok()) continue;
      for (auto& [range, set] : sets_)
        if (range.v6 == c->v6 && range.Contains(c->base)) (void)set.Occupy(*c);
    }
  }
  void Release(const Json& node) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& text : CidrsOf(node)) {
      auto c = ParseCidr(text);
      if (!c.ok()) continue;
      for (auto& [range, set] : sets_) set.Release(*c);
    }
  }

  const Options o_;
  common::RestClient* client_ = nullptr;
  common::EventRecorder* recorder_ = nullptr;
  common::Informer* nodes_ = nullptr;
  std::mutex mu_;
  std::vector<std::pair<Cidr, CidrSet>> sets_;
};

}  // namespace

std::unique_ptr<Controller> NewNodeIpamController(const Options& o) {
  return std::make_unique<NodeIpamController>(o);
}

}  // namespace reconcile
