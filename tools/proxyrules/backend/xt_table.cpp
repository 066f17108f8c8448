#include "xt_table.h"

#include <linux/netfilter.h>

#include <algorithm>
#include <cstring>

namespace proxyrules {

using common::Result;
using common::Status;

namespace {

// libiptc's IPTCB_CHAIN_START_SIZE / IPTCB_CHAIN_FOOT_SIZE: a user chain's
// ERROR head (also the table's final entry) and a chain's policy/RETURN.
constexpr size_t kHeadSize = sizeof(ipt_entry) + XT_ALIGN(sizeof(xt_error_target));
constexpr size_t kFootSize = sizeof(ipt_entry) + XT_ALIGN(sizeof(xt_standard_target));
constexpr size_t kVerdictOffset = sizeof(xt_entry_target);  // within the target

const ipt_entry* EntryAt(const unsigned char* p) { return reinterpret_cast<const ipt_entry*>(p); }
const xt_entry_target* TargetOf(const unsigned char* entry) {
  return reinterpret_cast<const xt_entry_target*>(entry + EntryAt(entry)->target_offset);
}
bool IsStandard(const unsigned char* entry) {
  const xt_entry_target* t = TargetOf(entry);
  return t->u.user.name[0] == '\0' && t->u.target_size == XT_ALIGN(sizeof(xt_standard_target));
}
int32_t VerdictOf(const unsigned char* entry) {
  int32_t v;
  std::memcpy(&v, reinterpret_cast<const unsigned char*>(TargetOf(entry)) + kVerdictOffset, sizeof(v));
  return v;
}

void WriteHead(unsigned char* at, const std::string& name) {
  std::memset(at, 0, kHeadSize);
  auto* e = reinterpret_cast<ipt_entry*>(at);
  e->target_offset = sizeof(ipt_entry);
  e->next_offset = kHeadSize;
  auto* t = reinterpret_cast<xt_error_target*>(at + sizeof(ipt_entry));
  t->target.u.user.target_size = XT_ALIGN(sizeof(xt_error_target));
  std::strcpy(t->target.u.user.name, XT_ERROR_TARGET);
  std::strncpy(t->errorname, name.c_str(), sizeof(t->errorname) - 1);
}

void WriteFoot(unsigned char* at, int verdict) {
  std::memset(at, 0, kFootSize);
  auto* e = reinterpret_cast<ipt_entry*>(at);
  e->target_offset = sizeof(ipt_entry);
  e->next_offset = kFootSize;
  auto* t = reinterpret_cast<xt_standard_target*>(at + sizeof(ipt_entry));
  t->target.u.user.target_size = XT_ALIGN(sizeof(xt_standard_target));
  t->verdict = verdict;
}

}  // namespace

bool XtInfo::operator==(const XtInfo& o) const {
  if (valid_hooks != o.valid_hooks || num_entries != o.num_entries || size != o.size) return false;
  for (int h = 0; h < NF_INET_NUMHOOKS; ++h)
    if ((valid_hooks & (1u << h)) && (hook_entry[h] != o.hook_entry[h] || underflow[h] != o.underflow[h]))
      return false;
  return true;
}

XtRule MakeXtRule(const void* entry, const std::vector<unsigned char>& mask, bool module_target,
                  const std::string& target) {
  XtRule r;
  auto* p = static_cast<const unsigned char*>(entry);
  r.bytes.assign(p, p + EntryAt(p)->next_offset);
  r.mask = mask;
  r.mask.resize(r.bytes.size(), 0);
  if (module_target) return r;
  auto* t = reinterpret_cast<xt_standard_target*>(r.bytes.data() + EntryAt(p)->target_offset);
  std::memset(t->target.u.user.name, 0, sizeof(t->target.u.user.name));
  t->target.u.user.revision = 0;
  t->target.u.target_size = XT_ALIGN(sizeof(xt_standard_target));
  static const std::pair<const char*, int> kVerdicts[] = {
      {"ACCEPT", -NF_ACCEPT - 1}, {"DROP", -NF_DROP - 1}, {"QUEUE", -NF_QUEUE - 1}, {"RETURN", XT_RETURN}};
  r.kind = XtRule::Kind::kJump;
  for (const auto& [name, verdict] : kVerdicts) {
    if (target == name) {
      r.kind = XtRule::Kind::kVerdict;
      t->verdict = verdict;
    }
  }
  if (target.empty()) r.kind = XtRule::Kind::kFallthrough;
  if (r.kind == XtRule::Kind::kJump) r.jump = target;
  if (r.kind != XtRule::Kind::kVerdict) {
    t->verdict = 0;
    size_t v = EntryAt(p)->target_offset + kVerdictOffset;
    std::memset(r.mask.data() + v, 0, sizeof(int));
  }
  return r;
}

Result<std::unique_ptr<XtTable>> XtTable::FromKernel(std::string_view name, const XtInfo& info,
                                                     const unsigned char* entries) {
  std::unique_ptr<XtTable> t(new XtTable(std::string(name)));
  t->valid_hooks_ = info.valid_hooks;
  auto bad = [&](const std::string& why) {
    return Status::Invalid("table " + std::string(name) + " from the kernel: " + why);
  };
  // Every entry's offset, in order.
  std::vector<uint32_t> offs;
  offs.reserve(info.num_entries);
  for (uint32_t off = 0; off < info.size;) {
    if (off + sizeof(ipt_entry) > info.size) return bad("truncated entry");
    const ipt_entry* e = EntryAt(entries + off);
    if (e->next_offset < sizeof(ipt_entry) || off + e->next_offset > info.size ||
        e->target_offset + sizeof(xt_entry_target) > e->next_offset)
      return bad("malformed entry at offset " + std::to_string(off));
    offs.push_back(off);
    off += e->next_offset;
  }
  if (offs.size() != info.num_entries || offs.empty()) return bad("entry count mismatch");
  // Chain starts: the hooks' entry points and the ERROR heads (but the last).
  struct Start {
    uint32_t at;   // entry index of the first entry
    int hook;      // or -1
    std::string name;
  };
  std::vector<Start> starts;
  static const char* kHookNames[] = {"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"};
  for (int h = 0; h < NF_INET_NUMHOOKS; ++h) {
    if (!(info.valid_hooks & (1u << h))) continue;
    auto it = std::lower_bound(offs.begin(), offs.end(), info.hook_entry[h]);
    if (it == offs.end() || *it != info.hook_entry[h]) return bad("hook entry off an entry");
    starts.push_back({static_cast<uint32_t>(it - offs.begin()), h, kHookNames[h]});
  }
  for (size_t i = 0; i + 1 < offs.size(); ++i) {
    const unsigned char* p = entries + offs[i];
    const xt_entry_target* tg = TargetOf(p);
    if (std::strcmp(tg->u.user.name, XT_ERROR_TARGET) != 0) continue;
    const auto* et = reinterpret_cast<const xt_error_target*>(tg);
    starts.push_back({static_cast<uint32_t>(i), -1, std::string(et->errorname, strnlen(et->errorname, sizeof(et->errorname)))});
  }
  std::sort(starts.begin(), starts.end(), [](const Start& a, const Start& b) { return a.at < b.at; });
  for (size_t i = 1; i < starts.size(); ++i)
    if (starts[i].at == starts[i - 1].at) return bad("two chains start at one entry");
  // Chain id i covers entries [starts[i].at, end_i); its first rule follows
  // the head for a user chain; its last entry is the policy/RETURN.
  std::vector<uint32_t> first_off(starts.size()), end_off(starts.size());
  for (size_t i = 0; i < starts.size(); ++i) {
    uint32_t end = i + 1 < starts.size() ? starts[i + 1].at : static_cast<uint32_t>(offs.size() - 1);
    uint32_t first = starts[i].at + (starts[i].hook < 0 ? 1 : 0);
    if (end < first + 1) return bad("chain " + starts[i].name + " has no end entry");
    first_off[i] = offs[first];
    end_off[i] = offs[end - 1];  // the foot
    if (starts[i].hook >= 0 && end_off[i] != info.underflow[starts[i].hook])
      return bad("chain " + starts[i].name + " does not end at its underflow");
    if (t->by_name_.count(starts[i].name)) return bad("chain " + starts[i].name + " twice");
    int id = t->NewChain(starts[i].name, starts[i].hook);
    (void)id;
  }
  std::vector<uint32_t> start_off(starts.size());
  for (size_t i = 0; i < starts.size(); ++i) start_off[i] = offs[starts[i].at];
  auto chain_of = [&](int32_t verdict) -> int {
    // As libiptc: a jump anywhere into a chain is a jump to that chain.
    auto v = static_cast<uint32_t>(verdict);
    auto it = std::upper_bound(start_off.begin(), start_off.end(), v);
    if (it == start_off.begin()) return -1;
    size_t i = static_cast<size_t>(it - start_off.begin()) - 1;
    return v <= end_off[i] ? static_cast<int>(i) : -1;
  };
  for (size_t i = 0; i < starts.size(); ++i) {
    Chain* c = t->chains_[i].get();
    uint32_t first = starts[i].at + (starts[i].hook < 0 ? 1 : 0);
    uint32_t foot = i + 1 < starts.size() ? starts[i + 1].at - 1 : static_cast<uint32_t>(offs.size() - 2);
    const unsigned char* fp = entries + offs[foot];
    if (!IsStandard(fp)) return bad("chain " + c->name + " does not end in a standard target");
    if (c->hook >= 0) c->verdict = VerdictOf(fp);
    c->foot_index = foot;
    c->keep_index = first;
    c->keep_count = foot - first;
    for (uint32_t k = first; k < foot; ++k) {
      const unsigned char* p = entries + offs[k];
      uint32_t at = static_cast<uint32_t>(c->bytes.size());
      uint16_t size = EntryAt(p)->next_offset;
      c->starts.push_back(at);
      c->bytes.insert(c->bytes.end(), p, p + size);
      auto* e = reinterpret_cast<ipt_entry*>(c->bytes.data() + at);
      e->comefrom = 0;
      e->counters = {0, 0};
      if (!IsStandard(p)) continue;
      int32_t v = VerdictOf(p);
      if (v < 0) continue;
      uint32_t verdict_at = at + e->target_offset + kVerdictOffset;
      if (static_cast<uint32_t>(v) == offs[k] + size) {
        c->fixups.push_back({verdict_at, at + size, -1});
        continue;
      }
      int target = chain_of(v);
      if (target < 0) return bad("rule in " + c->name + " jumps to offset " + std::to_string(v));
      c->fixups.push_back({verdict_at, at + size, target});
    }
  }
  return t;
}

int XtTable::NewChain(const std::string& chain, int hook) {
  int id = static_cast<int>(chains_.size());
  auto c = std::make_unique<Chain>();
  c->name = chain;
  c->hook = hook;
  c->verdict = -NF_ACCEPT - 1;
  chains_.push_back(std::move(c));
  by_name_[chain] = id;
  if (hook >= 0)
    builtins_.push_back(id);
  else
    user_[chain] = id;
  return id;
}

XtTable::Chain* XtTable::Get(std::string_view chain) {
  auto it = by_name_.find(std::string(chain));
  return it == by_name_.end() ? nullptr : chains_[it->second].get();
}

const XtTable::Chain* XtTable::Get(std::string_view chain) const {
  auto it = by_name_.find(std::string(chain));
  return it == by_name_.end() ? nullptr : chains_[it->second].get();
}

std::vector<const XtTable::Chain*> XtTable::Order() const {
  std::vector<const Chain*> out;
  out.reserve(builtins_.size() + user_.size());
  for (int id : builtins_) out.push_back(chains_[id].get());
  for (const auto& [_, id] : user_) out.push_back(chains_[id].get());
  return out;
}

std::vector<std::string> XtTable::ChainNames() const {
  std::vector<std::string> out;
  for (const Chain* c : Order()) out.push_back(c->name);
  return out;
}

bool XtTable::HasChain(std::string_view chain) const { return Get(chain) != nullptr; }

bool XtTable::IsBuiltin(std::string_view chain) const {
  const Chain* c = Get(chain);
  return c && c->hook >= 0;
}

size_t XtTable::NumRules() const {
  size_t n = 0;
  for (const Chain* c : Order()) n += c->starts.size();
  return n;
}

Status XtTable::CreateChain(const std::string& chain) {
  if (HasChain(chain)) return Status::AlreadyExists("chain " + chain + " already exists");
  if (chain.empty() || chain.size() >= XT_FUNCTION_MAXNAMELEN)
    return Status::Invalid("chain name \"" + chain + "\" is empty or too long");
  NewChain(chain, -1);
  return Status::Ok();
}

Status XtTable::Flush(std::string_view chain) {
  Chain* c = Get(chain);
  if (!c) return Status::NotFound("no chain " + std::string(chain));
  c->bytes.clear();
  c->starts.clear();
  c->fixups.clear();
  c->keep_count = 0;
  return Status::Ok();
}

Status XtTable::SetPolicy(std::string_view chain, std::string_view policy) {
  Chain* c = Get(chain);
  if (!c || c->hook < 0) return Status::Invalid("cannot set the policy of " + std::string(chain));
  if (policy == "ACCEPT") c->verdict = -NF_ACCEPT - 1;
  else if (policy == "DROP") c->verdict = -NF_DROP - 1;
  else return Status::Invalid("bad policy " + std::string(policy));
  return Status::Ok();
}

Status XtTable::DeleteChain(std::string_view chain) {
  auto it = by_name_.find(std::string(chain));
  if (it == by_name_.end()) return Status::NotFound("no chain " + std::string(chain));
  int id = it->second;
  Chain* c = chains_[id].get();
  if (c->hook >= 0) return Status::Invalid("cannot delete built-in chain " + c->name);
  if (!c->starts.empty()) return Status::Invalid("cannot delete chain " + c->name + ": it is not empty");
  for (const auto& other : chains_) {
    if (!other || other.get() == c) continue;
    for (const Fixup& f : other->fixups)
      if (f.chain == id)
        return Status::Invalid("cannot delete chain " + c->name + ": " + other->name + " jumps to it");
  }
  user_.erase(c->name);
  by_name_.erase(it);
  chains_[id].reset();
  return Status::Ok();
}

Status XtTable::Put(Chain* c, XtRule rule, bool first) {
  Fixup f{};
  bool fix = false;
  const ipt_entry* e = EntryAt(rule.bytes.data());
  if (rule.kind == XtRule::Kind::kJump) {
    auto it = by_name_.find(rule.jump);
    if (it == by_name_.end()) return Status::Invalid("no chain/target/match by the name " + rule.jump);
    if (chains_[it->second]->hook >= 0) return Status::Invalid("cannot jump to built-in chain " + rule.jump);
    f.chain = it->second;
    fix = true;
  } else if (rule.kind == XtRule::Kind::kFallthrough) {
    f.chain = -1;
    fix = true;
  }
  uint32_t size = static_cast<uint32_t>(rule.bytes.size());
  if (first) {
    c->bytes.insert(c->bytes.begin(), rule.bytes.begin(), rule.bytes.end());
    for (auto& s : c->starts) s += size;
    c->starts.insert(c->starts.begin(), 0);
    for (auto& x : c->fixups) x.verdict_at += size, x.next += size;
    if (fix) {
      f.verdict_at = e->target_offset + kVerdictOffset;
      f.next = size;
      c->fixups.insert(c->fixups.begin(), f);
    }
    if (c->keep_count) ++c->keep_from;
  } else {
    uint32_t at = static_cast<uint32_t>(c->bytes.size());
    c->starts.push_back(at);
    c->bytes.insert(c->bytes.end(), rule.bytes.begin(), rule.bytes.end());
    if (fix) {
      f.verdict_at = at + e->target_offset + kVerdictOffset;
      f.next = at + size;
      c->fixups.push_back(f);
    }
  }
  return Status::Ok();
}

Status XtTable::Append(std::string_view chain, XtRule rule) {
  Chain* c = Get(chain);
  if (!c) return Status::NotFound("no chain " + std::string(chain));
  return Put(c, std::move(rule), false);
}

Status XtTable::InsertFirst(std::string_view chain, XtRule rule) {
  Chain* c = Get(chain);
  if (!c) return Status::NotFound("no chain " + std::string(chain));
  return Put(c, std::move(rule), true);
}

int XtTable::Find(std::string_view chain, const XtRule& rule) const {
  const Chain* c = Get(chain);
  if (!c) return -1;
  int want_jump = -2;  // -1 fallthrough, id for a jump
  if (rule.kind == XtRule::Kind::kJump) {
    auto it = by_name_.find(rule.jump);
    if (it == by_name_.end()) return -1;
    want_jump = it->second;
  } else if (rule.kind == XtRule::Kind::kFallthrough) {
    want_jump = -1;
  }
  const ipt_entry* re = EntryAt(rule.bytes.data());
  size_t fi = 0;
  for (size_t k = 0; k < c->starts.size(); ++k) {
    const unsigned char* p = c->bytes.data() + c->starts[k];
    const ipt_entry* e = EntryAt(p);
    uint32_t verdict_at = c->starts[k] + e->target_offset + kVerdictOffset;
    while (fi < c->fixups.size() && c->fixups[fi].verdict_at < verdict_at) ++fi;
    int have_jump = fi < c->fixups.size() && c->fixups[fi].verdict_at == verdict_at ? c->fixups[fi].chain : -2;
    if (e->next_offset != re->next_offset || e->target_offset != re->target_offset) continue;
    if (std::memcmp(&e->ip, &re->ip, sizeof(e->ip)) != 0) continue;
    if (have_jump != want_jump) continue;
    bool same = true;
    for (size_t b = sizeof(ipt_entry); b < rule.bytes.size() && same; ++b)
      same = ((p[b] ^ rule.bytes[b]) & rule.mask[b]) == 0;
    if (same) return static_cast<int>(k);
  }
  return -1;
}

Status XtTable::DeleteAt(std::string_view chain, int index) {
  Chain* c = Get(chain);
  if (!c || index < 0 || static_cast<size_t>(index) >= c->starts.size())
    return Status::NotFound("no rule " + std::to_string(index) + " in " + std::string(chain));
  uint32_t from = c->starts[index];
  uint32_t size = EntryAt(c->bytes.data() + from)->next_offset;
  c->bytes.erase(c->bytes.begin() + from, c->bytes.begin() + from + size);
  c->starts.erase(c->starts.begin() + index);
  for (auto& s : c->starts)
    if (s > from) s -= size;
  std::vector<Fixup> kept;
  for (Fixup f : c->fixups) {
    if (f.verdict_at >= from && f.verdict_at < from + size) continue;
    if (f.verdict_at > from) f.verdict_at -= size, f.next -= size;
    kept.push_back(f);
  }
  c->fixups = std::move(kept);
  c->keep_count = 0;  // counters of a chain with a deleted rule restart
  return Status::Ok();
}

Status XtTable::Layout(std::vector<unsigned char>* buffer, XtInfo* info) {
  std::vector<const Chain*> order = Order();
  // Offsets and entry indexes first: jumps need every chain's position.
  uint32_t off = 0, index = 0;
  std::vector<uint32_t> foot_index(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    auto* c = const_cast<Chain*>(order[i]);
    c->offset = off;
    if (c->hook < 0) off += kHeadSize, ++index;
    c->first_rule = off;
    c->entry_index = index;
    off += static_cast<uint32_t>(c->bytes.size());
    index += static_cast<uint32_t>(c->starts.size());
    foot_index[i] = index;
    off += kFootSize;
    ++index;
  }
  uint32_t size = off + kHeadSize;
  uint32_t num_entries = index + 1;
  *info = XtInfo{};
  info->valid_hooks = valid_hooks_;
  info->size = size;
  info->num_entries = num_entries;

  std::vector<unsigned char>& out = *buffer;
  out.resize(sizeof(ipt_replace) + size);
  std::memset(out.data(), 0, sizeof(ipt_replace));
  unsigned char* base = out.data() + sizeof(ipt_replace);
  for (size_t i = 0; i < order.size(); ++i) {
    const Chain* c = order[i];
    if (c->hook < 0) WriteHead(base + c->offset, c->name);
    unsigned char* rules = base + c->first_rule;
    if (!c->bytes.empty()) std::memcpy(rules, c->bytes.data(), c->bytes.size());
    for (const Fixup& f : c->fixups) {
      int32_t v;
      if (f.chain < 0) {
        v = static_cast<int32_t>(c->first_rule + f.next);
      } else {
        const Chain* target = chains_[f.chain].get();
        if (!target) return Status::Invalid("a rule in " + c->name + " jumps to a deleted chain");
        v = static_cast<int32_t>(target->first_rule);
      }
      std::memcpy(rules + f.verdict_at, &v, sizeof(v));
    }
    uint32_t foot = c->first_rule + static_cast<uint32_t>(c->bytes.size());
    WriteFoot(base + foot, c->hook >= 0 ? c->verdict : XT_RETURN);
    if (c->hook >= 0) {
      info->hook_entry[c->hook] = c->first_rule;
      info->underflow[c->hook] = foot;
    }
  }
  WriteHead(base + off, XT_ERROR_TARGET);

  auto* r = reinterpret_cast<ipt_replace*>(out.data());
  std::strncpy(r->name, name_.c_str(), sizeof(r->name) - 1);
  r->valid_hooks = info->valid_hooks;
  r->num_entries = num_entries;
  r->size = size;
  std::memcpy(r->hook_entry, info->hook_entry, sizeof(r->hook_entry));
  std::memcpy(r->underflow, info->underflow, sizeof(r->underflow));

  // Which counters carry over: unchanged rules and every policy.
  last_map_.assign(num_entries, -1);
  for (size_t i = 0; i < order.size(); ++i) {
    const Chain* c = order[i];
    for (uint32_t k = 0; k < c->keep_count; ++k)
      last_map_[c->entry_index + c->keep_from + k] = c->keep_index + k;
    last_map_[foot_index[i]] = c->foot_index;
  }
  for (size_t i = 0; i < order.size(); ++i) const_cast<Chain*>(order[i])->foot_entry = foot_index[i];
  laid_out_ = std::move(order);
  return Status::Ok();
}

std::vector<xt_counters> XtTable::Committed(const std::vector<xt_counters>& old) {
  std::vector<xt_counters> add(last_map_.size(), xt_counters{0, 0});
  bool any = false;
  for (size_t i = 0; i < last_map_.size(); ++i) {
    int64_t j = last_map_[i];
    if (j < 0 || static_cast<size_t>(j) >= old.size()) continue;
    add[i] = old[j];
    any |= add[i].pcnt || add[i].bcnt;
  }
  for (const Chain* cc : laid_out_) {
    auto* c = const_cast<Chain*>(cc);
    c->keep_from = 0;
    c->keep_count = static_cast<uint32_t>(c->starts.size());
    c->keep_index = c->entry_index;
    c->foot_index = c->foot_entry;
  }
  laid_out_.clear();
  last_map_.clear();
  if (!any) add.clear();
  return add;
}

}  // namespace proxyrules
