// Objects over a kv::KV with optimistic concurrency: creates are txns
// requiring mod_revision == 0, updates and deletes are txns comparing the
// mod_revision they read, so two apiserve instances sharing a store never
// lose or double a write.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/kv.h"
#include "common/status.h"

namespace apiserve::storage {

// One object as read from the store: the stored bytes (no resourceVersion)
// and the revision that last modified it.
struct RawObject {
  std::string key;
  std::string value;
  int64_t mod_revision = 0;
};

struct ListResult {
  std::vector<RawObject> items;
  int64_t revision = 0;  // the revision the list was read at
  bool more = false;     // items were left out because of the limit
  int64_t remaining = 0; // keys left after this page (when more)
};

// A key that must not exist for a create to succeed, with what to write there.
struct KeyWrite {
  std::string key;
  std::string value;
};

// Thread-safe (the KV is).
class Store {
 public:
  // REQUIRES: kv outlives the Store.
  explicit Store(common::kv::KV* kv) : kv_(kv) {}

  common::kv::KV* kv() const { return kv_; }

  // NotFound when absent. revision > 0 reads at that revision.
  common::Result<RawObject> Get(const std::string& key, int64_t revision = 0);

  // Keys in [start, end) at `revision` (0 = latest), at most `limit` (0 = all).
  common::Result<ListResult> List(const std::string& start, const std::string& end,
                                  int64_t revision, int64_t limit);

  // The store's current revision.
  common::Result<int64_t> CurrentRevision();

  // Writes every entry of `writes` in one txn, if none of their keys exists.
  // Returns the revision, or AlreadyExists with the first key that exists as
  // the message.
  common::Result<int64_t> Create(const std::vector<KeyWrite>& writes);

  // Replaces `key` if its mod_revision is still `expected`. Deletes every key
  // of `deletes` and creates every entry of `creates` (which must not exist)
  // in the same txn. On a mismatch of `key` returns Conflict and, when
  // `current` is given, fills it with what is stored now (NotFound if gone);
  // when one of `creates` exists, AlreadyExists naming it.
  common::Result<int64_t> Update(const std::string& key, const std::string& value,
                                 int64_t expected, const std::vector<std::string>& deletes = {},
                                 std::optional<common::Result<RawObject>>* current = nullptr,
                                 const std::vector<KeyWrite>& creates = {});

  // Deletes `key` (and `also`) if key's mod_revision is still `expected`.
  common::Result<int64_t> Delete(const std::string& key, int64_t expected,
                                 const std::vector<std::string>& also = {},
                                 std::optional<common::Result<RawObject>>* current = nullptr);

  // Deletes `key` whatever its revision (allocator bookkeeping).
  common::Status DeleteKey(const std::string& key);

  // Reads `key`, calls `fn` with it and writes what fn returns, retrying on
  // conflicting writes by others (upstream's GuaranteedUpdate). fn returns the
  // new value, or a non-OK Status to stop. `fn` gets nullopt when the key does
  // not exist and may then return a value to create it (if `create_if_missing`).
  using UpdateFn =
      std::function<common::Result<std::string>(const std::optional<RawObject>& current)>;
  common::Result<RawObject> GuaranteedUpdate(const std::string& key, bool create_if_missing,
                                             const UpdateFn& fn);

 private:
  common::kv::KV* kv_;
};

}  // namespace apiserve::storage
