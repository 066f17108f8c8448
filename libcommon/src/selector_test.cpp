#include "common/selector.h"

#include <gtest/gtest.h>

namespace common {
namespace {

bool Match(const char* sel, const Labels& labels) {
  auto s = LabelSelector::Parse(sel);
  EXPECT_TRUE(s.ok()) << sel << ": " << s.status().message();
  return s.ok() && s->Matches(labels);
}

TEST(LabelSelector, Operators) {
  Labels l{{"app", "web"}, {"tier", "front"}, {"n", "5"}};
  EXPECT_TRUE(Match("", l));
  EXPECT_TRUE(Match("app=web", l));
  EXPECT_TRUE(Match("app==web", l));
  EXPECT_FALSE(Match("app!=web", l));
  EXPECT_TRUE(Match("app!=db", l));
  EXPECT_TRUE(Match("app in (db, web)", l));
  EXPECT_FALSE(Match("app notin (db,web)", l));
  EXPECT_TRUE(Match("app,tier", l));
  EXPECT_FALSE(Match("!app", l));
  EXPECT_TRUE(Match("!canary", l));
  EXPECT_TRUE(Match("app=web,tier=front", l));
  EXPECT_FALSE(Match("app=web,tier=back", l));
  EXPECT_TRUE(Match("n>3", l));
  EXPECT_FALSE(Match("n<3", l));
}

TEST(LabelSelector, NotInMatchesMissingKey) {
  EXPECT_TRUE(Match("env notin (prod)", Labels{}));
  EXPECT_TRUE(Match("env!=prod", Labels{}));
  EXPECT_FALSE(Match("env in (prod)", Labels{}));
}

TEST(LabelSelector, KeywordsAreValuesInValueContext) {
  EXPECT_TRUE(Match("x=in", Labels{{"x", "in"}}));
  EXPECT_TRUE(Match("x in (in,notin)", Labels{{"x", "notin"}}));
}

TEST(LabelSelector, ErrorsNameTheProblem) {
  auto s = LabelSelector::Parse("app web");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt");
  EXPECT_EQ(LabelSelector::Parse("a=b c").status().message(),
            "unable to parse requirement: found 'c', expected: ',' or 'end of string'");
  EXPECT_FALSE(LabelSelector::Parse("app in web").ok());
  EXPECT_FALSE(LabelSelector::Parse("=x").ok());
  EXPECT_FALSE(LabelSelector::Parse("a=b,").ok());
  EXPECT_FALSE(LabelSelector::Parse("-bad-=x").ok());
  EXPECT_FALSE(LabelSelector::Parse("n>x").ok());
}

TEST(LabelSelector, FromJson) {
  auto s = LabelSelector::FromJson(Json::parse(
      R"({"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["a","b"]}]})"));
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->Matches(Labels{{"app", "web"}, {"tier", "b"}}));
  EXPECT_FALSE(s->Matches(Labels{{"app", "web"}}));
  EXPECT_EQ(s->String(), "app=web,tier in (a,b)");
  EXPECT_TRUE(LabelSelector::FromJson(Json(nullptr))->Empty());
  EXPECT_FALSE(LabelSelector::FromJson(Json::parse(
                   R"({"matchExpressions":[{"key":"a","operator":"Foo"}]})"))
                   .ok());
  EXPECT_FALSE(LabelSelector::Nothing().Matches(Labels{}));
}

TEST(FieldSelector, ParsesAndMatches) {
  auto s = FieldSelector::Parse("spec.nodeName=n1,status.phase!=Failed,metadata.name==a\\,b");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->requirements().size(), 3u);
  EXPECT_EQ(s->requirements()[2].value, "a,b");
  auto get = [](std::string_view f) -> std::optional<std::string> {
    if (f == "spec.nodeName") return "n1";
    if (f == "status.phase") return "Running";
    if (f == "metadata.name") return "a,b";
    return std::nullopt;
  };
  EXPECT_TRUE(s->Matches(get));
  EXPECT_EQ(*s->RequiredValue("spec.nodeName"), "n1");
  EXPECT_FALSE(FieldSelector::Parse("nonsense").ok());
  EXPECT_FALSE(FieldSelector::Parse("a=\\x").ok());
}

TEST(LabelKey, Validation) {
  EXPECT_EQ(ValidateLabelKey("app.kubernetes.io/name"), "");
  EXPECT_NE(ValidateLabelKey("Bad_/x"), "");
  EXPECT_NE(ValidateLabelKey(std::string(64, 'a')), "");
  EXPECT_EQ(ValidateLabelValue(""), "");
  EXPECT_NE(ValidateLabelValue("-x"), "");
}

}  // namespace
}  // namespace common
