#include "inputs.h"

#include "common/log.h"
#include "common/metrics.h"
#include "common/objects.h"

namespace proxyrules {

using common::GetPath;
using common::GetString;
using common::Json;
using common::Status;

namespace {

common::metrics::Family<common::metrics::Counter>& InvalidObjects() {
  static auto& f = common::metrics::Registry::Default().AddCounter(
      "proxyrules_invalid_objects_total",
      "Services, EndpointSlices and Endpoints skipped because they are malformed.", {"kind"});
  return f;
}

void Skip(const std::string& kind, const Json& obj, const std::string& reason, LoadStats* stats) {
  std::string ns = GetString(GetPath(obj, {"metadata"}), "namespace");
  std::string name = GetString(GetPath(obj, {"metadata"}), "name");
  LOG_WARNING("Skipping malformed object", {"kind", kind}, {"object", ns + "/" + name},
              {"reason", reason});
  InvalidObjects().With({kind}).Inc();
  ++stats->invalid;
}

}  // namespace

bool ApplyObject(const Json& obj, IPFamily family, Model* model, LoadStats* stats) {
  std::string kind = GetString(obj, "kind");
  const Json& meta = GetPath(obj, {"metadata"});
  std::string ns = GetString(meta, "namespace", "default");
  std::string name = GetString(meta, "name");
  if (kind == "Service") {
    ParsedService p = ParseService(obj, family);
    NamespacedName nn{ns, name};
    if (p.kind == ParsedService::kOk) {
      model->SetService(std::move(p.service));
      ++stats->services;
      return true;
    }
    // Not proxied (or not any more): it must not keep old rules.
    model->RemoveService(nn);
    if (p.kind == ParsedService::kInvalid) {
      Skip(kind, obj, p.reason, stats);
    } else {
      VLOG(2, "Ignoring service", {"service", nn.String()}, {"reason", p.reason});
      ++stats->ignored;
    }
    return false;
  }
  if (kind == "EndpointSlice") {
    ParsedSlices p = ParseEndpointSlice(obj, family);
    if (p.kind == ParsedSlices::kOk) {
      for (auto& s : p.slices) model->SetSlice(std::move(s));
      ++stats->endpoint_slices;
      return true;
    }
    model->RemoveSlice(ns, name);
    if (p.kind == ParsedSlices::kInvalid) {
      Skip(kind, obj, p.reason, stats);
    } else {
      VLOG(2, "Ignoring EndpointSlice", {"slice", ns + "/" + name}, {"reason", p.reason});
      ++stats->ignored;
    }
    return false;
  }
  if (kind == "Endpoints") {
    ParsedSlices p = ParseEndpoints(obj, family);
    NamespacedName nn{ns, name};
    if (p.kind == ParsedSlices::kOk) {
      model->SetEndpoints(nn, std::move(p.slices));
      ++stats->endpoints;
      return true;
    }
    model->RemoveEndpoints(nn);
    if (p.kind == ParsedSlices::kInvalid) {
      Skip(kind, obj, p.reason, stats);
    } else {
      ++stats->ignored;
    }
    return false;
  }
  VLOG(2, "Ignoring object of another kind", {"kind", kind}, {"name", name});
  ++stats->ignored;
  return false;
}

void DeleteObject(const Json& obj, Model* model) {
  std::string kind = GetString(obj, "kind");
  const Json& meta = GetPath(obj, {"metadata"});
  std::string ns = GetString(meta, "namespace", "default");
  std::string name = GetString(meta, "name");
  if (kind == "Service") model->RemoveService({ns, name});
  if (kind == "EndpointSlice") model->RemoveSlice(ns, name);
  if (kind == "Endpoints") model->RemoveEndpoints({ns, name});
}

Status LoadFiles(const std::vector<std::string>& paths, IPFamily family, Model* model,
                 LoadStats* stats) {
  for (const auto& path : paths) {
    auto objs = common::ReadObjects(path);
    if (!objs.ok()) return objs.status();
    for (const auto& obj : *objs) ApplyObject(obj, family, model, stats);
  }
  return Status::Ok();
}

}  // namespace proxyrules
