#include "cri_log.h"

#include <cstdio>
#include <ctime>

#include "common/file.h"

namespace nodeagent {

std::string FormatRFC3339Nano(common::TimePoint t) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  time_t secs = static_cast<time_t>(ns / 1000000000);
  int64_t frac = ns % 1000000000;
  if (frac < 0) {
    frac += 1000000000;
    --secs;
  }
  struct tm tm;
  gmtime_r(&secs, &tm);
  char buf[64];
  size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf, n);
  if (frac) {
    char f[16];
    snprintf(f, sizeof(f), ".%09ld", static_cast<long>(frac));
    std::string fs = f;
    while (fs.back() == '0') fs.pop_back();
    out += fs;
  }
  return out + "Z";
}

std::string CriLogEncoder::Record(char tag, std::string_view text, common::TimePoint now) const {
  std::string r = FormatRFC3339Nano(now);
  r.reserve(r.size() + stream_.size() + text.size() + 5);
  r += ' ';
  r += stream_;
  r += ' ';
  r += tag;
  r += ' ';
  r.append(text);
  r += '\n';
  return r;
}

std::string CriLogEncoder::Feed(std::string_view data, common::TimePoint now) {
  std::string out;
  while (!data.empty()) {
    auto nl = data.find('\n');
    if (nl == std::string_view::npos) {
      pending_.append(data);
      break;
    }
    pending_.append(data.substr(0, nl));
    data.remove_prefix(nl + 1);
    // A long line goes out in max_line chunks, all but the last marked P.
    size_t pos = 0;
    while (pending_.size() - pos > max_line_) {
      out += Record('P', std::string_view(pending_).substr(pos, max_line_), now);
      pos += max_line_;
    }
    out += Record('F', std::string_view(pending_).substr(pos), now);
    pending_.clear();
  }
  while (pending_.size() > max_line_) {
    out += Record('P', std::string_view(pending_).substr(0, max_line_), now);
    pending_.erase(0, max_line_);
  }
  return out;
}

std::string CriLogEncoder::Flush(common::TimePoint now) {
  if (pending_.empty()) return "";
  // The output ended without a newline: a partial record, as containerd writes it.
  std::string out = Record('P', pending_, now);
  pending_.clear();
  return out;
}

common::Result<CriLogRecord> ParseCriLogLine(std::string_view line) {
  CriLogRecord r;
  auto sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return common::Status::BadRequest("missing stream");
  r.time_text = line.substr(0, sp1);
  auto t = common::ParseRFC3339(r.time_text);
  if (!t.ok()) return common::Status::BadRequest("bad timestamp");
  r.time = *t;
  auto sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return common::Status::BadRequest("missing tag");
  r.stream = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (r.stream != "stdout" && r.stream != "stderr")
    return common::Status::BadRequest("bad stream");
  auto sp3 = line.find(' ', sp2 + 1);
  std::string_view tag =
      line.substr(sp2 + 1, sp3 == std::string_view::npos ? std::string_view::npos : sp3 - sp2 - 1);
  // Tags may carry more than P/F, separated by ':' (CRI allows it).
  r.partial = !tag.empty() && tag[0] == 'P';
  r.text = sp3 == std::string_view::npos ? std::string_view() : line.substr(sp3 + 1);
  return r;
}

bool LogFormatter::Add(std::string_view line, std::string* out) {
  if (exhausted_) return false;
  auto rec = ParseCriLogLine(line);
  if (!rec.ok()) return true;
  if (opts_.stream == "Stdout" && rec->stream != "stdout") return true;
  if (opts_.stream == "Stderr" && rec->stream != "stderr") return true;
  if (opts_.since && rec->time < *opts_.since) return true;
  std::string chunk;
  if (opts_.timestamps && !mid_line_) {
    chunk += rec->time_text;
    chunk += ' ';
  }
  chunk.append(rec->text);
  if (!rec->partial) chunk += '\n';
  mid_line_ = rec->partial;
  if (opts_.limit_bytes) {
    int64_t left = *opts_.limit_bytes - written_;
    if (left <= 0) {
      exhausted_ = true;
      return false;
    }
    if (static_cast<int64_t>(chunk.size()) >= left) {
      out->append(chunk, 0, static_cast<size_t>(left));
      written_ += left;
      exhausted_ = true;
      return false;
    }
  }
  written_ += static_cast<int64_t>(chunk.size());
  out->append(chunk);
  return true;
}

size_t TailStart(std::string_view content, int64_t n) {
  if (n <= 0) return content.size();
  size_t end = content.size();
  // A trailing newline ends the last line; it does not start another.
  if (end > 0 && content[end - 1] == '\n') --end;
  int64_t found = 0;
  while (end > 0) {
    auto nl = content.rfind('\n', end - 1);
    if (nl == std::string_view::npos) return 0;
    if (++found == n) return nl + 1;
    end = nl;
  }
  return 0;
}

common::Result<std::string> ReadCriLog(const std::string& path, const LogOptions& options,
                                       LogFormatter* formatter, uint64_t* end_offset) {
  auto content = common::ReadFile(path);
  if (!content.ok()) {
    if (content.status().message().find("No such file") != std::string::npos)
      return common::Status::NotFound(content.status().message());
    return content.status();
  }
  std::string_view all = *content;
  // Only complete lines are read; a follower picks up the rest later.
  size_t complete = all.rfind('\n');
  complete = complete == std::string_view::npos ? 0 : complete + 1;
  std::string_view body = all.substr(0, complete);
  size_t start = options.tail_lines ? TailStart(body, *options.tail_lines) : 0;
  std::string out;
  size_t pos = start;
  while (pos < body.size()) {
    auto nl = body.find('\n', pos);
    if (!formatter->Add(body.substr(pos, nl - pos), &out)) break;
    pos = nl + 1;
  }
  if (end_offset) *end_offset = complete;
  return out;
}

}  // namespace nodeagent
