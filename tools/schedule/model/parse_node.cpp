// Node decoding: labels, taints, unschedulable, allocatable, images.
#include "model/parse.h"

namespace schedule {

using common::Json;
using common::Result;
using common::Status;

Result<Node> ParseNode(const Json& obj) {
  Node node;
  std::string what = DescribeObject(obj);
  if (!obj.is_object()) return Status::Invalid("node: must be a JSON object");
  const Json& md = common::Get(obj, "metadata");
  node.name = common::GetString(md, "name");
  if (node.name.empty()) return Status::Invalid(what + ": metadata.name: Required value");
  what = "Node \"" + node.name + "\"";
  auto fail = [&](const std::string& m) { return Status::Invalid(what + ": " + m); };
  node.uid = common::GetString(md, "uid");
  node.labels = common::LabelsFromJson(common::Get(md, "labels"));
  const Json& spec = common::Get(obj, "spec");
  node.unschedulable = common::GetBool(spec, "unschedulable");
  const Json& taints = common::Get(spec, "taints");
  if (!taints.is_null() && !taints.is_array()) return fail("spec.taints: must be a list");
  if (taints.is_array())
    for (size_t i = 0; i < taints.size(); ++i) {
      std::string f = "spec.taints[" + std::to_string(i) + "]";
      Taint t;
      t.key = common::GetString(taints[i], "key");
      if (t.key.empty()) return fail(f + ".key: Required value");
      t.value = common::GetString(taints[i], "value");
      std::string eff = common::GetString(taints[i], "effect");
      t.effect = ParseTaintEffect(eff);
      if (t.effect == TaintEffect::kOther || t.effect == TaintEffect::kAll)
        return fail(f + ".effect: Unsupported value: \"" + eff +
                    "\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"");
      node.taints.push_back(std::move(t));
    }
  const Json& status = common::Get(obj, "status");
  const Json* alloc = &common::Get(status, "allocatable");
  std::string alloc_field = "status.allocatable";
  // kube-apiserver defaults allocatable to capacity when a node reports none.
  if (alloc->is_null()) {
    alloc = &common::Get(status, "capacity");
    alloc_field = "status.capacity";
  }
  if (auto st = ParseResourceList(*alloc, alloc_field, &node.allocatable); !st.ok())
    return fail(st.message());
  const Json& images = common::Get(status, "images");
  if (images.is_array())
    for (const Json& im : images) {
      NodeImage ni;
      ni.size = common::GetInt(im, "sizeBytes");
      const Json& names = common::Get(im, "names");
      if (names.is_array())
        for (const Json& n : names)
          if (n.is_string()) ni.names.push_back(n.get<std::string>());
      node.images.push_back(std::move(ni));
    }
  return node;
}

}  // namespace schedule
