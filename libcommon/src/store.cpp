#include "common/store.h"

#include <algorithm>

#include "common/packed_json.h"

namespace common {

std::string MetaNamespaceKey(std::string_view ns, std::string_view name) {
  if (ns.empty()) return std::string(name);
  std::string key;
  key.reserve(ns.size() + 1 + name.size());
  key.append(ns);
  key += '/';
  key.append(name);
  return key;
}

std::string MetaNamespaceKey(const Json& object) {
  const Json& md = Get(object, "metadata");
  return MetaNamespaceKey(GetString(md, "namespace"), GetString(md, "name"));
}

std::pair<std::string, std::string> SplitMetaNamespaceKey(std::string_view key) {
  size_t slash = key.find('/');
  if (slash == std::string_view::npos) return {"", std::string(key)};
  return {std::string(key.substr(0, slash)), std::string(key.substr(slash + 1))};
}

std::vector<std::string> IndexByNamespace(const Json& object) {
  std::string ns = GetString(Get(object, "metadata"), "namespace");
  if (ns.empty()) return {};
  return {std::move(ns)};
}

std::vector<std::string> IndexByOwnerUid(const Json& object) {
  std::vector<std::string> out;
  const Json& refs = GetPath(object, {"metadata", "ownerReferences"});
  if (!refs.is_array()) return out;
  for (const auto& ref : refs) {
    std::string uid = GetString(ref, "uid");
    if (!uid.empty()) out.push_back(std::move(uid));
  }
  return out;
}

std::vector<std::string> IndexByControllerUid(const Json& object) {
  const Json& refs = GetPath(object, {"metadata", "ownerReferences"});
  if (!refs.is_array()) return {};
  for (const auto& ref : refs)
    if (GetBool(ref, "controller")) {
      std::string uid = GetString(ref, "uid");
      if (!uid.empty()) return {std::move(uid)};
    }
  return {};
}

std::vector<std::string> IndexByNodeName(const Json& object) {
  std::string node = GetString(Get(object, "spec"), "nodeName");
  if (node.empty()) return {};
  return {std::move(node)};
}

Store::Store(Indexers indexers, StoreEncoding encoding) : encoding_(encoding) {
  for (auto& [name, fn] : indexers) indexes_[name].fn = std::move(fn);
}

Store::Item Store::Encode(ObjectPtr object) const {
  if (encoding_ == StoreEncoding::kJson) return {std::move(object), nullptr};
  std::string packed = PackJson(*object);
  packed.shrink_to_fit();
  return {nullptr, std::make_shared<const std::string>(std::move(packed))};
}

ObjectPtr Store::Decode(const Item& item) {
  if (!item.packed) return item.object;
  return std::make_shared<const Json>(UnpackJson(*item.packed));
}

std::vector<ObjectPtr> Store::DecodeAll(const std::vector<Item>& items) {
  std::vector<ObjectPtr> out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(Decode(item));
  return out;
}

Status Store::AddIndexers(Indexers indexers) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  for (const auto& [name, fn] : indexers)
    if (indexes_.count(name)) return Status::AlreadyExists("indexer conflict: " + name);
  for (auto& [name, fn] : indexers) {
    Index& idx = indexes_[name];
    idx.fn = std::move(fn);
    for (const auto& [key, item] : items_)
      for (auto& v : idx.fn(*Decode(item))) idx.values[v].insert(key);
  }
  return Status::Ok();
}

bool Store::HasIndex(std::string_view name) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return indexes_.find(name) != indexes_.end();
}

void Store::FileLocked(const std::string& key, const Json* old_obj, const Json* new_obj) {
  for (auto& [name, idx] : indexes_) {
    std::vector<std::string> old_values, new_values;
    if (old_obj) old_values = idx.fn(*old_obj);
    if (new_obj) new_values = idx.fn(*new_obj);
    // The common case, an update that keeps its index values, costs no map work.
    if (old_values == new_values) continue;
    for (const auto& v : old_values) {
      if (std::find(new_values.begin(), new_values.end(), v) != new_values.end()) continue;
      auto it = idx.values.find(v);
      if (it == idx.values.end()) continue;
      it->second.erase(key);
      if (it->second.empty()) idx.values.erase(it);
    }
    for (const auto& v : new_values) idx.values[v].insert(key);
  }
}

ObjectPtr Store::Upsert(ObjectPtr object) {
  std::string key = MetaNamespaceKey(*object);
  Item fresh = Encode(object);
  std::unique_lock<std::shared_mutex> lock(mu_);
  Item& slot = items_[key];
  // Decoded under the lock: its index values must be the ones filed.
  ObjectPtr old = Decode(slot);
  FileLocked(key, old.get(), object.get());
  slot = std::move(fresh);
  return old;
}

ObjectPtr Store::Remove(const std::string& key) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  auto it = items_.find(key);
  if (it == items_.end()) return nullptr;
  ObjectPtr old = Decode(it->second);
  items_.erase(it);
  FileLocked(key, old.get(), nullptr);
  return old;
}

ObjectPtr Store::Get(const std::string& key) const {
  Item item;
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto it = items_.find(key);
    if (it == items_.end()) return nullptr;
    item = it->second;
  }
  // Decoding happens after the lock is released, so slow reads never hold
  // up the writer.
  return Decode(item);
}

std::vector<ObjectPtr> Store::List() const {
  std::vector<Item> items;
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    items.reserve(items_.size());
    for (const auto& [k, v] : items_) items.push_back(v);
  }
  return DecodeAll(items);
}

std::vector<ObjectPtr> Store::List(std::string_view ns) const {
  if (ns.empty()) return List();
  if (HasIndex(kNamespaceIndex)) return ByIndex(kNamespaceIndex, ns);
  std::vector<Item> items;
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    for (const auto& [k, v] : items_)
      if (k.size() > ns.size() && k.compare(0, ns.size(), ns) == 0 && k[ns.size()] == '/')
        items.push_back(v);
  }
  return DecodeAll(items);
}

std::vector<std::string> Store::ListKeys() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  std::vector<std::string> out;
  out.reserve(items_.size());
  for (const auto& [k, v] : items_) out.push_back(k);
  return out;
}

size_t Store::size() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return items_.size();
}

std::vector<ObjectPtr> Store::ByIndex(std::string_view index, std::string_view value) const {
  std::vector<Item> items;
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto idx = indexes_.find(index);
    if (idx == indexes_.end()) return {};
    auto keys = idx->second.values.find(std::string(value));
    if (keys == idx->second.values.end()) return {};
    items.reserve(keys->second.size());
    for (const auto& k : keys->second) {
      auto it = items_.find(k);
      if (it != items_.end()) items.push_back(it->second);
    }
  }
  return DecodeAll(items);
}

std::vector<std::string> Store::IndexKeys(std::string_view index, std::string_view value) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  auto idx = indexes_.find(index);
  if (idx == indexes_.end()) return {};
  auto keys = idx->second.values.find(std::string(value));
  if (keys == idx->second.values.end()) return {};
  return {keys->second.begin(), keys->second.end()};
}

std::vector<std::string> Store::ListIndexValues(std::string_view index) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  auto idx = indexes_.find(index);
  if (idx == indexes_.end()) return {};
  std::vector<std::string> out;
  for (const auto& [v, keys] : idx->second.values) out.push_back(v);
  return out;
}

}  // namespace common
