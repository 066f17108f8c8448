#include "volumes.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/base64.h"
#include "common/file.h"
#include "common/quantity.h"
#include "common/strings.h"

namespace nodeagent {

using common::Json;

namespace {

std::string Quoted(const std::map<std::string, std::string>& m) {
  // The downward API's format for labels and annotations: key="value" lines, sorted.
  std::string out;
  for (const auto& [k, v] : m) {
    std::string esc;
    for (char c : v) {
      if (c == '"' || c == '\\') esc += '\\';
      if (c == '\n') {
        esc += "\\n";
        continue;
      }
      esc += c;
    }
    out += k + "=\"" + esc + "\"\n";
  }
  if (!out.empty()) out.pop_back();
  return out;
}

common::Status Failed(const std::string& volume, const std::string& why) {
  return common::Status::Unavailable("MountVolume.SetUp failed for volume \"" + volume +
                                     "\" : " + why);
}

// Rejects paths that would leave the volume directory.
bool SafeRelative(const std::string& p) {
  if (p.empty() || p[0] == '/') return false;
  for (const auto& part : common::Split(p, '/'))
    if (part == "..") return false;
  return true;
}

common::Status WriteItem(const std::string& dir, const std::string& rel, std::string_view data,
                         int mode) {
  std::string path = dir + "/" + rel;
  auto slash = path.rfind('/');
  RETURN_IF_ERROR(common::MakeDirs(path.substr(0, slash)));
  return common::WriteFileAtomic(path, data, mode);
}

int ItemMode(const Json& item, const Json& volume_src) {
  if (common::Get(item, "mode").is_number_integer()) return static_cast<int>(common::GetInt(item, "mode"));
  if (common::Get(volume_src, "defaultMode").is_number_integer())
    return static_cast<int>(common::GetInt(volume_src, "defaultMode"));
  return 0644;
}

// configMap/secret: keys (or the listed items) become files.
common::Status WriteKeys(const std::string& vol, const std::string& dir, const Json& src,
                         const Json& obj, bool secret, bool optional_missing) {
  if (optional_missing) return common::Status::Ok();
  std::map<std::string, std::string> data;
  for (const char* field : {"data", "binaryData"}) {
    const Json& d = common::Get(obj, field);
    if (!d.is_object()) continue;
    for (auto it = d.begin(); it != d.end(); ++it) {
      std::string v = it.value().is_string() ? it.value().get<std::string>() : "";
      if (secret || std::string_view(field) == "binaryData") {
        auto decoded = common::Base64Decode(v);
        data[it.key()] = decoded ? *decoded : v;
      } else {
        data[it.key()] = v;
      }
    }
  }
  const Json& items = common::Get(src, "items");
  if (items.is_array() && !items.empty()) {
    for (const auto& item : items) {
      std::string key = common::GetString(item, "key"), path = common::GetString(item, "path", key);
      auto it = data.find(key);
      if (it == data.end()) {
        if (common::GetBool(src, "optional")) continue;
        return Failed(vol, "configmap references non-existent config key: " + key);
      }
      if (!SafeRelative(path)) return Failed(vol, "invalid path " + path);
      RETURN_IF_ERROR(WriteItem(dir, path, it->second, ItemMode(item, src)));
    }
  } else {
    for (const auto& [k, v] : data) RETURN_IF_ERROR(WriteItem(dir, k, v, ItemMode(Json(), src)));
  }
  return common::Status::Ok();
}

common::Status WriteDownward(const std::string& vol, const std::string& dir, const Json& src,
                             const PodSpec& pod, const DownwardContext& ctx) {
  for (const auto& item : common::Get(src, "items")) {
    std::string path = common::GetString(item, "path");
    if (!SafeRelative(path)) return Failed(vol, "invalid path " + path);
    common::Result<std::string> value = std::string();
    if (const Json& f = common::Get(item, "fieldRef"); f.is_object()) {
      value = FieldRefValue(pod, ctx, common::GetString(f, "fieldPath"));
    } else if (const Json& r = common::Get(item, "resourceFieldRef"); r.is_object()) {
      value = ResourceFieldValue(pod, ctx, common::GetString(r, "containerName"),
                                 common::GetString(r, "resource"), common::Get(r, "divisor"));
    }
    if (!value.ok()) return Failed(vol, value.status().message());
    RETURN_IF_ERROR(WriteItem(dir, path, *value, ItemMode(item, src)));
  }
  return common::Status::Ok();
}

common::Status CheckHostPath(const std::string& vol, const std::string& path,
                             const std::string& type) {
  struct stat st;
  bool exists = stat(path.c_str(), &st) == 0;
  auto fail = [&](const std::string& what) {
    return Failed(vol, "hostPath type check failed: " + path + " is not " + what);
  };
  if (type.empty()) return common::Status::Ok();
  if (type == "DirectoryOrCreate") {
    if (!exists) {
      auto st2 = common::MakeDirs(path, 0755);
      if (!st2.ok()) return Failed(vol, st2.message());
      return common::Status::Ok();
    }
    return S_ISDIR(st.st_mode) ? common::Status::Ok() : fail("a directory");
  }
  if (type == "Directory") return exists && S_ISDIR(st.st_mode) ? common::Status::Ok() : fail("a directory");
  if (type == "FileOrCreate") {
    if (!exists) {
      int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0) return Failed(vol, common::Status::FromErrno(errno, "create", path).message());
      close(fd);
      return common::Status::Ok();
    }
    return S_ISREG(st.st_mode) ? common::Status::Ok() : fail("a file");
  }
  if (type == "File") return exists && S_ISREG(st.st_mode) ? common::Status::Ok() : fail("a file");
  if (type == "Socket") return exists && S_ISSOCK(st.st_mode) ? common::Status::Ok() : fail("a socket file");
  if (type == "CharDevice")
    return exists && S_ISCHR(st.st_mode) ? common::Status::Ok() : fail("a character device");
  if (type == "BlockDevice")
    return exists && S_ISBLK(st.st_mode) ? common::Status::Ok() : fail("a block device");
  return Failed(vol, "invalid hostPath type \"" + type + "\"");
}

bool IsMountPoint(const std::string& path) {
  struct stat a, b;
  if (stat(path.c_str(), &a) != 0 || stat((path + "/..").c_str(), &b) != 0) return false;
  return a.st_dev != b.st_dev;
}

}  // namespace

