// A thread-safe cache of Kubernetes objects keyed "namespace/name", with
// indexes (client-go's cache.ThreadSafeStore and cache.Indexer): what an
// informer fills and what controllers read instead of asking the server.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace common {

// Cached objects are immutable and shared: a reader keeps its snapshot alive
// for as long as it holds the pointer, however the cache changes meanwhile.
// Never modify one in place: copy it (Json copy = *ptr) to build an update.
using ObjectPtr = std::shared_ptr<const Json>;

// "namespace/name" for namespaced objects, "name" for cluster-scoped ones
// (client-go's MetaNamespaceKeyFunc).
std::string MetaNamespaceKey(const Json& object);
std::string MetaNamespaceKey(std::string_view ns, std::string_view name);
// Splits a key back into {namespace, name}; namespace "" for "name".
std::pair<std::string, std::string> SplitMetaNamespaceKey(std::string_view key);

// Maps an object to the index values it is filed under (none, one or several).
using IndexFunc = std::function<std::vector<std::string>(const Json& object)>;
using Indexers = std::map<std::string, IndexFunc>;

// Well-known indexes. Their names are what Store::ByIndex takes.
inline constexpr std::string_view kNamespaceIndex = "namespace";
inline constexpr std::string_view kOwnerUidIndex = "ownerUID";
inline constexpr std::string_view kControllerUidIndex = "controllerUID";
inline constexpr std::string_view kNodeNameIndex = "spec.nodeName";
// metadata.namespace (nothing for cluster-scoped objects).
std::vector<std::string> IndexByNamespace(const Json& object);
// The uid of every ownerReference.
std::vector<std::string> IndexByOwnerUid(const Json& object);
// The uid of the ownerReference with controller: true.
std::vector<std::string> IndexByControllerUid(const Json& object);
// spec.nodeName when set (pods bound to a node).
std::vector<std::string> IndexByNodeName(const Json& object);

// How a Store keeps its objects.
enum class StoreEncoding {
  // As parsed Json: a read copies a pointer.
  kJson,
  // Serialized (PackJson's MessagePack), about a fifth of the memory of the Json tree
  // (a trimmed pod: 1.4 KB instead of 6.5-8 KB). Every read decodes a fresh
  // copy (a few microseconds a pod, about a Json copy), so it suits big caches whose readers
  // take a few objects at a time (Get, ByIndex), not whole-cache scans.
  kCompact,
};

// Thread-safe: readers share a lock, writers take it alone.
// With StoreEncoding::kCompact every object returned (by reads, Upsert and
// Remove) is a private decoded copy: two reads of one object give equal but
// distinct pointers.
class Store {
 public:
  explicit Store(Indexers indexers = {}, StoreEncoding encoding = StoreEncoding::kJson);
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Adds indexes, filing every object already cached under them.
  // Returns AlreadyExists when a name is taken (nothing is added then).
  Status AddIndexers(Indexers indexers);
  bool HasIndex(std::string_view name) const;
  StoreEncoding encoding() const { return encoding_; }

  // Inserts or replaces the object under its MetaNamespaceKey; returns the
  // object it replaced (null when there was none).
  ObjectPtr Upsert(ObjectPtr object);
  // Removes `key`; returns the removed object (null when absent).
  ObjectPtr Remove(const std::string& key);

  // The object under `key`, or null.
  ObjectPtr Get(const std::string& key) const;
  ObjectPtr Get(std::string_view ns, std::string_view name) const {
    return Get(MetaNamespaceKey(ns, name));
  }
  // Every object, in no particular order.
  std::vector<ObjectPtr> List() const;
  // The objects in namespace `ns` (all when `ns` is empty); uses the
  // namespace index when there is one.
  std::vector<ObjectPtr> List(std::string_view ns) const;
  std::vector<std::string> ListKeys() const;
  size_t size() const;

  // The objects filed under `value` in index `index`; empty when either is
  // unknown.
  std::vector<ObjectPtr> ByIndex(std::string_view index, std::string_view value) const;
  std::vector<std::string> IndexKeys(std::string_view index, std::string_view value) const;
  // Every value index `index` has objects under.
  std::vector<std::string> ListIndexValues(std::string_view index) const;

 private:
  using KeySet = std::unordered_set<std::string>;
  struct Index {
    IndexFunc fn;
    std::unordered_map<std::string, KeySet> values;
  };
  // One cached object: `object` for kJson, `packed` for kCompact.
  struct Item {
    ObjectPtr object;
    std::shared_ptr<const std::string> packed;
  };
  Item Encode(ObjectPtr object) const;
  // The object `item` holds (decoded for kCompact); null for an empty item.
  static ObjectPtr Decode(const Item& item);
  static std::vector<ObjectPtr> DecodeAll(const std::vector<Item>& items);
  // REQUIRES: mu_ held exclusively.
  void FileLocked(const std::string& key, const Json* old_obj, const Json* new_obj);

  const StoreEncoding encoding_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Item> items_;
  std::map<std::string, Index, std::less<>> indexes_;
};

}  // namespace common
