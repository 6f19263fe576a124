#include "inference/weight_loader.h"

namespace vsr::inference {
namespace {

std::string LegacyName(const std::string& name) {
  if (name.find("LayerNorm.") == std::string::npos) return "";
  auto ends = [&](const std::string& s) {
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  if (ends(".weight")) return name.substr(0, name.size() - 7) + ".gamma";
  if (ends(".bias")) return name.substr(0, name.size() - 5) + ".beta";
  return "";
}

}  // namespace

std::string WeightLoader::Resolve(const std::string& name) const {
  std::string legacy = LegacyName(name);
  for (const auto& p : prefixes_) {
    if (file_.Has(p + name)) return p + name;
    if (!legacy.empty() && file_.Has(p + legacy)) return p + legacy;
  }
  return "";
}

Status WeightLoader::Get(const std::string& name, const std::vector<int64_t>& shape,
                         std::vector<float>* out) const {
  std::string full = Resolve(name);
  if (full.empty()) {
    std::string tried;
    for (const auto& p : prefixes_) tried += (tried.empty() ? "'" : ", '") + p + name + "'";
    return Status::NotFound(file_.path() + ": missing tensor (tried " + tried + ")");
  }
  auto v = file_.ToFloat(full, shape);
  if (!v.ok()) return v.status();
  *out = std::move(v).value();
  return Status::OK();
}

Status WeightLoader::GetOptional(const std::string& name, const std::vector<int64_t>& shape,
                                 std::vector<float>* out) const {
  out->clear();
  if (Resolve(name).empty()) return Status::OK();
  return Get(name, shape, out);
}

}  // namespace vsr::inference
