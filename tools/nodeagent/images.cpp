#include "images.h"

#include <dirent.h>
#include <sys/stat.h>

#include <map>

#include "common/file.h"
#include "common/strings.h"

namespace nodeagent {

namespace {

bool IsDir(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::vector<std::string> JsonStrings(const common::Json& j) {
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& s : j)
      if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

int64_t DirBytes(const std::string& dir, int depth = 0) {
  int64_t total = 0;
  DIR* d = opendir(dir.c_str());
  if (!d) return 0;
  while (struct dirent* e = readdir(d)) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    std::string p = dir + "/" + e->d_name;
    struct stat st;
    if (lstat(p.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      if (depth < 64) total += DirBytes(p, depth + 1);
    } else {
      total += st.st_blocks * 512;
    }
  }
  closedir(d);
  return total;
}

// An image directory holds a rootfs/ or looks like one (bin/ or usr/).
bool LooksLikeImage(const std::string& dir) {
  return IsDir(dir + "/rootfs") || IsDir(dir + "/bin") || IsDir(dir + "/usr");
}

}  // namespace

std::string NormalizeImageRef(const std::string& ref) {
  std::string r = ref;
  auto slash = r.find('/');
  std::string first = slash == std::string::npos ? "" : r.substr(0, slash);
  bool has_domain = slash != std::string::npos &&
                    (first.find('.') != std::string::npos || first.find(':') != std::string::npos ||
                     first == "localhost");
  if (!has_domain) r = (slash == std::string::npos ? "docker.io/library/" : "docker.io/") + r;
  auto last_slash = r.rfind('/');
  bool has_tag = r.find(':', last_slash) != std::string::npos;
  bool has_digest = r.find('@') != std::string::npos;
  if (!has_tag && !has_digest) r += ":latest";
  return r;
}

std::string FamiliarImageRef(const std::string& ref) {
  std::string r = NormalizeImageRef(ref);
  if (r.rfind("docker.io/library/", 0) == 0) return r.substr(18);
  if (r.rfind("docker.io/", 0) == 0) return r.substr(10);
  return r;
}

std::optional<LocalImage> ImageStore::Find(const std::string& ref) const {
  if (dir_.empty() || ref.empty()) return std::nullopt;
  std::string full = NormalizeImageRef(ref), familiar = FamiliarImageRef(ref);
  std::vector<std::string> candidates = {full, familiar};
  if (familiar.size() > 7 && familiar.substr(familiar.size() - 7) == ":latest")
    candidates.push_back(familiar.substr(0, familiar.size() - 7));
  for (const auto& c : candidates) {
    std::string dir = dir_ + "/" + c;
    if (!IsDir(dir) || !LooksLikeImage(dir)) continue;
    LocalImage img;
    img.ref = full;
    img.rootfs = IsDir(dir + "/rootfs") ? dir + "/rootfs" : dir;
    if (auto cfg = common::ReadFile(dir + "/config.json"); cfg.ok()) {
      if (auto j = common::ParseJson(*cfg); j.ok()) {
        const common::Json& c2 = common::Get(*j, "config");
        img.entrypoint = JsonStrings(common::Get(c2, "Entrypoint"));
        img.cmd = JsonStrings(common::Get(c2, "Cmd"));
        img.env = JsonStrings(common::Get(c2, "Env"));
        img.working_dir = common::GetString(c2, "WorkingDir");
      }
    }
    return img;
  }
  return std::nullopt;
}

common::Json ImageStore::List() {
  common::Json out = common::Json::array();
  if (dir_.empty()) return out;
  // Image directories sit one to three levels down ("busybox:1.36",
  // "myorg/app:v1", "registry.k8s.io/pause:3.9").
  std::vector<std::pair<std::string, std::string>> found;  // rel, dir
  std::function<void(const std::string&, const std::string&, int)> walk =
      [&](const std::string& rel, const std::string& dir, int depth) {
        DIR* d = opendir(dir.c_str());
        if (!d) return;
        std::vector<std::string> names;
        while (struct dirent* e = readdir(d))
          if (e->d_name[0] != '.') names.push_back(e->d_name);
        closedir(d);
        std::sort(names.begin(), names.end());
        for (const auto& n : names) {
          std::string p = dir + "/" + n, r = rel.empty() ? n : rel + "/" + n;
          if (!IsDir(p)) continue;
          if (LooksLikeImage(p)) found.emplace_back(r, p);
          else if (depth < 3) walk(r, p, depth + 1);
        }
      };
  walk("", dir_, 1);
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [rel, dir] : found) {
    struct stat st;
    int64_t mtime = stat(dir.c_str(), &st) == 0 ? st.st_mtime : 0;
    auto& cached = size_cache_[dir];
    if (cached.first != mtime || cached.second == 0) cached = {mtime, DirBytes(dir)};
    out.push_back({{"names", common::Json::array({NormalizeImageRef(rel)})},
                   {"sizeBytes", cached.second}});
  }
  return out;
}

}  // namespace nodeagent
