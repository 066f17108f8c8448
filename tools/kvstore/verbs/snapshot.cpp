// kvstore snapshot save FILE: a consistent copy of the database.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "../cli.h"
#include "../print.h"
#include "common/cli.h"

namespace kvstore {
namespace {

int RunSave(Context& ctx, const std::string& path) {
  auto client = ctx.Client();
  if (!client.ok()) return (common::cli::PrintError(client.status().message()), common::cli::kExitUsage);
  // Written beside the target and renamed when complete and synced, so FILE
  // is either the whole snapshot or untouched.
  const std::string part = path + ".part";
  int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(common::Status::FromErrno(errno, "create", part));
  common::Status write_error;
  common::Status st = (*client)->Snapshot([&](std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::write(fd, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        write_error = common::Status::FromErrno(errno, "write", part);
        return false;
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  });
  if (st.ok() && write_error.ok() && ::fsync(fd) != 0)
    write_error = common::Status::FromErrno(errno, "sync", part);
  ::close(fd);
  if (!write_error.ok() || !st.ok()) {
    ::unlink(part.c_str());
    return Fail(write_error.ok() ? st : write_error);
  }
  if (::rename(part.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(part.c_str());
    return Fail(common::Status::FromErrno(err, "rename to", path));
  }
  return Out("Snapshot saved at " + path + "\n") ? 0 : 1;
}

}  // namespace

void SetupSnapshot(CLI::App& app, Context& ctx) {
  auto path = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand("snapshot", "save a consistent copy of the database");
  sub->require_subcommand(1);
  CLI::App* save = sub->add_subcommand("save", "stream the database to FILE");
  save->add_option("file", *path, "where to write the snapshot")->required();
  save->callback([&ctx, path] { ctx.run = [&ctx, path] { return RunSave(ctx, *path); }; });
}

}  // namespace kvstore
