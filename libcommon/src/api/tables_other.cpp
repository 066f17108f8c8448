// Printers of the smaller groups (printers.go), and the flowcontrol columns
// the seed article shows for FlowSchema and PriorityLevelConfiguration.
#include "common/strings.h"
#include "tables_util.h"

namespace common::api::tables {
namespace {

std::string Subjects(const Json& rb, const char* kind) {
  std::vector<std::string> out;
  const Json& subjects = Get(rb, "subjects");
  if (subjects.is_array())
    for (const Json& s : subjects)
      if (GetString(s, "kind") == kind)
        out.push_back(std::string(kind) == "ServiceAccount" ? GetString(s, "namespace") + "/" + GetString(s, "name")
                                                           : GetString(s, "name"));
  return Join(out, ", ");
}

Json BindingColumns() {
  return Json::array({NameColumn(), StringColumn("Role", "Role references a role or cluster role."), AgeColumn(),
                      StringColumn("Users", "Users in the roleBinding", 1),
                      StringColumn("Groups", "Groups in the roleBinding", 1),
                      StringColumn("ServiceAccounts", "ServiceAccounts in the roleBinding", 1)});
}

Json BindingCells(const Json& rb) {
  const Json& ref = Get(rb, "roleRef");
  return Json::array({Name(rb), GetString(ref, "kind") + "/" + GetString(ref, "name"), Age(rb),
                      Subjects(rb, "User"), Subjects(rb, "Group"), Subjects(rb, "ServiceAccount")});
}

Json CreatedAtColumns() {
  return Json::array({NameColumn(), Column("Created At", "date", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0)});
}

Json CreatedAtCells(const Json& o) { return Json::array({Name(o), GetPath(o, {"metadata", "creationTimestamp"})}); }

std::string LoadBalancerAddress(const Json& ingress_list) {
  std::vector<std::string> out;
  if (ingress_list.is_array())
    for (const Json& i : ingress_list) {
      if (!GetString(i, "ip").empty()) out.push_back(GetString(i, "ip"));
      else if (!GetString(i, "hostname").empty()) out.push_back(GetString(i, "hostname"));
    }
  return Join(out, ",");
}

Json IngressCells(const Json& ing) {
  const Json& spec = Get(ing, "spec");
  std::vector<std::string> hosts;
  const Json& rules = Get(spec, "rules");
  if (rules.is_array())
    for (const Json& r : rules)
      if (!GetString(r, "host").empty()) hosts.push_back(GetString(r, "host"));
  std::string host_str = hosts.empty() ? "*" : Join(hosts, ",");
  if (hosts.size() > 4) host_str = Join({hosts.begin(), hosts.begin() + 4}, ",") + " + " + std::to_string(hosts.size() - 4) + " more...";
  const Json& tls = Get(spec, "tls");
  std::string ports = tls.is_array() && !tls.empty() ? "80, 443" : "80";
  return Json::array({Name(ing), OrNone(GetString(spec, "ingressClassName")), host_str,
                      LoadBalancerAddress(GetPath(ing, {"status", "loadBalancer", "ingress"})), ports, Age(ing)});
}

Json EndpointSliceCells(const Json& es) {
  std::vector<std::string> ports;
  const Json& ps = Get(es, "ports");
  if (ps.is_array()) {
    for (const Json& p : ps)
      ports.push_back(Get(p, "port").is_number() ? std::to_string(GetInt(p, "port")) : "<unset>");
  }
  std::string port_str = ps.is_array() ? (ports.empty() ? "<unset>" : Join(ports, ",")) : "<unset>";
  std::vector<std::string> addrs;
  size_t total = 0;
  const Json& eps = Get(es, "endpoints");
  if (eps.is_array())
    for (const Json& e : eps) {
      const Json& a = Get(e, "addresses");
      if (!a.is_array()) continue;
      for (const Json& x : a) {
        ++total;
        if (addrs.size() < 3 && x.is_string()) addrs.push_back(x.get<std::string>());
      }
    }
  std::string ep_str = addrs.empty() ? "<unset>" : Join(addrs, ",");
  if (total > addrs.size()) ep_str += " + " + std::to_string(total - addrs.size()) + " more...";
  return Json::array({Name(es), GetString(es, "addressType"), port_str, ep_str, Age(es)});
}

Json FlowSchemaCells(const Json& fs) {
  const Json& spec = Get(fs, "spec");
  std::string missing = "?";
  const Json& conds = GetPath(fs, {"status", "conditions"});
  if (conds.is_array())
    for (const Json& c : conds)
      if (GetString(c, "type") == "Dangling") missing = GetString(c, "status");
  std::string dm = GetString(Get(spec, "distinguisherMethod"), "type");
  return Json::array({Name(fs), GetString(Get(spec, "priorityLevelConfiguration"), "name"),
                      GetInt(spec, "matchingPrecedence"), OrNone(dm), Age(fs), missing});
}

Json PriorityLevelCells(const Json& pl) {
  const Json& spec = Get(pl, "spec");
  std::string type = GetString(spec, "type");
  std::string shares = "<none>", queues = "<none>", hand = "<none>", qlen = "<none>";
  if (type == "Limited") {
    const Json& lim = Get(spec, "limited");
    const Json& ncs = Get(lim, "nominalConcurrencyShares");
    shares = ncs.is_number() ? std::to_string(ncs.get<int64_t>()) : "30";
    const Json& lr = Get(lim, "limitResponse");
    if (GetString(lr, "type") == "Queue") {
      const Json& q = Get(lr, "queuing");
      queues = std::to_string(GetInt(q, "queues"));
      hand = std::to_string(GetInt(q, "handSize"));
      qlen = std::to_string(GetInt(q, "queueLengthLimit"));
    }
  }
  return Json::array({Name(pl), type, shares, queues, hand, qlen, Age(pl)});
}

// events.k8s.io/v1 objects print like core events.
Json EventsApiCells(const Json& ev) {
  Json core = Json::object();
  core["metadata"] = Get(ev, "metadata");
  core["involvedObject"] = Get(ev, "regarding");
  core["reason"] = Get(ev, "reason");
  core["message"] = Get(ev, "note");
  core["type"] = Get(ev, "type");
  core["source"] = Get(ev, "deprecatedSource");
  core["firstTimestamp"] = Get(ev, "deprecatedFirstTimestamp");
  core["lastTimestamp"] = Get(ev, "deprecatedLastTimestamp");
  core["count"] = Get(ev, "deprecatedCount");
  core["eventTime"] = Get(ev, "eventTime");
  core["series"] = Get(ev, "series");
  core["reportingComponent"] = Get(ev, "reportingController");
  core["reportingInstance"] = Get(ev, "reportingInstance");
  for (auto it = core.begin(); it != core.end();) {
    if (it->is_null()) it = core.erase(it);
    else ++it;
  }
  ResourceInfo ri = *FindKind("v1", "Event");
  return FindPrinter(ri)->cells(core);
}

}  // namespace

std::vector<Printer> OtherPrinters() {
  return {
      {"events.k8s.io", "Event", [] { return FindPrinter(*FindKind("v1", "Event"))->columns(); }, EventsApiCells},
      {"networking.k8s.io", "Ingress",
       [] {
         return Json::array({NameColumn(), StringColumn("Class", "The name of the IngressClass resource that should be used to implement this Ingress"),
                             StringColumn("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
                             StringColumn("Address", "Address is a list containing ingress points for the load-balancer"),
                             StringColumn("Ports", "Ports of TLS configurations that open"), AgeColumn()});
       },
       IngressCells},
      {"networking.k8s.io", "IngressClass",
       [] {
         return Json::array({NameColumn(), StringColumn("Controller", "Controller that is responsible for handling this class"),
                             StringColumn("Parameters", "A reference to a resource with additional parameters"), AgeColumn()});
       },
       [](const Json& o) {
         const Json& p = GetPath(o, {"spec", "parameters"});
         std::string params = "<none>";
         if (p.is_object()) {
           std::string group = GetString(p, "apiGroup");
           params = GetString(p, "kind") + (group.empty() ? "" : "." + group) + "/" + GetString(p, "name");
         }
         return Json::array({Name(o), GetString(Get(o, "spec"), "controller"), params, Age(o)});
       }},
      {"networking.k8s.io", "NetworkPolicy",
       [] {
         return Json::array({NameColumn(), StringColumn("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies."), AgeColumn()});
       },
       [](const Json& o) {
         return Json::array({Name(o), FormatSelector(GetPath(o, {"spec", "podSelector"})), Age(o)});
       }},
      {"discovery.k8s.io", "EndpointSlice",
       [] {
         return Json::array({NameColumn(), StringColumn("AddressType", "Type of address carried by this EndpointSlice"),
                             StringColumn("Ports", "Ports advertised by this EndpointSlice"),
                             StringColumn("Endpoints", "Endpoints included in this EndpointSlice"), AgeColumn()});
       },
       EndpointSliceCells},
      {"scheduling.k8s.io", "PriorityClass",
       [] {
         return Json::array({NameColumn(), IntColumn("Value", "The value of this priority class."),
                             Column("Global-Default", "boolean", "", "globalDefault specifies whether this PriorityClass should be considered as the default priority.", 0),
                             AgeColumn()});
       },
       [](const Json& o) { return Json::array({Name(o), GetInt(o, "value"), GetBool(o, "globalDefault"), Age(o)}); }},
      {"coordination.k8s.io", "Lease",
       [] { return Json::array({NameColumn(), StringColumn("Holder", "The holder of the lease"), AgeColumn()}); },
       [](const Json& o) { return Json::array({Name(o), GetString(Get(o, "spec"), "holderIdentity"), Age(o)}); }},
      {"storage.k8s.io", "StorageClass",
       [] {
         return Json::array({NameColumn(), StringColumn("Provisioner", "Indicates the type of the provisioner."),
                             StringColumn("ReclaimPolicy", "Dynamically provisioned PersistentVolumes of this storage class are created with this reclaimPolicy. Defaults to Delete."),
                             StringColumn("VolumeBindingMode", "VolumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound"),
                             StringColumn("AllowVolumeExpansion", "AllowVolumeExpansion shows whether the storage class allow volume expand"),
                             AgeColumn()});
       },
       [](const Json& o) {
         std::string name = Name(o);
         const Json& ann = GetPath(o, {"metadata", "annotations"});
         if (GetString(ann, "storageclass.kubernetes.io/is-default-class") == "true" ||
             GetString(ann, "storageclass.beta.kubernetes.io/is-default-class") == "true")
           name += " (default)";
         std::string reclaim = GetString(o, "reclaimPolicy");
         std::string mode = GetString(o, "volumeBindingMode");
         return Json::array({name, GetString(o, "provisioner"), reclaim.empty() ? "Delete" : reclaim,
                             mode.empty() ? "Immediate" : mode, GetBool(o, "allowVolumeExpansion") ? "true" : "false", Age(o)});
       }},
      {"rbac.authorization.k8s.io", "Role", CreatedAtColumns, CreatedAtCells},
      {"rbac.authorization.k8s.io", "ClusterRole", CreatedAtColumns, CreatedAtCells},
      {"rbac.authorization.k8s.io", "RoleBinding", BindingColumns, BindingCells},
      {"rbac.authorization.k8s.io", "ClusterRoleBinding", BindingColumns, BindingCells},
      {"flowcontrol.apiserver.k8s.io", "FlowSchema",
       [] {
         return Json::array({NameColumn(), StringColumn("PriorityLevel", "Name of the priority level the flow schema refers to"),
                             IntColumn("MatchingPrecedence", "Precedence: lower values are matched first"),
                             StringColumn("DistinguisherMethod", "How flows of this schema are distinguished"), AgeColumn(),
                             StringColumn("MissingPL", "Whether the referenced priority level is missing")});
       },
       FlowSchemaCells},
      {"flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration",
       [] {
         return Json::array({NameColumn(), StringColumn("Type", "Exempt or Limited"),
                             StringColumn("AssuredConcurrencyShares", "The nominal concurrency shares of a Limited priority level"),
                             StringColumn("Queues", "Number of queues"), StringColumn("HandSize", "Shuffle sharding hand size"),
                             StringColumn("QueueLengthLimit", "Maximum requests waiting in one queue"), AgeColumn()});
       },
       PriorityLevelCells},
  };
}

}  // namespace common::api::tables
