#include "container_init.h"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/strings.h"

namespace nodeagent {

namespace {

[[noreturn]] void Fail(int error_fd, const std::string& msg) {
  std::string line = msg + "\n";
  if (write(error_fd, line.data(), line.size()) < 0) {
    // Nothing more can be done: the shim sees EOF without a message.
  }
  _exit(127);
}

std::string Errno(int err) { return std::strerror(err); }

bool WriteFile(const std::string& path, const std::string& value, int* err) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    *err = errno;
    return false;
  }
  bool ok = write(fd, value.data(), value.size()) == static_cast<ssize_t>(value.size());
  *err = errno;
  close(fd);
  return ok;
}

bool MkdirAll(const std::string& path, mode_t mode) {
  if (path.empty()) return true;
  std::string cur;
  for (const auto& part : common::SplitNonEmpty(path, '/')) {
    cur += "/" + part;
    if (mkdir(cur.c_str(), mode) != 0 && errno != EEXIST) return false;
  }
  return true;
}

// Makes sure a bind mount of `source` has something to land on at `target`.
bool MakeMountPoint(const std::string& source, const std::string& target, bool tmpfs) {
  struct stat st;
  bool dir = tmpfs || (stat(source.c_str(), &st) == 0 && S_ISDIR(st.st_mode));
  if (dir) return MkdirAll(target, 0755);
  auto slash = target.rfind('/');
  if (slash != std::string::npos && !MkdirAll(target.substr(0, slash), 0755)) return false;
  if (stat(target.c_str(), &st) == 0) return true;
  int fd = open(target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  close(fd);
  return true;
}

// A minimal /dev for a container with its own root filesystem, as runc
// builds it: a tmpfs with the standard character devices bound from the host.
void SetupDev(const std::string& root, int error_fd) {
  std::string dev = root + "/dev";
  MkdirAll(dev, 0755);
  if (mount("tmpfs", dev.c_str(), "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k") != 0)
    Fail(error_fd, "mount tmpfs on /dev: " + Errno(errno));
  for (const char* d : {"null", "zero", "full", "random", "urandom", "tty"}) {
    std::string host = std::string("/dev/") + d, target = dev + "/" + d;
    int fd = open(target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd >= 0) close(fd);
    if (mount(host.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0)
      Fail(error_fd, "bind " + host + ": " + Errno(errno));
  }
  MkdirAll(dev + "/pts", 0755);
  mount("devpts", (dev + "/pts").c_str(), "devpts", MS_NOSUID | MS_NOEXEC,
        "newinstance,ptmxmode=0666,mode=0620");
  if (symlink("pts/ptmx", (dev + "/ptmx").c_str()) != 0) {
  }
  MkdirAll(dev + "/shm", 01777);
  mount("shm", (dev + "/shm").c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
  for (auto [link, to] : {std::pair{"fd", "/proc/self/fd"}, std::pair{"stdin", "/proc/self/fd/0"},
                          std::pair{"stdout", "/proc/self/fd/1"}, std::pair{"stderr", "/proc/self/fd/2"}})
    if (symlink(to, (dev + "/" + link).c_str()) != 0) {
    }
}

std::string EnvValue(const std::vector<std::string>& env, const std::string& name) {
  for (const auto& e : env)
    if (e.size() > name.size() && e.compare(0, name.size(), name) == 0 && e[name.size()] == '=')
      return e.substr(name.size() + 1);
  return "";
}

}  // namespace

std::string LookPath(const std::string& file, const std::string& path, std::string* err) {
  auto executable = [](const std::string& p, int* e) {
    struct stat st;
    if (stat(p.c_str(), &st) != 0) {
      *e = errno;
      return false;
    }
    if (S_ISDIR(st.st_mode) || !(st.st_mode & 0111)) {
      *e = EACCES;
      return false;
    }
    return true;
  };
  int e = 0;
  if (file.find('/') != std::string::npos) {
    if (executable(file, &e)) return file;
    *err = "exec: \"" + file + "\": " + (e == EACCES ? "permission denied" : Errno(e));
    return "";
  }
  for (auto dir : common::Split(path, ':')) {
    if (dir.empty()) dir = ".";
    std::string cand = dir + "/" + file;
    if (executable(cand, &e)) return cand;
  }
  *err = "exec: \"" + file + "\": executable file not found in $PATH";
  return "";
}

void ContainerInit(const ShimSpec& spec, int out_fd, int err_fd, int error_fd) {
  // The shim inherited nodeagent's blocked shutdown signals and ignored
  // SIGPIPE; a container starts with the defaults.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int s = 1; s < NSIG; ++s) signal(s, SIG_DFL);

  int devnull = open("/dev/null", O_RDONLY);
  if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
    Fail(error_fd, "set up stdio: " + Errno(errno));

  int err = 0;
  for (const auto& procs : spec.cgroup_procs)
    if (!WriteFile(procs, "0", &err))
      Fail(error_fd, "join cgroup " + procs + ": " + Errno(err));
  if (!WriteFile("/proc/self/oom_score_adj", std::to_string(spec.oom_score_adj), &err)) {
    // Lowering the score needs CAP_SYS_RESOURCE; where nodeagent runs without
    // it (a restricted container) the container keeps the lowest score it
    // may have, as the kubelet carries on when it cannot set its own -999.
    bool lowering_denied = (err == EACCES || err == EPERM) && spec.oom_score_adj < 0;
    if (!lowering_denied) Fail(error_fd, "write oom_score_adj: " + Errno(err));
  }

  if (!spec.netns.empty()) {
    int fd = open(spec.netns.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) != 0)
      Fail(error_fd, "join network namespace " + spec.netns + ": " + Errno(errno));
    close(fd);
  }
  if (unshare(CLONE_NEWNS | CLONE_NEWUTS) != 0) Fail(error_fd, "unshare: " + Errno(errno));
  if (!spec.hostname.empty() && sethostname(spec.hostname.data(), spec.hostname.size()) != 0)
    Fail(error_fd, "sethostname: " + Errno(errno));
  // Slave, not private: the host's unmounts (a pod's netns going away) still
  // reach this namespace, and nothing mounted here leaks back.
  if (mount("none", "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0)
    Fail(error_fd, "make / rslave: " + Errno(errno));

  const std::string& root = spec.rootfs;
  if (!root.empty()) {
    if (mount(root.c_str(), root.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
      Fail(error_fd, "bind rootfs " + root + ": " + Errno(errno));
    MkdirAll(root + "/proc", 0555);
    if (mount("proc", (root + "/proc").c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
      Fail(error_fd, "mount proc: " + Errno(errno));
    MkdirAll(root + "/sys", 0555);
    if (mount("sysfs", (root + "/sys").c_str(), "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY,
              nullptr) != 0)
      Fail(error_fd, "mount sysfs: " + Errno(errno));
    SetupDev(root, error_fd);
  }

  for (const auto& m : spec.mounts) {
    std::string target = root + m.target;
    if (!MakeMountPoint(m.source, target, m.tmpfs))
      Fail(error_fd, "create mount point " + m.target + ": " + Errno(errno));
    if (m.tmpfs) {
      if (mount("tmpfs", target.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
                m.options.empty() ? nullptr : m.options.c_str()) != 0)
        Fail(error_fd, "mount tmpfs on " + m.target + ": " + Errno(errno));
    } else if (mount(m.source.c_str(), target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
      Fail(error_fd, "bind mount " + m.source + " on " + m.target + ": " + Errno(errno));
    }
    if (m.read_only &&
        mount("none", target.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) != 0)
      Fail(error_fd, "make " + m.target + " read-only: " + Errno(errno));
  }

  if (!root.empty()) {
    // runc's way to pivot without a spare directory: stack the old root
    // under the new one and detach it.
    if (chdir(root.c_str()) != 0) Fail(error_fd, "chdir rootfs: " + Errno(errno));
    if (syscall(SYS_pivot_root, ".", ".") != 0) Fail(error_fd, "pivot_root: " + Errno(errno));
    if (umount2(".", MNT_DETACH) != 0) Fail(error_fd, "detach old root: " + Errno(errno));
    if (chdir("/") != 0) Fail(error_fd, "chdir /: " + Errno(errno));
  }

  if (spec.gid) {
    gid_t g = static_cast<gid_t>(*spec.gid);
    if (setgroups(1, &g) != 0 || setgid(g) != 0) Fail(error_fd, "setgid: " + Errno(errno));
  }
  if (spec.uid) {
    if (!spec.gid && setgroups(0, nullptr) != 0) Fail(error_fd, "setgroups: " + Errno(errno));
    if (setuid(static_cast<uid_t>(*spec.uid)) != 0) Fail(error_fd, "setuid: " + Errno(errno));
  }

  std::string cwd = spec.cwd.empty() ? "/" : spec.cwd;
  if (chdir(cwd.c_str()) != 0) {
    // runc creates a missing working directory inside a container's own root.
    if (!root.empty() && errno == ENOENT && MkdirAll(cwd, 0755) && chdir(cwd.c_str()) == 0) {
    } else {
      Fail(error_fd, "chdir to cwd (\"" + cwd + "\") set in config.json failed: " + Errno(errno));
    }
  }

  std::string lookup_err;
  std::string path = EnvValue(spec.env, "PATH");
  std::string exe = LookPath(spec.args[0], path, &lookup_err);
  if (exe.empty()) Fail(error_fd, lookup_err);
  std::vector<char*> argv, envp;
  for (const auto& a : spec.args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  execve(exe.c_str(), argv.data(), envp.data());
  Fail(error_fd, "exec: \"" + spec.args[0] + "\": " + Errno(errno));
}

}  // namespace nodeagent
