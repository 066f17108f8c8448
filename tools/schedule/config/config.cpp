#include "config/config.h"

#include <set>

#include "common/file.h"
#include "common/strings.h"
#include "common/yaml.h"

namespace schedule {

using common::Json;
using common::Result;
using common::Status;

const std::vector<PluginRef>& DefaultMultiPointPlugins() {
  // pkg/scheduler/apis/config/v1/default_plugins.go, in order.
  static const std::vector<PluginRef> kPlugins = {
      {"SchedulingGates", 0},
      {"PrioritySort", 0},
      {"NodeUnschedulable", 0},
      {"NodeName", 0},
      {"TaintToleration", 3},
      {"NodeAffinity", 2},
      {"NodePorts", 0},
      {"NodeResourcesFit", 1},
      {"VolumeRestrictions", 0},
      {"VolumeBinding", 0},
      {"VolumeZone", 0},
      {"PodTopologySpread", 2},
      {"InterPodAffinity", 2},
      {"DefaultPreemption", 0},
      {"NodeResourcesBalancedAllocation", 1},
      {"ImageLocality", 1},
      {"DefaultBinder", 0},
  };
  return kPlugins;
}

std::optional<std::chrono::milliseconds> ParseGoDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (start == i) return std::nullopt;
    double value = std::stod(std::string(text.substr(start, i - start)));
    size_t ustart = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(ustart, i - ustart);
    double mult;
    if (unit == "h") mult = 3600000;
    else if (unit == "m") mult = 60000;
    else if (unit == "s") mult = 1000;
    else if (unit == "ms") mult = 1;
    else if (unit == "us" || unit == "µs") mult = 0.001;
    else if (unit == "ns") mult = 0.000001;
    else return std::nullopt;
    total_ms += value * mult;
  }
  return std::chrono::milliseconds(static_cast<int64_t>(total_ms));
}

namespace {

// Strict decoding: every key of `obj` must be in `known`.
Status CheckFields(const Json& obj, const std::string& prefix, std::initializer_list<const char*> known) {
  if (!obj.is_object()) return Status::Ok();
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool ok = false;
    for (const char* k : known)
      if (it.key() == k) ok = true;
    if (!ok)
      return Status::Invalid("strict decoding error: unknown field \"" + prefix + it.key() + "\"");
  }
  return Status::Ok();
}

Result<int64_t> IntField(const Json& obj, const char* key, const std::string& field, int64_t fallback) {
  if (!obj.contains(key) || obj[key].is_null()) return fallback;
  const Json& v = obj[key];
  if (!v.is_number_integer())
    return Status::Invalid(field + ": Invalid value: " + common::DumpJson(v) + ": must be an integer");
  return v.get<int64_t>();
}

Status ParsePluginList(const Json& list, const std::string& field, bool weights,
                       std::vector<PluginRef>* out) {
  if (list.is_null()) return Status::Ok();
  if (!list.is_array()) return Status::Invalid(field + ": must be a list");
  for (size_t i = 0; i < list.size(); ++i) {
    std::string f = field + "[" + std::to_string(i) + "]";
    RETURN_IF_ERROR(CheckFields(list[i], f + ".", {"name", "weight"}));
    PluginRef p;
    p.name = common::GetString(list[i], "name");
    if (p.name.empty()) return Status::Invalid(f + ".name: Required value");
    auto w = IntField(list[i], "weight", f + ".weight", 0);
    if (!w.ok()) return w.status();
    if (*w < 0 || *w > 100)
      return Status::Invalid(f + ".weight: Invalid value: " + std::to_string(*w) +
                             ": must be in the range [0, 100]");
    if (*w != 0 && !weights)
      return Status::Invalid(f + ".weight: Forbidden: weight is only used by score plugins");
    p.weight = static_cast<int32_t>(*w);
    out->push_back(std::move(p));
  }
  return Status::Ok();
}

Status ParsePluginSet(const Json& obj, const std::string& field, bool weights, PluginSet* out) {
  if (obj.is_null()) return Status::Ok();
  RETURN_IF_ERROR(CheckFields(obj, field + ".", {"enabled", "disabled"}));
  RETURN_IF_ERROR(ParsePluginList(common::Get(obj, "enabled"), field + ".enabled", weights, &out->enabled));
  return ParsePluginList(common::Get(obj, "disabled"), field + ".disabled", false, &out->disabled);
}

