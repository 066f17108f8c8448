#include "dump.h"

#include <algorithm>

#include "rule.h"

namespace proxyrules::iptables {
namespace {

using common::Result;
using common::Status;

// The service name a kube-proxy comment starts with: up to the first space
// or colon ("ns2/svc2:p80 cluster IP" -> "ns2/svc2"); nullopt when the rule
// has no comment.
std::optional<std::string> CommentServiceName(const std::string& line) {
  static constexpr std::string_view kFlag = "--comment ";
  size_t at = line.find(kFlag);
  if (at == std::string::npos) return std::nullopt;
  size_t i = at + kFlag.size();
  std::string value;
  if (i < line.size() && line[i] == '"') {
    size_t end = line.find('"', i + 1);
    value = line.substr(i + 1, end == std::string::npos ? std::string::npos : end - i - 1);
  } else {
    size_t end = line.find(' ', i);
    value = line.substr(i, end == std::string::npos ? std::string::npos : end - i);
  }
  size_t cut = value.find_first_of(" :");
  if (cut != std::string::npos) value.resize(cut);
  return value;
}

bool CommentContains(const std::string& line, std::string_view text) {
  size_t at = line.find("--comment ");
  return at != std::string::npos && line.find(text, at) != std::string::npos;
}

// orderByCommentServiceName: rules without a comment compare equal to all.
bool ByServiceName(const std::string& a, const std::string& b) {
  auto na = CommentServiceName(a), nb = CommentServiceName(b);
  if (!na || !nb) return false;
  return *na < *nb;
}

int ChainRank(const std::string& name) {
  if (name == "KUBE-NODEPORTS") return 0;
  if (name == "KUBE-SERVICES") return 1;
  if (name.starts_with("KUBE-")) return 2;
  return 3;
}

}  // namespace

Chain* Table::Find(std::string_view chain) {
  auto it = index_.find(std::string(chain));
  return it == index_.end() ? nullptr : &chains[it->second];
}

const Chain* Table::Find(std::string_view chain) const {
  auto it = index_.find(std::string(chain));
  return it == index_.end() ? nullptr : &chains[it->second];
}

Chain& Table::Add(std::string_view name) {
  if (Chain* c = Find(name)) return *c;
  index_.emplace(std::string(name), chains.size());
  chains.push_back(Chain{std::string(name)});
  return chains.back();
}

void Table::Reindex() {
  index_.clear();
  for (size_t i = 0; i < chains.size(); ++i) index_.emplace(chains[i].name, i);
}

Table* Dump::Find(std::string_view table) {
  for (auto& t : tables)
    if (t.name == table) return &t;
  return nullptr;
}

const Table* Dump::Find(std::string_view table) const {
  for (const auto& t : tables)
    if (t.name == table) return &t;
  return nullptr;
}

Result<Dump> ParseDump(std::string_view text) {
  Dump dump;
  Table* table = nullptr;
  size_t lineno = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++lineno;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    auto fail = [&](const std::string& why) {
      return Status::BadRequest("line " + std::to_string(lineno) + ": " + why);
    };
    if (line[0] == '*') {
      // Later tables may move this one; only the newest is ever written to.
      dump.tables.emplace_back();
      table = &dump.tables.back();
      table->name = std::string(line.substr(1));
      continue;
    }
    if (line == "COMMIT") {
      if (!table) return fail("COMMIT outside a table");
      table = nullptr;
      continue;
    }
    if (!table) return fail("rule outside a table: " + std::string(line));
    if (line[0] == ':') {
      size_t sp = line.find(' ');
      std::string_view name = line.substr(1, sp == std::string_view::npos ? std::string_view::npos : sp - 1);
      Chain& c = table->Add(name);
      if (sp != std::string_view::npos) {
        std::string_view rest = line.substr(sp + 1);
        size_t sp2 = rest.find(' ');
        c.policy = std::string(rest.substr(0, sp2));
        if (sp2 != std::string_view::npos) c.counters = std::string(rest.substr(sp2 + 1));
      }
      continue;
    }
    if (line.starts_with("-A ")) {
      size_t sp = line.find(' ', 3);
      std::string_view chain = line.substr(3, sp == std::string_view::npos ? std::string_view::npos : sp - 3);
      table->Add(chain).rules.emplace_back(line);
      continue;
    }
    if (line.starts_with("-X ")) {
      table->Add(line.substr(3)).deleted = true;
      continue;
    }
    return fail("unsupported line: " + std::string(line));
  }
  if (table) return Status::BadRequest("table " + table->name + " has no COMMIT");
  return dump;
}

std::string FormatDump(const Dump& dump) {
  std::string out;
  for (const auto& t : dump.tables) {
    out += "*" + t.name + "\n";
    for (const auto& c : t.chains) out += ":" + c.name + " " + c.policy + " " + c.counters + "\n";
    for (const auto& c : t.chains)
      for (const auto& r : c.rules) out += r + "\n";
    for (const auto& c : t.chains)
      if (c.deleted) out += "-X " + c.name + "\n";
    out += "COMMIT\n";
  }
  return out;
}

std::vector<std::string> ChainNames(std::string_view text, std::string_view table) {
  std::vector<std::string> out;
  bool in_table = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (line.empty()) continue;
    if (line[0] == '*') {
      in_table = line.substr(1) == table;
    } else if (in_table && line[0] == ':') {
      size_t sp = line.find(' ');
      out.emplace_back(line.substr(1, sp == std::string_view::npos ? std::string_view::npos : sp - 1));
    } else if (in_table && line[0] == '-') {
      // Chain lines all come before the first rule.
      in_table = false;
    }
  }
  return out;
}

void SortLikeUpstream(Dump* dump) {
  std::sort(dump->tables.begin(), dump->tables.end(),
            [](const Table& a, const Table& b) { return a.name < b.name; });
  for (auto& t : dump->tables) {
    std::stable_sort(t.chains.begin(), t.chains.end(), [](const Chain& a, const Chain& b) {
      int ra = ChainRank(a.name), rb = ChainRank(b.name);
      if (ra != rb) return ra < rb;
      return a.name < b.name;
    });
    t.Reindex();
    if (Chain* c = t.Find("KUBE-NODEPORTS"))
      std::stable_sort(c->rules.begin(), c->rules.end(), ByServiceName);
    if (Chain* c = t.Find("KUBE-SERVICES")) {
      bool nat = t.name == "nat";
      std::stable_sort(c->rules.begin(), c->rules.end(), [nat](const std::string& a, const std::string& b) {
        if (nat) {
          if (CommentContains(a, "must be the last rule")) return false;
          if (CommentContains(b, "must be the last rule")) return true;
        }
        return ByServiceName(a, b);
      });
    }
  }
}

}  // namespace proxyrules::iptables
