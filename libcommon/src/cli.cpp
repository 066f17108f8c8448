#include "common/cli.h"

#include <cstdio>
#include <iostream>

#include "common/log.h"

namespace common::cli {
namespace {
std::string& Name() {
  static std::string name = "kubix";
  return name;
}
}  // namespace

void SetToolName(std::string_view name) { Name() = std::string(name); }
const std::string& ToolName() { return Name(); }

void PrintError(std::string_view msg) {
  std::string line = Name() + ": " + std::string(msg) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

std::optional<int> Parse(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    std::cout << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp& e) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    std::cout << e.what() << "\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (!what.empty()) what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
    PrintError(what);
    PrintError("run '" + Name() + " --help' for usage");
    return kExitUsage;
  }
  return std::nullopt;
}

void AddVerbosityFlag(CLI::App& app) {
  app.add_option_function<int>(
         "-v,--v", [](const int& v) { log::SetVerbosity(v); },
         "number for the log level verbosity")
      ->type_name("LEVEL");
}

int ExitCodeFor(const Status& status) {
  if (status.ok()) return kExitOk;
  return status.code() == Code::kUnreachable ? kExitUnreachable : kExitFailed;
}

int Fail(const Status& status) {
  PrintError(status.message());
  return ExitCodeFor(status);
}

}  // namespace common::cli