// Upstream's v1 mergePluginSet: defaults minus disabled ("*" disables all),
// a default re-listed in enabled is replaced in place, other enabled appended.
PluginSet MergePluginSet(const std::vector<PluginRef>& defaults, const PluginSet& custom) {
  PluginSet out;
  std::set<std::string> disabled;
  for (const auto& d : custom.disabled) {
    out.disabled.push_back({d.name, 0});
    disabled.insert(d.name);
  }
  std::set<size_t> replaced;
  if (!disabled.count("*")) {
    for (const auto& def : defaults) {
      if (disabled.count(def.name)) continue;
      PluginRef p = def;
      for (size_t i = 0; i < custom.enabled.size(); ++i)
        if (custom.enabled[i].name == def.name) {
          p = custom.enabled[i];
          replaced.insert(i);
          break;
        }
      out.enabled.push_back(p);
    }
  }
  for (size_t i = 0; i < custom.enabled.size(); ++i)
    if (!replaced.count(i)) out.enabled.push_back(custom.enabled[i]);
  return out;
}

struct PointField {
  const char* name;
  PluginSet Plugins::*member;
  bool weights;
};

const std::vector<PointField>& PointFields() {
  static const std::vector<PointField> kFields = {
      {"preEnqueue", &Plugins::pre_enqueue, false}, {"queueSort", &Plugins::queue_sort, false},
      {"preFilter", &Plugins::pre_filter, false},   {"filter", &Plugins::filter, false},
      {"postFilter", &Plugins::post_filter, false}, {"preScore", &Plugins::pre_score, false},
      {"score", &Plugins::score, true},             {"reserve", &Plugins::reserve, false},
      {"permit", &Plugins::permit, false},          {"preBind", &Plugins::pre_bind, false},
      {"bind", &Plugins::bind, false},              {"postBind", &Plugins::post_bind, false},
      {"multiPoint", &Plugins::multi_point, true},
  };
  return kFields;
}

Result<Profile> ParseProfile(const Json& p, int index) {
  Profile prof;
  prof.index = index;
  std::string f = "profiles[" + std::to_string(index) + "]";
  RETURN_IF_ERROR(CheckFields(p, f + ".", {"schedulerName", "percentageOfNodesToScore", "plugins", "pluginConfig"}));
  if (p.contains("schedulerName")) prof.scheduler_name = common::GetString(p, "schedulerName");
  if (prof.scheduler_name.empty()) return Status::Invalid(f + ".schedulerName: Required value");
  if (p.contains("percentageOfNodesToScore") && !p["percentageOfNodesToScore"].is_null()) {
    auto v = IntField(p, "percentageOfNodesToScore", f + ".percentageOfNodesToScore", 0);
    if (!v.ok()) return v.status();
    if (*v < 0 || *v > 100)
      return Status::Invalid(f + ".percentageOfNodesToScore: Invalid value: " + std::to_string(*v) +
                             ": not in valid range [0-100]");
    prof.percentage_of_nodes_to_score = static_cast<int32_t>(*v);
  }
  Plugins custom;
  const Json& plugins = common::Get(p, "plugins");
  if (!plugins.is_null()) {
    std::vector<const char*> names;
    for (const auto& pf : PointFields()) names.push_back(pf.name);
    for (auto it = plugins.begin(); it != plugins.end(); ++it) {
      bool known = false;
      for (const char* n : names) known |= it.key() == n;
      if (!known)
        return Status::Invalid("strict decoding error: unknown field \"" + f + ".plugins." + it.key() + "\"");
    }
    for (const auto& pf : PointFields())
      RETURN_IF_ERROR(ParsePluginSet(common::Get(plugins, pf.name), f + ".plugins." + pf.name,
                                     pf.weights, &(custom.*pf.member)));
  }
  // Defaults live in MultiPoint only; every other point is the user's as written.
  prof.plugins = custom;
  prof.plugins.multi_point = MergePluginSet(DefaultMultiPointPlugins(), custom.multi_point);

  const Json& pcs = common::Get(p, "pluginConfig");
  if (!pcs.is_null() && !pcs.is_array()) return Status::Invalid(f + ".pluginConfig: must be a list");
  if (pcs.is_array())
    for (size_t i = 0; i < pcs.size(); ++i) {
      std::string pf = f + ".pluginConfig[" + std::to_string(i) + "]";
      RETURN_IF_ERROR(CheckFields(pcs[i], pf + ".", {"name", "args"}));
      std::string name = common::GetString(pcs[i], "name");
      if (name.empty()) return Status::Invalid(pf + ".name: Required value");
      if (prof.plugin_config.count(name))
        return Status::Invalid(pf + ".name: Duplicate value: \"" + name + "\"");
      prof.plugin_config[name] = PluginArgs{common::Get(pcs[i], "args"), pf + ".args"};
    }
  return prof;
}

}  // namespace

