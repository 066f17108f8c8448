#include "common/metrics.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace common::metrics {
namespace {

void AtomicAdd(std::atomic<double>& a, double v) {
  double cur = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
  }
}

std::string EscapeLabel(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string EscapeHelp(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

// {a="x",b="y"} plus an optional extra pair (le for buckets).
std::string Labels(const std::vector<std::string>& names, const std::vector<std::string>& values,
                   const char* extra_name = nullptr, const std::string& extra_value = "") {
  if (names.empty() && !extra_name) return "";
  std::string out = "{";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    out += names[i] + "=\"" + EscapeLabel(values[i]) + "\"";
  }
  if (extra_name) {
    if (!names.empty()) out += ',';
    out += std::string(extra_name) + "=\"" + extra_value + "\"";
  }
  return out + "}";
}

}  // namespace

void Counter::Inc(double v) { AtomicAdd(value_, v); }
double Counter::Value() const { return value_.load(std::memory_order_relaxed); }
void Gauge::Inc(double v) { AtomicAdd(value_, v); }

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::Observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, v);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::Snapshot(std::vector<uint64_t>* cumulative, double* sum, uint64_t* count) const {
  cumulative->assign(bounds_.size() + 1, 0);
  uint64_t acc = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    acc += counts_[i].load(std::memory_order_relaxed);
    (*cumulative)[i] = acc;
  }
  *sum = sum_.load(std::memory_order_relaxed);
  *count = acc;
}

std::vector<double> DefaultBuckets() {
  return {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};
}

std::vector<double> ExponentialBuckets(double start, double factor, int count) {
  std::vector<double> b;
  for (int i = 0; i < count; ++i, start *= factor) b.push_back(start);
  return b;
}

std::string FormatValue(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  // Shortest form that round-trips, as Go's strconv.FormatFloat(v, 'g', -1, 64).
  for (int prec = 1; prec <= 17; ++prec) {
    char b2[32];
    std::snprintf(b2, sizeof b2, "%.*g", prec, v);
    if (std::strtod(b2, nullptr) == v) return b2;
  }
  return buf;
}

Family<Counter>& Registry::AddCounter(const std::string& name, const std::string& help,
                                      std::vector<std::string> labels) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = families_[name];
  if (!e.counters) {
    e.type = Type::kCounter;
    e.help = help;
    e.counters = std::make_unique<Family<Counter>>(std::move(labels),
                                                   [] { return std::make_unique<Counter>(); });
  }
  return *e.counters;
}

Family<Gauge>& Registry::AddGauge(const std::string& name, const std::string& help,
                                  std::vector<std::string> labels) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = families_[name];
  if (!e.gauges) {
    e.type = Type::kGauge;
    e.help = help;
    e.gauges = std::make_unique<Family<Gauge>>(std::move(labels),
                                               [] { return std::make_unique<Gauge>(); });
  }
  return *e.gauges;
}

Family<Histogram>& Registry::AddHistogram(const std::string& name, const std::string& help,
                                          std::vector<std::string> labels,
                                          std::vector<double> bounds) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = families_[name];
  if (!e.histograms) {
    e.type = Type::kHistogram;
    e.help = help;
    e.histograms = std::make_unique<Family<Histogram>>(
        std::move(labels), [bounds] { return std::make_unique<Histogram>(bounds); });
  }
  return *e.histograms;
}

void Registry::AddCollector(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  collectors_.push_back(std::move(fn));
}

std::string Registry::Expose() const {
  std::vector<std::function<void()>> collectors;
  {
    std::lock_guard<std::mutex> lock(mu_);
    collectors = collectors_;
  }
  for (auto& fn : collectors) fn();
  std::string out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [name, e] : families_) {
    const char* type = e.type == Type::kCounter ? "counter"
                       : e.type == Type::kGauge ? "gauge"
                                                : "histogram";
    std::string body;
    if (e.counters) {
      const auto& names = e.counters->label_names();
      e.counters->ForEach([&](const std::vector<std::string>& values, const Counter& c) {
        body += name + Labels(names, values) + " " + FormatValue(c.Value()) + "\n";
      });
    } else if (e.gauges) {
      const auto& names = e.gauges->label_names();
      e.gauges->ForEach([&](const std::vector<std::string>& values, const Gauge& g) {
        body += name + Labels(names, values) + " " + FormatValue(g.Value()) + "\n";
      });
    } else if (e.histograms) {
      const auto& names = e.histograms->label_names();
      e.histograms->ForEach([&](const std::vector<std::string>& values, const Histogram& h) {
        std::vector<uint64_t> cum;
        double sum;
        uint64_t count;
        h.Snapshot(&cum, &sum, &count);
        for (size_t i = 0; i < h.bounds().size(); ++i)
          body += name + "_bucket" + Labels(names, values, "le", FormatValue(h.bounds()[i])) +
                  " " + std::to_string(cum[i]) + "\n";
        body += name + "_bucket" + Labels(names, values, "le", "+Inf") + " " +
                std::to_string(count) + "\n";
        body += name + "_sum" + Labels(names, values) + " " + FormatValue(sum) + "\n";
        body += name + "_count" + Labels(names, values) + " " + std::to_string(count) + "\n";
      });
    }
    // The Go client omits families that have no samples yet; so do we.
    if (body.empty()) continue;
    out += "# HELP " + name + " " + EscapeHelp(e.help) + "\n";
    out += "# TYPE " + name + " " + type + "\n";
    out += body;
  }
  return out;
}

Registry& Registry::Default() {
  static Registry* r = new Registry();
  return *r;
}

}  // namespace common::metrics
