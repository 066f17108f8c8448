#include "plugins/volume_binding.h"

#include <gtest/gtest.h>

#include "plugins/image_locality.h"
#include "testing/fixtures.h"

namespace schedule {
namespace {

using testing::Cluster;
using testing::MakePod;
using testing::SimpleNode;
using testing::Yaml;

PodPtr WithClaim(const std::string& claim) {
  return MakePod("metadata: {name: p}\nspec:\n  volumes: [{name: data, persistentVolumeClaim: {claimName: " + claim +
                 "}}]\n  containers: [{name: c, image: x}]\n");
}

std::string LocalPV(const std::string& name, const std::string& node, const std::string& claim_ref = "") {
  return "kind: PersistentVolume\nmetadata: {name: " + name + "}\nspec:\n  capacity: {storage: 10Gi}\n"
         "  accessModes: [ReadWriteOnce]\n  storageClassName: local\n" + claim_ref +
         "  nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [" +
         node + "]}]}]}}\n";
}

TEST(VolumeBinding, BoundLocalVolumePinsThePod) {
  Cluster cl({SimpleNode("n1"), SimpleNode("n2")});
  ASSERT_TRUE(cl.store().Upsert(Yaml(LocalPV("pv-n2", "n2"))).ok());
  ASSERT_TRUE(cl.store().Upsert(Yaml("kind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {volumeName: pv-n2, storageClassName: local}")).ok());
  auto r = cl.Filter("VolumeBinding", *WithClaim("data"));
  EXPECT_TRUE(r["n2"].IsSuccess());
  EXPECT_EQ(r["n1"].code(), Code::kUnschedulableAndUnresolvable);
  EXPECT_EQ(r["n1"].Message(), "node(s) didn't match PersistentVolume's node affinity");
}

TEST(VolumeBinding, MissingClaimRejectsAtPreFilter) {
  Cluster cl({SimpleNode("n1")});
  Status s = cl.Filter("VolumeBinding", *WithClaim("nope")).at("n1");
  EXPECT_EQ(s.code(), Code::kUnschedulableAndUnresolvable);
  EXPECT_EQ(s.Message(), "persistentvolumeclaim \"nope\" not found");
}

TEST(VolumeBinding, UnboundImmediateClaim) {
  Cluster cl({SimpleNode("n1")});
  ASSERT_TRUE(cl.store().Upsert(Yaml("kind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {storageClassName: fast}")).ok());
  EXPECT_EQ(cl.Filter("VolumeBinding", *WithClaim("data")).at("n1").Message(),
            "pod has unbound immediate PersistentVolumeClaims");
}

TEST(VolumeBinding, WaitForFirstConsumerFindsAnAvailableLocalVolume) {
  Cluster cl({SimpleNode("n1"), SimpleNode("n2")});
  ASSERT_TRUE(cl.store().Upsert(Yaml("kind: StorageClass\nmetadata: {name: local}\nprovisioner: kubernetes.io/no-provisioner\nvolumeBindingMode: WaitForFirstConsumer")).ok());
  ASSERT_TRUE(cl.store().Upsert(Yaml(LocalPV("pv-n1", "n1"))).ok());
  ASSERT_TRUE(cl.store().Upsert(Yaml("kind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {storageClassName: local, accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}")).ok());
  auto r = cl.Filter("VolumeBinding", *WithClaim("data"));
  EXPECT_TRUE(r["n1"].IsSuccess());
  EXPECT_EQ(r["n2"].Message(), "node(s) didn't find available persistent volumes to bind");
  // Once Reserve claims it for one pod, the next pod finds nothing.
  auto* p = cl.Plugin<VolumeBinding>("VolumeBinding");
  ASSERT_TRUE(p->Reserve(cl.state(), *WithClaim("data"), "n1").IsSuccess());
  ASSERT_TRUE(cl.store().Upsert(Yaml("kind: PersistentVolumeClaim\nmetadata: {name: other}\nspec: {storageClassName: local, accessModes: [ReadWriteOnce]}")).ok());
  EXPECT_FALSE(cl.Filter("VolumeBinding", *WithClaim("other")).at("n1").IsSuccess());
}

TEST(VolumeZone, ZoneLabelsOfBoundVolumes) {
  Cluster cl({SimpleNode("n1", "4", "8Gi", {{"topology.kubernetes.io/zone", "us-1a"}}),
              SimpleNode("n2", "4", "8Gi", {{"topology.kubernetes.io/zone", "us-1b"}})});
  ASSERT_TRUE(cl.store().Upsert(Yaml("kind: PersistentVolume\nmetadata: {name: ebs, labels: {topology.kubernetes.io/zone: us-1a__us-1c}}\nspec: {capacity: {storage: 1Gi}}")).ok());
  ASSERT_TRUE(cl.store().Upsert(Yaml("kind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {volumeName: ebs}")).ok());
  auto r = cl.Filter("VolumeZone", *WithClaim("data"));
  EXPECT_TRUE(r["n1"].IsSuccess());
  EXPECT_EQ(r["n2"].Message(), "node(s) had no available volume zone");
}

TEST(ImageLocality, ScalesBySizeAndSpread) {
  Cluster cl({testing::MakeNode("metadata: {name: n1}\nstatus:\n  allocatable: {cpu: \"4\", memory: 8Gi, pods: \"110\"}\n"
                                "  images: [{names: [\"app:1\"], sizeBytes: 314572800}]\n"),
              SimpleNode("n2")});
  auto pod = MakePod("metadata: {name: p}\nspec: {containers: [{name: c, image: \"app:1\"}]}");
  auto scores = cl.Score("ImageLocality", *pod);
  // 300MiB on 1 of 2 nodes: 150MiB, clamped to [23MiB, 1000MiB]: 100*(150-23)/(1000-23) = 12.
  EXPECT_EQ(scores["n1"], 12);
  EXPECT_EQ(scores["n2"], 0);
}

}  // namespace
}  // namespace schedule
