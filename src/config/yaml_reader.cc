#include "config/yaml_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace vsr::config {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string JoinAllowed(std::initializer_list<std::string_view> allowed) {
  std::string out;
  for (std::string_view a : allowed) {
    if (!out.empty()) out += ", ";
    out += a;
  }
  return out;
}

bool IsAbsent(const YAML::Node& n) { return !n.IsDefined() || n.IsNull(); }

}  // namespace

Status YamlContext::Error(const YAML::Mark& at, std::string_view path,
                          std::string_view message) const {
  std::string msg = source_;
  if (!at.is_null()) {
    msg.append(":").append(std::to_string(at.line + 1));
    msg.append(":").append(std::to_string(at.column + 1));
  }
  msg.append(": ");
  if (!path.empty()) {
    msg += path;
    msg += ": ";
  }
  msg += message;
  return Status::InvalidArgument(std::move(msg));
}

Status YamlContext::Error(const YAML::Node& at, std::string_view path,
                          std::string_view message) const {
  return Error(at.IsDefined() ? at.Mark() : YAML::Mark::null_mark(), path, message);
}

Status YamlContext::Unknown(const YAML::Mark& at, std::string_view path, std::string_view message) {
  Status s = Error(at, path, message);
  if (strict_) return s;
  if (warnings_ != nullptr) warnings_->push_back(s.message());
  return Status::OK();
}

std::string JoinPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out(parent);
  out += '.';
  out += key;
  return out;
}

std::string IndexPath(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string Describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  std::string s = node.Scalar();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return "'" + s + "'";
}

MapReader::MapReader(YamlContext* ctx, const YAML::Node& node, std::string path)
    : ctx_(ctx), node_(node), path_(std::move(path)) {}

Status MapReader::Check() const {
  if (IsAbsent(node_) || node_.IsMap()) return Status::OK();
  return ctx_->Error(node_, path_.empty() ? "<top level>" : path_,
                     "expected a mapping of keys; got " + Describe(node_));
}

YAML::Node MapReader::Child(std::string_view key) {
  known_.emplace_back(key);
  if (!node_.IsDefined() || !node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node& n = node_;
  return n[std::string(key)];
}

bool MapReader::Has(std::string_view key) { return !IsAbsent(Child(key)); }

Status MapReader::ErrorAt(std::string_view key, std::string_view message) {
  YAML::Node child = Child(key);
  return ctx_->Error(child.IsDefined() ? child : node_, PathOf(key), message);
}

Status MapReader::String(std::string_view key, std::string* out, bool required) {
  YAML::Node n = Child(key);
  if (IsAbsent(n)) {
    if (required) return ctx_->Error(node_, PathOf(key), "required key is missing");
    return Status::OK();
  }
  if (!n.IsScalar()) {
    return ctx_->Error(n, PathOf(key), "expected a string; got " + Describe(n));
  }
  *out = n.Scalar();
  return Status::OK();
}

Status MapReader::Name(std::string_view key, std::string* out, bool required) {
  VSR_RETURN_IF_ERROR(String(key, out, required));
  if (Has(key) && out->empty()) {
    return ctx_->Error(Child(key), PathOf(key), "expected a non-empty string");
  }
  return Status::OK();
}

Status MapReader::Bool(std::string_view key, bool* out) {
  YAML::Node n = Child(key);
  if (IsAbsent(n)) return Status::OK();
  bool v = false;
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
    return ctx_->Error(n, PathOf(key), "expected true or false; got " + Describe(n));
  }
  *out = v;
  return Status::OK();
}

Status MapReader::Int(std::string_view key, int64_t* out, int64_t min, int64_t max, bool required) {
  YAML::Node n = Child(key);
  if (IsAbsent(n)) {
    if (required) return ctx_->Error(node_, PathOf(key), "required key is missing");
    return Status::OK();
  }
  int64_t v = 0;
  if (!n.IsScalar() || !YAML::convert<int64_t>::decode(n, v)) {
    return ctx_->Error(n, PathOf(key), "expected an integer; got " + Describe(n));
  }
  if (v < min || v > max) {
    return ctx_->Error(n, PathOf(key),
                       "expected an integer in [" + std::to_string(min) + ", " +
                           std::to_string(max) + "]; got " + std::to_string(v));
  }
  *out = v;
  return Status::OK();
}

Status MapReader::Int32(std::string_view key, int* out, int min, int max) {
  int64_t v = *out;
  VSR_RETURN_IF_ERROR(Int(key, &v, min, max));
  *out = static_cast<int>(v);
  return Status::OK();
}

Status MapReader::Float(std::string_view key, float* out, float min, float max) {
  YAML::Node n = Child(key);
  if (IsAbsent(n)) return Status::OK();
  double v = 0;
  if (!n.IsScalar() || !YAML::convert<double>::decode(n, v) || !std::isfinite(v)) {
    return ctx_->Error(n, PathOf(key), "expected a number; got " + Describe(n));
  }
  if (v < min || v > max) {
    char range[96];
    std::snprintf(range, sizeof(range), "[%g, %g]", static_cast<double>(min),
                  static_cast<double>(max));
    return ctx_->Error(n, PathOf(key),
                       std::string("expected a number in ") + range + "; got " + n.Scalar());
  }
  *out = static_cast<float>(v);
  return Status::OK();
}

Status MapReader::Enum(std::string_view key, std::string* out,
                       std::initializer_list<std::string_view> allowed, bool ignore_case) {
  YAML::Node n = Child(key);
  if (IsAbsent(n)) return Status::OK();
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    for (std::string_view a : allowed) {
      if (ignore_case ? EqualsIgnoreCase(s, a) : s == a) {
        *out = std::string(a);
        return Status::OK();
      }
    }
  }
  return ctx_->Error(n, PathOf(key),
                     "expected one of " + JoinAllowed(allowed) + "; got " + Describe(n));
}

Status MapReader::StringList(std::string_view key, std::vector<std::string>* out,
                             bool required_non_empty) {
  YAML::Node n = Child(key);
  if (IsAbsent(n)) {
    if (required_non_empty) {
      return ctx_->Error(node_, PathOf(key), "required key is missing (a non-empty list)");
    }
    return Status::OK();
  }
  if (!n.IsSequence()) {
    return ctx_->Error(n, PathOf(key), "expected a list of strings; got " + Describe(n));
  }
  if (required_non_empty && n.size() == 0) {
    return ctx_->Error(n, PathOf(key), "expected a non-empty list of strings");
  }
  out->clear();
  for (size_t i = 0; i < n.size(); ++i) {
    const YAML::Node& e = n[i];
    if (!e.IsScalar() || e.Scalar().empty()) {
      return ctx_->Error(e, IndexPath(PathOf(key), i),
                         "expected a non-empty string; got " + Describe(e));
    }
    out->push_back(e.Scalar());
  }
  return Status::OK();
}

Status MapReader::Finish() {
  if (!node_.IsDefined() || !node_.IsMap()) return Status::OK();
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    YAML::Node k = it->first;
    std::string key = k.IsScalar() ? k.Scalar() : Describe(k);
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::vector<std::string> sorted = known_;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::string expected;
    for (const std::string& s : sorted) {
      if (!expected.empty()) expected += ", ";
      expected += s;
    }
    VSR_RETURN_IF_ERROR(
        ctx_->Unknown(k.Mark(), PathOf(key), "unknown key (expected one of: " + expected + ")"));
  }
  return Status::OK();
}

}  // namespace vsr::config
