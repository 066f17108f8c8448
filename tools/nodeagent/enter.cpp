#include "enter.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "container_init.h"

namespace nodeagent {

std::vector<std::string> EnterArgs(const std::string& self_exe, int pid, const std::string& cwd,
                                   const std::vector<std::string>& procs,
                                   const std::vector<std::string>& command) {
  std::vector<std::string> a = {self_exe, kEnterVerb, std::to_string(pid), cwd.empty() ? "/" : cwd,
                                std::to_string(procs.size())};
  a.insert(a.end(), procs.begin(), procs.end());
  a.push_back("--");
  a.insert(a.end(), command.begin(), command.end());
  return a;
}

int RunEnter(int argc, char** argv) {
  syscall(SYS_close_range, 3, ~0U, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int s = 1; s < NSIG; ++s) signal(s, SIG_DFL);
  auto fail = [](int code, const std::string& msg) {
    fprintf(stderr, "%s\n", msg.c_str());
    return code;
  };
  // --tty: the command gets a controlling terminal (its stdin is one).
  bool tty = argc > 2 && strcmp(argv[2], "--tty") == 0;
  if (tty) {
    ++argv;
    --argc;
  }
  if (argc < 7) return fail(126, "usage: __enter [--tty] PID CWD N PROCS... -- ARGV...");
  std::string pid = argv[2], cwd = argv[3];
  int n = atoi(argv[4]);
  int i = 5;
  for (int k = 0; k < n && i < argc; ++k, ++i) {
    int fd = open(argv[i], O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
      if (write(fd, "0", 1) != 1) {
      }
      close(fd);
    }
  }
  if (i >= argc || strcmp(argv[i], "--") != 0) return fail(126, "missing --");
  ++i;
  if (i >= argc) return fail(126, "no command given");
  // Open every namespace first: after joining the mount namespace /proc
  // may no longer show the target.
  const char* kinds[] = {"net", "uts", "mnt"};
  int types[] = {CLONE_NEWNET, CLONE_NEWUTS, CLONE_NEWNS};
  int fds[3];
  for (int k = 0; k < 3; ++k) {
    std::string p = "/proc/" + pid + "/ns/" + kinds[k];
    fds[k] = open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fds[k] < 0)
      return fail(126, "cannot enter container: " + p + ": " + strerror(errno));
  }
  for (int k = 0; k < 3; ++k)
    if (setns(fds[k], types[k]) != 0)
      return fail(126, std::string("cannot join ") + kinds[k] + " namespace: " + strerror(errno));
  if (chdir(cwd.c_str()) != 0 && chdir("/") != 0) return fail(126, "chdir: " + std::string(strerror(errno)));
  if (tty) {
    setsid();
    ioctl(0, TIOCSCTTY, 0);
  }
  const char* path = getenv("PATH");
  std::string err;
  std::string exe = LookPath(argv[i], path ? path : "", &err);
  if (exe.empty()) return fail(127, err);
  execv(exe.c_str(), argv + i);
  return fail(126, "exec: \"" + std::string(argv[i]) + "\": " + strerror(errno));
}

}  // namespace nodeagent
