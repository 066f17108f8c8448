// kvstore bench: a load generator for the etcd v3 JSON API. One thread and
// epoll drive N keep-alive HTTP/1.1 connections (so the generator costs the
// server's machine little), each with one request in flight; prints ops/s
// and latency percentiles. Works against kvstore and a real etcd alike.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "../cli.h"
#include "../print.h"
#include "common/base64.h"
#include "common/cli.h"
#include "common/strings.h"
#include "common/url.h"

namespace kvstore {
namespace {

using Clock = std::chrono::steady_clock;

struct BenchOptions {
  std::string op = "put";  // put | range | watch
  int clients = 1;
  std::string duration = "10s";
  int64_t requests = 0;  // stop after this many (0 = run for --duration)
  int key_size = 8;
  int value_size = 256;
  int64_t keys = 1000;  // distinct keys written / read
  int watchers = 1000;
  int rounds = 5;  // watch: puts to time
};

// One HTTP/1.1 connection with at most one request in flight.
struct Conn {
  int fd = -1;
  std::string out;     // bytes still to send
  size_t out_off = 0;
  std::string in;      // bytes received, not yet consumed
  Clock::time_point sent;
  bool busy = false;
  int64_t seq = 0;
};

common::Result<sockaddr_storage> Resolve(const std::string& endpoint, socklen_t* len) {
  std::string e = endpoint.find("://") == std::string::npos ? "http://" + endpoint : endpoint;
  auto url = common::ParseUrl(e);
  if (!url.ok()) return url.status();
  if (url->scheme != "http") return common::Status::BadRequest("bench speaks plain http only");
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(url->host.c_str(), std::to_string(url->port).c_str(), &hints, &res) != 0 || !res)
    return common::Status::Unreachable("cannot resolve '" + endpoint + "'");
  sockaddr_storage ss{};
  std::memcpy(&ss, res->ai_addr, res->ai_addrlen);
  *len = res->ai_addrlen;
  freeaddrinfo(res);
  return ss;
}

int Connect(const sockaddr_storage& ss, socklen_t len) {
  int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&ss), len) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

std::string Post(const std::string& host, const std::string& path, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: " + host +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

// Parses one complete response at the front of `in`: returns its length (0
// when incomplete) and its status. Handles Content-Length and chunked bodies.
size_t ParseResponse(const std::string& in, int* status) {
  size_t hend = in.find("\r\n\r\n");
  if (hend == std::string::npos) return 0;
  if (in.size() < 12) return 0;
  *status = std::atoi(in.c_str() + 9);
  std::string_view head(in.data(), hend);
  size_t body = hend + 4;
  auto header = [&](std::string_view name) -> std::string_view {
    size_t pos = 0;
    while ((pos = head.find("\r\n", pos)) != std::string_view::npos) {
      pos += 2;
      if (head.size() - pos >= name.size() &&
          common::EqualsIgnoreCase(head.substr(pos, name.size()), name)) {
        size_t end = head.find("\r\n", pos);
        return common::TrimSpace(head.substr(pos + name.size(), end - pos - name.size()));
      }
    }
    return {};
  };
  std::string_view cl = header("content-length:");
  if (!cl.empty()) {
    size_t n = static_cast<size_t>(std::atoll(std::string(cl).c_str()));
    return in.size() >= body + n ? body + n : 0;
  }
  if (common::EqualsIgnoreCase(header("transfer-encoding:"), "chunked")) {
    size_t pos = body;
    for (;;) {
      size_t eol = in.find("\r\n", pos);
      if (eol == std::string::npos) return 0;
      size_t n = std::strtoul(in.c_str() + pos, nullptr, 16);
      pos = eol + 2;
      if (n == 0) {
        // Trailers end with an empty line.
        size_t end = in.find("\r\n\r\n", eol);
        if (in.compare(pos, 2, "\r\n") == 0) return pos + 2;
        return end == std::string::npos ? 0 : end + 4;
      }
      if (in.size() < pos + n + 2) return 0;
      pos += n + 2;
    }
  }
  return body;
}

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(i), v.end());
  return v[i];
}

