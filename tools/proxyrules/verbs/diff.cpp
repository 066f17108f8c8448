// proxyrules diff: what a sync would change in the installed rules. Both
// sides are compared as iptables-save prints rules, so a difference means the
// kernel would hold different entries.
#include <cstdio>

#include "../backend/backend.h"
#include "../inputs.h"
#include "../iptables/dump.h"
#include "../iptables/rule.h"
#include "../sync/jumps.h"
#include "common/cli.h"
#include "input_paths.h"
#include "verbs.h"

namespace proxyrules {
namespace {

using common::Result;

// Rule lines in iptables-save's form; lines that do not parse stay as written.
std::vector<std::string> Canonical(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  out.reserve(lines.size());
  for (const auto& l : lines) {
    auto r = iptables::ParseRuleLine(l);
    if (!r.ok()) {
      out.push_back(l);
      continue;
    }
    iptables::Canonicalize(&*r);
    out.push_back(iptables::SaveLine(*r));
  }
  return out;
}

// Prints the lines of `from` that become `to`: the common head and tail
// are skipped, the rest is shown as removed then added.
void PrintHunk(std::string* out, const std::string& header, const std::vector<std::string>& from,
               const std::vector<std::string>& to) {
  size_t head = 0;
  while (head < from.size() && head < to.size() && from[head] == to[head]) ++head;
  size_t tail = 0;
  while (tail < from.size() - head && tail < to.size() - head &&
         from[from.size() - 1 - tail] == to[to.size() - 1 - tail])
    ++tail;
  *out += header;
  for (size_t i = head; i < from.size() - tail; ++i) *out += "-" + from[i] + "\n";
  for (size_t i = head; i < to.size() - tail; ++i) *out += "+" + to[i] + "\n";
}

}  // namespace

void AddDiffFlags(CLI::App* app, Options* o) {
  AddInputFlags(app, o);
  AddProxierFlags(app, o);
  AddBackendFlag(app, o);
  app->add_flag("--exit-code", o->exit_code, "exit with status 1 when a sync would change something");
}

int RunDiff(Options& o) {
  if (o.Family() != IPFamily::kIPv4) {
    common::cli::PrintError("diff: only IPv4 (iptables) is supported");
    return common::cli::kExitUsage;
  }
  auto paths = InputPaths(o);
  if (!paths.ok()) return common::cli::Fail(paths.status());
  if (paths->empty()) {
    common::cli::PrintError("no input: give -f FILE (or --services/--endpoints); -f - reads stdin");
    return common::cli::kExitUsage;
  }
  Model model(o.NodeName());
  LoadStats stats;
  if (auto st = LoadFiles(*paths, o.Family(), &model, &stats); !st.ok()) return common::cli::Fail(st);
  auto backend = MakeBackend(o.backend);
  if (!backend.ok()) return common::cli::Fail(backend.status());
  Backend& be = **backend;
  auto cfg = BuildRenderConfig(o, /*probe_system=*/true);
  if (!cfg.ok()) return common::cli::Fail(cfg.status());

  auto nat_chains = be.ListChains("nat");
  if (!nat_chains.ok()) return common::cli::Fail(nat_chains.status());
  RenderScope scope;
  scope.existing_nat_chains = &*nat_chains;
  RenderResult r = Render(model, *cfg, scope);
  auto want = iptables::ParseDump(r.data);
  if (!want.ok()) return common::cli::Fail(want.status());

  std::string out;
  int hunks = 0;
  for (const char* table : {"filter", "nat"}) {
    auto text = be.Save(table);
    if (!text.ok()) return common::cli::Fail(text.status());
    auto have = iptables::ParseDump(*text);
    if (!have.ok()) return common::cli::Fail(have.status());
    const iptables::Table* have_t = have->Find(table);
    const iptables::Table* want_t = want->Find(table);
    for (const auto& chain : want_t->chains) {
      const iptables::Chain* cur = have_t ? have_t->Find(chain.name) : nullptr;
      std::string header = std::string("@@ ") + table + " " + chain.name;
      if (chain.deleted) {
        if (!cur) continue;
        PrintHunk(&out, header + " (deleted) @@\n", Canonical(cur->rules), {});
        ++hunks;
        continue;
      }
      std::vector<std::string> from = cur ? Canonical(cur->rules) : std::vector<std::string>{};
      std::vector<std::string> to = Canonical(chain.rules);
      if (cur && from == to) continue;
      PrintHunk(&out, header + (cur ? " @@\n" : " (new) @@\n"), from, to);
      ++hunks;
    }
    // The jumps from the built-in chains a full sync would insert.
    for (const auto* list : {&JumpRules(), &KubeletJumpRules()}) {
      if (list == &KubeletJumpRules() && !cfg->localhost_node_ports) continue;
      for (const auto& j : *list) {
        if (std::string_view(j.table) != table) continue;
        auto rule = iptables::ParseRule(j.src_chain, j.Args());
        if (!rule.ok()) continue;
        iptables::Canonicalize(&*rule);
        std::string line = iptables::SaveLine(*rule);
        const iptables::Chain* src = have_t ? have_t->Find(j.src_chain) : nullptr;
        std::vector<std::string> rules = src ? Canonical(src->rules) : std::vector<std::string>{};
        if (std::find(rules.begin(), rules.end(), line) != rules.end()) continue;
        out += std::string("@@ ") + table + " " + j.src_chain + " @@\n+" + line + "\n";
        ++hunks;
      }
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return o.exit_code && hunks > 0 ? common::cli::kExitFailed : common::cli::kExitOk;
}

}  // namespace proxyrules
