// Builds the kernel's binary form of an IPv4 rule (struct ipt_entry with its
// matches and target), as iptables-legacy would, for libiptc. Covers the
// matches and targets kube-proxy uses, at the revisions iptables 1.8 picks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../iptables/rule.h"
#include "common/status.h"

namespace proxyrules {

struct EncodedRule {
  // A whole struct ipt_entry, 8-byte aligned storage.
  std::vector<uint64_t> storage;
  // For iptc_check_entry/iptc_delete_entry: 0xff where bytes must match
  // (kernel-private pointers, like statistic's master, are left out).
  std::vector<unsigned char> matchmask;

  const void* entry() const { return storage.data(); }
  size_t size() const;
};

// Encodes `rule` (as parsed from restore input or iptables syntax).
// Unsupported matches, targets or options fail with Invalid, naming them.
common::Result<EncodedRule> EncodeRule(const iptables::Rule& rule);

}  // namespace proxyrules
