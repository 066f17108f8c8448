// Helpers for the tests (a *_test.cpp so only test binaries link it).
#include "helpers.h"

#include <gtest/gtest.h>

#include "../inputs.h"
#include "../iptables/dump.h"
#include "common/objects.h"

namespace proxyrules::testing {

RenderConfig FakeProxierConfig() {
  RenderConfig cfg;
  cfg.node_ip = *ParseIP(kTestNodeIP);
  cfg.masquerade_mark = "0x4000";
  cfg.local_detector = LocalDetector::ByCIDR(*ParseCIDR("10.0.0.0/8"));
  cfg.localhost_node_ports = true;
  cfg.nfacct = true;
  cfg.random_fully = false;
  return cfg;
}

void Apply(Model* model, const std::string& yaml) {
  auto objs = common::ParseObjects(yaml);
  ASSERT_TRUE(objs.ok()) << objs.status().message();
  LoadStats stats;
  for (const auto& o : *objs) ApplyObject(o, IPFamily::kIPv4, model, &stats);
  EXPECT_EQ(stats.invalid, 0u);
}

void Delete(Model* model, const std::string& yaml) {
  auto objs = common::ParseObjects(yaml);
  ASSERT_TRUE(objs.ok()) << objs.status().message();
  for (const auto& o : *objs) DeleteObject(o, model);
}

std::string Sorted(const std::string& data) {
  auto dump = iptables::ParseDump(data);
  EXPECT_TRUE(dump.ok()) << dump.status().message();
  if (!dump.ok()) return "";
  iptables::SortLikeUpstream(&*dump);
  return iptables::FormatDump(*dump);
}

void FakeNat::Restore(const std::string& data) {
  auto dump = iptables::ParseDump(data);
  ASSERT_TRUE(dump.ok()) << dump.status().message();
  const iptables::Table* nat = dump->Find("nat");
  if (!nat) return;
  for (const auto& c : nat->chains) {
    if (c.deleted)
      chains_.erase(c.name);
    else
      chains_.insert(c.name);
  }
}

}  // namespace proxyrules::testing
