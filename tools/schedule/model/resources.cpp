#include "model/resources.h"

#include <algorithm>

#include "common/quantity.h"

namespace schedule {

namespace {

bool IsNativeName(std::string_view name) {
  return name == "cpu" || name == "memory" || name == "ephemeral-storage" || name == "pods";
}

}  // namespace

bool IsScalarResourceName(std::string_view name) {
  if (IsNativeName(name)) return false;
  return name.find('/') != std::string_view::npos || name.starts_with("hugepages-") ||
         name.starts_with("attachable-volumes-");
}

bool IsExtendedResourceName(std::string_view name) {
  // Native resources have no '/' or live under kubernetes.io/; quota-style
  // "requests." names are never extended resources.
  if (name.find('/') == std::string_view::npos) return false;
  if (name.find("kubernetes.io/") != std::string_view::npos) return false;
  if (name.starts_with("requests.")) return false;
  return true;
}

int64_t Resources::Scalar(std::string_view name) const {
  for (const auto& [n, v] : scalars)
    if (n == name) return v;
  return 0;
}

bool Resources::HasScalar(std::string_view name) const {
  for (const auto& [n, v] : scalars)
    if (n == name) return true;
  return false;
}

void Resources::SetScalar(std::string_view name, int64_t value) {
  auto it = std::lower_bound(scalars.begin(), scalars.end(), name,
                             [](const auto& e, std::string_view n) { return e.first < n; });
  if (it != scalars.end() && it->first == name) {
    it->second = value;
    return;
  }
  scalars.insert(it, {std::string(name), value});
}

int64_t Resources::Get(std::string_view name) const {
  if (name == "cpu") return milli_cpu;
  if (name == "memory") return memory;
  if (name == "ephemeral-storage") return ephemeral_storage;
  if (name == "pods") return pods;
  return Scalar(name);
}

bool Resources::Has(std::string_view name) const {
  if (IsNativeName(name)) return true;
  return HasScalar(name);
}

void Resources::Add(const Resources& o) {
  milli_cpu += o.milli_cpu;
  memory += o.memory;
  ephemeral_storage += o.ephemeral_storage;
  pods += o.pods;
  for (const auto& [n, v] : o.scalars) AddScalar(n, v);
}

void Resources::Sub(const Resources& o) {
  milli_cpu -= o.milli_cpu;
  memory -= o.memory;
  ephemeral_storage -= o.ephemeral_storage;
  pods -= o.pods;
  for (const auto& [n, v] : o.scalars) AddScalar(n, -v);
}

void Resources::SetMax(const Resources& o) {
  milli_cpu = std::max(milli_cpu, o.milli_cpu);
  memory = std::max(memory, o.memory);
  ephemeral_storage = std::max(ephemeral_storage, o.ephemeral_storage);
  for (const auto& [n, v] : o.scalars)
    if (!HasScalar(n) || v > Scalar(n)) SetScalar(n, v);
}

bool Resources::IsZero() const {
  if (milli_cpu != 0 || memory != 0 || ephemeral_storage != 0) return false;
  for (const auto& [n, v] : scalars)
    if (v != 0) return false;
  return true;
}

std::string FormatResource(std::string_view name, int64_t value) {
  if (name == "cpu") {
    if (value % 1000 == 0) return std::to_string(value / 1000);
    return std::to_string(value) + "m";
  }
  bool bytes = name == "memory" || name == "ephemeral-storage" || name.starts_with("hugepages-");
  if (bytes && value != 0) {
    static const char* kSuffix[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    int idx = -1;
    int64_t v = value;
    while (v % 1024 == 0 && idx < 5) {
      v /= 1024;
      ++idx;
    }
    if (idx >= 0) return std::to_string(v) + kSuffix[idx];
  }
  return std::to_string(value);
}

std::string Resources::String() const {
  std::string out;
  auto add = [&](std::string_view n, int64_t v) {
    if (v == 0) return;
    if (!out.empty()) out += ",";
    out += std::string(n) + "=" + FormatResource(n, v);
  };
  add("cpu", milli_cpu);
  add("memory", memory);
  add("ephemeral-storage", ephemeral_storage);
  for (const auto& [n, v] : scalars) add(n, v);
  return out;
}

common::Status ParseResourceList(const common::Json& list, const std::string& field, Resources* out) {
  if (list.is_null()) return common::Status::Ok();
  if (!list.is_object()) return common::Status::Invalid(field + ": must be an object of quantities");
  for (auto it = list.begin(); it != list.end(); ++it) {
    auto q = common::Quantity::FromJson(it.value());
    if (!q.ok())
      return common::Status::Invalid(field + "." + it.key() + ": Invalid value: " +
                                     common::DumpJson(it.value()) + ": " + q.status().message());
    const std::string& name = it.key();
    if (q->Sign() < 0)
      return common::Status::Invalid(field + "." + name + ": Invalid value: \"" + q->String() +
                                     "\": must be greater than or equal to 0");
    if (name == "cpu") {
      out->milli_cpu += q->MilliValue();
    } else if (name == "memory") {
      out->memory += q->Value();
    } else if (name == "ephemeral-storage") {
      out->ephemeral_storage += q->Value();
    } else if (name == "pods") {
      out->pods += q->Value();
    } else if (IsScalarResourceName(name)) {
      out->AddScalar(name, q->Value());
    }
    // Other names (e.g. "storage") do not take part in scheduling, as upstream.
  }
  return common::Status::Ok();
}

}  // namespace schedule