common::Result<std::string> FieldRefValue(const PodSpec& pod, const DownwardContext& ctx,
                                          const std::string& path) {
  if (path == "metadata.name") return pod.name;
  if (path == "metadata.namespace") return pod.ns;
  if (path == "metadata.uid") return pod.uid;
  if (path == "metadata.labels") return Quoted(pod.labels);
  if (path == "metadata.annotations") return Quoted(pod.annotations);
  for (auto [prefix, map] : {std::pair{"metadata.labels['", &pod.labels},
                             std::pair{"metadata.annotations['", &pod.annotations}}) {
    std::string p = prefix;
    if (path.rfind(p, 0) == 0 && path.size() > p.size() + 2 && path.substr(path.size() - 2) == "']") {
      std::string key = path.substr(p.size(), path.size() - p.size() - 2);
      auto it = map->find(key);
      return it == map->end() ? std::string() : it->second;
    }
  }
  if (path == "spec.nodeName") return pod.node_name.empty() ? ctx.node_name : pod.node_name;
  if (path == "spec.serviceAccountName") return pod.service_account_name;
  if (path == "status.hostIP" || path == "status.hostIPs") return ctx.host_ip;
  if (path == "status.podIP" || path == "status.podIPs") return ctx.pod_ip;
  return common::Status::BadRequest("unsupported fieldPath: " + path);
}