Configuration DefaultConfiguration() {
  Configuration c;
  Profile p;
  p.plugins.multi_point = MergePluginSet(DefaultMultiPointPlugins(), PluginSet{});
  c.profiles.push_back(std::move(p));
  return c;
}

Result<Configuration> ParseConfiguration(const std::string& text) {
  auto doc = common::ParseYaml(text);
  if (!doc.ok()) return Status::Invalid(doc.status().message());
  const Json& j = *doc;
  if (!j.is_object()) return Status::Invalid("not a KubeSchedulerConfiguration object");
  std::string api = common::GetString(j, "apiVersion"), kind = common::GetString(j, "kind");
  if (kind != "KubeSchedulerConfiguration")
    return Status::Invalid("kind: Invalid value: \"" + kind + "\": expected KubeSchedulerConfiguration");
  if (api != "kubescheduler.config.k8s.io/v1")
    return Status::Invalid("apiVersion: Invalid value: \"" + api +
                           "\": no kind \"KubeSchedulerConfiguration\" is registered for this version "
                           "(supported: kubescheduler.config.k8s.io/v1)");
  RETURN_IF_ERROR(CheckFields(j, "", {"apiVersion", "kind", "parallelism", "percentageOfNodesToScore",
                                      "podInitialBackoffSeconds", "podMaxBackoffSeconds", "profiles",
                                      "leaderElection", "clientConnection", "extenders",
                                      "enableProfiling", "enableContentionProfiling",
                                      "delayCacheUntilActive", "healthzBindAddress",
                                      "metricsBindAddress"}));
  Configuration c;
  auto par = IntField(j, "parallelism", "parallelism", 16);
  if (!par.ok()) return par.status();
  if (*par <= 0)
    return Status::Invalid("parallelism: Invalid value: " + std::to_string(*par) +
                           ": should be an integer value greater than zero");
  c.parallelism = static_cast<int32_t>(*par);
  auto pct = IntField(j, "percentageOfNodesToScore", "percentageOfNodesToScore", 0);
  if (!pct.ok()) return pct.status();
  if (*pct < 0 || *pct > 100)
    return Status::Invalid("percentageOfNodesToScore: Invalid value: " + std::to_string(*pct) +
                           ": not in valid range [0-100]");
  c.percentage_of_nodes_to_score = static_cast<int32_t>(*pct);
  auto ib = IntField(j, "podInitialBackoffSeconds", "podInitialBackoffSeconds", 1);
  if (!ib.ok()) return ib.status();
  if (*ib <= 0)
    return Status::Invalid("podInitialBackoffSeconds: Invalid value: " + std::to_string(*ib) +
                           ": must be greater than 0");
  auto mb = IntField(j, "podMaxBackoffSeconds", "podMaxBackoffSeconds", 10);
  if (!mb.ok()) return mb.status();
  if (*mb < *ib)
    return Status::Invalid("podMaxBackoffSeconds: Invalid value: " + std::to_string(*mb) +
                           ": must be greater than or equal to PodInitialBackoffSeconds");
  c.pod_initial_backoff_seconds = *ib;
  c.pod_max_backoff_seconds = *mb;
  const Json& ext = common::Get(j, "extenders");
  if (ext.is_array() && !ext.empty())
    return Status::Invalid("extenders: Forbidden: scheduler extenders are not supported by schedule");

  const Json& le = common::Get(j, "leaderElection");
  if (!le.is_null()) {
    RETURN_IF_ERROR(CheckFields(le, "leaderElection.", {"leaderElect", "leaseDuration", "renewDeadline",
                                                          "retryPeriod", "resourceLock", "resourceName",
                                                          "resourceNamespace"}));
    c.leader_election.leader_elect = common::GetBool(le, "leaderElect", true);
    for (auto [key, dst] : {std::pair{"leaseDuration", &c.leader_election.lease_duration},
                            std::pair{"renewDeadline", &c.leader_election.renew_deadline},
                            std::pair{"retryPeriod", &c.leader_election.retry_period}}) {
      if (!le.contains(key)) continue;
      auto d = ParseGoDuration(common::GetString(le, key));
      if (!d)
        return Status::Invalid(std::string("leaderElection.") + key + ": Invalid value: " +
                               common::DumpJson(le[key]) + ": not a duration");
      *dst = *d;
    }
    c.leader_election.resource_lock = common::GetString(le, "resourceLock", "leases");
    if (c.leader_election.resource_lock != "leases")
      return Status::Invalid("leaderElection.resourceLock: Unsupported value: \"" +
                             c.leader_election.resource_lock + "\": supported values: \"leases\"");
    c.leader_election.resource_name = common::GetString(le, "resourceName", "kube-scheduler");
    c.leader_election.resource_namespace = common::GetString(le, "resourceNamespace", "kube-system");
  }
  const Json& cc = common::Get(j, "clientConnection");
  if (!cc.is_null()) {
    RETURN_IF_ERROR(CheckFields(cc, "clientConnection.", {"kubeconfig", "qps", "burst", "contentType",
                                                            "acceptContentTypes"}));
    c.client_connection.kubeconfig = common::GetString(cc, "kubeconfig");
    if (cc.contains("qps") && cc["qps"].is_number()) c.client_connection.qps = cc["qps"].get<double>();
    c.client_connection.burst = static_cast<int>(common::GetInt(cc, "burst", 100));
  }

  const Json& profiles = common::Get(j, "profiles");
  if (!profiles.is_null() && !profiles.is_array()) return Status::Invalid("profiles: must be a list");
  if (profiles.is_array() && !profiles.empty()) {
    std::set<std::string> names;
    for (size_t i = 0; i < profiles.size(); ++i) {
      auto p = ParseProfile(profiles[i], static_cast<int>(i));
      if (!p.ok()) return p.status();
      if (!names.insert(p->scheduler_name).second)
        return Status::Invalid("profiles[" + std::to_string(i) + "].schedulerName: Duplicate value: \"" +
                               p->scheduler_name + "\"");
      c.profiles.push_back(std::move(*p));
    }
  } else {
    c.profiles = DefaultConfiguration().profiles;
  }
  return c;
}