std::string Key(const BenchOptions& o, int64_t i) {
  std::string k = std::to_string(i % o.keys);
  if (static_cast<int>(k.size()) < o.key_size) k.insert(0, o.key_size - k.size(), '0');
  return "/bench/" + k;
}

void RaiseFdLimit() {
  rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

int Report(Context& ctx, const BenchOptions& o, int64_t done, int64_t errors, double secs,
           std::vector<double>& lat_ms) {
  double p50 = Percentile(lat_ms, 0.50), p99 = Percentile(lat_ms, 0.99);
  double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
  if (ctx.json()) {
    common::Json j{{"op", o.op},          {"clients", o.clients}, {"ops", done},
                   {"errors", errors},    {"seconds", secs},      {"ops_per_second", rate},
                   {"p50_ms", p50},       {"p99_ms", p99}};
    OutJson(j);
  } else {
    char line[256];
    std::snprintf(line, sizeof line,
                  "op=%s clients=%d ops=%lld errors=%lld seconds=%.2f ops/s=%.0f p50=%.3fms "
                  "p99=%.3fms\n",
                  o.op.c_str(), o.clients, static_cast<long long>(done),
                  static_cast<long long>(errors), secs, rate, p50, p99);
    Out(line);
  }
  return errors > 0 && done == 0 ? 1 : 0;
}

int RunLoad(Context& ctx, const BenchOptions& o, const sockaddr_storage& ss, socklen_t len,
            const std::string& host) {
  auto dur = ParseDuration(o.duration);
  if (!dur.ok()) {
    common::cli::PrintError(dur.status().message());
    return common::cli::kExitUsage;
  }
  const std::string value(static_cast<size_t>(o.value_size), 'x');
  const std::string path = o.op == "put" ? "/v3/kv/put" : "/v3/kv/range";
  // Pre-encoded request bodies, one per key.
  std::vector<std::string> reqs;
  for (int64_t i = 0; i < std::min<int64_t>(o.keys, 100000); ++i) {
    std::string k = common::Base64Encode(Key(o, i));
    std::string body = o.op == "put"
                           ? "{\"key\":\"" + k + "\",\"value\":\"" + common::Base64Encode(value) + "\"}"
                           : "{\"key\":\"" + k + "\"}";
    reqs.push_back(Post(host, path, body));
  }
  int ep = epoll_create1(EPOLL_CLOEXEC);
  std::vector<Conn> conns(static_cast<size_t>(o.clients));
  for (size_t i = 0; i < conns.size(); ++i) {
    conns[i].fd = Connect(ss, len);
    if (conns[i].fd < 0) return Fail(common::Status::Unreachable("cannot connect to " + host));
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
    ev.data.u64 = i;
    epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
  }
  int64_t next = 0, done = 0, errors = 0;
  std::vector<double> lat_ms;
  lat_ms.reserve(1 << 20);
  const auto start = Clock::now();
  const auto deadline = start + *dur;
  auto issue = [&](Conn& c) {
    c.out = reqs[static_cast<size_t>(next % static_cast<int64_t>(reqs.size()))];
    ++next;
    c.out_off = 0;
    c.busy = true;
    c.sent = Clock::now();
  };
  auto flush = [&](Conn& c) {
    while (c.out_off < c.out.size()) {
      ssize_t n = ::send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
      if (n <= 0) return;
      c.out_off += static_cast<size_t>(n);
    }
  };
  for (auto& c : conns) {
    issue(c);
    flush(c);
  }
  bool stopping = false;
  int active = o.clients;
  std::vector<epoll_event> events(256);
  char buf[65536];
  while (active > 0) {
    int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
    const auto now = Clock::now();
    if (!stopping && (now >= deadline || (o.requests > 0 && next >= o.requests))) stopping = true;
    for (int e = 0; e < n; ++e) {
      Conn& c = conns[events[static_cast<size_t>(e)].data.u64];
      if (c.fd < 0) continue;
      if (events[static_cast<size_t>(e)].events & EPOLLOUT) flush(c);
      for (;;) {
        ssize_t r = ::recv(c.fd, buf, sizeof buf, 0);
        if (r <= 0) {
          if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            close(c.fd);
            c.fd = -1;
            --active;
            ++errors;
          }
          break;
        }
        c.in.append(buf, static_cast<size_t>(r));
      }
      if (c.fd < 0) continue;
      int status = 0;
      size_t used;
      while (c.busy && (used = ParseResponse(c.in, &status)) > 0) {
        c.in.erase(0, used);
        c.busy = false;
        auto t = Clock::now();
        lat_ms.push_back(std::chrono::duration<double, std::milli>(t - c.sent).count());
        if (status == 200) {
          ++done;
        } else {
          ++errors;
        }
        if (stopping || (o.requests > 0 && next >= o.requests)) {
          close(c.fd);
          c.fd = -1;
          --active;
          break;
        }
        issue(c);
        flush(c);
      }
    }
  }
  close(ep);
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  return Report(ctx, o, done, errors, secs, lat_ms);
}

