#include "perf/e2e/prompt_mix.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

namespace vsr::e2e {

namespace {

StatusOr<std::vector<std::string>> ReadStrings(const YAML::Node& node, const std::string& at) {
  std::vector<std::string> out;
  if (!node) return out;
  if (!node.IsSequence()) return Status::InvalidArgument(at + ": expected a list of strings");
  for (const auto& item : node) {
    if (!item.IsScalar()) return Status::InvalidArgument(at + ": expected a list of strings");
    out.push_back(item.as<std::string>());
  }
  return out;
}

// Replaces every "{n}" with `n`.
std::string Fill(const std::string& tmpl, uint64_t n) {
  std::string out;
  const std::string num = std::to_string(n);
  size_t pos = 0;
  while (true) {
    size_t hit = tmpl.find("{n}", pos);
    if (hit == std::string::npos) break;
    out.append(tmpl, pos, hit - pos).append(num);
    pos = hit + 3;
  }
  out.append(tmpl, pos);
  return out;
}

}  // namespace

std::string_view PromptKindName(PromptKind kind) {
  switch (kind) {
    case PromptKind::kUnique:
      return "unique";
    case PromptKind::kRepeated:
      return "repeated";
    case PromptKind::kPii:
      return "pii";
    case PromptKind::kJailbreak:
      return "jailbreak";
  }
  return "unknown";
}

StatusOr<PromptCorpus> ParsePromptCorpus(std::string_view yaml, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(source + ": " + e.what());
  }
  if (!root.IsMap()) return Status::InvalidArgument(source + ": expected a mapping");
  PromptCorpus corpus;
  if (const YAML::Node domains = root["domains"]) {
    if (!domains.IsMap()) return Status::InvalidArgument(source + ": domains: expected a map");
    for (const auto& kv : domains) {
      const std::string name = kv.first.as<std::string>();
      auto list = ReadStrings(kv.second, source + ": domains." + name);
      if (!list.ok()) return list.status();
      if (!list->empty()) corpus.domains[name] = std::move(*list);
    }
  }
  for (auto [key, field] :
       {std::pair{"repeated", &corpus.repeated}, std::pair{"pii", &corpus.pii},
        std::pair{"jailbreak", &corpus.jailbreak}, std::pair{"details", &corpus.details}}) {
    auto list = ReadStrings(root[key], source + ": " + key);
    if (!list.ok()) return list.status();
    *field = std::move(*list);
  }
  return corpus;
}

StatusOr<PromptCorpus> LoadPromptCorpus(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open prompt corpus " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ParsePromptCorpus(ss.str(), path);
}

StatusOr<std::array<double, kPromptKindCount>> ParseMixWeights(std::string_view spec) {
  if (spec == "realistic") return std::array<double, kPromptKindCount>{0.60, 0.25, 0.10, 0.05};
  if (spec == "cache_hit") return std::array<double, kPromptKindCount>{0, 1, 0, 0};
  if (spec == "unique") return std::array<double, kPromptKindCount>{1, 0, 0, 0};
  const Status bad = Status::InvalidArgument(
      "bad prompt mix '" + std::string(spec) +
      "' (use realistic, cache_hit, unique or four weights unique,repeated,pii,jailbreak)");
  std::vector<std::string> parts;
  std::stringstream ss{std::string(spec)};
  for (std::string part; std::getline(ss, part, ',');) parts.push_back(part);
  if (parts.size() != kPromptKindCount) return bad;
  std::array<double, kPromptKindCount> w{};
  double total = 0;
  for (size_t i = 0; i < kPromptKindCount; ++i) {
    try {
      size_t used = 0;
      w[i] = std::stod(parts[i], &used);
      if (used != parts[i].size()) return bad;
    } catch (const std::exception&) {
      return bad;
    }
    if (!std::isfinite(w[i]) || w[i] < 0) return bad;
    total += w[i];
  }
  if (total <= 0) return bad;
  return w;
}

std::string ChatCompletionBody(std::string_view prompt, std::string_view model, int max_tokens) {
  nlohmann::json body = {
      {"model", model},
      {"messages", nlohmann::json::array({{{"role", "user"}, {"content", prompt}}})},
      {"max_tokens", max_tokens},
  };
  return body.dump();
}

StatusOr<PromptMix> MakePromptMix(const PromptCorpus& corpus, const PromptMixOptions& options,
                                  size_t n) {
  const auto& w = options.weights;
  double total = 0;
  for (double x : w) {
    if (!std::isfinite(x) || x < 0) return Status::InvalidArgument("negative mix weight");
    total += x;
  }
  if (total <= 0) return Status::InvalidArgument("all prompt mix weights are zero");
  const bool empty[kPromptKindCount] = {corpus.domains.empty(), corpus.repeated.empty(),
                                        corpus.pii.empty(), corpus.jailbreak.empty()};
  for (size_t k = 0; k < kPromptKindCount; ++k) {
    if (w[k] > 0 && empty[k]) {
      return Status::InvalidArgument("prompt corpus has no '" +
                                     std::string(PromptKindName(static_cast<PromptKind>(k))) +
                                     "' prompts but the mix weight is " + std::to_string(w[k]));
    }
  }
  std::vector<const std::string*> domain_names;
  for (const auto& [name, templates] : corpus.domains) domain_names.push_back(&name);

  std::mt19937_64 rng(options.seed);
  std::discrete_distribution<size_t> pick_kind(w.begin(), w.end());
  auto pick = [&](size_t size) { return std::uniform_int_distribution<size_t>(0, size - 1)(rng); };
  PromptMix mix;
  mix.bodies.reserve(n);
  uint64_t serial = 1000;  // fills "{n}": distinct for every non-repeated prompt
  for (size_t i = 0; i < n; ++i) {
    const auto kind = static_cast<PromptKind>(pick_kind(rng));
    std::string text;
    switch (kind) {
      case PromptKind::kUnique: {
        const std::string& domain = *domain_names[pick(domain_names.size())];
        const auto& templates = corpus.domains.at(domain);
        text = Fill(templates[pick(templates.size())], ++serial);
        if (corpus.details.size() >= 2) {
          size_t a = pick(corpus.details.size());
          size_t b = (a + 1 + pick(corpus.details.size() - 1)) % corpus.details.size();
          text += " Please answer " + corpus.details[a] + ", " + corpus.details[b] + ".";
        }
        ++mix.domain_counts[domain];
        break;
      }
      case PromptKind::kRepeated:
        text = corpus.repeated[pick(corpus.repeated.size())];
        break;
      case PromptKind::kPii:
        text = Fill(corpus.pii[pick(corpus.pii.size())], ++serial);
        break;
      case PromptKind::kJailbreak:
        text = Fill(corpus.jailbreak[pick(corpus.jailbreak.size())], ++serial);
        break;
    }
    ++mix.counts[static_cast<size_t>(kind)];
    mix.bodies.push_back(ChatCompletionBody(text, options.model, options.max_tokens));
  }
  return mix;
}

}  // namespace vsr::e2e
