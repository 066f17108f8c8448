#include "process_runtime.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "common/file.h"
#include "common/log.h"
#include "common/strings.h"
#include "cgroup_math.h"
#include "cri_log.h"
#include "enter.h"
#include "shim.h"
#include "shim_spec.h"

namespace nodeagent {

using common::Json;

namespace {

std::string RandomId() {
  static thread_local std::mt19937_64 rng(std::random_device{}() ^
                                          static_cast<uint64_t>(getpid()) << 32);
  char buf[65];
  for (int i = 0; i < 4; ++i) snprintf(buf + i * 16, 17, "%016lx", static_cast<unsigned long>(rng()));
  return std::string(buf, 64);
}

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (!d) return out;
  while (struct dirent* e = readdir(d))
    if (e->d_name[0] != '.') out.push_back(e->d_name);
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

void RemoveAll(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

common::TimePoint ParseTime(const std::string& s) {
  auto t = common::ParseRFC3339(s);
  return t.ok() ? *t : common::TimePoint{};
}

int PidfdOpen(int pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

// Sends `sig` to `pid` only if it is still the process that started at `start`.
void SignalProcess(int pid, uint64_t start, int sig) {
  if (pid <= 0) return;
  int fd = PidfdOpen(pid);
  if (fd < 0) return;
  if (start == 0 || ProcessStartTime(pid) == start) syscall(SYS_pidfd_send_signal, fd, sig, nullptr, 0);
  close(fd);
}

// posix_spawn with a clean signal state, in a session of its own.
common::Result<pid_t> Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                            int fd3, int stdout_fd, bool setsid) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  posix_spawn_file_actions_adddup2(&fa, devnull, 0);
  posix_spawn_file_actions_adddup2(&fa, stdout_fd >= 0 ? stdout_fd : devnull, 1);
  posix_spawn_file_actions_adddup2(&fa, stdout_fd >= 0 ? stdout_fd : devnull, 2);
  if (fd3 >= 0) posix_spawn_file_actions_adddup2(&fa, fd3, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (setsid) flags |= POSIX_SPAWN_SETSID;
  posix_spawnattr_setflags(&attr, flags);
  std::vector<char*> a, e;
  for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
  a.push_back(nullptr);
  for (const auto& s : env) e.push_back(const_cast<char*>(s.c_str()));
  e.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawn(&pid, argv[0].c_str(), &fa, &attr, a.data(), e.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  close(devnull);
  if (rc != 0) return common::Status::FromErrno(rc, "spawn", argv[0]);
  return pid;
}

std::string HostsFile(const std::string& ip, const PodSpec& pod) {
  std::string host = pod.hostname.empty() ? pod.name : pod.hostname;
  std::string out =
      "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost "
      "ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\n"
      "fe00::2\tip6-allrouters\n";
  if (!ip.empty()) {
    out += ip + "\t";
    if (!pod.subdomain.empty())
      out += host + "." + pod.subdomain + "." + pod.ns + ".svc.cluster.local\t";
    out += host + "\n";
  }
  return out;
}

}  // namespace

ProcessRuntime::ProcessRuntime(ProcessRuntimeOptions options)
    : opts_(std::move(options)), images_(opts_.image_dir) {}

ProcessRuntime::~ProcessRuntime() = default;

common::Status ProcessRuntime::Init() {
  RETURN_IF_ERROR(common::MakeDirs(opts_.root_dir + "/pods", 0700));
  RETURN_IF_ERROR(common::MakeDirs(opts_.root_dir + "/logs", 0755));
  if (opts_.cgroups) {
    auto layout = DetectSystemCgroups(opts_.cgroup_root);
    if (!layout.ok()) return layout.status();
    cgroups_ = std::make_unique<CgroupManager>(*layout);
    // The kubepods cgroup holds every pod and is limited to the node's
    // allocatable (enforceNodeAllocatable: pods).
    CgroupConfig top;
    top.cpu_shares = MilliCpuToShares(opts_.allocatable_cpu_milli);
    top.memory_limit = opts_.allocatable_memory > 0 ? opts_.allocatable_memory : -1;
    auto st = cgroups_->Ensure("kubepods", top);
    if (!st.ok())
      return common::Status(st.code(), st.message() +
                                           " (run as root, or pass --cgroups-per-qos=false)");
    CgroupConfig minimal;
    minimal.cpu_shares = 2;
    RETURN_IF_ERROR(cgroups_->Ensure("kubepods/besteffort", minimal));
    RETURN_IF_ERROR(cgroups_->Ensure("kubepods/burstable", CgroupConfig{}));
    LOG_INFO("cgroups ready", {"version", cgroups_->version()},
             {"kubepods", cgroups_->MemoryDir("kubepods")});
  }
  if (opts_.netns && !opts_.network.pod_cidr.empty()) RETURN_IF_ERROR(SetPodCidr(opts_.network.pod_cidr));
  return common::Status::Ok();
}

PodNetwork* ProcessRuntime::network() {
  std::lock_guard<std::mutex> lock(mu_);
  return network_.get();
}

bool ProcessRuntime::NetworkReady() { return !opts_.netns || network() != nullptr; }

common::Status ProcessRuntime::SetPodCidr(const std::string& cidr) {
  std::lock_guard<std::mutex> lock(net_mu_);
  if (network()) return common::Status::Ok();
  NetworkOptions no = opts_.network;
  no.pod_cidr = cidr;
  no.ipam_dir = opts_.root_dir + "/ipam";
  auto net = std::make_unique<PodNetwork>(no);
  RETURN_IF_ERROR(net->Init());
  LOG_INFO("pod network ready", {"bridge", no.bridge}, {"podCIDR", net->cidr().String()},
           {"gateway", net->GatewayIp()});
  std::lock_guard<std::mutex> lock2(mu_);
  network_ = std::move(net);
  return common::Status::Ok();
}

void ProcessRuntime::SetEventSink(EventSink sink) {
  std::lock_guard<std::mutex> lock(mu_);
  sink_ = std::move(sink);
}

std::string ProcessRuntime::AttemptDir(const std::string& uid, const std::string& name,
                                       int attempt) const {
  return PodDir(uid) + "/containers/" + name + "/" + std::to_string(attempt);
}

std::string ProcessRuntime::LogPath(const PodSpec& pod, const std::string& container, int attempt) {
  return opts_.root_dir + "/logs/" + pod.ns + "_" + pod.name + "_" + pod.uid + "/" + container +
         "/" + std::to_string(attempt) + ".log";
}

std::variant<SandboxInfo, RuntimeError> ProcessRuntime::EnsureSandbox(const PodSpec& pod) {
  std::string dir = PodDir(pod.uid);
  Sandbox sb;
  bool loaded = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sandboxes_.find(pod.uid);
    if (it != sandboxes_.end()) {
      sb = it->second;
      loaded = true;
    }
  }
  if (!loaded) {
    if (auto text = common::ReadFile(dir + "/sandbox.json"); text.ok()) {
      if (auto j = common::ParseJson(*text); j.ok()) {
        sb.info.uid = pod.uid;
        sb.info.ip = common::GetString(*j, "ip");
        sb.info.netns = common::GetString(*j, "netns");
        sb.info.cgroup = common::GetString(*j, "cgroup");
        sb.info.created = ParseTime(common::GetString(*j, "created"));
        struct stat st;
        // A sandbox whose network namespace vanished (a reboot) is rebuilt.
        loaded = sb.info.netns.empty() || stat(sb.info.netns.c_str(), &st) == 0;
      }
    }
  }
  if (!loaded) {
    auto mk = common::MakeDirs(dir, 0750);
    if (!mk.ok()) return RuntimeError{"FailedCreatePodSandBox", mk.message()};
    sb.info.uid = pod.uid;
    sb.info.created = common::Clock::now();
    if (cgroups_) {
      sb.info.cgroup = PodCgroupName(pod);
      auto st = cgroups_->Ensure(sb.info.cgroup, PodCgroupConfig(pod, opts_.cgroup_policy));
      if (!st.ok())
        return RuntimeError{"FailedCreatePodSandBox",
                            "Failed to create pod sandbox: failed to set pod cgroup config: " +
                                st.message()};
    }
    PodNetwork* network = this->network();
    if (opts_.netns && !pod.host_network && !network)
      return RuntimeError{"NetworkNotReady",
                          "network is not ready: container runtime network not ready: the node has "
                          "no pod CIDR yet"};
    if (network && !pod.host_network) {
      auto net = network->Setup(pod.uid);
      if (!net.ok())
        return RuntimeError{"FailedCreatePodSandBox",
                            "Failed to create pod sandbox: failed to set up pod network: " +
                                net.status().message()};
      sb.info.netns = net->netns;
      sb.info.ip = net->ip;
    } else {
      sb.info.ip = opts_.node_ip;
    }
    Json rec = {{"uid", pod.uid},        {"namespace", pod.ns},
                {"name", pod.name},      {"ip", sb.info.ip},
                {"netns", sb.info.netns}, {"cgroup", sb.info.cgroup},
                {"created", FormatRFC3339Nano(sb.info.created)}};
    auto st = common::WriteFileAtomic(dir + "/sandbox.json", common::DumpJson(rec));
    if (!st.ok()) return RuntimeError{"FailedCreatePodSandBox", st.message()};
  }
  DownwardContext ctx;
  ctx.pod_ip = sb.info.ip;
  ctx.host_ip = opts_.node_ip;
  ctx.node_name = opts_.node_name;
  ctx.node_allocatable_cpu_milli = opts_.allocatable_cpu_milli;
  ctx.node_allocatable_memory = opts_.allocatable_memory;
  auto vols = PrepareVolumes(pod, dir, ctx, opts_.lookup);
  if (!vols.ok()) return RuntimeError{"FailedMount", vols.status().message()};
  sb.volumes = std::move(vols).value();
  if (!sb.info.netns.empty()) {
    sb.hosts_file = dir + "/etc-hosts";
    auto st = common::WriteFileAtomic(sb.hosts_file, HostsFile(sb.info.ip, pod));
    if (!st.ok()) return RuntimeError{"FailedCreatePodSandBox", st.message()};
  }
  std::lock_guard<std::mutex> lock(mu_);
  sandboxes_[pod.uid] = sb;
  return sb.info;
}

void ProcessRuntime::StopSandbox(const std::string& uid) {
  std::string dir = PodDir(uid);
  std::string cgroup;
  if (auto text = common::ReadFile(dir + "/sandbox.json"); text.ok())
    if (auto j = common::ParseJson(*text); j.ok()) cgroup = common::GetString(*j, "cgroup");
  for (const auto& c : ListContainers(uid))
    if (c.state == ContainerState::kRunning) Signal(uid, c, SIGKILL);
  if (cgroups_ && !cgroup.empty()) {
    auto st = cgroups_->Destroy(cgroup);
    if (!st.ok()) LOG_WARNING("cannot remove pod cgroup", {"uid", uid}, {"err", st.message()});
  }
  if (PodNetwork* net = network()) net->Teardown(uid);
  UnmountVolumes(dir);
  std::lock_guard<std::mutex> lock(mu_);
  sandboxes_.erase(uid);
}

common::Status ProcessRuntime::RemoveSandbox(const std::string& uid, bool remove_logs) {
  std::string dir = PodDir(uid);
  std::string cgroup, ns, name;
  if (auto text = common::ReadFile(dir + "/sandbox.json"); text.ok())
    if (auto j = common::ParseJson(*text); j.ok()) {
      cgroup = common::GetString(*j, "cgroup");
      ns = common::GetString(*j, "namespace");
      name = common::GetString(*j, "name");
    }
  // Without cgroups, processes are found from the shims' records.
  for (const auto& c : ListContainers(uid))
    if (c.state == ContainerState::kRunning) Signal(uid, c, SIGKILL);
  common::Status result;
  if (cgroups_ && !cgroup.empty()) result = cgroups_->Destroy(cgroup);
  if (PodNetwork* net = network()) net->Teardown(uid);
  UnmountVolumes(dir);
  RemoveAll(dir);
  if (remove_logs && !ns.empty()) RemoveAll(opts_.root_dir + "/logs/" + ns + "_" + name + "_" + uid);
  std::lock_guard<std::mutex> lock(mu_);
  sandboxes_.erase(uid);
  return result;
}

common::Result<ShimSpec> ProcessRuntime::BuildSpec(const PodSpec& pod, const Sandbox& sb,
                                                   const ContainerSpec& c,
                                                   const ContainerConfig& config,
                                                   const std::optional<LocalImage>& image,
                                                   const std::string& id, const std::string& dir,
                                                   const std::string& log_path,
                                                   std::string* reason) {
  ShimSpec s;
  s.id = id;
  // Upstream's rules: command replaces the entrypoint (and drops the image's
  // Cmd), args alone replace the Cmd.
  if (!c.command.empty()) {
    s.args = config.args;
  } else {
    if (image) s.args = image->entrypoint;
    if (!c.args.empty()) s.args.insert(s.args.end(), config.args.begin(), config.args.end());
    else if (image) s.args.insert(s.args.end(), image->cmd.begin(), image->cmd.end());
  }
  if (s.args.empty()) {
    *reason = "CreateContainerError";
    return common::Status::Invalid("failed to generate container \"" + c.name +
                                   "\" spec: no command specified");
  }
  bool has_path = false;
  if (image)
    for (const auto& e : image->env) s.env.push_back(e);
  for (const auto& e : config.env) s.env.push_back(e);
  for (const auto& e : s.env) has_path |= e.rfind("PATH=", 0) == 0;
  if (!has_path) s.env.insert(s.env.begin(), "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  s.env.push_back("HOSTNAME=" + (pod.hostname.empty() ? pod.name : pod.hostname));
  s.cwd = !config.working_dir.empty() ? config.working_dir
          : image && !image->working_dir.empty() ? image->working_dir
                                                 : "/";
  if (image) s.rootfs = image->rootfs;
  s.hostname = pod.host_network ? "" : (pod.hostname.empty() ? pod.name : pod.hostname);
  s.netns = sb.info.netns;
  for (const auto& vm : c.volume_mounts) {
    auto it = sb.volumes.find(vm.name);
    if (it == sb.volumes.end()) {
      *reason = "CreateContainerConfigError";
      return common::Status::Invalid("volume \"" + vm.name + "\" not found");
    }
    MountSpec m;
    m.source = it->second.host_path;
    if (!vm.sub_path.empty()) {
      if (vm.sub_path[0] == '/' || vm.sub_path.find("..") != std::string::npos) {
        *reason = "CreateContainerConfigError";
        return common::Status::Invalid("failed to prepare subPath for volumeMount \"" + vm.name +
                                       "\" of container \"" + c.name + "\"");
      }
      m.source += "/" + vm.sub_path;
      struct stat st;
      if (stat(m.source.c_str(), &st) != 0) (void)common::MakeDirs(m.source, 0755);
    }
    m.target = vm.mount_path;
    m.read_only = vm.read_only || it->second.read_only;
    s.mounts.push_back(std::move(m));
  }
  if (!sb.hosts_file.empty()) s.mounts.push_back({sb.hosts_file, "/etc/hosts", false, false, ""});
  if (image) {
    s.mounts.push_back({"/etc/resolv.conf", "/etc/resolv.conf", true, false, ""});
    // The termination message file: a host file the container writes to.
    std::string term = dir + "/termination-log";
    int fd = open(term.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd >= 0) close(fd);
    if (!c.termination_message_path.empty())
      s.mounts.push_back({term, c.termination_message_path, false, false, ""});
  }
  if (cgroups_) {
    std::string cg = sb.info.cgroup + "/" + id;
    s.cgroup_procs = cgroups_->ProcsFiles(cg);
    s.cgroup_memory_dirs = {cgroups_->MemoryDir(cg), cgroups_->MemoryDir(sb.info.cgroup)};
  }
  s.oom_score_adj = config.oom_score_adj;
  s.uid = c.run_as_user;
  s.gid = c.run_as_group;
  s.log_path = log_path;
  s.log_max_size = opts_.log_max_size;
  s.log_max_files = opts_.log_max_files;
  s.state_dir = dir;
  return s;
}

std::variant<ContainerStatus, StartFailure> ProcessRuntime::StartContainer(
    const PodSpec& pod, const SandboxInfo& sandbox, const ContainerSpec& c,
    const ContainerConfig& config, int attempt) {
  Sandbox sb;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sandboxes_.find(pod.uid);
    if (it == sandboxes_.end()) return StartFailure{"CreateContainerError", "pod sandbox not ready"};
    sb = it->second;
  }
  (void)sandbox;
  std::optional<LocalImage> image = images_.Find(c.image);
  if (!image && opts_.require_image) {
    if (c.image_pull_policy == "Never")
      return StartFailure{"ErrImageNeverPull", "Container image \"" + c.image +
                                                   "\" is not present with pull policy of Never"};
    return StartFailure{"ErrImagePull", "image \"" + c.image + "\" has no root filesystem under " +
                                            opts_.image_dir + " (nodeagent does not pull images)"};
  }
  std::string id = RandomId();
  std::string dir = AttemptDir(pod.uid, c.name, attempt);
  RemoveAll(dir);
  if (auto st = common::MakeDirs(dir, 0750); !st.ok())
    return StartFailure{"CreateContainerError", st.message()};
  std::string log_path = LogPath(pod, c.name, attempt);
  if (auto st = common::MakeDirs(log_path.substr(0, log_path.rfind('/'))); !st.ok())
    return StartFailure{"CreateContainerError", st.message()};
  std::string reason;
  auto spec = BuildSpec(pod, sb, c, config, image, id, dir, log_path, &reason);
  if (!spec.ok()) return StartFailure{reason, spec.status().message()};
  (void)common::WriteFileAtomic(dir + "/image", c.image);

  ContainerStatus cs;
  cs.id = id;
  cs.name = c.name;
  cs.attempt = attempt;
  cs.image = c.image;
  cs.log_path = log_path;
  auto start_error = [&](const std::string& msg) {
    ShimExit e;
    e.exit_code = 128;
    e.reason = "StartError";
    e.message = msg;
    e.finished_at = FormatRFC3339Nano(common::Clock::now());
    (void)common::WriteFileAtomic(dir + "/exit.json", common::DumpJson(ShimExitToJson(e)));
    cs.state = ContainerState::kExited;
    cs.exit_code = 128;
    cs.reason = "StartError";
    cs.message = msg;
    cs.finished_at = common::Clock::now();
    return cs;
  };
  if (cgroups_) {
    auto st = cgroups_->Ensure(sb.info.cgroup + "/" + id, ContainerCgroupConfig(c, opts_.cgroup_policy));
    if (!st.ok()) {
      (void)common::WriteFileAtomic(dir + "/spec.json", common::DumpJson(spec->ToJson()));
      return start_error("failed to apply resource limits: " + st.message());
    }
  }
  if (auto st = common::WriteFileAtomic(dir + "/spec.json", common::DumpJson(spec->ToJson())); !st.ok())
    return StartFailure{"CreateContainerError", st.message()};

  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) return StartFailure{"RunContainerError", strerror(errno)};
  auto pid = Spawn({opts_.self_exe, kShimVerb, dir}, {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"},
                   report[1], -1, true);
  close(report[1]);
  if (!pid.ok()) {
    close(report[0]);
    return start_error(pid.status().message());
  }
  std::string line;
  char buf[4096];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (line.find('\n') == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    struct pollfd p = {report[0], POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = read(report[0], buf, sizeof buf);
    if (n <= 0) break;
    line.append(buf, static_cast<size_t>(n));
  }
  close(report[0]);
  if (line.rfind("started ", 0) == 0) {
    auto text = common::ReadFile(dir + "/state.json");
    ShimState state;
    if (text.ok())
      if (auto j = common::ParseJson(*text); j.ok()) state = ShimStateFromJson(*j);
    cs.state = ContainerState::kRunning;
    cs.pid = state.pid;
    cs.started_at = ParseTime(state.started_at);
    WatchExit(pod.uid, id, *pid, ProcessStartTime(*pid));
    return cs;
  }
  // The shim reaps nothing more; reap it here.
  waitpid(*pid, nullptr, 0);
  while (!line.empty() && line.back() == '\n') line.pop_back();
  if (line.rfind("error ", 0) == 0) line = line.substr(6);
  if (line.empty()) line = "the shim exited without reporting";
  return start_error(line);
}

void ProcessRuntime::WatchExit(const std::string& uid, const std::string& id, int shim_pid,
                               uint64_t start) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!watched_.insert(id).second) return;
  }
  watcher_.Watch(shim_pid, start, [this, uid, id] {
    EventSink sink;
    {
      std::lock_guard<std::mutex> lock(mu_);
      watched_.erase(id);
      exited_.insert(id);
      sink = sink_;
    }
    if (sink) sink(uid);
  });
}

