#include <gtest/gtest.h>

#include "model/parse.h"
#include "testing/fixtures.h"

namespace schedule {
namespace {

using testing::MakePod;
using testing::Yaml;

constexpr int64_t kGi = int64_t{1} << 30;
constexpr int64_t kMi = int64_t{1} << 20;

// The seed article's example: two containers of 2+1 CPU and 1Gi+1Gi, init
// containers of 2 CPU/3Gi and 2 CPU/1Gi (limits only, so requests default to
// them). Init containers run one at a time before the app: the pod needs
// max(sum of containers, largest init container) = CPU 3, memory 3Gi.
TEST(PodRequests, SeedInitContainerExample) {
  auto pod = MakePod(R"(
metadata: {name: seed}
spec:
  containers:
  - name: nginx
    image: nginx:1.17.1
    resources: {limits: {cpu: "2", memory: 1Gi}}
  - name: nginx
    image: nginx:1.20.2
    resources: {limits: {cpu: "1", memory: 1Gi}}
  initContainers:
  - name: test-mysql
    image: busybox:1.30
    resources: {limits: {cpu: "2", memory: 3Gi}}
  - name: test-redis
    image: busybox:1.30
    resources: {limits: {cpu: "2", memory: 1Gi}}
)");
  ASSERT_TRUE(pod);
  EXPECT_EQ(pod->requests.milli_cpu, 3000);
  EXPECT_EQ(pod->requests.memory, 3 * kGi);
  EXPECT_EQ(pod->num_containers, 4);
  EXPECT_EQ(pod->images.front(), "busybox:1.30");  // init containers first, as ImageLocality sums them
}

// KEP-753: a sidecar (restartable init container) keeps running, so it adds
// to the containers' sum, and to every init container started after it.
TEST(PodRequests, SidecarsAddToContainersAndLaterInitContainers) {
  auto pod = MakePod(R"(
metadata: {name: sidecars}
spec:
  initContainers:
  - {name: init-1, image: a, resources: {requests: {cpu: "1"}}}
  - {name: sidecar, image: b, restartPolicy: Always, resources: {requests: {cpu: 500m}}}
  - {name: init-2, image: c, resources: {requests: {cpu: "2"}}}
  containers:
  - {name: app, image: d, resources: {requests: {cpu: "1"}}}
)");
  ASSERT_TRUE(pod);
  // containers 1 + sidecar 0.5 = 1.5; init-2 runs beside the sidecar: 2.5.
  EXPECT_EQ(pod->requests.milli_cpu, 2500);
}

TEST(PodRequests, OverheadIsAdded) {
  auto pod = MakePod(R"(
metadata: {name: o}
spec:
  overhead: {cpu: 250m, memory: 120Mi}
  containers: [{name: c, image: x, resources: {requests: {cpu: 100m, memory: 100Mi}}}]
)");
  EXPECT_EQ(pod->requests.milli_cpu, 350);
  EXPECT_EQ(pod->requests.memory, 220 * kMi);
}

TEST(PodRequests, NonZeroDefaultsForContainersWithoutRequests) {
  auto pod = MakePod(R"(
metadata: {name: be}
spec:
  containers:
  - {name: a, image: x}
  - {name: b, image: y, resources: {requests: {cpu: 300m}}}
)");
  EXPECT_EQ(pod->requests.milli_cpu, 300);
  EXPECT_EQ(pod->requests.memory, 0);
  EXPECT_EQ(pod->non_zero_milli_cpu, 400);            // 100m default for container a
  EXPECT_EQ(pod->non_zero_memory, 2 * 200 * kMi);     // both lack a memory request
}

TEST(PodRequests, ExtendedResourcesAreScalars) {
  auto pod = MakePod(R"(
metadata: {name: gpu}
spec:
  containers: [{name: c, image: x, resources: {limits: {nvidia.com/gpu: "2"}}}]
)");
  EXPECT_EQ(pod->requests.Scalar("nvidia.com/gpu"), 2);
  EXPECT_EQ(pod->requests.milli_cpu, 0);
}

TEST(ParsePod, BadQuantityNamesObjectAndField) {
  auto p = ParsePod(Yaml(R"(
kind: Pod
metadata: {name: bad, namespace: team}
spec:
  containers: [{name: c, image: x, resources: {requests: {cpu: "two"}}}]
)"));
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("Pod \"team/bad\": spec.containers[0].resources.requests.cpu: Invalid value: \"two\""),
            std::string::npos)
      << p.status().message();
}

TEST(ParsePod, BadTolerationOperator) {
  auto p = ParsePod(Yaml(R"(
kind: Pod
metadata: {name: t}
spec:
  tolerations: [{key: a, operator: Like}]
  containers: [{name: c, image: x}]
)"));
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("spec.tolerations[0].operator: Unsupported value: \"Like\""), std::string::npos);
}

TEST(ParsePod, GtRequiresOneInteger) {
  auto p = ParsePod(Yaml(R"(
kind: Pod
metadata: {name: t}
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms: [{matchExpressions: [{key: cores, operator: Gt, values: ["many"]}]}]
  containers: [{name: c, image: x}]
)"));
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("nodeSelectorTerms[0].matchExpressions[0].values[0]: Invalid value: \"many\""),
            std::string::npos)
      << p.status().message();
}

TEST(ParsePod, HostPortsFromContainersAndSidecars) {
  auto pod = MakePod(R"(
metadata: {name: p}
spec:
  initContainers:
  - {name: s, image: x, restartPolicy: Always, ports: [{containerPort: 9000, hostPort: 9000}]}
  - {name: i, image: x, ports: [{containerPort: 9001, hostPort: 9001}]}
  containers:
  - {name: c, image: x, ports: [{containerPort: 80}, {containerPort: 8080, hostPort: 8080, protocol: UDP}]}
)");
  ASSERT_EQ(pod->host_ports.size(), 2u);
  EXPECT_EQ(pod->host_ports[0].port, 9000);
  EXPECT_EQ(pod->host_ports[1].protocol, "UDP");
  EXPECT_EQ(pod->host_ports[1].host_ip, "0.0.0.0");
}

TEST(ParsePod, AffinityTermDefaultsToOwnNamespaceAndMergesMatchLabelKeys) {
  auto pod = MakePod(R"(
metadata: {name: p, namespace: ns1, labels: {app: a, rev: r1}}
spec:
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: {matchLabels: {app: a}}
        matchLabelKeys: [rev]
        topologyKey: kubernetes.io/hostname
  containers: [{name: c, image: x}]
)");
  ASSERT_EQ(pod->required_anti_affinity.size(), 1u);
  const auto& t = pod->required_anti_affinity[0];
  EXPECT_EQ(t.namespaces, std::vector<std::string>{"ns1"});
  EXPECT_TRUE(t.selector.Matches(common::Labels{{"app", "a"}, {"rev", "r1"}}));
  EXPECT_FALSE(t.selector.Matches(common::Labels{{"app", "a"}, {"rev", "r2"}}));
}

TEST(ParseNode, AllocatableDefaultsToCapacity) {
  auto n = testing::MakeNode(R"(
metadata: {name: node-a}
status: {capacity: {cpu: "4", memory: 32Gi, pods: "110"}}
)");
  EXPECT_EQ(n->allocatable.milli_cpu, 4000);
  EXPECT_EQ(n->allocatable.memory, 32 * kGi);
  EXPECT_EQ(n->allocatable.pods, 110);
}

TEST(NormalizedImageName, AddsLatestOnlyWithoutTag) {
  EXPECT_EQ(NormalizedImageName("nginx"), "nginx:latest");
  EXPECT_EQ(NormalizedImageName("nginx:1.2"), "nginx:1.2");
  EXPECT_EQ(NormalizedImageName("localhost:5000/nginx"), "localhost:5000/nginx:latest");
  EXPECT_EQ(NormalizedImageName("localhost:5000/nginx:1"), "localhost:5000/nginx:1");
}

}  // namespace
}  // namespace schedule
