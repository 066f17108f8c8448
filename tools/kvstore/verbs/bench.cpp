#include "../cli.h"
namespace kvstore {
void SetupBench(CLI::App& app, Context& ctx) { (void)app; (void)ctx; }
}