ContainerStatus ProcessRuntime::Load(const std::string& uid, const std::string& name, int attempt) {
  std::string dir = AttemptDir(uid, name, attempt);
  ContainerStatus cs;
  cs.name = name;
  cs.attempt = attempt;
  cs.state = ContainerState::kUnknown;
  if (auto text = common::ReadFile(dir + "/spec.json"); text.ok())
    if (auto j = common::ParseJson(*text); j.ok()) {
      cs.id = common::GetString(*j, "id");
      cs.log_path = common::GetString(*j, "logPath");
    }
  if (auto img = common::ReadFile(dir + "/image"); img.ok()) cs.image = *img;
  ShimState state;
  bool have_state = false;
  if (auto text = common::ReadFile(dir + "/state.json"); text.ok())
    if (auto j = common::ParseJson(*text); j.ok()) {
      state = ShimStateFromJson(*j);
      have_state = true;
      cs.pid = state.pid;
      cs.started_at = ParseTime(state.started_at);
    }
  if (auto text = common::ReadFile(dir + "/exit.json"); text.ok()) {
    if (auto j = common::ParseJson(*text); j.ok()) {
      ShimExit e = ShimExitFromJson(*j);
      cs.state = ContainerState::kExited;
      cs.exit_code = e.exit_code;
      cs.reason = e.reason;
      cs.message = e.message;
      cs.finished_at = ParseTime(e.finished_at);
      if (!e.started_at.empty()) cs.started_at = ParseTime(e.started_at);
      cs.pid = 0;
      if (auto term = common::ReadFile(dir + "/termination-log"); term.ok() && !term->empty())
        cs.message = term->substr(0, 4096);
      return cs;
    }
  }
  if (!have_state) return cs;
  if (state.shim_pid > 0 && ProcessStartTime(state.shim_pid) == state.shim_start_time) {
    cs.state = ContainerState::kRunning;
    WatchExit(uid, cs.id, state.shim_pid, state.shim_start_time);
    return cs;
  }
  // The shim vanished without recording an exit (it was killed): the
  // container cannot be supervised any more, so it is ended.
  SignalProcess(state.pid, state.pid_start_time, SIGKILL);
  cs.state = ContainerState::kExited;
  cs.exit_code = 255;
  cs.reason = "Unknown";
  cs.message = "the container's shim exited without recording its status";
  cs.finished_at = common::Clock::now();
  ShimExit e;
  e.exit_code = 255;
  e.reason = cs.reason;
  e.message = cs.message;
  e.started_at = state.started_at;
  e.finished_at = FormatRFC3339Nano(cs.finished_at);
  (void)common::WriteFileAtomic(dir + "/exit.json", common::DumpJson(ShimExitToJson(e)));
  return cs;
}