Result<Configuration> LoadConfiguration(const std::string& path) {
  auto text = common::ReadFile(path);
  if (!text.ok()) return text.status();
  auto c = ParseConfiguration(*text);
  if (!c.ok()) return Status::Invalid(path + ": " + c.status().message());
  return c;
}

Json ConfigurationToJson(const Configuration& c) {
  auto set_json = [](const PluginSet& s) {
    Json o = Json::object();
    if (!s.enabled.empty()) {
      Json en = Json::array();
      for (const auto& p : s.enabled) {
        Json e = {{"name", p.name}};
        if (p.weight) e["weight"] = p.weight;
        en.push_back(e);
      }
      o["enabled"] = en;
    }
    if (!s.disabled.empty()) {
      Json dis = Json::array();
      for (const auto& p : s.disabled) dis.push_back({{"name", p.name}});
      o["disabled"] = dis;
    }
    return o;
  };
  Json j = {{"apiVersion", "kubescheduler.config.k8s.io/v1"},
            {"kind", "KubeSchedulerConfiguration"},
            {"parallelism", c.parallelism},
            {"percentageOfNodesToScore", c.percentage_of_nodes_to_score},
            {"podInitialBackoffSeconds", c.pod_initial_backoff_seconds},
            {"podMaxBackoffSeconds", c.pod_max_backoff_seconds}};
  Json profs = Json::array();
  for (const auto& p : c.profiles) {
    Json pj = {{"schedulerName", p.scheduler_name}};
    if (p.percentage_of_nodes_to_score) pj["percentageOfNodesToScore"] = *p.percentage_of_nodes_to_score;
    Json plugins = Json::object();
    for (const auto& pf : PointFields()) {
      Json s = set_json(p.plugins.*pf.member);
      if (!s.empty()) plugins[pf.name] = s;
    }
    pj["plugins"] = plugins;
    if (!p.plugin_config.empty()) {
      Json pc = Json::array();
      for (const auto& [name, a] : p.plugin_config) pc.push_back({{"name", name}, {"args", a.args}});
      pj["pluginConfig"] = pc;
    }
    profs.push_back(pj);
  }
  j["profiles"] = profs;
  return j;
}

}  // namespace schedule
