#include "exec_server.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <deque>
#include <mutex>
#include <thread>

#include "common/log.h"
#include "common/strings.h"
#include "process_runtime.h"

namespace nodeagent {

using common::HttpRequest;
using common::HttpResponse;
using common::Json;

namespace {

constexpr char kStdin = 0, kStdout = 1, kStderr = 2, kError = 3, kResize = 4;
constexpr unsigned char kClose = 255;

bool Flag(const HttpRequest& req, const char* name) {
  auto v = req.Query(name);
  return v && (*v == "1" || *v == "true" || *v == "True");
}

HttpResponse Error(int code, const std::string& reason, const std::string& message) {
  Json st = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()},
             {"status", "Failure"}, {"message", message}, {"reason", reason}, {"code", code}};
  return HttpResponse::Json(code, common::DumpJson(st));
}

// One exec: the process, its pipes (or terminal) and the WebSocket.
class Session : public std::enable_shared_from_this<Session> {
 public:
  ~Session() {
    for (int fd : {stdin_fd_, stdout_fd_, stderr_fd_, wake_fd_, pidfd_})
      if (fd >= 0) close(fd);
  }

  common::Status Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                       bool want_stdin, bool want_stdout, bool want_stderr, bool tty) {
    tty_ = tty;
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
    int master = -1, slave = -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (tty) {
      struct winsize ws = {24, 80, 0, 0};
      if (openpty(&master, &slave, nullptr, nullptr, &ws) != 0)
        return common::Status::FromErrno(errno, "open", "pseudo-terminal");
      fcntl(master, F_SETFD, FD_CLOEXEC);
      fcntl(slave, F_SETFD, FD_CLOEXEC);
      for (int i = 0; i < 3; ++i) posix_spawn_file_actions_adddup2(&fa, slave, i);
    } else {
      if (want_stdin && pipe2(in, O_CLOEXEC) != 0) return common::Status::FromErrno(errno, "create", "pipe");
      if (want_stdout && pipe2(out, O_CLOEXEC) != 0) return common::Status::FromErrno(errno, "create", "pipe");
      if (want_stderr && pipe2(err, O_CLOEXEC) != 0) return common::Status::FromErrno(errno, "create", "pipe");
      posix_spawn_file_actions_adddup2(&fa, want_stdin ? in[0] : devnull, 0);
      posix_spawn_file_actions_adddup2(&fa, want_stdout ? out[1] : devnull, 1);
      posix_spawn_file_actions_adddup2(&fa, want_stderr ? err[1] : devnull, 2);
    }
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::vector<std::string> a = argv;
    if (tty) a.insert(a.begin() + 2, "--tty");
    std::vector<char*> av, ev;
    for (auto& s : a) av.push_back(s.data());
    av.push_back(nullptr);
    std::vector<std::string> e = env;
    for (auto& s : e) ev.push_back(s.data());
    ev.push_back(nullptr);
    int rc = posix_spawn(&pid_, av[0], &fa, &attr, av.data(), ev.data());
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(devnull);
    for (int fd : {in[0], out[1], err[1], slave})
      if (fd >= 0) close(fd);
    if (rc != 0) {
      for (int fd : {in[1], out[0], err[0], master})
        if (fd >= 0) close(fd);
      return common::Status::FromErrno(rc, "spawn", a[0]);
    }
    if (tty) {
      stdin_fd_ = master;
      stdout_fd_ = dup(master);
      fcntl(stdout_fd_, F_SETFD, FD_CLOEXEC);
      if (!want_stdin) {
        close(stdin_fd_);
        stdin_fd_ = -1;
      }
    } else {
      stdin_fd_ = in[1];
      stdout_fd_ = out[0];
      stderr_fd_ = err[0];
    }
    if (stdin_fd_ >= 0) fcntl(stdin_fd_, F_SETFL, fcntl(stdin_fd_, F_GETFL) | O_NONBLOCK);
    pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
    wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return common::Status::Ok();
  }

  // Called on an I/O thread for every client message.
  void OnMessage(std::string data, bool v5) {
    if (data.empty()) return;
    unsigned char stream = static_cast<unsigned char>(data[0]);
    std::lock_guard<std::mutex> lock(mu_);
    if (stream == kStdin) {
      if (!stdin_closed_) stdin_queue_.push_back(data.substr(1));
    } else if (stream == kResize) {
      auto j = common::ParseJson(std::string_view(data).substr(1));
      if (j.ok()) {
        resize_w_ = static_cast<int>(common::GetInt(*j, "Width"));
        resize_h_ = static_cast<int>(common::GetInt(*j, "Height"));
      }
    } else if (stream == kClose && v5 && data.size() >= 2) {
      // [255, stream] (or [255, 0, stream]) half-closes a stream: for stdin, EOF.
      unsigned char which = static_cast<unsigned char>(data.back());
      if (which == kStdin) stdin_closed_ = true;
    }
    Wake();
  }
  void OnClose() {
    client_gone_ = true;
    Wake();
  }
  void Wake() {
    uint64_t one = 1;
    if (wake_fd_ >= 0 && write(wake_fd_, &one, sizeof one) < 0) {
    }
  }

  // The I/O loop; returns the exit code (or -1 when the client left first).
  int Pump(const std::shared_ptr<common::WebSocket>& ws) {
    std::string pending_in;
    bool exited = false;
    auto deadline = std::chrono::steady_clock::time_point::max();
    char buf[32768];
    for (;;) {
      if (client_gone_) {
        kill(pid_, SIGKILL);
        break;
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        while (!stdin_queue_.empty()) {
          pending_in += stdin_queue_.front();
          stdin_queue_.pop_front();
        }
        if (resize_w_ > 0 && tty_) {
          struct winsize w = {static_cast<unsigned short>(resize_h_), static_cast<unsigned short>(resize_w_), 0, 0};
          ioctl(stdout_fd_, TIOCSWINSZ, &w);
          resize_w_ = 0;
        }
        if (stdin_closed_ && pending_in.empty() && stdin_fd_ >= 0 && !tty_) {
          close(stdin_fd_);
          stdin_fd_ = -1;
        }
      }
      if (!pending_in.empty() && stdin_fd_ >= 0) {
        ssize_t n = write(stdin_fd_, pending_in.data(), pending_in.size());
        if (n > 0) pending_in.erase(0, static_cast<size_t>(n));
        else if (n < 0 && errno != EAGAIN) pending_in.clear();
      }
      if (tty_ && stdin_closed_ && pending_in.empty() && stdin_fd_ >= 0) {
        // A terminal has no half-close: send ^D as a terminal user would.
        if (write(stdin_fd_, "\x04", 1) < 0) {
        }
        stdin_closed_ = false;
        close(stdin_fd_);
        stdin_fd_ = -1;
      }
      struct pollfd fds[5];
      int n = 0;
      int out_i = -1, err_i = -1, pid_i = -1, in_i = -1;
      if (stdout_fd_ >= 0) fds[out_i = n++] = {stdout_fd_, POLLIN, 0};
      if (stderr_fd_ >= 0) fds[err_i = n++] = {stderr_fd_, POLLIN, 0};
      if (!exited && pidfd_ >= 0) fds[pid_i = n++] = {pidfd_, POLLIN, 0};
      fds[n++] = {wake_fd_, POLLIN, 0};
      if (!pending_in.empty() && stdin_fd_ >= 0) fds[in_i = n++] = {stdin_fd_, POLLOUT, 0};
      (void)in_i;
      int timeout = -1;
      if (exited) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        timeout = static_cast<int>(std::max<int64_t>(0, left.count()));
        if (timeout == 0 || (stdout_fd_ < 0 && stderr_fd_ < 0)) break;
      }
      if (poll(fds, static_cast<nfds_t>(n), timeout) < 0 && errno != EINTR) break;
      uint64_t drained;
      if (read(wake_fd_, &drained, sizeof drained) < 0) {
      }
      for (auto [idx, fd_ref, stream] : {std::tuple{out_i, &stdout_fd_, kStdout}, std::tuple{err_i, &stderr_fd_, kStderr}}) {
        if (idx < 0 || !(fds[idx].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t r = read(*fd_ref, buf, sizeof buf);
        if (r > 0) {
          ws->Send(std::string(1, stream) + std::string(buf, static_cast<size_t>(r)));
        } else {
          close(*fd_ref);
          *fd_ref = -1;
        }
      }
      if (pid_i >= 0 && (fds[pid_i].revents & POLLIN)) {
        exited = true;
        // Whatever the command wrote before exiting still goes out; a child
        // it left behind holding the pipes does not keep the session open.
        deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
      }
    }
    int status = 0;
    waitpid(pid_, &status, 0);
    if (client_gone_) return -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
  }

 private:
  pid_t pid_ = -1;
  int pidfd_ = -1, wake_fd_ = -1;
  int stdin_fd_ = -1, stdout_fd_ = -1, stderr_fd_ = -1;
  bool tty_ = false;
  std::mutex mu_;
  std::deque<std::string> stdin_queue_;
  bool stdin_closed_ = false;
  int resize_w_ = 0, resize_h_ = 0;
  std::atomic<bool> client_gone_{false};
};

}  // namespace

