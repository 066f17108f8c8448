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

TEST(RequestInfo, SegmentCountsPrefixesAndEmptySegments) {
  // Empty segments (double slashes) are skipped, as upstream's splitPath does.
  auto o = Parse("GET", "//api//v1/namespaces/ns1/pods//web/");
  EXPECT_TRUE(o.is_resource_request);
  EXPECT_EQ(o.verb, "get");
  EXPECT_EQ(o.namespace_, "ns1");
  EXPECT_EQ(o.name, "web");
  EXPECT_EQ(o.part_count, 2u);
  // The deprecated /watch/ prefix is not a resource.
  auto w = Parse("GET", "/apis/apps/v1/watch/namespaces/a/deployments/d");
  EXPECT_EQ(w.verb, "watch");
  EXPECT_EQ(w.resource, "deployments");
  EXPECT_EQ(w.name, "d");
  EXPECT_EQ(w.namespace_, "a");
  EXPECT_EQ(w.part_count, 2u);
  // ?watch on one object.
  EXPECT_EQ(Parse("GET", "/api/v1/namespaces/a/pods/p?watch=true").verb, "watch");
  EXPECT_EQ(Parse("GET", "/api/v1/namespaces/a/pods/p?watch=false").verb, "get");
  // A proxy path keeps counting past the segments it keeps.
  auto p = Parse("GET", "/api/v1/namespaces/a/pods/p/proxy/x/y/z/w/v/u");
  EXPECT_EQ(p.subresource, "proxy");
  EXPECT_EQ(p.part_count, 9u);
  // The namespace object and its subresources.
  auto n = Parse("GET", "/api/v1/namespaces/x");
  EXPECT_EQ(n.resource, "namespaces");
  EXPECT_EQ(n.name, "x");
  EXPECT_EQ(n.namespace_, "x");
  EXPECT_EQ(n.part_count, 2u);
  auto s = Parse("PUT", "/api/v1/namespaces/x/status");
  EXPECT_EQ(s.subresource, "status");
  EXPECT_EQ(s.verb, "update");
  // Not resources: health checks and discovery.
  EXPECT_FALSE(Parse("GET", "/healthz").is_resource_request);
  EXPECT_EQ(Parse("GET", "/healthz").verb, "get");
  EXPECT_FALSE(Parse("GET", "/").is_resource_request);
  EXPECT_FALSE(Parse("GET", "/api").is_resource_request);
  auto c = Parse("POST", "/apis/batch/v1/namespaces/a/jobs");
  EXPECT_EQ(c.verb, "create");
  EXPECT_EQ(c.api_group, "batch");
  EXPECT_EQ(c.api_version, "v1");
  EXPECT_EQ(c.part_count, 1u);
}

}  // namespace
}  // namespace apiserve
