// Static pods: the kubelet's --pod-manifest-path source. Every *.yaml,
// *.yml and *.json file of the directory holds pods; a pod is named
// <name>-<node>, runs in its namespace ("default" if none) and gets a UID
// hashed from its file's content and the node name, so an unchanged file
// keeps its pod across nodeagent restarts and an edited one replaces it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <sys/stat.h>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/json.h"

namespace nodeagent {

// Turns the objects read from `file` into the static pods they stand for
// (non-Pod objects are skipped). Errors name the file.
common::Result<std::vector<common::Json>> StaticPodsFromFile(const std::string& file,
                                                             const std::string& node_name);

class StaticPodSource {
 public:
  using Callback = std::function<void(std::vector<common::Json> pods)>;
  StaticPodSource(std::string path, std::string node_name, std::chrono::milliseconds resync,
                  Callback on_change);
  ~StaticPodSource();

  // Reads the directory once (synchronously), hands the pods to the
  // callback, then watches for changes on a thread of its own.
  void Start();

 private:
  std::vector<common::Json> Scan();
  void Loop();
  std::string path_, node_;
  std::chrono::milliseconds resync_;
  Callback on_change_;
  std::atomic<bool> stop_{false};
  int inotify_fd_ = -1;
  std::string last_;  // the last emitted set, to skip unchanged rescans
  // Parsed pods per file, kept while the file's inode, size and mtime stay
  // the same: a rescan re-reads only what changed.
  struct Cached {
    ino_t inode = 0;
    off_t size = 0;
    struct timespec mtime = {};
    std::vector<common::Json> pods;
  };
  std::map<std::string, Cached> cache_;
  std::thread thread_;
};

}  // namespace nodeagent
