#include "cri_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "common/file.h"

namespace nodeagent {
namespace {

common::TimePoint At(int64_t sec, int64_t nanos = 0) {
  return common::TimePoint(std::chrono::duration_cast<common::Clock::duration>(
      std::chrono::seconds(sec) + std::chrono::nanoseconds(nanos)));
}

TEST(CriLog, TimestampsAreGoRfc3339Nano) {
  EXPECT_EQ(FormatRFC3339Nano(At(1714557600)), "2024-05-01T10:00:00Z");
  EXPECT_EQ(FormatRFC3339Nano(At(1714557600, 120000000)), "2024-05-01T10:00:00.12Z");
  EXPECT_EQ(FormatRFC3339Nano(At(1714557600, 123456789)), "2024-05-01T10:00:00.123456789Z");
}

TEST(CriLog, EncoderSplitsLinesAndLongOnes) {
  CriLogEncoder e("stdout", 4);
  auto t = At(1714557600);
  EXPECT_EQ(e.Feed("ab", t), "");
  EXPECT_EQ(e.Feed("c\nx", t), "2024-05-01T10:00:00Z stdout F abc\n");
  EXPECT_EQ(e.Feed("yzwv12\n", t),
            "2024-05-01T10:00:00Z stdout P xyzw\n2024-05-01T10:00:00Z stdout F v12\n");
  EXPECT_EQ(e.Feed("\n", t), "2024-05-01T10:00:00Z stdout F \n");
  EXPECT_EQ(e.Feed("tail", t), "");
  CriLogEncoder err("stderr");
  EXPECT_EQ(err.Feed("oops", t), "");
  EXPECT_EQ(err.Flush(t), "2024-05-01T10:00:00Z stderr P oops\n");
  EXPECT_EQ(err.Flush(t), "");
}

TEST(CriLog, ParsesRecords) {
  auto r = ParseCriLogLine("2024-05-01T10:00:00.5Z stderr F hello world");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stream, "stderr");
  EXPECT_FALSE(r->partial);
  EXPECT_EQ(r->text, "hello world");
  EXPECT_EQ(r->time, At(1714557600, 500000000));
  auto empty = ParseCriLogLine("2024-05-01T10:00:00Z stdout F");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->text, "");
  EXPECT_TRUE(ParseCriLogLine("2024-05-01T10:00:00Z stdout P x")->partial);
  EXPECT_FALSE(ParseCriLogLine("garbage").ok());
  EXPECT_FALSE(ParseCriLogLine("2024-05-01T10:00:00Z stdin F x").ok());
}

TEST(CriLog, FormatterJoinsPartialsAndAddsTimestampsOncePerLine) {
  LogOptions o;
  o.timestamps = true;
  LogFormatter f(o);
  std::string out;
  f.Add("2024-05-01T10:00:00.1Z stdout P abc", &out);
  f.Add("2024-05-01T10:00:00.2Z stdout F def", &out);
  f.Add("2024-05-01T10:00:01Z stderr F second", &out);
  EXPECT_EQ(out, "2024-05-01T10:00:00.1Z abcdef\n2024-05-01T10:00:01Z second\n");
}

TEST(CriLog, FormatterFiltersStreamSinceAndLimit) {
  LogOptions o;
  o.stream = "Stderr";
  o.since = At(1714557601);
  LogFormatter f(o);
  std::string out;
  f.Add("2024-05-01T10:00:00Z stderr F old", &out);
  f.Add("2024-05-01T10:00:02Z stdout F out", &out);
  f.Add("2024-05-01T10:00:02Z stderr F new", &out);
  f.Add("not a record", &out);
  EXPECT_EQ(out, "new\n");
  LogOptions l;
  l.limit_bytes = 6;
  LogFormatter g(l);
  std::string o2;
  EXPECT_TRUE(g.Add("2024-05-01T10:00:02Z stdout F abcd", &o2));
  EXPECT_FALSE(g.Add("2024-05-01T10:00:02Z stdout F efgh", &o2));
  EXPECT_EQ(o2, "abcd\ne");
  EXPECT_TRUE(g.exhausted());
}

TEST(CriLog, TailStart) {
  std::string c = "a\nb\nc\n";
  EXPECT_EQ(c.substr(TailStart(c, 1)), "c\n");
  EXPECT_EQ(c.substr(TailStart(c, 2)), "b\nc\n");
  EXPECT_EQ(c.substr(TailStart(c, 3)), c);
  EXPECT_EQ(c.substr(TailStart(c, 10)), c);
  EXPECT_EQ(c.substr(TailStart(c, 0)), "");
}

TEST(CriLog, ReadsFilesWithTailAndStopsAtIncompleteLines) {
  char tmpl[] = "/tmp/crilogXXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string path = std::string(tmpl) + "/0.log";
  ASSERT_TRUE(common::WriteFileAtomic(path,
                                      "2024-05-01T10:00:00Z stdout F one\n"
                                      "2024-05-01T10:00:01Z stdout F two\n"
                                      "2024-05-01T10:00:02Z stdout F three\n"
                                      "2024-05-01T10:00:03Z stdout F unfinish")
                  .ok());
  LogOptions o;
  o.tail_lines = 2;
  LogFormatter f(o);
  uint64_t end = 0;
  auto text = ReadCriLog(path, o, &f, &end);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "two\nthree\n");
  EXPECT_EQ(end, 34u * 2 + 36u);
  LogOptions all;
  LogFormatter g(all);
  EXPECT_EQ(*ReadCriLog(path, all, &g, nullptr), "one\ntwo\nthree\n");
  EXPECT_TRUE(ReadCriLog(path + ".missing", all, &g, nullptr).status().IsNotFound());
  unlink(path.c_str());
  rmdir(tmpl);
}

}  // namespace
}  // namespace nodeagent
