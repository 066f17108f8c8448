#include "shim.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "cgroups.h"
#include "common/file.h"
#include "common/json.h"
#include "common/strings.h"
#include "common/timeutil.h"
#include "container_init.h"
#include "cri_log.h"
#include "shim_spec.h"

namespace nodeagent {

namespace {

constexpr int kReportFd = 3;

void Report(const std::string& line) {
  std::string l = line + "\n";
  if (write(kReportFd, l.data(), l.size()) < 0) {
    // nodeagent went away; the state files still say everything.
  }
  close(kReportFd);
}

int64_t OomKills(const std::string& memory_dir) {
  std::string text;
  for (const char* f : {"/memory.oom_control", "/memory.events"}) {
    auto r = common::ReadFile(memory_dir + f);
    if (!r.ok()) continue;
    for (const auto& line : common::Split(*r, '\n'))
      if (line.rfind("oom_kill ", 0) == 0) return common::ParseInt64(line.substr(9)).value_or(0);
  }
  return 0;
}

// Appends CRI records to the log file, rotating it past the size limit the
// way the kubelet's container log manager does (<file>.<timestamp>).
class LogSink {
 public:
  LogSink(std::string path, int64_t max_size, int max_files)
      : path_(std::move(path)), max_size_(max_size), max_files_(max_files) {
    Open();
  }
  ~LogSink() {
    if (fd_ >= 0) close(fd_);
  }
  void Write(const std::string& data) {
    if (data.empty() || fd_ < 0) return;
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = write(fd_, data.data() + off, data.size() - off);
      if (n < 0) {
        if (errno == EINTR) continue;
        return;
      }
      off += static_cast<size_t>(n);
    }
    size_ += static_cast<int64_t>(data.size());
    if (max_size_ > 0 && size_ >= max_size_) Rotate();
  }

