#include "chain_names.h"

#include <gtest/gtest.h>

namespace proxyrules {
namespace {

// Vectors from upstream's proxier_test.go expected rules.
TEST(ChainNames, PortProtoHashMatchesUpstream) {
  EXPECT_EQ(PortProtoHash("ns1/svc1:p80", "tcp"), "XPGD46QRK7WJZT7O");
  EXPECT_EQ(PortProtoHash("ns2/svc2:p80", "tcp"), "GNZBNJ2PO5MGZ6GT");
  EXPECT_EQ(PortProtoHash("ns3/svc3:p80", "tcp"), "X27LE4BHSL4DOUIK");
  EXPECT_EQ(PortProtoHash("ns4/svc4:p80", "tcp"), "4SW47YFZTEDKD3PK");
  EXPECT_EQ(PortProtoHash("ns5/svc5:p80", "tcp"), "NUKIZ6OKUXPJNT4C");
  EXPECT_EQ(PortProtoHash("ns2/svc2:p8080", "tcp"), "2VJB64SDSIJUP5T6");
  EXPECT_EQ(PortProtoHash("ns4/svc4:p8082", "tcp"), "EBDQOQU5SJFXRIL3");
  EXPECT_EQ(PortProtoHash("ns1/svc1", "tcp"), "AQI2S6QIMU7PVVRP");
}

TEST(ChainNames, EndpointChainMatchesUpstream) {
  EXPECT_EQ(EndpointChainName("ns1/svc1:p80", "tcp", "10.180.0.1:80"), "KUBE-SEP-SXIVWICOYRO3J4NJ");
  EXPECT_EQ(EndpointChainName("ns4/svc4:p80", "tcp", "10.180.0.5:80"), "KUBE-SEP-C6EBXVWJJZMIWKLZ");
  EXPECT_EQ(EndpointChainName("ns5/svc5:p80", "tcp", "10.180.0.3:80"), "KUBE-SEP-I77PXRDZVX7PMWMN");
  EXPECT_EQ(EndpointChainName("ns1/svc1", "tcp", "10.0.1.1:80"), "KUBE-SEP-3JOIVZTXZZRGORX4");
  EXPECT_EQ(EndpointChainName("ns1/svc1", "tcp", "10.0.1.2:80"), "KUBE-SEP-IO5XOSKPAXIFQXAJ");
  EXPECT_EQ(EndpointChainName("ns1/svc1:p80", "tcp", "10.0.1.1:80"), "KUBE-SEP-SNQ3ZNILQDEJNDQO");
  EXPECT_EQ(EndpointChainName("ns1/svc1:p80", "tcp", "10.0.0.0:80"), "KUBE-SEP-DKGQUZGBKLTPAR56");
  EXPECT_EQ(EndpointChainName("ns3/svc3:p8081", "tcp", "203.0.113.4:8081"), "KUBE-SEP-RUVVH7YV3PHQBDOS");
  EXPECT_EQ(EndpointChainName("ns4/svc4:p8082", "tcp", "10.4.0.1:8082"), "KUBE-SEP-SU5STNODRYEWJAUF");
}

TEST(ChainNames, ProtocolIsPartOfTheHash) {
  EXPECT_NE(PortProtoHash("ns1/svc1:dns", "udp"), PortProtoHash("ns1/svc1:dns", "tcp"));
}

TEST(ChainNames, ServiceChainPrefixes) {
  EXPECT_TRUE(IsServiceChainName("KUBE-SVC-XPGD46QRK7WJZT7O"));
  EXPECT_TRUE(IsServiceChainName("KUBE-SVL-XPGD46QRK7WJZT7O"));
  EXPECT_TRUE(IsServiceChainName("KUBE-EXT-XPGD46QRK7WJZT7O"));
  EXPECT_TRUE(IsServiceChainName("KUBE-FW-XPGD46QRK7WJZT7O"));
  EXPECT_TRUE(IsServiceChainName("KUBE-SEP-SXIVWICOYRO3J4NJ"));
  EXPECT_FALSE(IsServiceChainName("KUBE-SERVICES"));
  EXPECT_FALSE(IsServiceChainName("KUBE-MARK-MASQ"));
  EXPECT_FALSE(IsServiceChainName("DOCKER"));
}

}  // namespace
}  // namespace proxyrules