ContainerStatus ProcessRuntime::Inspect(const std::string& uid, const ContainerStatus& c) {
  if (c.state == ContainerState::kExited) return c;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (c.state == ContainerState::kRunning && watched_.count(c.id)) return c;
    exited_.erase(c.id);
  }
  return Load(uid, c.name, c.attempt);
}

std::vector<ContainerStatus> ProcessRuntime::ListContainers(const std::string& uid) {
  std::vector<ContainerStatus> out;
  std::string base = PodDir(uid) + "/containers";
  for (const auto& name : ListDir(base)) {
    std::vector<int> attempts;
    for (const auto& a : ListDir(base + "/" + name))
      if (auto n = common::ParseInt64(a)) attempts.push_back(static_cast<int>(*n));
    std::sort(attempts.begin(), attempts.end());
    for (int a : attempts) {
      ContainerStatus cs = Load(uid, name, a);
      if (cs.id.empty()) continue;  // never got as far as a spec
      out.push_back(std::move(cs));
    }
  }
  return out;
}

std::vector<std::string> ProcessRuntime::ListPods() { return ListDir(opts_.root_dir + "/pods"); }

bool ProcessRuntime::HasPod(const std::string& uid) {
  struct stat st;
  return !uid.empty() && uid.find('/') == std::string::npos && stat(PodDir(uid).c_str(), &st) == 0 &&
         S_ISDIR(st.st_mode);
}

