#include "common/cli.h"
#include "verbs.h"
namespace proxyrules {
void AddDiffFlags(CLI::App* app, Options* o) { AddInputFlags(app, o); AddProxierFlags(app, o); AddBackendFlag(app, o); }
int RunDiff(Options&) { return 1; }
void AddApplyFlags(CLI::App* app, Options* o) { AddInputFlags(app, o); AddProxierFlags(app, o); AddBackendFlag(app, o); }
int RunApply(Options&) { return 1; }
void AddCleanupFlags(CLI::App* app, Options* o) { AddBackendFlag(app, o); }
int RunCleanup(Options&) { return 1; }
}
