// Load generator for bench/apiserve/run: pod creates, gets, lists and watch
// delivery latency against an apiserve (or any Kubernetes API server).
//   load create  --server URL --clients N --count N [--rate R] [--namespace NS]
//   load get     --server URL --clients N --seconds S --name POD [--namespace NS]
//   load list    --server URL --repeat N [--rv 0|""] [--namespace NS]
//   load watch   --server URL --watchers N --rate R --seconds S [--namespace NS]
// Prints one line of key=value results.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/http_client.h"
#include "common/json.h"

using Clock = std::chrono::steady_clock;

namespace {

std::string Arg(int argc, char** argv, const std::string& name, const std::string& def) {
  for (int i = 2; i + 1 < argc; ++i)
    if (argv[i] == "--" + name) return argv[i + 1];
  return def;
}

double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

common::HttpClientOptions Opts(const std::string& server) {
  common::HttpClientOptions o;
  o.server = server;
  o.insecure_skip_verify = true;
  o.max_retries = 0;
  o.user_agent = "kubix-bench";
  return o;
}

std::string Pod(const std::string& name, const std::string& ns, int64_t stamp_ns) {
  return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name +
         "\",\"namespace\":\"" + ns + "\",\"labels\":{\"app\":\"bench\"},\"annotations\":{\"bench/t\":\"" +
         std::to_string(stamp_ns) +
         "\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"registry.k8s.io/pause:3.10\","
         "\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]}}";
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

int Create(int argc, char** argv) {
  std::string server = Arg(argc, argv, "server", "");
  int clients = std::stoi(Arg(argc, argv, "clients", "32"));
  int count = std::stoi(Arg(argc, argv, "count", "10000"));
  double rate = std::stod(Arg(argc, argv, "rate", "0"));
  std::string ns = Arg(argc, argv, "namespace", "default");
  std::string prefix = Arg(argc, argv, "prefix", "p");
  common::HttpClient client(Opts(server));
  std::atomic<int> next{0}, errors{0};
  std::mutex mu;
  std::vector<double> lat;
  auto start = Clock::now();
  std::vector<std::thread> ts;
  for (int c = 0; c < clients; ++c) {
    ts.emplace_back([&] {
      std::vector<double> mine;
      for (;;) {
        int i = next.fetch_add(1);
        if (i >= count) break;
        if (rate > 0) {
          auto due = start + std::chrono::nanoseconds(static_cast<int64_t>(i * 1e9 / rate));
          std::this_thread::sleep_until(due);
        }
        auto t0 = Clock::now();
        auto r = client.Do("POST", "/api/v1/namespaces/" + ns + "/pods",
                           Pod(prefix + "-" + std::to_string(i), ns, 0),
                           {{"Content-Type", "application/json"}});
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!r.ok() || r->status != 201) errors++;
      }
      std::lock_guard<std::mutex> l(mu);
      lat.insert(lat.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : ts) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  printf("op=create clients=%d count=%d rate_target=%.0f per_sec=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
         clients, count, rate, count / secs, Pct(lat, 0.5), Pct(lat, 0.99), errors.load());
  return errors ? 1 : 0;
}

int Get(int argc, char** argv) {
  std::string server = Arg(argc, argv, "server", "");
  int clients = std::stoi(Arg(argc, argv, "clients", "32"));
  double seconds = std::stod(Arg(argc, argv, "seconds", "10"));
  std::string ns = Arg(argc, argv, "namespace", "default");
  std::string name = Arg(argc, argv, "name", "p-0");
  common::HttpClient client(Opts(server));
  std::atomic<int64_t> done{0}, errors{0};
  auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> ts;
  auto start = Clock::now();
  for (int c = 0; c < clients; ++c)
    ts.emplace_back([&] {
      while (Clock::now() < end) {
        auto r = client.Do("GET", "/api/v1/namespaces/" + ns + "/pods/" + name);
        if (!r.ok() || r->status != 200) errors++;
        done++;
      }
    });
  for (auto& t : ts) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  printf("op=get clients=%d per_sec=%.0f errors=%lld\n", clients, done / secs,
         static_cast<long long>(errors.load()));
  return 0;
}

int List(int argc, char** argv) {
  std::string server = Arg(argc, argv, "server", "");
  int repeat = std::stoi(Arg(argc, argv, "repeat", "10"));
  std::string rv = Arg(argc, argv, "rv", "none");
  std::string ns = Arg(argc, argv, "namespace", "default");
  common::HttpClient client(Opts(server));
  std::vector<double> ms;
  size_t items = 0, bytes = 0;
  for (int i = 0; i < repeat; ++i) {
    std::string path = "/api/v1/namespaces/" + ns + "/pods";
    if (rv != "none") path += "?resourceVersion=" + rv;
    auto t0 = Clock::now();
    auto r = client.Do("GET", path);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (!r.ok() || r->status != 200) return 1;
    bytes = r->body.size();
    auto j = common::ParseJson(r->body);
    if (j.ok()) items = (*j)["items"].size();
  }
  printf("op=list rv=%s items=%zu bytes=%zu median_ms=%.1f p90_ms=%.1f\n", rv.c_str(), items,
         bytes, Pct(ms, 0.5), Pct(ms, 0.9));
  return 0;
}

int Watch(int argc, char** argv) {
  std::string server = Arg(argc, argv, "server", "");
  int watchers = std::stoi(Arg(argc, argv, "watchers", "1000"));
  double rate = std::stod(Arg(argc, argv, "rate", "100"));
  double seconds = std::stod(Arg(argc, argv, "seconds", "20"));
  std::string ns = Arg(argc, argv, "namespace", "default");
  std::atomic<bool> stop{false};
  std::atomic<int> ready{0};
  std::mutex mu;
  std::vector<double> lat;
  std::atomic<int64_t> events{0};
  std::vector<std::thread> ws;
  common::HttpClientOptions o = Opts(server);
  o.timeout = std::chrono::milliseconds(0);
  std::vector<std::unique_ptr<common::HttpClient>> clients;
  for (int i = 0; i < watchers; ++i) clients.push_back(std::make_unique<common::HttpClient>(o));
  for (int i = 0; i < watchers; ++i) {
    ws.emplace_back([&, i] {
      std::vector<double> mine;
      common::LineSplitter split([&](std::string_view line) {
        // The write time rides in the pod's bench/t annotation.
        auto p = line.find("\"bench/t\":\"");
        if (p == std::string_view::npos) return true;
        int64_t t = std::stoll(std::string(line.substr(p + 11, 20)));
        if (t > 0 && line.find("\"type\":\"ADDED\"") != std::string_view::npos) {
          mine.push_back((NowNs() - t) / 1e6);
          events++;
        }
        return true;
      });
      ready++;
      clients[i]->Stream("GET", "/api/v1/namespaces/" + ns + "/pods?watch=1&resourceVersion=0&labelSelector=app%3Dwatchbench",
                         "", {}, [&](std::string_view chunk) { return split.Feed(chunk); }, &stop);
      std::lock_guard<std::mutex> l(mu);
      lat.insert(lat.end(), mine.begin(), mine.end());
    });
  }
  while (ready < watchers) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::seconds(2));  // let the streams open
  common::HttpClient writer(Opts(server));
  int n = static_cast<int>(rate * seconds);
  auto start = Clock::now();
  int errors = 0;
  for (int i = 0; i < n; ++i) {
    std::this_thread::sleep_until(start + std::chrono::nanoseconds(static_cast<int64_t>(i * 1e9 / rate)));
    std::string body = Pod("w-" + std::to_string(i), ns, NowNs());
    size_t at = body.find("\"app\":\"bench\"");
    body.replace(at, 13, "\"app\":\"watchbench\"");
    auto r = writer.Do("POST", "/api/v1/namespaces/" + ns + "/pods", body,
                       {{"Content-Type", "application/json"}});
    if (!r.ok() || r->status != 201) errors++;
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));
  stop = true;
  for (auto& t : ws) t.join();
  printf("op=watch watchers=%d rate=%.0f writes=%d deliveries=%lld expected=%lld p50_ms=%.1f p99_ms=%.1f max_ms=%.1f errors=%d\n",
         watchers, rate, n, static_cast<long long>(events.load()),
         static_cast<long long>(n) * watchers, Pct(lat, 0.5), Pct(lat, 0.99), Pct(lat, 1.0), errors);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: load create|get|list|watch --server URL ...\n");
    return 2;
  }
  std::string op = argv[1];
  if (op == "create") return Create(argc, argv);
  if (op == "get") return Get(argc, argv);
  if (op == "list") return List(argc, argv);
  if (op == "watch") return Watch(argc, argv);
  fprintf(stderr, "load: unknown operation '%s'\n", op.c_str());
  return 2;
}
