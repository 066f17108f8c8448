// kvstore: an etcd-compatible MVCC key-value store (`kvstore serve`) and
// etcdctl-like client verbs that work against it and against a real etcd.
#include "cli.h"

int main(int argc, char** argv) { return kvstore::Main(argc, argv); }
