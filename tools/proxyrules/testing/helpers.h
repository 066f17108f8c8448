// Test helpers: upstream's NewFakeProxier settings, models from YAML, and
// a fake nat table that applies restore input the way --noflush does.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "../model/model.h"
#include "../render/render.h"

namespace proxyrules::testing {

// The node of upstream's proxier tests.
inline constexpr const char* kTestNodeName = "test-node";
inline constexpr const char* kTestNodeIP = "192.168.0.2";

// RenderConfig as upstream's NewFakeProxier sets it up: pod CIDR 10.0.0.0/8,
// mark "0x4000", localhost node ports on, nfacct counters present, no
// --random-fully.
RenderConfig FakeProxierConfig();

// Applies every object of `yaml` (Services, EndpointSlices, Endpoints) to
// `model`; fails the test on a parse error.
void Apply(Model* model, const std::string& yaml);
// Removes the objects `yaml` names.
void Delete(Model* model, const std::string& yaml);

// Restore input sorted and printed as upstream's assertIPTablesRulesEqual
// compares it.
std::string Sorted(const std::string& restore_input);

// The nat chains of a table kept up to date by applying restore input
// (declared chains exist; "-X" removes them), like iptables-restore --noflush.
class FakeNat {
 public:
  void Restore(const std::string& data);
  std::vector<std::string> Chains() const { return {chains_.begin(), chains_.end()}; }

 private:
  std::set<std::string> chains_;
};

}  // namespace proxyrules::testing
