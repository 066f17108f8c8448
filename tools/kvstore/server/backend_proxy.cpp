#include <fstream>

#include "backend.h"

namespace kvstore {
namespace {

class ProxyBackend : public Backend {
 public:
  explicit ProxyBackend(std::unique_ptr<common::EtcdClient> c) : client_(std::move(c)) {}
  common::kv::KV& kv() override { return *client_; }
  int64_t CurrentRevision() override {
    common::kv::RangeRequest r{std::string(1, '\0')};
    r.count_only = true;
    auto res = client_->Range(r);
    return res.ok() ? res->revision : 0;
  }
  common::Status SnapshotTo(const std::string& path) override {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return common::Status::Internal("cannot create '" + path + "'");
    return client_->Snapshot([&](std::string_view d) {
      out.write(d.data(), static_cast<std::streamsize>(d.size()));
      return static_cast<bool>(out);
    });
  }
  common::Status Defragment() override { return client_->Defragment(-1); }
  std::vector<std::string> Alarms() override {
    std::vector<std::string> out;
    if (auto a = client_->AlarmList(); a.ok())
      for (auto& m : *a) out.emplace_back(common::etcd::AlarmName(m.alarm));
    return out;
  }
  common::Status DisarmAlarms() override { return client_->AlarmDisarm().status(); }
  bool blocking_reads() const override { return true; }

 private:
  std::unique_ptr<common::EtcdClient> client_;
};

}  // namespace

std::unique_ptr<Backend> MakeProxyBackend(std::unique_ptr<common::EtcdClient> client) {
  return std::make_unique<ProxyBackend>(std::move(client));
}

}  // namespace kvstore
