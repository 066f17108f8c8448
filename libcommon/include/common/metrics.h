// Prometheus metrics: counters, gauges and histograms with labels, and the
// text exposition format (version 0.0.4) served on /metrics.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace common::metrics {

// A monotonically increasing value. Thread-safe, lock-free.
class Counter {
 public:
  void Inc(double v = 1);
  double Value() const;

 private:
  std::atomic<double> value_{0};
};

// A value that goes up and down. Thread-safe, lock-free.
class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Inc(double v = 1);
  void Dec(double v = 1) { Inc(-v); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Cumulative buckets with upper bounds `bounds` (+Inf implied). Thread-safe.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);
  // Snapshot for exposition: per-bucket cumulative counts, sum, count.
  void Snapshot(std::vector<uint64_t>* cumulative, double* sum, uint64_t* count) const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1 slots
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

// Prometheus' default buckets (.005 .. 10 seconds).
std::vector<double> DefaultBuckets();
// `count` buckets starting at `start`, each `factor` times the previous.
std::vector<double> ExponentialBuckets(double start, double factor, int count);

enum class Type { kCounter, kGauge, kHistogram };

// A metric name with a fixed set of label names; With() returns the child for
// one set of label values, creating it on first use. Children live as long as
// the registry, so callers may keep the references. Thread-safe.
template <typename M>
class Family {
 public:
  Family(std::vector<std::string> label_names, std::function<std::unique_ptr<M>()> make)
      : label_names_(std::move(label_names)), make_(std::move(make)) {}
  // REQUIRES: values.size() == number of label names.
  M& With(const std::vector<std::string>& values) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& slot = children_[values];
    if (!slot) slot = make_();
    return *slot;
  }
  // Drops the child for `values` (e.g. a deleted object's series).
  void Remove(const std::vector<std::string>& values) {
    std::lock_guard<std::mutex> lock(mu_);
    children_.erase(values);
  }
  const std::vector<std::string>& label_names() const { return label_names_; }
  // Calls fn(label values, metric) for every child, in label order.
  template <typename F>
  void ForEach(F fn) const {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [values, m] : children_) fn(values, *m);
  }

 private:
  std::vector<std::string> label_names_;
  std::function<std::unique_ptr<M>()> make_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<M>> children_;
};

// A set of metric families, exposed together. Thread-safe.
class Registry {
 public:
  // Registering the same name twice returns the first family.
  Family<Counter>& AddCounter(const std::string& name, const std::string& help,
                              std::vector<std::string> labels = {});
  Family<Gauge>& AddGauge(const std::string& name, const std::string& help,
                          std::vector<std::string> labels = {});
  Family<Histogram>& AddHistogram(const std::string& name, const std::string& help,
                                  std::vector<std::string> labels = {},
                                  std::vector<double> bounds = DefaultBuckets());
  // Runs before each exposition, to refresh gauges computed on demand.
  void AddCollector(std::function<void()> fn);

  // The text exposition of every family, sorted by name.
  std::string Expose() const;

  // The process-wide registry that /metrics serves.
  static Registry& Default();

 private:
  struct Entry {
    Type type;
    std::string help;
    std::unique_ptr<Family<Counter>> counters;
    std::unique_ptr<Family<Gauge>> gauges;
    std::unique_ptr<Family<Histogram>> histograms;
  };
  mutable std::mutex mu_;
  std::map<std::string, Entry> families_;
  std::vector<std::function<void()>> collectors_;
};

// Formats a sample value the way Prometheus' Go client does ("1", "0.25",
// "1e+06", "+Inf").
std::string FormatValue(double v);

}  // namespace common::metrics
