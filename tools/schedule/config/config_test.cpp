#include "config/config.h"

#include <gtest/gtest.h>

#include "engine/clock.h"
#include "engine/scheduler.h"

namespace schedule {
namespace {

const char kHeader[] = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";

common::Status CreateWith(const std::string& yaml) {
  auto cfg = ParseConfiguration(kHeader + yaml);
  if (!cfg.ok()) return cfg.status();
  RealClock clock;
  ObjectStore store;
  SchedulerOptions o;
  o.config = *cfg;
  o.clock = &clock;
  o.objects = &store;
  auto s = Scheduler::Create(o);
  return s.ok() ? common::Status::Ok() : s.status();
}

TEST(Config, DefaultsMatchUpstream) {
  auto c = ParseConfiguration(kHeader);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->parallelism, 16);
  EXPECT_EQ(c->percentage_of_nodes_to_score, 0);
  EXPECT_EQ(c->pod_initial_backoff_seconds, 1);
  EXPECT_EQ(c->pod_max_backoff_seconds, 10);
  ASSERT_EQ(c->profiles.size(), 1u);
  EXPECT_EQ(c->profiles[0].scheduler_name, "default-scheduler");
  std::map<std::string, int> weights;
  for (const auto& p : c->profiles[0].plugins.multi_point.enabled) weights[p.name] = p.weight;
  EXPECT_EQ(weights["TaintToleration"], 3);
  EXPECT_EQ(weights["NodeAffinity"], 2);
  EXPECT_EQ(weights["PodTopologySpread"], 2);
  EXPECT_EQ(weights["InterPodAffinity"], 2);
  EXPECT_EQ(weights["NodeResourcesFit"], 1);
  EXPECT_EQ(weights["NodeResourcesBalancedAllocation"], 1);
  EXPECT_EQ(weights["ImageLocality"], 1);
}

TEST(Config, ScoreWeightsAndDisabling) {
  auto c = ParseConfiguration(std::string(kHeader) + R"(
profiles:
- schedulerName: packer
  plugins:
    multiPoint:
      disabled: [{name: ImageLocality}]
    score:
      enabled: [{name: NodeResourcesFit, weight: 5}]
  pluginConfig:
  - name: NodeResourcesFit
    args: {scoringStrategy: {type: MostAllocated}}
)");
  ASSERT_TRUE(c.ok()) << c.status().message();
  RealClock clock;
  ObjectStore store;
  SchedulerOptions o;
  o.config = *c;
  o.clock = &clock;
  o.objects = &store;
  auto s = Scheduler::Create(o);
  ASSERT_TRUE(s.ok()) << s.status().message();
  Framework* fw = (*s)->FrameworkFor("packer");
  ASSERT_TRUE(fw);
  std::map<std::string, int32_t> weights;
  for (const auto& e : fw->score_plugins()) weights[std::string(e.plugin->Name())] = e.weight;
  EXPECT_EQ(weights.count("ImageLocality"), 0u);
  EXPECT_EQ(weights["NodeResourcesFit"], 5);
  EXPECT_EQ(weights["TaintToleration"], 3);
  // The explicit score entry comes first, as upstream orders overrides.
  EXPECT_EQ(fw->score_plugins().front().plugin->Name(), "NodeResourcesFit");
  EXPECT_FALSE((*s)->FrameworkFor("default-scheduler"));
}

TEST(Config, ErrorsNameTheField) {
  struct Case {
    std::string yaml;
    std::string error;
  };
  std::vector<Case> cases = {
      {"parallelism: 0\n", "parallelism: Invalid value: 0: should be an integer value greater than zero"},
      {"percentageOfNodesToScore: 101\n", "percentageOfNodesToScore: Invalid value: 101: not in valid range [0-100]"},
      {"podMaxBackoffSeconds: 0\n", "podMaxBackoffSeconds: Invalid value: 0: must be greater than or equal to PodInitialBackoffSeconds"},
      {"foo: 1\n", "strict decoding error: unknown field \"foo\""},
      {"profiles: [{plugin: {}}]\n", "strict decoding error: unknown field \"profiles[0].plugin\""},
      {"profiles: [{plugins: {score: {enabled: [{name: NodeResourcesFit, weight: 101}]}}}]\n",
       "profiles[0].plugins.score.enabled[0].weight: Invalid value: 101: must be in the range [0, 100]"},
      {"profiles: [{plugins: {filter: {enabled: [{name: NoSuchPlugin}]}}}]\n",
       "profiles[0].plugins.filter.enabled[0]: Invalid value: \"NoSuchPlugin\": plugin does not exist"},
      {"profiles: [{plugins: {filter: {enabled: [{name: ImageLocality}]}}}]\n",
       "profiles[0].plugins.filter.enabled[0]: Invalid value: \"ImageLocality\": plugin does not extend FilterPlugin"},
      {"profiles: [{schedulerName: a}, {schedulerName: a}]\n", "profiles[1].schedulerName: Duplicate value: \"a\""},
      {"profiles: [{pluginConfig: [{name: InterPodAffinity, args: {hardPodAffinityWeight: 500}}]}]\n",
       "profiles[0].pluginConfig[0].args.hardPodAffinityWeight: Invalid value: 500: not in valid range [0, 100]"},
      {"profiles: [{pluginConfig: [{name: NodeResourcesFit, args: {scoringStrategy: {resources: [{name: cpu, weight: 0}]}}}]}]\n",
       "profiles[0].pluginConfig[0].args.scoringStrategy.resources[0].weight: Invalid value: 0: resource weight of cpu not in valid range [1, 100]"},
      {"profiles: [{pluginConfig: [{name: Bogus, args: {}}]}]\n",
       "profiles[0].pluginConfig[0].name: Invalid value: \"Bogus\": plugin does not exist"},
      {"profiles: [{plugins: {multiPoint: {disabled: [{name: \"*\"}]}}}]\n",
       "profiles[0].plugins.queueSort: Invalid value: only one queue sort plugin required for profile with scheduler name \"default-scheduler\", but got 0"},
  };
  for (const auto& c : cases) {
    common::Status s = CreateWith(c.yaml);
    ASSERT_FALSE(s.ok()) << c.yaml;
    EXPECT_EQ(s.message(), c.error) << c.yaml;
  }
}

TEST(Config, WrongVersion) {
  auto c = ParseConfiguration("apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("apiVersion: Invalid value: \"kubescheduler.config.k8s.io/v1beta3\""), std::string::npos);
}

TEST(Config, GoDurations) {
  EXPECT_EQ(ParseGoDuration("15s")->count(), 15000);
  EXPECT_EQ(ParseGoDuration("1m30s")->count(), 90000);
  EXPECT_EQ(ParseGoDuration("250ms")->count(), 250);
  EXPECT_FALSE(ParseGoDuration("ten"));
}

}  // namespace
}  // namespace schedule
