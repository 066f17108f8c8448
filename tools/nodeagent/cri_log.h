// The CRI container log format the kubelet reads and container runtimes
// write: one line per record, "<RFC3339Nano> <stdout|stderr> <P|F> <text>",
// P marking a chunk of a line longer than the runtime's buffer.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/timeutil.h"

namespace nodeagent {

// Go's time.RFC3339Nano in UTC ("2024-05-01T10:00:00.12345Z": trailing zeros
// of the fraction dropped, no fraction when it is zero).
std::string FormatRFC3339Nano(common::TimePoint t);

// Turns one output stream of a container into CRI log records. Lines longer
// than `max_line` are split into P records, as containerd's 16 KiB buffer
// does. Not thread-safe: one per stream.
class CriLogEncoder {
 public:
  explicit CriLogEncoder(std::string stream, size_t max_line = 16 * 1024)
      : stream_(std::move(stream)), max_line_(max_line) {}
  // Returns the records for `data` (complete lines only), stamped `now`.
  std::string Feed(std::string_view data, common::TimePoint now);
  // Returns a record for an unterminated last line, if any (at EOF).
  std::string Flush(common::TimePoint now);

 private:
  std::string Record(char tag, std::string_view text, common::TimePoint now) const;
  std::string stream_;
  size_t max_line_;
  std::string pending_;
};

struct CriLogRecord {
  common::TimePoint time;
  std::string_view time_text;  // as written in the file
  std::string_view stream;     // "stdout" / "stderr"
  bool partial = false;
  std::string_view text;       // without the trailing newline
};

// Parses one line (without its '\n'). Errors name what is malformed.
common::Result<CriLogRecord> ParseCriLogLine(std::string_view line);

// The PodLogOptions the kubelet honours (/containerLogs query parameters).
struct LogOptions {
  bool timestamps = false;
  bool follow = false;
  bool previous = false;
  std::optional<int64_t> tail_lines;
  std::optional<common::TimePoint> since;  // from sinceSeconds or sinceTime
  std::optional<int64_t> limit_bytes;
  std::string stream = "All";  // All, Stdout, Stderr
};

// Formats CRI records as `kubectl logs` prints them: the text with its
// newline restored (P chunks joined), prefixed by the record's timestamp when
// asked. Tracks partial lines and the byte limit across calls.
class LogFormatter {
 public:
  explicit LogFormatter(const LogOptions& options) : opts_(options) {}
  // Appends the output for `line` (a raw file line) to `out`. Malformed lines
  // are skipped. Returns false once limit_bytes is reached.
  bool Add(std::string_view line, std::string* out);
  bool exhausted() const { return exhausted_; }

 private:
  LogOptions opts_;
  bool mid_line_ = false;
  int64_t written_ = 0;
  bool exhausted_ = false;
};

// The byte offset in `content` where the last `n` lines begin (the kubelet's
// tail.FindTailLineStartIndex on CRI records): 0 when there are fewer.
size_t TailStart(std::string_view content, int64_t n);

// Reads the whole of a CRI log file and formats it per `options` (ignoring
// follow). Returns the output and, via `end_offset`, where reading stopped,
// so a follower can continue from there. A missing file gives NotFound.
common::Result<std::string> ReadCriLog(const std::string& path, const LogOptions& options,
                                       LogFormatter* formatter, uint64_t* end_offset);

}  // namespace nodeagent
