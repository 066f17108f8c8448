#include "simulate/report.h"

#include <algorithm>
#include <set>

#include "simulate/table.h"

namespace schedule {

using common::Json;

namespace {

const char* PhaseName(PodOutcome::Phase p) {
  switch (p) {
    case PodOutcome::Phase::kScheduled: return "Scheduled";
    case PodOutcome::Phase::kPending: return "Pending";
    case PodOutcome::Phase::kPreempted: return "Preempted";
  }
  return "";
}

std::string NodeColumn(const PodOutcome& o) {
  switch (o.phase) {
    case PodOutcome::Phase::kScheduled: return o.node;
    case PodOutcome::Phase::kPending: return "<pending>";
    case PodOutcome::Phase::kPreempted: return "<preempted>";
  }
  return "";
}

std::string Message(const PodOutcome& o) {
  if (o.phase == PodOutcome::Phase::kPreempted)
    return "preempted by " + o.preempted_by + " on " + o.node;
  return o.message;
}

}  // namespace

void PrintTable(const SimulationResult& r, bool wide, std::ostream& out) {
  std::vector<std::string> header = {"POD", "NODE", "SCORE"};
  if (wide) header.insert(header.end(), {"ATTEMPTS", "FEASIBLE", "NOMINATED", "MESSAGE"});
  Table t(header);
  for (const auto& o : r.pods) {
    std::vector<std::string> row = {o.pod->key, NodeColumn(o), o.score ? std::to_string(*o.score) : "-"};
    if (wide) {
      row.push_back(std::to_string(o.attempts));
      row.push_back(std::to_string(o.feasible_nodes) + "/" + std::to_string(o.evaluated_nodes));
      row.push_back(o.nominated_node.empty() ? "<none>" : o.nominated_node);
      std::string msg = Message(o);
      row.push_back(msg.empty() ? "<none>" : msg);
    }
    t.Add(std::move(row));
  }
  t.Print(out);
}

void PrintPendingMessages(const SimulationResult& r, std::ostream& err) {
  for (const auto& o : r.pods)
    if (o.phase == PodOutcome::Phase::kPending && !o.message.empty())
      err << "schedule: " << o.pod->key << ": " << o.message << "\n";
}

Json ResultToJson(const SimulationResult& r) {
  Json pods = Json::array();
  int scheduled = 0, pending = 0, preempted = 0;
  for (const auto& o : r.pods) {
    Json p = {{"namespace", o.pod->ns}, {"name", o.pod->name}, {"phase", PhaseName(o.phase)}};
    if (!o.node.empty()) p["node"] = o.node;
    if (o.score) p["score"] = *o.score;
    p["attempts"] = o.attempts;
    p["feasibleNodes"] = o.feasible_nodes;
    p["evaluatedNodes"] = o.evaluated_nodes;
    std::string msg = Message(o);
    if (!msg.empty()) p["message"] = msg;
    if (!o.nominated_node.empty()) p["nominatedNodeName"] = o.nominated_node;
    if (!o.preempted_by.empty()) p["preemptedBy"] = o.preempted_by;
    if (!o.victims.empty()) p["victims"] = o.victims;
    pods.push_back(p);
    if (o.phase == PodOutcome::Phase::kScheduled) ++scheduled;
    else if (o.phase == PodOutcome::Phase::kPending) ++pending;
    else ++preempted;
  }
  Json summary = {{"nodes", r.num_nodes},  {"existingPods", r.num_existing}, {"scheduled", scheduled},
                  {"pending", pending},     {"preempted", preempted},        {"cycles", r.cycles},
                  {"seconds", r.seconds}};
  summary["cpuSeconds"] = r.cpu_seconds;
  if (r.seconds > 0) summary["podsPerSecond"] = static_cast<double>(scheduled) / r.seconds;
  // On a shared machine wall time includes waiting for a CPU; this does not.
  if (r.cpu_seconds > 0) summary["podsPerCpuSecond"] = static_cast<double>(scheduled) / r.cpu_seconds;
  return {{"apiVersion", "kubix.io/v1alpha1"}, {"kind", "SimulationResult"}, {"pods", pods}, {"summary", summary}};
}

void PrintExplain(const CycleDetail& d, std::ostream& out) {
  const Pod& pod = *d.pod;
  const CycleRecord& rec = d.record;
  out << "Pod " << pod.key << " (priority " << pod.priority << ", schedulerName " << pod.scheduler_name
      << ", attempt " << rec.attempt << ")\n";
  std::string req = pod.requests.String();
  out << "Requests: " << (req.empty() ? "none" : req) << "\n\n";

  out << "PreFilter:\n";
  Table pf({"  PLUGIN", "RESULT", "MESSAGE"});
  for (const auto& [name, s] : d.pre_filter)
    pf.Add({"  " + name, std::string(CodeName(s.code())), s.Message()});
  pf.Print(out);
  if (d.narrowed_to) {
    out << "  PreFilter narrowed the nodes to:";
    for (const auto& n : *d.narrowed_to) out << " " << n;
    out << "\n";
  }
  out << "\n";

  if (!d.pre_filter_status.IsSuccess()) {
    out << "Filter: not run; PreFilter plugin " << d.pre_filter_status.plugin()
        << " rejected the pod on every node: " << d.pre_filter_status.Message() << "\n\n";
  } else {
    int evaluated = 0;
    for (const auto& n : d.nodes) evaluated += n.evaluated;
    out << "Filter: " << d.num_all_nodes << " node(s), " << evaluated << " evaluated";
    if (d.num_to_find > 0 && d.num_to_find < d.num_all_nodes)
      out << " (the search stops after " << d.num_to_find << " feasible nodes: percentageOfNodesToScore)";
    out << "\n";
    Table ft({"  NODE", "RESULT", "PLUGIN", "REASON"});
    auto with_detail = [](const CycleDetail::NodeRow::Rejection& r) {
      return r.detail.empty() ? r.reason : r.reason + " (" + r.detail + ")";
    };
    for (const auto& n : d.nodes) {
      if (n.feasible) {
        ft.Add({"  " + n.node, "feasible", "", ""});
        continue;
      }
      if (d.narrowed_to && !d.narrowed_to->count(n.node)) {
        ft.Add({"  " + n.node, "rejected", "PreFilter", n.status.Message()});
        continue;
      }
      std::string result = n.evaluated ? "rejected" : "not evaluated";
      if (n.rejections.empty()) {
        ft.Add({"  " + n.node, n.evaluated ? result : "not evaluated (would fit)", "", ""});
        continue;
      }
      // The plugin upstream reports (the first failing filter) first, then the others.
      std::vector<const CycleDetail::NodeRow::Rejection*> order;
      for (const auto& r : n.rejections)
        if (n.evaluated && r.plugin == n.status.plugin()) order.insert(order.begin(), &r);
        else order.push_back(&r);
      for (size_t i = 0; i < order.size(); ++i)
        ft.Add({i ? "" : "  " + n.node, i ? "" : result, order[i]->plugin, with_detail(*order[i])});
    }
    ft.Print(out);
    out << "\n";
  }

  if (!d.scored_nodes.empty() && !d.scores.totals.empty()) {
    out << "Score (normalized 0-100 per plugin; TOTAL = sum of weight x score):\n";
    std::vector<std::string> header = {"  NODE", "TOTAL"};
    std::set<int> ran(d.scores.plugins.begin(), d.scores.plugins.end());
    for (size_t i = 0; i < d.score_plugins.size(); ++i)
      header.push_back(d.score_plugins[i] + "(x" + std::to_string(d.score_weights[i]) + ")");
    Table st(header);
    std::vector<size_t> order(d.scored_nodes.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return d.scores.totals[a] > d.scores.totals[b]; });
    for (size_t n : order) {
      std::vector<std::string> row = {"  " + d.scored_nodes[n], std::to_string(d.scores.totals[n])};
      for (size_t p = 0; p < d.score_plugins.size(); ++p) {
        auto it = std::find(d.scores.plugins.begin(), d.scores.plugins.end(), static_cast<int>(p));
        if (it == d.scores.plugins.end()) {
          row.push_back("skip");
        } else {
          size_t k = it - d.scores.plugins.begin();
          row.push_back(std::to_string(d.scores.normalized[k][n]));
        }
      }
      st.Add(std::move(row));
    }
    st.Print(out);
    out << "\n";
  }

