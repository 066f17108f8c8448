// Rules for traffic policies, node ports, masquerading and endpoint
// conditions, as kube-proxy v1.32's syncProxyRules writes them. Upstream
// checks most of these with packet-flow tests; the expected lines here follow
// the rule shapes of its code (and TestOverallIPTablesRules where it has them).
#include <gtest/gtest.h>

#include "../inputs.h"
#include "../iptables/dump.h"
#include "common/objects.h"
#include "../model/chain_names.h"
#include "../testing/helpers.h"
#include "render.h"

namespace proxyrules {
namespace {

using testing::Apply;
using testing::FakeProxierConfig;

// Every rule line of `chain` in `table` of the restore input, in order.
std::vector<std::string> ChainRules(const std::string& data, const std::string& table,
                                    const std::string& chain) {
  auto dump = iptables::ParseDump(data);
  EXPECT_TRUE(dump.ok());
  const auto* t = dump->Find(table);
  if (!t) return {};
  const auto* c = t->Find(chain);
  return c ? c->rules : std::vector<std::string>{};
}

bool HasChain(const std::string& data, const std::string& chain) {
  return data.find(":" + chain + " - [0:0]\n") != std::string::npos;
}

std::string Hash(const std::string& spn) { return PortProtoHash(spn, "tcp"); }

// A LoadBalancer on node test-node with eTP/iTP as given and endpoints
// 10.180.0.1 (remote) and 10.180.2.1 (local) unless `eps` says otherwise.
std::string Lb(const std::string& etp, const std::string& itp,
               const std::string& eps = "[{addresses: [10.180.0.1], nodeName: other}, "
                                        "{addresses: [10.180.2.1], nodeName: test-node}]") {
  return R"(
kind: Service
metadata: {namespace: ns1, name: svc1}
spec:
  type: LoadBalancer
  externalTrafficPolicy: )" + etp + R"(
  internalTrafficPolicy: )" + itp + R"(
  clusterIP: 172.30.0.41
  healthCheckNodePort: 30000
  ports: [{name: p80, port: 80, protocol: TCP, nodePort: 3001}]
status: {loadBalancer: {ingress: [{ip: 1.2.3.4}]}}
---
kind: EndpointSlice
metadata: {namespace: ns1, name: svc1-1, labels: {kubernetes.io/service-name: svc1}}
addressType: IPv4
ports: [{name: p80, port: 80, protocol: TCP}]
endpoints: )" + eps + "\n";
}

TEST(RenderPolicy, ExternalTrafficPolicyLocalWithLocalEndpoint) {
  Model model(testing::kTestNodeName);
  Apply(&model, Lb("Local", "Cluster"));
  RenderResult r = Render(model, FakeProxierConfig(), RenderScope{});
  std::string h = Hash("ns1/svc1:p80");
  // External traffic: pods and the node short-circuit to all endpoints,
  // everything else goes to the local ones only, unmasqueraded.
  EXPECT_EQ(ChainRules(r.data, "nat", "KUBE-EXT-" + h),
            (std::vector<std::string>{
                "-A KUBE-EXT-" + h + " -m comment --comment \"pod traffic for ns1/svc1:p80 external destinations\" -s 10.0.0.0/8 -j KUBE-SVC-" + h,
                "-A KUBE-EXT-" + h + " -m comment --comment \"masquerade LOCAL traffic for ns1/svc1:p80 external destinations\" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ",
                "-A KUBE-EXT-" + h + " -m comment --comment \"route LOCAL traffic for ns1/svc1:p80 external destinations\" -m addrtype --src-type LOCAL -j KUBE-SVC-" + h,
                "-A KUBE-EXT-" + h + " -j KUBE-SVL-" + h}));
  // The SVL chain holds the local endpoint only, without a masquerade rule
  // (it is not the internal chain).
  std::string local_sep = EndpointChainName("ns1/svc1:p80", "tcp", "10.180.2.1:80");
  EXPECT_EQ(ChainRules(r.data, "nat", "KUBE-SVL-" + h),
            (std::vector<std::string>{"-A KUBE-SVL-" + h +
                                      " -m comment --comment \"ns1/svc1:p80 -> 10.180.2.1:80\" -j " + local_sep}));
  // The cluster chain has both endpoints.
  EXPECT_EQ(ChainRules(r.data, "nat", "KUBE-SVC-" + h).size(), 3u);
  // The health check node port is accepted.
  EXPECT_EQ(ChainRules(r.data, "filter", "KUBE-NODEPORTS"),
            (std::vector<std::string>{"-A KUBE-NODEPORTS -m comment --comment \"ns1/svc1:p80 health check node port\" -m tcp -p tcp --dport 30000 -j ACCEPT"}));
  EXPECT_TRUE(ChainRules(r.data, "filter", "KUBE-EXTERNAL-SERVICES").empty());
  EXPECT_EQ(r.no_local_endpoints_external, 0);
}

TEST(RenderPolicy, InternalTrafficPolicyLocal) {
  Model model(testing::kTestNodeName);
  Apply(&model, Lb("Cluster", "Local"));
  RenderResult r = Render(model, FakeProxierConfig(), RenderScope{});
  std::string h = Hash("ns1/svc1:p80");
  // The cluster IP jumps to the SVL chain, which carries the masquerade rule.
  auto services = ChainRules(r.data, "nat", "KUBE-SERVICES");
  EXPECT_EQ(services[0], "-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVL-" + h);
  auto svl = ChainRules(r.data, "nat", "KUBE-SVL-" + h);
  ASSERT_EQ(svl.size(), 2u);
  EXPECT_EQ(svl[0], "-A KUBE-SVL-" + h + " -m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ");
  // External traffic still uses both endpoints through SVC, masqueraded.
  auto ext = ChainRules(r.data, "nat", "KUBE-EXT-" + h);
  EXPECT_EQ(ext.back(), "-A KUBE-EXT-" + h + " -j KUBE-SVC-" + h);
  EXPECT_EQ(ChainRules(r.data, "nat", "KUBE-SVC-" + h).size(), 2u);  // no masq rule here
}

TEST(RenderPolicy, LocalPoliciesWithoutLocalEndpointsDrop) {
  Model model(testing::kTestNodeName);
  Apply(&model, Lb("Local", "Local", "[{addresses: [10.180.0.1], nodeName: other}]"));
  RenderResult r = Render(model, FakeProxierConfig(), RenderScope{});
  std::string h = Hash("ns1/svc1:p80");
  EXPECT_EQ(ChainRules(r.data, "filter", "KUBE-SERVICES"),
            (std::vector<std::string>{"-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 has no local endpoints\" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j DROP"}));
  EXPECT_EQ(ChainRules(r.data, "filter", "KUBE-EXTERNAL-SERVICES"),
            (std::vector<std::string>{
                "-A KUBE-EXTERNAL-SERVICES -m comment --comment \"ns1/svc1:p80 has no local endpoints\" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP",
                "-A KUBE-EXTERNAL-SERVICES -m comment --comment \"ns1/svc1:p80 has no local endpoints\" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP"}));
  // The EXT chain still short-circuits pod and node traffic, and has no
  // final jump; no SVL chain exists.
  auto ext = ChainRules(r.data, "nat", "KUBE-EXT-" + h);
  ASSERT_EQ(ext.size(), 3u);
  EXPECT_EQ(ext[2], "-A KUBE-EXT-" + h + " -m comment --comment \"route LOCAL traffic for ns1/svc1:p80 external destinations\" -m addrtype --src-type LOCAL -j KUBE-SVC-" + h);
  EXPECT_FALSE(HasChain(r.data, "KUBE-SVL-" + h));
  EXPECT_EQ(r.no_local_endpoints_internal, 1);
  EXPECT_EQ(r.no_local_endpoints_external, 1);
}

TEST(RenderPolicy, ServiceWithoutAnyEndpointRejectsEverywhere) {
  Model model(testing::kTestNodeName);
  Apply(&model, Lb("Cluster", "Cluster", "[]"));
  RenderResult r = Render(model, FakeProxierConfig(), RenderScope{});
  EXPECT_EQ(ChainRules(r.data, "filter", "KUBE-EXTERNAL-SERVICES"),
            (std::vector<std::string>{
                "-A KUBE-EXTERNAL-SERVICES -m comment --comment \"ns1/svc1:p80 has no endpoints\" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j REJECT",
                "-A KUBE-EXTERNAL-SERVICES -m comment --comment \"ns1/svc1:p80 has no endpoints\" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j REJECT"}));
  EXPECT_EQ(ChainRules(r.data, "nat", "KUBE-SERVICES").size(), 1u);  // only the nodeports tail
  EXPECT_FALSE(HasChain(r.data, "KUBE-EXT-" + Hash("ns1/svc1:p80")));
}

TEST(RenderPolicy, TerminatingEndpointsAreTheFallback) {
  Model model(testing::kTestNodeName);
  Apply(&model, Lb("Cluster", "Cluster",
                   "[{addresses: [10.0.1.2], conditions: {ready: false, serving: true, terminating: true}},"
                   " {addresses: [10.0.1.4], conditions: {ready: false, serving: false, terminating: true}}]"));
  RenderResult r = Render(model, FakeProxierConfig(), RenderScope{});
  EXPECT_NE(r.data.find("--to-destination 10.0.1.2:80"), std::string::npos);
  EXPECT_EQ(r.data.find("10.0.1.4"), std::string::npos);
  // A ready endpoint wins over serving-terminating ones.
  Apply(&model, Lb("Cluster", "Cluster",
                   "[{addresses: [10.0.1.2], conditions: {ready: false, serving: true, terminating: true}},"
                   " {addresses: [10.0.1.3]}]"));
  r = Render(model, FakeProxierConfig(), RenderScope{});
  EXPECT_EQ(r.data.find("10.0.1.2"), std::string::npos);
  EXPECT_NE(r.data.find("--to-destination 10.0.1.3:80"), std::string::npos);
}

TEST(RenderPolicy, ZoneHintsPickTheNodesZone) {
  Model model(testing::kTestNodeName);
  Apply(&model, Lb("Cluster", "Cluster",
                   "[{addresses: [10.0.1.1], hints: {forZones: [{name: zone-a}]}},"
                   " {addresses: [10.0.1.2], hints: {forZones: [{name: zone-b}]}}]"));
  RenderConfig cfg = FakeProxierConfig();
  cfg.zone = "zone-a";
  RenderResult r = Render(model, cfg, RenderScope{});
  EXPECT_NE(r.data.find("10.0.1.1:80"), std::string::npos);
  EXPECT_EQ(r.data.find("10.0.1.2:80"), std::string::npos);
  // No hint for this zone: all endpoints.
  cfg.zone = "zone-c";
  r = Render(model, cfg, RenderScope{});
  EXPECT_NE(r.data.find("10.0.1.2:80"), std::string::npos);
  EXPECT_NE(r.data.find("10.0.1.1:80"), std::string::npos);
}

TEST(RenderPolicy, MasqueradeAllAndNoLocalDetector) {
  Model model(testing::kTestNodeName);
  Apply(&model, Lb("Local", "Cluster"));
  std::string h = Hash("ns1/svc1:p80");
  RenderConfig cfg = FakeProxierConfig();
  cfg.masquerade_all = true;
  RenderResult r = Render(model, cfg, RenderScope{});
  EXPECT_EQ(ChainRules(r.data, "nat", "KUBE-SVC-" + h)[0],
            "-A KUBE-SVC-" + h + " -m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-MARK-MASQ");
  cfg = FakeProxierConfig();
  cfg.local_detector = LocalDetector{};
  r = Render(model, cfg, RenderScope{});
  // No detector: no masquerade rule for cluster IPs, no pod short circuit.
  EXPECT_EQ(ChainRules(r.data, "nat", "KUBE-SVC-" + h).size(), 2u);
  EXPECT_EQ(ChainRules(r.data, "nat", "KUBE-EXT-" + h).size(), 3u);
  EXPECT_EQ(r.data.find("pod traffic for"), std::string::npos);
  // Interface-based detectors.
  cfg.local_detector = LocalDetector::ByBridge("cbr0");
  r = Render(model, cfg, RenderScope{});
  EXPECT_NE(r.data.find("--dport 80 ! -i cbr0 -j KUBE-MARK-MASQ"), std::string::npos);
  cfg.local_detector = LocalDetector::ByInterfacePrefix("veth");
  r = Render(model, cfg, RenderScope{});
  EXPECT_NE(r.data.find("external destinations\" -i veth+ -j KUBE-SVC-"), std::string::npos);
}

TEST(RenderPolicy, NodePortAddressesAndLocalhost) {
  Model model(testing::kTestNodeName);
  Apply(&model, Lb("Cluster", "Cluster"));
  const std::string last =
      "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" ";
  RenderConfig cfg = FakeProxierConfig();
  cfg.localhost_node_ports = false;
  RenderResult r = Render(model, cfg, RenderScope{});
  EXPECT_EQ(ChainRules(r.data, "nat", "KUBE-SERVICES").back(),
            last + "-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS");
  EXPECT_FALSE(HasChain(r.data, "KUBE-FIREWALL"));
  EXPECT_EQ(r.data.find("localhost_nps_accepted_pkts"), std::string::npos);
  // --nodeport-addresses: one tail rule per matching node address; loopback
  // only while localhost node ports are on.
  cfg.node_port_match_all = false;
  cfg.node_port_ips = {*ParseIP("127.0.0.1"), *ParseIP("192.168.0.2")};
  r = Render(model, cfg, RenderScope{});
  auto services = ChainRules(r.data, "nat", "KUBE-SERVICES");
  EXPECT_EQ(services.back(), last + "-d 192.168.0.2 -j KUBE-NODEPORTS");
  EXPECT_EQ(services[services.size() - 2].find("127.0.0.1"), std::string::npos);
  cfg.localhost_node_ports = true;
  r = Render(model, cfg, RenderScope{});
  services = ChainRules(r.data, "nat", "KUBE-SERVICES");
  EXPECT_EQ(services[services.size() - 2], last + "-d 127.0.0.1 -j KUBE-NODEPORTS");
}

TEST(RenderPolicy, SourceRangeContainingTheNodeAllowsTheVip) {
  Model model(testing::kTestNodeName);
  Apply(&model, R"(
kind: Service
metadata: {namespace: ns1, name: svc1}
spec:
  type: LoadBalancer
  clusterIP: 172.30.0.41
  loadBalancerSourceRanges: [192.168.0.0/24, " 203.0.113.0/25"]
  ports: [{name: p80, port: 80, protocol: TCP, nodePort: 3001}]
status: {loadBalancer: {ingress: [{ip: 1.2.3.4}, {ip: 5.6.7.8}, {ip: 9.9.9.9, ipMode: Proxy}]}}
---
kind: EndpointSlice
metadata: {namespace: ns1, name: svc1-1, labels: {kubernetes.io/service-name: svc1}}
addressType: IPv4
ports: [{name: p80, port: 80, protocol: TCP}]
endpoints: [{addresses: [10.180.0.1]}]
)");
  RenderResult r = Render(model, FakeProxierConfig(), RenderScope{});
  std::string h = Hash("ns1/svc1:p80");
  std::string c = "-A KUBE-FW-" + h + " -m comment --comment \"ns1/svc1:p80 loadbalancer IP\" ";
  EXPECT_EQ(ChainRules(r.data, "nat", "KUBE-FW-" + h),
            (std::vector<std::string>{
                c + "-s 192.168.0.0/24 -j KUBE-EXT-" + h, c + "-s 203.0.113.0/25 -j KUBE-EXT-" + h,
                c + "-s 1.2.3.4 -j KUBE-EXT-" + h, c + "-s 5.6.7.8 -j KUBE-EXT-" + h,
                "-A KUBE-FW-" + h + " -m comment --comment \"other traffic to ns1/svc1:p80 will be dropped by KUBE-PROXY-FIREWALL\""}));
  // A Proxy-mode ingress IP gets no rules (KEP-1860).
  EXPECT_EQ(r.data.find("9.9.9.9"), std::string::npos);
  EXPECT_EQ(ChainRules(r.data, "filter", "KUBE-PROXY-FIREWALL").size(), 2u);
}

TEST(RenderPolicy, IPv6) {
  Model model(testing::kTestNodeName);
  LoadStats stats;
  auto objs = common::ParseObjects(R"(
kind: Service
metadata: {namespace: ns1, name: svc1}
spec:
  clusterIPs: [172.30.0.41, "fd00:172:30::41"]
  type: NodePort
  ports: [{name: p80, port: 80, protocol: TCP, nodePort: 3001}]
---
kind: EndpointSlice
metadata: {namespace: ns1, name: svc1-v6, labels: {kubernetes.io/service-name: svc1}}
addressType: IPv6
ports: [{name: p80, port: 80, protocol: TCP}]
endpoints: [{addresses: ["fd00:10:180::1"]}]
---
kind: EndpointSlice
metadata: {namespace: ns1, name: svc1-v4, labels: {kubernetes.io/service-name: svc1}}
addressType: IPv4
ports: [{name: p80, port: 80, protocol: TCP}]
endpoints: [{addresses: [10.180.0.1]}]
)");
  ASSERT_TRUE(objs.ok());
  for (const auto& o : *objs) ApplyObject(o, IPFamily::kIPv6, &model, &stats);
  RenderConfig cfg = FakeProxierConfig();
  cfg.family = IPFamily::kIPv6;
  cfg.local_detector = LocalDetector::ByCIDR(*ParseCIDR("fd00:10::/64"));
  cfg.node_ip.reset();
  RenderResult r = Render(model, cfg, RenderScope{});
  std::string sep = EndpointChainName("ns1/svc1:p80", "tcp", "[fd00:10:180::1]:80");
  EXPECT_NE(r.data.find("-A " + sep + " -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination [fd00:10:180::1]:80\n"),
            std::string::npos);
  EXPECT_NE(r.data.find("-A " + sep + " -m comment --comment ns1/svc1:p80 -s fd00:10:180::1 -j KUBE-MARK-MASQ\n"),
            std::string::npos);
  EXPECT_NE(r.data.find("-d fd00:172:30::41 --dport 80 ! -s fd00:10::/64 -j KUBE-MARK-MASQ"), std::string::npos);
  EXPECT_NE(r.data.find("-m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS"), std::string::npos);
  EXPECT_FALSE(HasChain(r.data, "KUBE-FIREWALL"));
  EXPECT_EQ(r.data.find("10.180.0.1"), std::string::npos);
  EXPECT_EQ(r.data.find("127.0.0.0/8"), std::string::npos);
}

TEST(RenderPolicy, IgnoredServices) {
  Model model(testing::kTestNodeName);
  LoadStats stats;
  auto objs = common::ParseObjects(R"(
kind: Service
metadata: {namespace: ns1, name: headless}
spec: {clusterIP: None, ports: [{port: 80}]}
---
kind: Service
metadata: {namespace: ns1, name: external}
spec: {type: ExternalName, externalName: example.com, clusterIP: 172.30.0.9, ports: [{port: 80}]}
---
kind: Service
metadata: {namespace: ns1, name: other-proxy, labels: {service.kubernetes.io/service-proxy-name: cilium}}
spec: {clusterIP: 172.30.0.8, ports: [{port: 80}]}
---
kind: Service
metadata: {namespace: ns1, name: unallocated}
spec: {ports: [{port: 80}]}
)");
  ASSERT_TRUE(objs.ok());
  for (const auto& o : *objs) ApplyObject(o, IPFamily::kIPv4, &model, &stats);
  EXPECT_EQ(stats.ignored, 4u);
  EXPECT_EQ(stats.invalid, 0u);
  EXPECT_TRUE(model.service_ports().empty());
}

}  // namespace
}  // namespace proxyrules
