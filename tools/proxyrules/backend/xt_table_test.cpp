#include "xt_table.h"

#include <gtest/gtest.h>
#include <linux/netfilter.h>

#include <cstring>

#include "../iptables/rule.h"
#include "libiptc_encode.h"

namespace proxyrules {
namespace {

constexpr size_t kHead = sizeof(ipt_entry) + XT_ALIGN(sizeof(xt_error_target));
constexpr size_t kFoot = sizeof(ipt_entry) + XT_ALIGN(sizeof(xt_standard_target));

// What the kernel holds for a fresh filter table: INPUT, FORWARD, OUTPUT
// with ACCEPT policies and no rules, then the final ERROR entry.
std::vector<unsigned char> FreshFilter(XtInfo* info) {
  std::vector<unsigned char> b(3 * kFoot + kHead, 0);
  *info = XtInfo{};
  info->valid_hooks = (1 << NF_INET_LOCAL_IN) | (1 << NF_INET_FORWARD) | (1 << NF_INET_LOCAL_OUT);
  int hooks[] = {NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT};
  for (int i = 0; i < 3; ++i) {
    auto* e = reinterpret_cast<ipt_entry*>(b.data() + i * kFoot);
    e->target_offset = sizeof(ipt_entry);
    e->next_offset = kFoot;
    auto* t = reinterpret_cast<xt_standard_target*>(e->elems);
    t->target.u.user.target_size = XT_ALIGN(sizeof(xt_standard_target));
    t->verdict = -NF_ACCEPT - 1;
    info->hook_entry[hooks[i]] = info->underflow[hooks[i]] = i * kFoot;
  }
  auto* e = reinterpret_cast<ipt_entry*>(b.data() + 3 * kFoot);
  e->target_offset = sizeof(ipt_entry);
  e->next_offset = kHead;
  auto* t = reinterpret_cast<xt_error_target*>(e->elems);
  t->target.u.user.target_size = XT_ALIGN(sizeof(xt_error_target));
  std::strcpy(t->target.u.user.name, "ERROR");
  std::strcpy(t->errorname, "ERROR");
  info->num_entries = 4;
  info->size = b.size();
  return b;
}

XtRule Rule(const std::string& chain, const std::vector<std::string>& args) {
  auto r = iptables::ParseRule(chain, args);
  EXPECT_TRUE(r.ok()) << r.status().message();
  auto e = EncodeRule(*r);
  EXPECT_TRUE(e.ok()) << e.status().message();
  bool ext = r->target == "DNAT" || r->target == "MASQUERADE" || r->target == "MARK" || r->target == "REJECT";
  return MakeXtRule(e->entry(), e->matchmask, ext, r->target);
}

int32_t VerdictAt(const unsigned char* entries, uint32_t off) {
  auto* e = reinterpret_cast<const ipt_entry*>(entries + off);
  return reinterpret_cast<const xt_standard_target*>(entries + off + e->target_offset)->verdict;
}

std::unique_ptr<XtTable> Fresh() {
  XtInfo info;
  auto blob = FreshFilter(&info);
  auto t = XtTable::FromKernel("filter", info, blob.data());
  EXPECT_TRUE(t.ok()) << t.status().message();
  return std::move(*t);
}

TEST(XtTable, FreshTableLaysOutAsTheKernelHoldsIt) {
  XtInfo info;
  auto kernel = FreshFilter(&info);
  auto t = Fresh();
  EXPECT_EQ(t->ChainNames(), (std::vector<std::string>{"INPUT", "FORWARD", "OUTPUT"}));
  XtInfo out;
  std::vector<unsigned char> buf;
  ASSERT_TRUE(t->Layout(&buf, &out).ok());
  auto* blob = &buf;
  EXPECT_EQ(out, info);
  EXPECT_EQ(0, std::memcmp(blob->data() + sizeof(ipt_replace), kernel.data(), kernel.size()));
}

TEST(XtTable, UserChainsSortedJumpsLandOnFirstRuleAndRoundTrip) {
  auto t = Fresh();
  ASSERT_TRUE(t->CreateChain("KUBE-SVC-B").ok());
  ASSERT_TRUE(t->CreateChain("KUBE-SEP-A").ok());
  ASSERT_TRUE(t->Append("KUBE-SEP-A", Rule("KUBE-SEP-A", {"-s", "10.0.0.1/32", "-j", "DROP"})).ok());
  ASSERT_TRUE(t->Append("KUBE-SVC-B", Rule("KUBE-SVC-B", {"-m", "comment", "--comment", "x"})).ok());
  ASSERT_TRUE(t->Append("KUBE-SVC-B", Rule("KUBE-SVC-B", {"-j", "KUBE-SEP-A"})).ok());
  ASSERT_TRUE(t->Append("INPUT", Rule("INPUT", {"-j", "KUBE-SVC-B"})).ok());
  EXPECT_EQ(t->ChainNames(), (std::vector<std::string>{"INPUT", "FORWARD", "OUTPUT", "KUBE-SEP-A", "KUBE-SVC-B"}));
  XtInfo info;
  std::vector<unsigned char> buf;
  ASSERT_TRUE(t->Layout(&buf, &info).ok());
  auto* blob = &buf;
  const unsigned char* e = blob->data() + sizeof(ipt_replace);
  // INPUT: its jump, then its policy.
  uint32_t input_rule_size = reinterpret_cast<const ipt_entry*>(e)->next_offset;
  EXPECT_EQ(info.hook_entry[NF_INET_LOCAL_IN], 0u);
  EXPECT_EQ(info.underflow[NF_INET_LOCAL_IN], input_rule_size);
  // KUBE-SEP-A's head follows the three built-in chains.
  uint32_t sep_head = input_rule_size + 3 * kFoot;
  uint32_t sep_rule_size = reinterpret_cast<const ipt_entry*>(e + sep_head + kHead)->next_offset;
  uint32_t svc_head = sep_head + kHead + sep_rule_size + kFoot;
  EXPECT_STREQ(reinterpret_cast<const xt_error_target*>(e + svc_head + sizeof(ipt_entry))->errorname, "KUBE-SVC-B");
  EXPECT_EQ(VerdictAt(e, 0), static_cast<int32_t>(svc_head + kHead));  // INPUT -> KUBE-SVC-B
  uint32_t comment_rule = svc_head + kHead;
  uint32_t comment_size = reinterpret_cast<const ipt_entry*>(e + comment_rule)->next_offset;
  EXPECT_EQ(VerdictAt(e, comment_rule), static_cast<int32_t>(comment_rule + comment_size));  // fallthrough
  EXPECT_EQ(VerdictAt(e, comment_rule + comment_size), static_cast<int32_t>(sep_head + kHead));
  EXPECT_EQ(VerdictAt(e, sep_head + kHead), -NF_DROP - 1);
  EXPECT_EQ(info.num_entries, 3u + 4u + 2u + 2u + 1u);

  // The kernel's copy parses back into the same image.
  auto again = XtTable::FromKernel("filter", info, e);
  ASSERT_TRUE(again.ok()) << again.status().message();
  XtInfo info2;
  std::vector<unsigned char> buf2;
  ASSERT_TRUE((*again)->Layout(&buf2, &info2).ok());
  auto* blob2 = &buf2;
  EXPECT_EQ(info2, info);
  EXPECT_EQ(0, std::memcmp(blob2->data() + sizeof(ipt_replace), e, info.size));
  EXPECT_EQ((*again)->Find("KUBE-SVC-B", Rule("KUBE-SVC-B", {"-j", "KUBE-SEP-A"})), 1);
  EXPECT_EQ((*again)->Find("KUBE-SVC-B", Rule("KUBE-SVC-B", {"-j", "DROP"})), -1);
}

TEST(XtTable, ReferencedOrNonEmptyChainIsNotDeleted) {
  auto t = Fresh();
  ASSERT_TRUE(t->CreateChain("A").ok());
  ASSERT_TRUE(t->CreateChain("B").ok());
  ASSERT_TRUE(t->Append("A", Rule("A", {"-j", "B"})).ok());
  EXPECT_FALSE(t->DeleteChain("B").ok());
  EXPECT_FALSE(t->DeleteChain("A").ok());
  EXPECT_FALSE(t->DeleteChain("INPUT").ok());
  ASSERT_TRUE(t->Flush("A").ok());
  EXPECT_TRUE(t->DeleteChain("B").ok());
  EXPECT_FALSE(t->HasChain("B"));
  EXPECT_FALSE(t->Append("A", Rule("A", {"-j", "B"})).ok());
  EXPECT_FALSE(t->Append("A", Rule("A", {"-j", "INPUT"})).ok());
}

TEST(XtTable, CountersCarryOverForUnchangedRulesOnly) {
  auto t = Fresh();
  ASSERT_TRUE(t->CreateChain("A").ok());
  ASSERT_TRUE(t->CreateChain("B").ok());
  ASSERT_TRUE(t->Append("A", Rule("A", {"-j", "ACCEPT"})).ok());
  ASSERT_TRUE(t->Append("B", Rule("B", {"-j", "ACCEPT"})).ok());
  XtInfo info;
  std::vector<unsigned char> buf;
  ASSERT_TRUE(t->Layout(&buf, &info).ok());
  // Nothing carried from the fresh table's counters: all zero.
  EXPECT_TRUE(t->Committed(std::vector<xt_counters>(4)).empty());
  // Entries now: INPUT, FORWARD, OUTPUT feet (0-2), A head/rule/foot (3-5),
  // B head/rule/foot (6-8), ERROR (9).
  std::vector<xt_counters> old(10);
  for (size_t i = 0; i < old.size(); ++i) old[i] = {i + 100, i + 1000};
  ASSERT_TRUE(t->Flush("A").ok());
  ASSERT_TRUE(t->Append("A", Rule("A", {"-j", "DROP"})).ok());
  ASSERT_TRUE(t->InsertFirst("INPUT", Rule("INPUT", {"-j", "A"})).ok());
  ASSERT_TRUE(t->Layout(&buf, &info).ok());
  auto add = t->Committed(old);
  ASSERT_EQ(add.size(), 11u);
  EXPECT_EQ(add[0].pcnt, 0u);    // the new INPUT rule
  EXPECT_EQ(add[1].pcnt, 100u);  // INPUT's policy
  EXPECT_EQ(add[5].pcnt, 0u);    // A's new rule
  EXPECT_EQ(add[8].pcnt, 107u);  // B's unchanged rule
  EXPECT_EQ(add[8].bcnt, 1007u);
}

}  // namespace
}  // namespace proxyrules
