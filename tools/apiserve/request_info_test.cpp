#include "request_info.h"

#include <gtest/gtest.h>

namespace apiserve {
namespace {

RequestInfo Parse(const std::string& method, const std::string& target) {
  common::HttpRequest r;
  r.method = method;
  r.target = target;
  auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = target.substr(q + 1);
  return ParseRequestInfo(r);
}

TEST(RequestInfo, NamespacedObjectsAndSubresources) {
  auto i = Parse("GET", "/api/v1/namespaces/default/pods/web/status");
  EXPECT_TRUE(i.is_resource_request);
  EXPECT_EQ(i.verb, "get");
  EXPECT_EQ(i.namespace_, "default");
  EXPECT_EQ(i.resource, "pods");
  EXPECT_EQ(i.name, "web");
  EXPECT_EQ(i.subresource, "status");
  auto l = Parse("GET", "/apis/apps/v1/deployments?watch=true");
  EXPECT_EQ(l.verb, "watch");
  EXPECT_EQ(l.api_group, "apps");
  EXPECT_EQ(Parse("DELETE", "/api/v1/namespaces/x/pods").verb, "deletecollection");
  EXPECT_EQ(Parse("GET", "/api/v1/namespaces/x/pods").verb, "list");
}

TEST(RequestInfo, NamespaceObjectsAndDiscovery) {
  auto n = Parse("PUT", "/api/v1/namespaces/x/finalize");
  EXPECT_EQ(n.resource, "namespaces");
  EXPECT_EQ(n.name, "x");
  EXPECT_EQ(n.subresource, "finalize");
  EXPECT_FALSE(Parse("GET", "/apis/apps/v1").is_resource_request);
  auto g = Parse("GET", "/apis/apps");
  EXPECT_FALSE(g.is_resource_request);
  EXPECT_EQ(g.api_group, "apps");
  EXPECT_EQ(MetricsVerb(Parse("GET", "/api/v1/pods?watch=1"), common::HttpRequest{}), "WATCH");
}

}  // namespace
}  // namespace apiserve
