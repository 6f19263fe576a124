// YamlReader: checked, typed access to a yaml-cpp tree with errors that say where and why.
//
// Every accessor takes the key path it reads (e.g. "routing.decisions[3].priority") and
// returns a Status whose message is "<file>:<line>:<col>: <path>: <what was expected>".
// MapReader records the keys it was asked about; Finish() reports every other key of the
// map as unknown (an error, or a warning when the context is lenient). yaml-cpp exceptions
// never escape: conversions go through YAML::convert<T>::decode.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace vsr::config {

// Where errors point and what happens to unknown keys.
class YamlContext {
 public:
  YamlContext(std::string source_name, bool unknown_keys_are_errors,
              std::vector<std::string>* warnings)
      : source_(std::move(source_name)), strict_(unknown_keys_are_errors), warnings_(warnings) {}

  // "<file>:<line>:<col>: <path>: <message>" (line/column 1-based; omitted when unknown).
  Status Error(const YAML::Node& at, std::string_view path, std::string_view message) const;
  Status Error(const YAML::Mark& at, std::string_view path, std::string_view message) const;
  // An unknown key: an error when strict, else a warning and OK.
  Status Unknown(const YAML::Mark& at, std::string_view path, std::string_view message);
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  bool strict_;
  std::vector<std::string>* warnings_;
};

// The path of `key` under `parent` ("a.b" or just "b" at the top).
std::string JoinPath(std::string_view parent, std::string_view key);
// "<parent>[<index>]".
std::string IndexPath(std::string_view parent, size_t index);
// A scalar's text for messages, shortened; "<map>", "<sequence>", "<null>" otherwise.
std::string Describe(const YAML::Node& node);

// Reads the keys of one YAML mapping. A missing or null node reads as an empty mapping.
class MapReader {
 public:
  MapReader(YamlContext* ctx, const YAML::Node& node, std::string path);

  // Fails unless the node is a mapping (or null/absent). Call first.
  Status Check() const;
  const YAML::Node& node() const { return node_; }
  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view key) const { return JoinPath(path_, key); }
  YamlContext* ctx() const { return ctx_; }

  // True when `key` is present and not null. Marks the key as known.
  bool Has(std::string_view key);
  // The child node (invalid/undefined when absent). Marks the key as known.
  YAML::Node Child(std::string_view key);
  // An error pointing at `key` (or at the map when the key is absent).
  Status ErrorAt(std::string_view key, std::string_view message);

  // Typed getters: an absent key leaves *out unchanged unless `required`.
  Status String(std::string_view key, std::string* out, bool required = false);
  // A non-empty string.
  Status Name(std::string_view key, std::string* out, bool required = true);
  Status Bool(std::string_view key, bool* out);
  Status Int(std::string_view key, int64_t* out, int64_t min, int64_t max, bool required = false);
  Status Int32(std::string_view key, int* out, int min, int max);
  Status Float(std::string_view key, float* out, float min, float max);
  // One of `allowed` (compared case-insensitively when `ignore_case`); *out gets the
  // allowed spelling.
  Status Enum(std::string_view key, std::string* out,
              std::initializer_list<std::string_view> allowed, bool ignore_case = false);
  // A sequence of non-empty strings.
  Status StringList(std::string_view key, std::vector<std::string>* out, bool required_non_empty);

  // Reports every key not asked about. Call last.
  Status Finish();

 private:
  YamlContext* ctx_;
  YAML::Node node_;
  std::string path_;
  std::vector<std::string> known_;
};

// Calls `fn(child_node, child_path, index)` for each element of the sequence at `key` (absent
// or null = no elements; anything but a sequence is an error).
template <typename Fn>
Status ForEachElement(MapReader& map, std::string_view key, Fn&& fn) {
  YAML::Node seq = map.Child(key);
  if (!seq.IsDefined() || seq.IsNull()) return Status::OK();
  if (!seq.IsSequence()) {
    return map.ctx()->Error(seq, map.PathOf(key), "expected a list; got " + Describe(seq));
  }
  std::string base = map.PathOf(key);
  for (size_t i = 0; i < seq.size(); ++i) {
    VSR_RETURN_IF_ERROR(fn(seq[i], IndexPath(base, i), i));
  }
  return Status::OK();
}

}  // namespace vsr::config