common::Result<std::string> ResourceFieldValue(const PodSpec& pod, const DownwardContext& ctx,
                                               const std::string& container,
                                               const std::string& resource,
                                               const common::Json& divisor_json) {
  const ContainerSpec* c = pod.FindContainer(container);
  if (!c) return common::Status::BadRequest("container " + container + " not found");
  auto dot = resource.find('.');
  if (dot == std::string::npos) return common::Status::BadRequest("unsupported resource " + resource);
  std::string kind = resource.substr(0, dot), name = resource.substr(dot + 1);
  const auto& list = kind == "limits" ? c->resources.limits : c->resources.requests;
  common::Quantity q;
  auto it = list.find(name);
  if (it != list.end()) {
    q = it->second;
  } else if (kind == "limits" && name == "cpu") {
    q = common::Quantity::FromMilli(ctx.node_allocatable_cpu_milli);
  } else if (kind == "limits" && name == "memory") {
    q = common::Quantity::FromInt(ctx.node_allocatable_memory);
  }
  common::Quantity divisor = common::Quantity::FromInt(1);
  if (!divisor_json.is_null()) {
    auto d = common::Quantity::FromJson(divisor_json);
    if (d.ok() && !d->IsZero()) divisor = *d;
  }
  // Upstream rounds up: ceil(value / divisor), at least 1 for cpu when the value is non-zero.
  __int128 num = q.NanoValue(), den = divisor.NanoValue();
  __int128 v = (num + den - 1) / den;
  if (name == "cpu" && num > 0 && v == 0) v = 1;
  return std::to_string(static_cast<int64_t>(v));
}

