#include "deadlines.h"

#include <gtest/gtest.h>

namespace apiserve {
namespace {

using namespace std::chrono;

TEST(ParseGoDuration, GoForms) {
  EXPECT_EQ(*ParseGoDuration("30s"), seconds(30));
  EXPECT_EQ(*ParseGoDuration("1m30s"), seconds(90));
  EXPECT_EQ(*ParseGoDuration("1.5h"), minutes(90));
  EXPECT_EQ(*ParseGoDuration("250ms"), milliseconds(250));
  EXPECT_EQ(*ParseGoDuration("2us"), microseconds(2));
  EXPECT_EQ(*ParseGoDuration("-1s"), seconds(-1));
  EXPECT_EQ(*ParseGoDuration("0"), seconds(0));
  EXPECT_EQ(ParseGoDuration("abc").status().message(), "time: invalid duration \"abc\"");
  EXPECT_EQ(ParseGoDuration("10").status().message(), "time: missing unit in duration \"10\"");
  EXPECT_EQ(ParseGoDuration("3x").status().message(), "time: unknown unit \"x\" in duration \"3x\"");
  EXPECT_FALSE(ParseGoDuration("").ok());
  EXPECT_FALSE(ParseGoDuration("s").ok());
}

TEST(RequestTimeout, UrlValueOnlyShortens) {
  common::HttpRequest req;
  EXPECT_EQ(*RequestTimeout(req, seconds(60)), seconds(60));
  req.query = "timeout=5s";
  EXPECT_EQ(*RequestTimeout(req, seconds(60)), seconds(5));
  req.query = "timeout=5m";
  EXPECT_EQ(*RequestTimeout(req, seconds(60)), seconds(60));
  req.query = "timeout=0s";
  EXPECT_EQ(*RequestTimeout(req, seconds(60)), seconds(60));
  req.query = "timeout=soon";
  EXPECT_EQ(RequestTimeout(req, seconds(60)).status().message(),
            "invalid timeout specified in the request URL - time: invalid duration \"soon\"");
}

}  // namespace
}  // namespace apiserve
