// Strict YAML field access for perftest's config files: unknown keys are errors, wrong
// types are errors, and every message names the file, the key path and the line.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "common/status.h"

namespace vsr::perf {

// "<file>:<line>: <path>" for messages about `node`.
std::string YamlWhere(const std::string& file, const YAML::Node& node, const std::string& path);

// Fails if `node` (a map) has a key outside `allowed`, or is not a map.
Status CheckKeys(const std::string& file, const YAML::Node& node, const std::string& path,
                 std::initializer_list<const char*> allowed);

// Reads node[key] into *out when present; fails on a wrong type. Absent keys keep *out.
template <typename T>
Status ReadField(const std::string& file, const YAML::Node& node, const std::string& path,
                 const char* key, T* out) {
  YAML::Node v = node[key];
  if (!v) return Status::OK();
  try {
    *out = v.as<T>();
  } catch (const YAML::Exception&) {
    return Status::InvalidArgument(YamlWhere(file, v, path + "." + key) + ": wrong type");
  }
  return Status::OK();
}

// Loads a YAML file; errors name the file and the parser's line.
StatusOr<YAML::Node> LoadYamlFile(const std::string& path);

}  // namespace vsr::perf