common::Result<std::map<std::string, PreparedVolume>> PrepareVolumes(
    const PodSpec& pod, const std::string& pod_dir, const DownwardContext& ctx,
    const ObjectLookup& lookup) {
  std::map<std::string, PreparedVolume> out;
  std::string vdir = pod_dir + "/volumes";
  for (const Json& v : pod.volumes) {
    PreparedVolume pv;
    pv.name = common::GetString(v, "name");
    if (const Json& e = common::Get(v, "emptyDir"); e.is_object()) {
      pv.host_path = vdir + "/kubernetes.io~empty-dir/" + pv.name;
      RETURN_IF_ERROR(common::MakeDirs(pv.host_path, 0777));
      chmod(pv.host_path.c_str(), 0777);
      if (common::GetString(e, "medium") == "Memory" && !IsMountPoint(pv.host_path)) {
        std::string opts;
        if (!common::Get(e, "sizeLimit").is_null())
          if (auto q = common::Quantity::FromJson(common::Get(e, "sizeLimit")); q.ok())
            opts = "size=" + std::to_string(q->Value());
        if (mount("tmpfs", pv.host_path.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
                  opts.empty() ? nullptr : opts.c_str()) != 0)
          return Failed(pv.name, common::Status::FromErrno(errno, "mount tmpfs on", pv.host_path).message());
      }
    } else if (const Json& h = common::Get(v, "hostPath"); h.is_object()) {
      pv.host_path = common::GetString(h, "path");
      RETURN_IF_ERROR(CheckHostPath(pv.name, pv.host_path, common::GetString(h, "type")));
    } else if (const Json& d = common::Get(v, "downwardAPI"); d.is_object()) {
      pv.host_path = vdir + "/kubernetes.io~downward-api/" + pv.name;
      pv.read_only = true;
      RETURN_IF_ERROR(common::MakeDirs(pv.host_path));
      RETURN_IF_ERROR(WriteDownward(pv.name, pv.host_path, d, pod, ctx));
    } else if (const Json& cm = common::Get(v, "configMap"); cm.is_object()) {
      pv.host_path = vdir + "/kubernetes.io~configmap/" + pv.name;
      pv.read_only = true;
      std::string name = common::GetString(cm, "name");
      auto obj = lookup ? lookup("ConfigMap", pod.ns, name)
                        : common::Result<std::optional<Json>>(std::optional<Json>());
      if (!obj.ok()) return Failed(pv.name, obj.status().message());
      if (!obj->has_value() && !common::GetBool(cm, "optional"))
        return Failed(pv.name, "configmap \"" + name + "\" not found");
      RETURN_IF_ERROR(common::MakeDirs(pv.host_path));
      RETURN_IF_ERROR(WriteKeys(pv.name, pv.host_path, cm, obj->value_or(Json()), false, !obj->has_value()));
    } else if (const Json& s = common::Get(v, "secret"); s.is_object()) {
      pv.host_path = vdir + "/kubernetes.io~secret/" + pv.name;
      pv.read_only = true;
      std::string name = common::GetString(s, "secretName");
      auto obj = lookup ? lookup("Secret", pod.ns, name)
                        : common::Result<std::optional<Json>>(std::optional<Json>());
      if (!obj.ok()) return Failed(pv.name, obj.status().message());
      if (!obj->has_value() && !common::GetBool(s, "optional"))
        return Failed(pv.name, "secret \"" + name + "\" not found");
      RETURN_IF_ERROR(common::MakeDirs(pv.host_path, 0750));
      RETURN_IF_ERROR(WriteKeys(pv.name, pv.host_path, s, obj->value_or(Json()), true, !obj->has_value()));
    } else if (const Json& p = common::Get(v, "projected"); p.is_object()) {
      pv.host_path = vdir + "/kubernetes.io~projected/" + pv.name;
      pv.read_only = true;
      RETURN_IF_ERROR(common::MakeDirs(pv.host_path));
      for (const Json& src : common::Get(p, "sources")) {
        if (const Json& d2 = common::Get(src, "downwardAPI"); d2.is_object()) {
          RETURN_IF_ERROR(WriteDownward(pv.name, pv.host_path, d2, pod, ctx));
        } else if (const Json& c2 = common::Get(src, "configMap"); c2.is_object()) {
          std::string name = common::GetString(c2, "name");
          auto obj = lookup ? lookup("ConfigMap", pod.ns, name)
                            : common::Result<std::optional<Json>>(std::optional<Json>());
          if (!obj.ok()) return Failed(pv.name, obj.status().message());
          if (!obj->has_value() && !common::GetBool(c2, "optional"))
            return Failed(pv.name, "configmap \"" + name + "\" not found");
          RETURN_IF_ERROR(WriteKeys(pv.name, pv.host_path, c2, obj->value_or(Json()), false, !obj->has_value()));
        } else if (const Json& s2 = common::Get(src, "secret"); s2.is_object()) {
          std::string name = common::GetString(s2, "name");
          auto obj = lookup ? lookup("Secret", pod.ns, name)
                            : common::Result<std::optional<Json>>(std::optional<Json>());
          if (!obj.ok()) return Failed(pv.name, obj.status().message());
          if (!obj->has_value() && !common::GetBool(s2, "optional"))
            return Failed(pv.name, "secret \"" + name + "\" not found");
          RETURN_IF_ERROR(WriteKeys(pv.name, pv.host_path, s2, obj->value_or(Json()), true, !obj->has_value()));
        } else if (const Json& t = common::Get(src, "serviceAccountToken"); t.is_object()) {
          std::string path = common::GetString(t, "path", "token");
          if (!SafeRelative(path)) return Failed(pv.name, "invalid path " + path);
          auto tok = lookup ? lookup("ServiceAccountToken", pod.ns, pod.service_account_name)
                            : common::Result<std::optional<Json>>(std::optional<Json>());
          std::string token;
          if (tok.ok() && tok->has_value()) token = common::GetString(**tok, "token");
          RETURN_IF_ERROR(WriteItem(pv.host_path, path, token, 0644));
        }
      }
    } else {
      return Failed(pv.name, "volume type not supported by nodeagent");
    }
    out[pv.name] = pv;
  }
  return out;
}

void UnmountVolumes(const std::string& pod_dir) {
  std::string dir = pod_dir + "/volumes/kubernetes.io~empty-dir";
  DIR* d = opendir(dir.c_str());
  if (!d) return;
  while (struct dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::string p = dir + "/" + e->d_name;
    if (IsMountPoint(p)) umount2(p.c_str(), MNT_DETACH);
  }
  closedir(d);
}

}  // namespace nodeagent