 private:
  void Open() {
    fd_ = open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    struct stat st;
    size_ = fd_ >= 0 && fstat(fd_, &st) == 0 ? st.st_size : 0;
  }
  void Rotate() {
    std::string stamp = FormatRFC3339Nano(common::Clock::now());
    std::string rotated = path_ + "." + stamp;
    if (rename(path_.c_str(), rotated.c_str()) != 0) return;
    close(fd_);
    Open();
    rotated_.push_back(rotated);
    // Keep max_files in all: the live file plus max_files-1 rotated ones.
    while (max_files_ > 0 && static_cast<int>(rotated_.size()) > max_files_ - 1) {
      unlink(rotated_.front().c_str());
      rotated_.erase(rotated_.begin());
    }
  }
  std::string path_;
  int64_t max_size_;
  int max_files_;
  int fd_ = -1;
  int64_t size_ = 0;
  std::vector<std::string> rotated_;
};

void KillCgroupLeftovers(const ShimSpec& spec, int main_pid) {
  // With no PID namespace, the container's children would outlive it; a
  // runtime's PID namespace would have taken them down with its init.
  if (spec.cgroup_procs.empty()) return;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    bool any = false;
    for (const auto& procs : spec.cgroup_procs) {
      auto text = common::ReadFile(procs);
      if (!text.ok()) continue;
      for (const auto& line : common::Split(*text, '\n')) {
        auto pid = common::ParseInt64(common::TrimSpace(line));
        if (!pid || *pid <= 0 || *pid == main_pid) continue;
        kill(static_cast<pid_t>(*pid), SIGKILL);
        any = true;
      }
    }
    if (!any) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void WriteExit(const ShimSpec& spec, const ShimExit& e) {
  auto st = common::WriteFileAtomic(spec.state_dir + "/exit.json", common::DumpJson(ShimExitToJson(e)));
  (void)st;
}

}  // namespace

int RunShim(int argc, char** argv) {
  if (argc < 3) return 2;
  std::string dir = argv[2];
  // nodeagent's sockets (its listener among them) must not live on in the
  // shim: it outlives nodeagent, which could not bind its port again.
  syscall(SYS_close_range, kReportFd + 1, ~0U, 0);
  // Our own process group and session: signals aimed at nodeagent's group
  // (a Ctrl-C, a unit stop with KillMode=control-group aside) stay there.
  setsid();
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto text = common::ReadFile(dir + "/spec.json");
  if (!text.ok()) {
    Report("error " + text.status().message());
    return 1;
  }
  auto j = common::ParseJson(*text);
  auto parsed = j.ok() ? ShimSpec::FromJson(*j) : common::Result<ShimSpec>(j.status());
  if (!parsed.ok()) {
    Report("error " + parsed.status().message());
    return 1;
  }
  ShimSpec spec = std::move(parsed).value();
  if (spec.state_dir.empty()) spec.state_dir = dir;

  std::vector<int64_t> oom_before;
  for (const auto& d : spec.cgroup_memory_dirs) oom_before.push_back(OomKills(d));

  int out[2], err[2], errp[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
    Report(std::string("error pipe: ") + std::strerror(errno));
    return 1;
  }
  // SIGCHLD through a signalfd, so reaping fits in the same poll loop as the logs.
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, nullptr);
  int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);

  auto started = common::Clock::now();
  pid_t pid = fork();
  if (pid < 0) {
    Report(std::string("error fork: ") + std::strerror(errno));
    return 1;
  }
  if (pid == 0) {
    close(out[0]);
    close(err[0]);
    close(errp[0]);
    close(kReportFd);
    ContainerInit(spec, out[1], err[1], errp[1]);
  }
  close(out[1]);
  close(err[1]);
  close(errp[1]);

  std::string start_error;
  char buf[65536];
  for (;;) {
    ssize_t n = read(errp[0], buf, sizeof buf);
    if (n > 0) {
      start_error.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  close(errp[0]);
  if (!start_error.empty()) {
    while (!start_error.empty() && start_error.back() == '\n') start_error.pop_back();
    int status;
    waitpid(pid, &status, 0);
    ShimExit e;
    // What containerd reports for a container that never ran: exit 128, StartError.
    e.exit_code = 128;
    e.reason = "StartError";
    e.message = start_error;
    e.finished_at = FormatRFC3339Nano(common::Clock::now());
    WriteExit(spec, e);
    Report("error " + start_error);
    return 0;
  }

  ShimState state;
  state.pid = pid;
  state.pid_start_time = ProcessStartTime(pid);
  state.shim_pid = getpid();
  state.shim_start_time = ProcessStartTime(getpid());
  state.started_at = FormatRFC3339Nano(started);
  auto ws = common::WriteFileAtomic(spec.state_dir + "/state.json",
                                    common::DumpJson(ShimStateToJson(state)));
  (void)ws;
  Report("started " + std::to_string(pid));

  LogSink sink(spec.log_path, spec.log_max_size, spec.log_max_files);
  CriLogEncoder enc_out("stdout"), enc_err("stderr");
  bool out_open = true, err_open = true, exited = false;
  int wstatus = 0;
  std::chrono::steady_clock::time_point drain_deadline;
  while (out_open || err_open || !exited) {
    struct pollfd fds[3] = {{out_open ? out[0] : -1, POLLIN, 0},
                            {err_open ? err[0] : -1, POLLIN, 0},
                            {exited ? -1 : sfd, POLLIN, 0}};
    int timeout = -1;
    if (exited) {
      auto left = drain_deadline - std::chrono::steady_clock::now();
      timeout = static_cast<int>(std::max<int64_t>(
          0, std::chrono::duration_cast<std::chrono::milliseconds>(left).count()));
      if (timeout == 0) break;  // something outside the cgroup holds the pipes
    }
    int n = poll(fds, 3, timeout);
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t r = read(fds[i].fd, buf, sizeof buf);
      CriLogEncoder& enc = i == 0 ? enc_out : enc_err;
      if (r > 0) {
        sink.Write(enc.Feed(std::string_view(buf, static_cast<size_t>(r)), common::Clock::now()));
      } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
        sink.Write(enc.Flush(common::Clock::now()));
        close(fds[i].fd);
        (i == 0 ? out_open : err_open) = false;
      }
    }
    if (!exited && (fds[2].revents & POLLIN)) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) == sizeof si) {
      }
      if (waitpid(pid, &wstatus, WNOHANG) == pid) {
        exited = true;
        KillCgroupLeftovers(spec, pid);
        drain_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
      }
    }
  }
  if (!exited) waitpid(pid, &wstatus, 0);
  if (out_open) sink.Write(enc_out.Flush(common::Clock::now()));
  if (err_open) sink.Write(enc_err.Flush(common::Clock::now()));

  ShimExit e;
  e.started_at = state.started_at;
  e.finished_at = FormatRFC3339Nano(common::Clock::now());
  if (WIFEXITED(wstatus)) {
    e.exit_code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    e.signal = WTERMSIG(wstatus);
    e.exit_code = 128 + e.signal;
  }
  bool oom = false;
  for (size_t i = 0; i < spec.cgroup_memory_dirs.size(); ++i)
    oom |= OomKills(spec.cgroup_memory_dirs[i]) > oom_before[i];
  if (oom && e.signal == SIGKILL) e.reason = "OOMKilled";
  else e.reason = e.exit_code == 0 ? "Completed" : "Error";
  WriteExit(spec, e);
  return 0;
}

}  // namespace nodeagent
