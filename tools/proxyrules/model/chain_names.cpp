#include "chain_names.h"

#include <openssl/sha.h>

#include <cstdint>
#include <cstring>

namespace proxyrules {
namespace {

// RFC 4648 base32 of the first 10 bytes is exactly 16 characters, which is
// all kube-proxy keeps of the 52-character encoding of the full digest.
std::string Base32Prefix16(const unsigned char* digest) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out(16, '\0');
  for (int group = 0; group < 2; ++group) {
    uint64_t bits = 0;
    for (int i = 0; i < 5; ++i) bits = bits << 8 | digest[group * 5 + i];
    for (int i = 0; i < 8; ++i) out[group * 8 + i] = kAlphabet[(bits >> (35 - 5 * i)) & 31];
  }
  return out;
}

std::string HashParts(std::string_view a, std::string_view b, std::string_view c) {
  // Names are short; one contiguous buffer lets us use the one-shot SHA256()
  // (the streaming SHA256_* calls are deprecated in OpenSSL 3).
  char stack[512];
  std::string heap;
  size_t n = a.size() + b.size() + c.size();
  char* buf = stack;
  if (n > sizeof(stack)) {
    heap.resize(n);
    buf = heap.data();
  }
  std::memcpy(buf, a.data(), a.size());
  std::memcpy(buf + a.size(), b.data(), b.size());
  std::memcpy(buf + a.size() + b.size(), c.data(), c.size());
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(buf), n, digest);
  return Base32Prefix16(digest);
}

}  // namespace

std::string PortProtoHash(std::string_view service_port_name, std::string_view protocol) {
  return HashParts(service_port_name, protocol, {});
}

std::string EndpointChainName(std::string_view service_port_name, std::string_view protocol,
                              std::string_view endpoint) {
  std::string name(kEndpointChainPrefix);
  name += HashParts(service_port_name, protocol, endpoint);
  return name;
}

bool IsServiceChainName(std::string_view chain) {
  for (std::string_view p : {kServiceChainPrefix, kLocalChainPrefix, kEndpointChainPrefix,
                             kFirewallChainPrefix, kExternalChainPrefix}) {
    if (chain.starts_with(p)) return true;
  }
  return false;
}

}  // namespace proxyrules