void ProcessRuntime::PruneContainers(const std::string& uid, const std::string& container,
                                     int keep_from) {
  std::string base = PodDir(uid) + "/containers/" + container;
  for (const auto& a : ListDir(base)) {
    auto n = common::ParseInt64(a);
    if (!n || *n >= keep_from) continue;
    std::string dir = base + "/" + a;
    std::string log;
    if (auto text = common::ReadFile(dir + "/spec.json"); text.ok())
      if (auto j = common::ParseJson(*text); j.ok()) log = common::GetString(*j, "logPath");
    if (!log.empty()) unlink(log.c_str());
    RemoveAll(dir);
  }
}

void ProcessRuntime::Signal(const std::string& uid, const ContainerStatus& c, int sig) {
  std::string dir = AttemptDir(uid, c.name, c.attempt);
  ShimState state;
  if (auto text = common::ReadFile(dir + "/state.json"); text.ok())
    if (auto j = common::ParseJson(*text); j.ok()) state = ShimStateFromJson(*j);
  SignalProcess(state.pid, state.pid_start_time, sig);
  if (sig == SIGKILL && cgroups_) {
    // Everything in the container's cgroup goes, as with a PID namespace.
    std::string cgroup;
    if (auto text = common::ReadFile(PodDir(uid) + "/sandbox.json"); text.ok())
      if (auto j = common::ParseJson(*text); j.ok()) cgroup = common::GetString(*j, "cgroup");
    if (!cgroup.empty() && !c.id.empty())
      for (int pid : cgroups_->Pids(cgroup + "/" + c.id)) kill(pid, SIGKILL);
  }
}

