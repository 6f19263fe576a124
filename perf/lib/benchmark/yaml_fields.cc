#include "perf/lib/benchmark/yaml_fields.h"

#include <cstring>

#include "perf/lib/benchmark/results.h"

namespace vsr::perf {

std::string YamlWhere(const std::string& file, const YAML::Node& node, const std::string& path) {
  std::string out = file;
  if (node.Mark().line >= 0) {
    out += ':';
    out += std::to_string(node.Mark().line + 1);
  }
  out += ": ";
  out += path;
  return out;
}

Status CheckKeys(const std::string& file, const YAML::Node& node, const std::string& path,
                 std::initializer_list<const char*> allowed) {
  if (!node.IsMap())
    return Status::InvalidArgument(YamlWhere(file, node, path) + ": expected a map");
  for (const auto& kv : node) {
    std::string key = kv.first.as<std::string>();
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (!known) {
      std::string list;
      for (const char* a : allowed) {
        if (!list.empty()) list += ", ";
        list += a;
      }
      return Status::InvalidArgument(YamlWhere(file, kv.first, path + "." + key) +
                                     ": unknown key (allowed: " + list + ")");
    }
  }
  return Status::OK();
}

StatusOr<YAML::Node> LoadYamlFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  try {
    YAML::Node root = YAML::Load(*text);
    if (!root || root.IsNull()) return Status::InvalidArgument(path + ": empty YAML document");
    return root;
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(path + ": malformed YAML: " + e.what());
  }
}

}  // namespace vsr::perf
