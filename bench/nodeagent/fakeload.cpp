// Load and watch side of bench/nodeagent/fake: everything is seen through
// the API server's watch, as a user (or kwok's benchmark) sees it.
//   fakeload nodes --server URL --count N [--ready-file F] [--timeout S]
//     watches Nodes labelled type=kwok; writes F once the watch is open, then
//     prints how long until N of them are Ready=True.
//   fakeload pods --server URL --count N [--nodes K --node-prefix P]
//                 [--clients C] [--rate R] [--process] [--namespace NS] [--timeout S]
//     opens a watch on NS's pods, creates N pods bound to P-0 .. P-(K-1)
//     (spec.nodeName, round robin; without --node-prefix the scheduler
//     binds them) from C clients, at most R per second in all when --rate is
//     given, and prints the create rate, the time from the first create until
//     all N are Running, and the create → Running latency percentiles.
//     --process: the pods run `sleep` with small requests and limits (for the
//     process runtime) instead of naming only an image.
// Both take --cert F --key F for a client certificate. Prints key=value
// lines; exits 1 when the count is not reached in time.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/http_client.h"
#include "common/json.h"

using Clock = std::chrono::steady_clock;
using common::Json;

namespace {

std::string Arg(int argc, char** argv, const std::string& name, const std::string& def) {
  for (int i = 2; i + 1 < argc; ++i)
    if (argv[i] == "--" + name) return argv[i + 1];
  return def;
}

double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

std::string g_cert, g_key;  // --cert / --key: a client certificate, when the server wants one

common::HttpClientOptions Opts(const std::string& server, bool stream) {
  common::HttpClientOptions o;
  o.cert_file = g_cert;
  o.key_file = g_key;
  o.server = server;
  o.insecure_skip_verify = true;
  o.max_retries = 0;
  o.user_agent = "kubix-bench";
  if (stream) o.timeout = std::chrono::milliseconds(0);
  return o;
}

// Runs a watch on `path` on a thread of its own; `on_event` gets each event's
// object and returns false to end it. `open` is set once the response began.
class Watcher {
 public:
  Watcher(const std::string& server, std::string path, std::function<bool(const Json&)> on_event)
      : client_(Opts(server, true)), path_(std::move(path)), on_event_(std::move(on_event)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~Watcher() {
    stop_ = true;
    thread_.join();
  }
  bool WaitOpen(std::chrono::seconds limit) {
    auto end = Clock::now() + limit;
    while (!open_ && Clock::now() < end) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return open_;
  }

 private:
  void Run() {
    common::LineSplitter split([this](std::string_view line) {
      auto ev = Json::parse(line, nullptr, false);
      if (ev.is_discarded() || !ev.contains("object")) return true;
      if (!on_event_(ev["object"])) {
        stop_ = true;
        return false;
      }
      return true;
    });
    open_ = true;  // set before the first byte: the server registers the watch on the request
    client_.Stream("GET", path_, "", {}, [&](std::string_view chunk) { return split.Feed(chunk); }, &stop_);
  }
  common::HttpClient client_;
  std::string path_;
  std::function<bool(const Json&)> on_event_;
  std::atomic<bool> stop_{false}, open_{false};
  std::thread thread_;
};

bool ReadyTrue(const Json& obj) {
  const Json& conds = common::GetPath(obj, {"status", "conditions"});
  if (!conds.is_array()) return false;
  for (const auto& c : conds)
    if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
  return false;
}

int Nodes(int argc, char** argv) {
  std::string server = Arg(argc, argv, "server", "");
  size_t count = std::stoul(Arg(argc, argv, "count", "5000"));
  std::string ready_file = Arg(argc, argv, "ready-file", "");
  double timeout = std::stod(Arg(argc, argv, "timeout", "120"));
  std::mutex mu;
  std::unordered_set<std::string> ready;
  std::atomic<bool> done{false};
  Clock::time_point start = Clock::now(), first{}, all{};
  Watcher w(server, "/api/v1/nodes?watch=1&labelSelector=type%3Dkwok&allowWatchBookmarks=false",
            [&](const Json& obj) {
              std::lock_guard<std::mutex> l(mu);
              if (ReadyTrue(obj)) {
                if (ready.empty()) first = Clock::now();
                ready.insert(common::GetString(obj["metadata"], "name"));
              }
              if (ready.size() >= count && !done) {
                all = Clock::now();
                done = true;
                return false;
              }
              return true;
            });
  if (!w.WaitOpen(std::chrono::seconds(10))) return 1;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the request reaches the server
  start = Clock::now();
  if (!ready_file.empty()) std::ofstream(ready_file) << "watching\n";
  while (!done && Seconds(start, Clock::now()) < timeout) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::lock_guard<std::mutex> l(mu);
  printf("op=nodes count=%zu ready=%zu first_ready_s=%.2f all_ready_s=%.2f\n", count, ready.size(),
         ready.empty() ? 0.0 : Seconds(start, first), done ? Seconds(start, all) : -1.0);
  return done ? 0 : 1;
}

int Pods(int argc, char** argv) {
  std::string server = Arg(argc, argv, "server", "");
  int count = std::stoi(Arg(argc, argv, "count", "50000"));
  int nodes = std::stoi(Arg(argc, argv, "nodes", "5000"));
  std::string prefix = Arg(argc, argv, "node-prefix", "");
  double rate = std::stod(Arg(argc, argv, "rate", "0"));
  bool process = false;
  for (int i = 2; i < argc; ++i) process |= std::string(argv[i]) == "--process";
  std::string container =
      process ? "{\"name\":\"c\",\"image\":\"busybox\",\"command\":[\"sleep\",\"100000\"],\"resources\":"
                "{\"requests\":{\"cpu\":\"10m\",\"memory\":\"8Mi\"},\"limits\":{\"cpu\":\"100m\",\"memory\":\"32Mi\"}}}"
              : "{\"name\":\"c\",\"image\":\"registry.k8s.io/pause:3.10\"}";
  int clients = std::stoi(Arg(argc, argv, "clients", "16"));
  std::string ns = Arg(argc, argv, "namespace", "default");
  double timeout = std::stod(Arg(argc, argv, "timeout", "300"));

  std::vector<Clock::time_point> created(count), running(count);
  std::vector<char> seen(count, 0);
  std::atomic<int> nrunning{0};
  std::atomic<bool> done{false};
  Watcher w(server, "/api/v1/namespaces/" + ns + "/pods?watch=1&allowWatchBookmarks=false", [&](const Json& obj) {
    if (common::GetString(common::Get(obj, "status"), "phase") != "Running") return true;
    std::string name = common::GetString(obj["metadata"], "name");  // p-<index>
    int i = std::atoi(name.c_str() + 2);
    if (i < 0 || i >= count || seen[i]) return true;
    seen[i] = 1;
    running[i] = Clock::now();
    if (++nrunning == count) {
      done = true;
      return false;
    }
    return true;
  });
  if (!w.WaitOpen(std::chrono::seconds(10))) return 1;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  std::atomic<int> next{0}, errors{0};
  Clock::time_point start = Clock::now();
  std::vector<std::thread> ts;
  for (int c = 0; c < clients; ++c) {
    ts.emplace_back([&] {
      common::HttpClient client(Opts(server, false));
      for (int i = next++; i < count; i = next++) {
        std::string node =
            prefix.empty() ? "" : "\"nodeName\":\"" + prefix + "-" + std::to_string(i % nodes) + "\",";
        std::string body = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p-" + std::to_string(i) +
                           "\",\"labels\":{\"app\":\"fakebench\"}},\"spec\":{" + node +
                           "\"terminationGracePeriodSeconds\":0,\"containers\":[" + container + "]}}";
        if (rate > 0) std::this_thread::sleep_until(start + std::chrono::nanoseconds(static_cast<int64_t>(i * 1e9 / rate)));
        created[i] = Clock::now();
        auto r = client.Do("POST", "/api/v1/namespaces/" + ns + "/pods", body, {{"Content-Type", "application/json"}});
        if (!r.ok() || r->status != 201) {
          if (errors++ < 5)
            fprintf(stderr, "create p-%d: %s\n", i, r.ok() ? r->body.substr(0, 200).c_str() : r.status().message().c_str());
        }
      }
    });
  }
  for (auto& t : ts) t.join();
  Clock::time_point created_all = Clock::now();
  while (!done && Seconds(start, Clock::now()) < timeout) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  Clock::time_point end = Clock::now();
  std::vector<double> lat;
  Clock::time_point last = start;
  for (int i = 0; i < count; ++i)
    if (seen[i]) {
      lat.push_back(std::chrono::duration<double, std::milli>(running[i] - created[i]).count());
      last = std::max(last, running[i]);
    }
  double all = done ? Seconds(start, last) : Seconds(start, end);
  printf("op=pods count=%d running=%d errors=%d create_s=%.2f create_per_s=%.0f all_running_s=%.2f "
         "running_per_s=%.0f p50_ms=%.0f p99_ms=%.0f max_ms=%.0f\n",
         count, nrunning.load(), errors.load(), Seconds(start, created_all), count / Seconds(start, created_all),
         all, nrunning.load() / all, Pct(lat, 0.5), Pct(lat, 0.99), Pct(lat, 1.0));
  return done ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string op = argc > 1 ? argv[1] : "";
  g_cert = Arg(argc, argv, "cert", "");
  g_key = Arg(argc, argv, "key", "");
  if (op == "nodes") return Nodes(argc, argv);
  if (op == "pods") return Pods(argc, argv);
  fprintf(stderr, "usage: fakeload nodes|pods --server URL ...\n");
  return 2;
}