// Opens --watchers watch streams on one prefix, then times how long each put
// takes to reach every watcher.
int RunWatch(Context& ctx, const BenchOptions& o, const sockaddr_storage& ss, socklen_t len,
             const std::string& host) {
  const std::string prefix = "/bench-watch/";
  std::string create = "{\"create_request\":{\"key\":\"" + common::Base64Encode(prefix) +
                       "\",\"range_end\":\"" + common::Base64Encode(common::kv::PrefixEnd(prefix)) +
                       "\"}}";
  std::string req = Post(host, "/v3/watch", create);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  std::vector<Conn> conns(static_cast<size_t>(o.watchers));
  std::vector<int> lines(conns.size(), 0);  // result lines seen per watcher
  for (size_t i = 0; i < conns.size(); ++i) {
    conns[i].fd = Connect(ss, len);
    if (conns[i].fd < 0)
      return Fail(common::Status::Unreachable("cannot open watcher " + std::to_string(i)));
    conns[i].out = req;
    auto& c = conns[i];
    while (c.out_off < c.out.size()) {
      ssize_t n = ::send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
      if (n > 0) c.out_off += static_cast<size_t>(n);
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = i;
    epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
  }
  std::vector<epoll_event> events(1024);
  char buf[65536];
  // Pump until every watcher has seen `want` lines, or `limit` passes.
  auto pump = [&](int want, Clock::duration limit, std::vector<double>* reach_ms,
                  Clock::time_point t0) {
    int satisfied = 0;
    for (int l : lines) satisfied += l >= want;
    const auto end = Clock::now() + limit;
    while (satisfied < static_cast<int>(conns.size()) && Clock::now() < end) {
      int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 50);
      for (int e = 0; e < n; ++e) {
        size_t i = events[static_cast<size_t>(e)].data.u64;
        Conn& c = conns[i];
        for (;;) {
          ssize_t r = ::recv(c.fd, buf, sizeof buf, 0);
          if (r <= 0) break;
          for (ssize_t k = 0; k < r; ++k) {
            // Count stream messages, not HTTP header or chunk-size lines.
            if (buf[k] != '\n') {
              if (c.in.size() < 16) c.in.push_back(buf[k]);
              continue;
            }
            const bool message = c.in.find("{\"result\"") != std::string::npos;
            c.in.clear();
            if (!message) continue;
            if (++lines[i] == want) {
              ++satisfied;
              if (reach_ms)
                reach_ms->push_back(
                    std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            }
          }
        }
      }
    }
    return satisfied;
  };
  int created = pump(1, std::chrono::seconds(60), nullptr, Clock::now());
  if (created < o.watchers) {
    common::cli::PrintError("only " + std::to_string(created) + " of " +
                            std::to_string(o.watchers) + " watches were created");
    return 1;
  }
  auto client = ctx.Client();
  if (!client.ok()) return Fail(client.status());
  std::vector<double> all_ms, worst_ms;
  int reached_all = 0;
  for (int round = 1; round <= o.rounds; ++round) {
    std::vector<double> reach;
    auto t0 = Clock::now();
    auto put = (*client)->Put({prefix + "k", std::to_string(round)});
    if (!put.ok()) return Fail(put.status());
    int got = pump(1 + round, std::chrono::seconds(10), &reach, t0);
    if (got == o.watchers) ++reached_all;
    worst_ms.push_back(reach.empty() ? 0 : *std::max_element(reach.begin(), reach.end()));
    all_ms.insert(all_ms.end(), reach.begin(), reach.end());
  }
  for (auto& c : conns) close(c.fd);
  close(ep);
  double worst = worst_ms.empty() ? 0 : *std::max_element(worst_ms.begin(), worst_ms.end());
  double p50 = Percentile(all_ms, 0.5), p99 = Percentile(all_ms, 0.99);
  if (ctx.json()) {
    OutJson(common::Json{{"op", "watch"},          {"watchers", o.watchers},
                         {"rounds", o.rounds},     {"rounds_reaching_all", reached_all},
                         {"p50_ms", p50},          {"p99_ms", p99},
                         {"max_ms", worst}});
  } else {
    char line[256];
    std::snprintf(line, sizeof line,
                  "op=watch watchers=%d rounds=%d rounds_reaching_all=%d p50=%.1fms p99=%.1fms "
                  "max=%.1fms\n",
                  o.watchers, o.rounds, reached_all, p50, p99, worst);
    Out(line);
  }
  return reached_all == o.rounds ? 0 : 1;
}

int RunBench(Context& ctx, const BenchOptions& o) {
  RaiseFdLimit();
  auto eps = common::SplitNonEmpty(ctx.endpoints, ',');
  if (eps.empty()) return (common::cli::PrintError("--endpoints names no endpoint"), 2);
  socklen_t len = 0;
  auto ss = Resolve(eps[0], &len);
  if (!ss.ok()) return Fail(ss.status());
  std::string e = eps[0].find("://") == std::string::npos ? eps[0] : eps[0].substr(eps[0].find("://") + 3);
  if (o.op == "watch") return RunWatch(ctx, o, *ss, len, e);
  if (o.op == "range") {
    // The keys read must exist.
    auto client = ctx.Client();
    if (!client.ok()) return Fail(client.status());
    const std::string value(static_cast<size_t>(o.value_size), 'x');
    for (int64_t i = 0; i < std::min<int64_t>(o.keys, 100000); ++i) {
      auto r = (*client)->Put({Key(o, i), value});
      if (!r.ok()) return Fail(r.status());
    }
  }
  return RunLoad(ctx, o, *ss, len, e);
}

}  // namespace

void SetupBench(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<BenchOptions>();
  CLI::App* sub = app.add_subcommand(
      "bench", "drive the JSON API with concurrent keep-alive clients; print ops/s and latency");
  sub->add_option("--op", o->op, "put, range (of one key) or watch")
      ->check(CLI::IsMember({"put", "range", "watch"}))
      ->capture_default_str();
  sub->add_option("--clients", o->clients, "concurrent connections, one request in flight each")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  sub->add_option("--duration", o->duration, "how long to run")->capture_default_str();
  sub->add_option("--requests", o->requests, "stop after this many requests (0 = use --duration)");
  sub->add_option("--key-size", o->key_size, "bytes of the key suffix")->capture_default_str();
  sub->add_option("--value-size", o->value_size, "bytes per value")->capture_default_str();
  sub->add_option("--keys", o->keys, "distinct keys written or read")->capture_default_str();
  sub->add_option("--watchers", o->watchers, "watch: streams on one prefix")
      ->capture_default_str();
  sub->add_option("--rounds", o->rounds, "watch: puts to time")->capture_default_str();
  sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunBench(ctx, *o); }; });
}

}  // namespace kvstore