common::Result<std::pair<std::vector<std::string>, std::vector<std::string>>>
ProcessRuntime::EnterCommand(const std::string& uid, const ContainerStatus& c,
                             const std::vector<std::string>& command) {
  std::string dir = AttemptDir(uid, c.name, c.attempt);
  auto text = common::ReadFile(dir + "/spec.json");
  if (!text.ok()) return common::Status::NotFound("container " + c.name + " has no record");
  auto j = common::ParseJson(*text);
  if (!j.ok()) return j.status();
  auto spec = ShimSpec::FromJson(*j);
  if (!spec.ok()) return spec.status();
  ContainerStatus now = Load(uid, c.name, c.attempt);
  if (now.state != ContainerState::kRunning || now.pid <= 0)
    return common::Status::BadRequest("container " + c.name + " is not running");
  return std::make_pair(EnterArgs(opts_.self_exe, now.pid, spec->cwd, spec->cgroup_procs, command),
                        spec->env);
}

common::Result<Runtime::ExecResult> ProcessRuntime::ExecSync(
    const std::string& uid, const ContainerStatus& c, const ContainerSpec& spec,
    const std::vector<std::string>& argv, std::chrono::milliseconds timeout, size_t max_output) {
  (void)spec;
  if (argv.empty()) return common::Status::BadRequest("no command given");
  ASSIGN_OR_RETURN(auto cmd, EnterCommand(uid, c, argv));
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return common::Status::FromErrno(errno, "create", "pipe");
  auto pid = Spawn(cmd.first, cmd.second, -1, out[1], false);
  close(out[1]);
  if (!pid.ok()) {
    close(out[0]);
    return pid.status();
  }
  ExecResult r;
  int pfd = PidfdOpen(*pid);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool out_open = true;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timed_out = true;
      kill(*pid, SIGKILL);
      break;
    }
    struct pollfd fds[2] = {{out_open ? out[0] : -1, POLLIN, 0}, {pfd, POLLIN, 0}};
    if (poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    if (fds[0].revents) {
      ssize_t n = read(out[0], buf, sizeof buf);
      if (n > 0) {
        if (r.output.size() < max_output)
          r.output.append(buf, std::min(static_cast<size_t>(n), max_output - r.output.size()));
      } else {
        out_open = false;
      }
    }
    if (fds[1].revents && !out_open) break;
    if (fds[1].revents && out_open) {
      // Exited; collect what is left in the pipe without waiting on
      // grandchildren that may keep it open.
      struct pollfd p = {out[0], POLLIN, 0};
      while (poll(&p, 1, 0) > 0) {
        ssize_t n = read(out[0], buf, sizeof buf);
        if (n <= 0) break;
        if (r.output.size() < max_output)
          r.output.append(buf, std::min(static_cast<size_t>(n), max_output - r.output.size()));
      }
      break;
    }
  }
  int status = 0;
  waitpid(*pid, &status, 0);
  if (pfd >= 0) close(pfd);
  close(out[0]);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) r.exit_code = 128 + WTERMSIG(status);
  return r;
}

}  // namespace nodeagent
