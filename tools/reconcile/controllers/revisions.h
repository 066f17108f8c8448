// ControllerRevisions as DaemonSets and StatefulSets keep them: one per
// distinct pod template, named <owner>-<hash>, numbered, with the template
// stored as a "$patch: replace" patch so `kubectl rollout undo` can apply it.
#pragma once

#include <string>
#include <vector>

#include "../kube.h"
#include "common/rest_client.h"

namespace reconcile {

inline constexpr char kRevisionHashLabel[] = "controller-revision-hash";

struct CurrentRevision {
  std::string name;  // "<owner>-<hash>"
  std::string hash;
  int64_t revision = 0;
};

// Finds or creates the ControllerRevision of `owner`'s spec.template among
// `existing` (the owner's revisions): an equal one is reused (and renumbered
// to the newest when it is not, as a rollback does); otherwise a new one is
// created with the next number. `kind` is "DaemonSet" or "StatefulSet".
common::Result<CurrentRevision> EnsureRevision(common::RestClient& client, const Json& owner,
                                               std::string_view kind,
                                               const std::vector<ObjectPtr>& existing);

// Deletes the oldest revisions beyond `limit` that no pod uses.
common::Status TrimRevisions(common::RestClient& client, const std::vector<ObjectPtr>& existing,
                             const std::vector<std::string>& in_use, int64_t limit,
                             const std::string& keep);

}  // namespace reconcile