Json ExecServer::ExitStatus(int exit_code) {
  if (exit_code == 0) return Json{{"metadata", Json::object()}, {"status", "Success"}};
  return Json{{"metadata", Json::object()},
              {"status", "Failure"},
              {"message", "command terminated with non-zero exit code: exit status " + std::to_string(exit_code)},
              {"reason", "NonZeroExitCode"},
              {"details", {{"causes", Json::array({{{"reason", "ExitCode"}, {"message", std::to_string(exit_code)}}})}}}};
}

void ExecServer::Handle(HttpRequest& req, common::Responder resp) {
  // /exec/{namespace}/{pod}/{container} or /exec/{namespace}/{pod}/{uid}/{container}
  auto parts = common::Split(req.path.substr(std::string("/exec/").size()), '/');
  if (parts.size() != 3 && parts.size() != 4) {
    resp.Send(Error(400, "BadRequest", "expected /exec/{namespace}/{pod}/{container}"));
    return;
  }
  const std::string &ns = parts[0], &pod_name = parts[1], &container = parts.back();
  auto w = agent_->FindPod(ns, pod_name);
  if (!w || (parts.size() == 4 && w->Uid() != parts[2])) {
    resp.Send(Error(404, "NotFound", "pod " + ns + "/" + pod_name + " not found"));
    return;
  }
  std::vector<std::string> command;
  for (auto& [k, v] : req.QueryParams())
    if (k == "command") command.push_back(v);
  bool tty = Flag(req, "tty"), in = Flag(req, "stdin"), out = Flag(req, "stdout"),
       err = Flag(req, "stderr");
  if (command.empty()) {
    resp.Send(Error(400, "BadRequest", "you must specify at least 1 command"));
    return;
  }
  if (!in && !out && !err) {
    resp.Send(Error(400, "BadRequest", "you must specify at least 1 of stdin, stdout, stderr"));
    return;
  }
  if (tty && err) err = false;  // a terminal merges stderr into stdout, as upstream
  auto inst = w->Instance(container, false);
  if (!w->Spec().FindContainer(container)) {
    resp.Send(Error(404, "NotFound", "container not found (\"" + container + "\")"));
    return;
  }
  ProcessRuntime* rt = agent_->process_runtime();
  if (!rt) {
    resp.Send(Error(400, "BadRequest", "the fake runtime cannot exec"));
    return;
  }
  if (!inst || inst->state != ContainerState::kRunning) {
    resp.Send(Error(400, "BadRequest", "container " + container + " is not running"));
    return;
  }
  auto cmd = rt->EnterCommand(w->Uid(), *inst, command);
  if (!cmd.ok()) {
    resp.Send(Error(cmd.status().http_status(), std::string(common::ReasonName(cmd.status().code())),
                    cmd.status().message()));
    return;
  }
  if (!common::IsWebSocketUpgrade(req)) {
    resp.Send(Error(400, "BadRequest",
                    "nodeagent speaks the WebSocket stream protocols (v5.channel.k8s.io, "
                    "v4.channel.k8s.io) only; SPDY is not supported"));
    return;
  }
  auto session = std::make_shared<Session>();
  if (auto st = session->Spawn(cmd->first, cmd->second, in, out, err, tty); !st.ok()) {
    resp.Send(Error(500, "InternalError", st.message()));
    return;
  }
  auto v5 = std::make_shared<bool>(false);
  auto ws = resp.AcceptWebSocket(
      req, {"v5.channel.k8s.io", "v4.channel.k8s.io"},
      {[session, v5](std::string data, bool) { session->OnMessage(std::move(data), *v5); },
       [session] { session->OnClose(); }});
  if (!ws) {
    session->OnClose();
    std::thread([session, ws] { session->Pump(ws); }).detach();
    return;
  }
  *v5 = ws->protocol() == "v5.channel.k8s.io";
  ++sessions_;
  std::thread([this, session, ws, command] {
    int code = session->Pump(ws);
    if (code >= 0) {
      ws->Send(std::string(1, kError) + common::DumpJson(ExitStatus(code)));
      ws->Close(1000, "");
    }
    --sessions_;
  }).detach();
}

}  // namespace nodeagent
