#include "conntrack.h"

#include <gtest/gtest.h>

#include "../testing/helpers.h"

namespace proxyrules {
namespace {

std::string Dns(const std::string& eps) {
  return R"(
kind: Service
metadata: {namespace: kube-system, name: dns}
spec:
  type: NodePort
  clusterIP: 10.96.0.10
  externalIPs: [192.168.99.5]
  ports: [{name: dns, port: 53, protocol: UDP, nodePort: 30053}, {name: tcp, port: 53, protocol: TCP}]
---
kind: EndpointSlice
metadata: {namespace: kube-system, name: dns-1, labels: {kubernetes.io/service-name: dns}}
addressType: IPv4
ports: [{name: dns, port: 53, protocol: UDP}, {name: tcp, port: 53, protocol: TCP}]
endpoints: [)" + eps + "]\n";
}

std::string Joined(const std::vector<std::vector<std::string>>& dels) {
  std::string out;
  for (const auto& d : dels) {
    for (const auto& a : d) out += a + " ";
    out += "\n";
  }
  return out;
}

TEST(Conntrack, RemovedUdpEndpointIsCleared) {
  Model model("n1");
  testing::Apply(&model, Dns("{addresses: [10.244.0.2]}, {addresses: [10.244.0.3]}"));
  auto before = UdpState(model, "", nullptr);
  ASSERT_EQ(before.size(), 1u);  // only the UDP port
  testing::Apply(&model, Dns("{addresses: [10.244.0.2]}"));
  auto changed = model.TakeChanged();
  auto after = UdpState(model, "", &changed);
  EXPECT_EQ(Joined(StaleUdpDeletions(before, after, &changed)),
            "-D -p udp --orig-dst 10.96.0.10 --orig-port-dst 53 --reply-src 10.244.0.3 \n"
            "-D -p udp --orig-dst 192.168.99.5 --orig-port-dst 53 --reply-src 10.244.0.3 \n"
            "-D -p udp --orig-port-dst 30053 --reply-src 10.244.0.3 \n");
}

TEST(Conntrack, FirstEndpointClearsUnNattedEntries) {
  Model model("n1");
  testing::Apply(&model, Dns(""));
  auto before = UdpState(model, "", nullptr);
  testing::Apply(&model, Dns("{addresses: [10.244.0.2]}"));
  auto after = UdpState(model, "", nullptr);
  EXPECT_EQ(Joined(StaleUdpDeletions(before, after, nullptr)),
            "-D -p udp --orig-dst 10.96.0.10 --orig-port-dst 53 --reply-src 10.96.0.10 \n"
            "-D -p udp --orig-dst 192.168.99.5 --orig-port-dst 53 --reply-src 192.168.99.5 \n");
  // Nothing to do when nothing changed.
  EXPECT_TRUE(StaleUdpDeletions(after, after, nullptr).empty());
}

TEST(Conntrack, DeletedServiceClearsAll) {
  Model model("n1");
  testing::Apply(&model, Dns("{addresses: [10.244.0.2]}"));
  auto before = UdpState(model, "", nullptr);
  testing::Delete(&model, Dns(""));
  auto changed = model.TakeChanged();
  auto after = UdpState(model, "", &changed);
  EXPECT_EQ(StaleUdpDeletions(before, after, &changed).size(), 3u);
}

}  // namespace
}  // namespace proxyrules
