#include "storage/store.h"

namespace apiserve::storage {

namespace kv = common::kv;
using common::Result;
using common::Status;

namespace {

kv::Compare ModEquals(const std::string& key, int64_t rev) {
  kv::Compare c;
  c.result = kv::Compare::Result::kEqual;
  c.target = kv::Compare::Target::kMod;
  c.key = key;
  c.number = rev;
  return c;
}

kv::RequestOp GetOp(const std::string& key) {
  kv::RangeRequest r;
  r.key = key;
  return kv::RequestOp{r};
}

// The single key read by the failure branch of a txn.
Result<RawObject> FromFailure(const kv::TxnResponse& resp, size_t index = 0) {
  if (resp.responses.size() <= index) return Status::NotFound("");
  const auto* rr = std::get_if<kv::RangeResponse>(&resp.responses[index].op);
  if (!rr || rr->kvs.empty()) return Status::NotFound("");
  return RawObject{rr->kvs[0].key, rr->kvs[0].value, rr->kvs[0].mod_revision};
}

}  // namespace

Result<RawObject> Store::Get(const std::string& key, int64_t revision) {
  kv::RangeRequest r;
  r.key = key;
  r.revision = revision;
  auto resp = kv_->Range(r);
  if (!resp.ok()) return resp.status();
  if (resp->kvs.empty()) return Status::NotFound("");
  auto& k = resp->kvs[0];
  return RawObject{std::move(k.key), std::move(k.value), k.mod_revision};
}

Result<ListResult> Store::List(const std::string& start, const std::string& end,
                               int64_t revision, int64_t limit) {
  kv::RangeRequest r;
  r.key = start;
  r.range_end = end;
  r.revision = revision;
  r.limit = limit;
  auto resp = kv_->Range(r);
  if (!resp.ok()) return resp.status();
  ListResult out;
  out.revision = resp->revision;
  out.more = resp->more;
  out.items.reserve(resp->kvs.size());
  for (auto& k : resp->kvs)
    out.items.push_back(RawObject{std::move(k.key), std::move(k.value), k.mod_revision});
  if (out.more) out.remaining = resp->count - static_cast<int64_t>(out.items.size());
  return out;
}

Result<int64_t> Store::CurrentRevision() {
  // A single-key read of a key nobody writes returns the header revision.
  kv::RangeRequest r;
  r.key = "/\x01kubix-revision-probe";
  r.count_only = true;
  auto resp = kv_->Range(r);
  if (!resp.ok()) return resp.status();
  return resp->revision;
}

Result<int64_t> Store::Create(const std::vector<KeyWrite>& writes) {
  kv::TxnRequest t;
  for (const auto& w : writes) {
    t.compare.push_back(ModEquals(w.key, 0));
    kv::PutRequest p;
    p.key = w.key;
    p.value = w.value;
    t.success.push_back(kv::RequestOp{p});
    t.failure.push_back(GetOp(w.key));
  }
  auto resp = kv_->Txn(t);
  if (!resp.ok()) return resp.status();
  if (resp->succeeded) return resp->revision;
  for (size_t i = 0; i < writes.size(); ++i) {
    if (FromFailure(*resp, i).ok()) return Status::AlreadyExists(writes[i].key);
  }
  // Raced with a delete of an existing key: report the first one.
  return Status::AlreadyExists(writes[0].key);
}

Result<int64_t> Store::Update(const std::string& key, const std::string& value, int64_t expected,
                              const std::vector<std::string>& deletes,
                              std::optional<Result<RawObject>>* current,
                              const std::vector<KeyWrite>& creates) {
  kv::TxnRequest t;
  t.compare.push_back(ModEquals(key, expected));
  for (const auto& c : creates) {
    t.compare.push_back(ModEquals(c.key, 0));
    kv::PutRequest p;
    p.key = c.key;
    p.value = c.value;
    t.success.push_back(kv::RequestOp{p});
  }
  kv::PutRequest p;
  p.key = key;
  p.value = value;
  t.success.push_back(kv::RequestOp{p});
  for (const auto& d : deletes) {
    kv::DeleteRangeRequest dr;
    dr.key = d;
    t.success.push_back(kv::RequestOp{dr});
  }
  t.failure.push_back(GetOp(key));
  for (const auto& c : creates) t.failure.push_back(GetOp(c.key));
  auto resp = kv_->Txn(t);
  if (!resp.ok()) return resp.status();
  if (resp->succeeded) return resp->revision;
  auto now = FromFailure(*resp);
  if (now.ok() && now->mod_revision == expected) {
    for (size_t i = 0; i < creates.size(); ++i)
      if (FromFailure(*resp, i + 1).ok()) return Status::AlreadyExists(creates[i].key);
  }
  if (current) *current = std::move(now);
  return Status::Conflict("");
}

Result<int64_t> Store::Delete(const std::string& key, int64_t expected,
                              const std::vector<std::string>& also,
                              std::optional<Result<RawObject>>* current) {
  kv::TxnRequest t;
  t.compare.push_back(ModEquals(key, expected));
  kv::DeleteRangeRequest dr;
  dr.key = key;
  t.success.push_back(kv::RequestOp{dr});
  for (const auto& d : also) {
    kv::DeleteRangeRequest x;
    x.key = d;
    t.success.push_back(kv::RequestOp{x});
  }
  t.failure.push_back(GetOp(key));
  auto resp = kv_->Txn(t);
  if (!resp.ok()) return resp.status();
  if (resp->succeeded) return resp->revision;
  if (current) *current = FromFailure(*resp);
  return Status::Conflict("");
}

Status Store::DeleteKey(const std::string& key) {
  kv::DeleteRangeRequest dr;
  dr.key = key;
  auto r = kv_->DeleteRange(dr);
  return r.ok() ? Status::Ok() : r.status();
}

Result<RawObject> Store::GuaranteedUpdate(const std::string& key, bool create_if_missing,
                                          const UpdateFn& fn) {
  std::optional<RawObject> cur;
  {
    auto g = Get(key);
    if (g.ok()) {
      cur = std::move(g).value();
    } else if (!g.status().IsNotFound()) {
      return g.status();
    }
  }
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto next = fn(cur);
    if (!next.ok()) return next.status();
    if (!cur) {
      if (!create_if_missing) return Status::NotFound("");
      auto rev = Create({KeyWrite{key, *next}});
      if (rev.ok()) return RawObject{key, std::move(next).value(), *rev};
      if (!rev.status().IsAlreadyExists()) return rev.status();
      auto g = Get(key);
      if (g.ok()) cur = std::move(g).value();
      continue;
    }
    if (*next == cur->value) return *cur;  // no-op update: nothing written
    std::optional<Result<RawObject>> now;
    auto rev = Update(key, *next, cur->mod_revision, {}, &now);
    if (rev.ok()) return RawObject{key, std::move(next).value(), *rev};
    if (!rev.status().IsConflict()) return rev.status();
    if (now && now->ok()) {
      cur = std::move(*now).value();
    } else {
      cur.reset();
    }
  }
  return Status::Conflict("too many concurrent updates");
}

}  // namespace apiserve::storage
