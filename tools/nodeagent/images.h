// Local images: nodeagent pulls nothing. An image reference maps to a
// directory under --image-dir holding an unpacked root filesystem
// (<dir>/<ref> or <dir>/<ref>/rootfs, the reference with or without the
// docker.io/library/ prefix), optionally with an OCI image config.json
// giving the default entrypoint, command, environment and working directory.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"

namespace nodeagent {

struct LocalImage {
  std::string ref;     // fully qualified: "docker.io/library/busybox:1.36"
  std::string rootfs;  // directory to pivot into
  std::vector<std::string> entrypoint, cmd, env;
  std::string working_dir;
};

// "busybox" -> "docker.io/library/busybox:latest"; "registry.k8s.io/pause:3.9"
// stays; digests are kept.
std::string NormalizeImageRef(const std::string& ref);
// The familiar short form: "busybox:1.36", "myorg/app:v1".
std::string FamiliarImageRef(const std::string& ref);

// Thread-safe.
class ImageStore {
 public:
  explicit ImageStore(std::string dir) : dir_(std::move(dir)) {}
  // The local image for `ref`, or nullopt when none is under the directory.
  std::optional<LocalImage> Find(const std::string& ref) const;
  // status.images: [{names: [...], sizeBytes: N}], sizes cached per directory.
  common::Json List();

 private:
  std::string dir_;
  std::mutex mu_;
  std::map<std::string, std::pair<int64_t, int64_t>> size_cache_;  // dir -> (mtime, bytes)
};

}  // namespace nodeagent
