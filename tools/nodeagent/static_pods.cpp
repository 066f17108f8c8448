#include "static_pods.h"

#include <dirent.h>
#include <openssl/evp.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "common/file.h"
#include "common/log.h"
#include "common/objects.h"
#include "common/timeutil.h"

namespace nodeagent {

using common::Json;

namespace {

std::string Md5Hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_md5(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

bool Manifest(const std::string& name) {
  if (name.empty() || name[0] == '.') return false;
  for (const char* ext : {".yaml", ".yml", ".json"}) {
    std::string e = ext;
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

}  // namespace

common::Result<std::vector<Json>> StaticPodsFromFile(const std::string& file,
                                                     const std::string& node_name) {
  auto objs = common::ReadObjects(file);
  if (!objs.ok()) return objs.status();
  std::vector<Json> out;
  for (Json& pod : *objs) {
    if (common::GetString(pod, "kind") != "Pod") continue;
    if (!pod["metadata"].is_object()) pod["metadata"] = Json::object();
    Json& md = pod["metadata"];
    std::string name = common::GetString(md, "name");
    if (name.empty())
      return common::Status::Invalid(file + ": a static pod needs metadata.name");
    if (common::GetString(md, "namespace").empty()) md["namespace"] = "default";
    md["name"] = name + "-" + node_name;
    if (!pod["spec"].is_object()) pod["spec"] = Json::object();
    pod["spec"]["nodeName"] = node_name;
    // The kubelet hashes the defaulted pod with the node and source; the
    // file content and node name identify it just as well.
    std::string uid = Md5Hex(common::DumpJson(pod) + "\n" + node_name + "\n" + file);
    md["uid"] = uid;
    if (!md["annotations"].is_object()) md["annotations"] = Json::object();
    md["annotations"]["kubernetes.io/config.source"] = "file";
    md["annotations"]["kubernetes.io/config.hash"] = uid;
    md["annotations"]["kubernetes.io/config.seen"] = common::FormatRFC3339(common::Clock::now());
    pod.erase("status");
    out.push_back(std::move(pod));
  }
  return out;
}

StaticPodSource::StaticPodSource(std::string path, std::string node_name,
                                 std::chrono::milliseconds resync, Callback on_change)
    : path_(std::move(path)), node_(std::move(node_name)), resync_(resync),
      on_change_(std::move(on_change)) {}

StaticPodSource::~StaticPodSource() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (inotify_fd_ >= 0) close(inotify_fd_);
}

std::vector<Json> StaticPodSource::Scan() {
  std::vector<std::string> files;
  struct stat st;
  if (stat(path_.c_str(), &st) != 0) return {};
  if (S_ISDIR(st.st_mode)) {
    DIR* d = opendir(path_.c_str());
    if (d) {
      while (struct dirent* e = readdir(d))
        if (Manifest(e->d_name)) files.push_back(path_ + "/" + e->d_name);
      closedir(d);
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path_);
  }
  std::vector<Json> pods;
  std::map<std::string, Cached> next;
  for (const auto& f : files) {
    struct stat fst;
    if (stat(f.c_str(), &fst) != 0) continue;
    auto it = cache_.find(f);
    if (it != cache_.end() && it->second.inode == fst.st_ino && it->second.size == fst.st_size &&
        it->second.mtime.tv_sec == fst.st_mtim.tv_sec && it->second.mtime.tv_nsec == fst.st_mtim.tv_nsec) {
      next[f] = std::move(it->second);
    } else {
      auto got = StaticPodsFromFile(f, node_);
      if (!got.ok()) {
        LOG_ERROR("could not process manifest file", {"path", f}, {"err", got.status().message()});
        continue;
      }
      next[f] = Cached{fst.st_ino, fst.st_size, fst.st_mtim, std::move(got).value()};
    }
    for (const auto& p : next[f].pods) pods.push_back(p);
  }
  cache_ = std::move(next);
  return pods;
}

void StaticPodSource::Start() {
  auto pods = Scan();
  std::string key;
  for (const auto& p : pods) key += common::GetString(p["metadata"], "uid") + ",";
  last_ = key;
  on_change_(std::move(pods));
  inotify_fd_ = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  struct stat st;
  std::string dir = path_;
  if (stat(path_.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) dir = path_.substr(0, path_.rfind('/') + 1);
  if (inotify_fd_ >= 0)
    inotify_add_watch(inotify_fd_, dir.empty() ? "." : dir.c_str(),
                      IN_CREATE | IN_DELETE | IN_MODIFY | IN_MOVED_TO | IN_MOVED_FROM |
                          IN_CLOSE_WRITE | IN_ATTRIB);
  thread_ = std::thread([this] { Loop(); });
}

void StaticPodSource::Loop() {
  auto next_resync = std::chrono::steady_clock::now() + resync_;
  char buf[4096];
  while (!stop_) {
    struct pollfd p = {inotify_fd_, POLLIN, 0};
    int n = poll(&p, 1, 200);
    bool changed = false;
    if (n > 0) {
      while (read(inotify_fd_, buf, sizeof buf) > 0) {
      }
      // Editors write in several steps; let the burst settle.
      usleep(10000);
      while (read(inotify_fd_, buf, sizeof buf) > 0) {
      }
      changed = true;
    }
    if (std::chrono::steady_clock::now() >= next_resync) {
      changed = true;
      next_resync = std::chrono::steady_clock::now() + resync_;
    }
    if (!changed) continue;
    auto pods = Scan();
    std::string key;
    for (const auto& pod : pods) key += common::GetString(pod["metadata"], "uid") + ",";
    if (key == last_) continue;
    last_ = key;
    on_change_(std::move(pods));
  }
}

}  // namespace nodeagent
