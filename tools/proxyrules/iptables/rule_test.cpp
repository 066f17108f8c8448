#include "rule.h"

#include <gtest/gtest.h>

namespace proxyrules::iptables {
namespace {

TEST(SplitArgs, QuotesGroupAndAreRemoved) {
  auto a = SplitArgs(R"(-A X -m comment --comment "ns1/svc1:p80 cluster IP" -j Y)");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, (std::vector<std::string>{"-A", "X", "-m", "comment", "--comment",
                                          "ns1/svc1:p80 cluster IP", "-j", "Y"}));
  a = SplitArgs(R"(a"b c"d "e\"f"  g)");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, (std::vector<std::string>{"ab cd", "e\"f", "g"}));
  EXPECT_FALSE(SplitArgs("\"open").ok());
}

// Rendered rules and iptables-save's print of them canonicalize alike.
TEST(Rule, CanonicalFormMatchesIptablesSave) {
  struct Case {
    const char* rendered;
    const char* saved;
  } cases[] = {
      {R"(-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O)",
       R"(-A KUBE-SERVICES -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O)"},
      {"-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000", "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000"},
      {"-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000", "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0"},
      {"-A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN",
       "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN"},
      {R"(-A KUBE-SVC-X -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-Y)",
       R"(-A KUBE-SVC-X -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-Y)"},
      {"-A KUBE-SVC-X -m recent --name KUBE-SEP-Y --rcheck --seconds 10800 --reap -j KUBE-SEP-Y",
       "-A KUBE-SVC-X -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-Y --mask 255.255.255.255 --rsource -j KUBE-SEP-Y"},
      {"-A KUBE-SEP-Y -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80",
       R"(-A KUBE-SEP-Y -p tcp -m comment --comment "ns1/svc1:p80" -m tcp -j DNAT --to-destination 10.180.0.1:80)"},
      {R"(-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT)",
       R"(-A KUBE-SERVICES -d 172.30.0.46/32 -p tcp -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable)"},
      {R"(-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP)",
       R"(-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP)"},
  };
  for (const auto& c : cases) {
    auto a = ParseRuleLine(c.rendered);
    auto b = ParseRuleLine(c.saved);
    ASSERT_TRUE(a.ok()) << a.status().message();
    ASSERT_TRUE(b.ok()) << b.status().message();
    Canonicalize(&*a);
    Canonicalize(&*b);
    EXPECT_EQ(SaveLine(*a), c.saved);
    EXPECT_EQ(SaveLine(*b), c.saved);
  }
}

TEST(Rule, RejectsJunk) {
  EXPECT_FALSE(ParseRuleLine("-A X --dport 80").ok());  // option outside a match
  EXPECT_FALSE(ParseRuleLine("-A X -m").ok());
  EXPECT_FALSE(ParseRuleLine("-I X -j Y").ok());
}

}  // namespace
}  // namespace proxyrules::iptables