  switch (rec.result) {
    case CycleRecord::Result::kScheduled:
      out << "Result: bound to " << rec.node;
      if (rec.score) out << " (score " << *rec.score << ")";
      out << "\n";
      break;
    case CycleRecord::Result::kUnschedulable:
      out << "Result: FailedScheduling: " << rec.message << "\n";
      if (!rec.nominated_node.empty()) {
        out << "Preemption: nominated " << rec.nominated_node << ", evicting";
        for (const auto& v : rec.victims) out << " " << v->key;
        out << "\n";
      }
      break;
    case CycleRecord::Result::kError:
      out << "Result: SchedulerError: " << rec.message << "\n";
      break;
  }
}

Json ExplainToJson(const CycleDetail& d) {
  Json j = {{"pod", d.pod->key}, {"attempt", d.record.attempt}, {"priority", d.pod->priority}};
  Json pf = Json::array();
  for (const auto& [name, s] : d.pre_filter)
    pf.push_back({{"plugin", name}, {"code", std::string(CodeName(s.code()))}, {"message", s.Message()}});
  j["preFilter"] = pf;
  Json nodes = Json::array();
  for (const auto& n : d.nodes) {
    Json nj = {{"name", n.node}, {"evaluated", n.evaluated}, {"feasible", n.feasible}};
    if (n.evaluated && !n.feasible)
      nj["status"] = {{"plugin", std::string(n.status.plugin())},
                      {"code", std::string(CodeName(n.status.code()))},
                      {"reasons", n.status.reasons()}};
    Json rej = Json::array();
    for (const auto& r : n.rejections) {
      Json rj = {{"plugin", r.plugin}, {"reason", r.reason}};
      if (!r.detail.empty()) rj["detail"] = r.detail;
      rej.push_back(rj);
    }
    nj["rejections"] = rej;
    nodes.push_back(nj);
  }
  j["nodes"] = nodes;
  Json scores = Json::array();
  for (size_t n = 0; n < d.scored_nodes.size() && n < d.scores.totals.size(); ++n) {
    Json sj = {{"node", d.scored_nodes[n]}, {"total", d.scores.totals[n]}};
    Json plugins = Json::object();
    for (size_t k = 0; k < d.scores.plugins.size(); ++k) {
      int p = d.scores.plugins[k];
      plugins[d.score_plugins[p]] = {{"raw", d.scores.raw[k][n]},
                                     {"normalized", d.scores.normalized[k][n]},
                                     {"weight", d.score_weights[p]},
                                     {"weighted", d.scores.normalized[k][n] * d.score_weights[p]}};
    }
    sj["plugins"] = plugins;
    scores.push_back(sj);
  }
  j["scores"] = scores;
  const CycleRecord& rec = d.record;
  Json result = {{"result", rec.result == CycleRecord::Result::kScheduled       ? "Scheduled"
                            : rec.result == CycleRecord::Result::kUnschedulable ? "Unschedulable"
                                                                                : "SchedulerError"}};
  if (!rec.node.empty()) result["node"] = rec.node;
  if (rec.score) result["score"] = *rec.score;
  if (!rec.message.empty()) result["message"] = rec.message;
  if (!rec.nominated_node.empty()) result["nominatedNodeName"] = rec.nominated_node;
  j["result"] = result;
  return j;
}

}  // namespace schedule
