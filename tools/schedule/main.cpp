// schedule: a kube-scheduler. See man/schedule.1.
#include "verbs.h"

int main(int argc, char** argv) { return schedule::Main(argc, argv); }
