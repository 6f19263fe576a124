// PromptMix: the request bodies of an e2e run, drawn from a prompt corpus with fixed
// weights and a fixed seed, so two runs (and the routed and direct runs of one scenario)
// send exactly the same traffic.
//
// A realistic mix has four kinds of prompt:
//   unique     a domain template with a fresh number ("{n}"): a semantic-cache miss that
//              goes through the classifiers
//   repeated   one of a few popular prompts: a cache hit after its first occurrence
//   pii        personal data (made-up) for the PII signal
//   jailbreak  a jailbreak / prompt-injection attempt
// Bodies are OpenAI chat-completion requests: {"model", "messages":[{"role":"user",...}],
// "max_tokens"}.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace vsr::e2e {

struct PromptCorpus {
  std::map<std::string, std::vector<std::string>> domains;  // domain -> templates
  std::vector<std::string> repeated;
  std::vector<std::string> pii;
  std::vector<std::string> jailbreak;
  // Qualifiers appended (two at random) to unique prompts, so that they differ in meaning and
  // not only in a number: prompts that differ by a digit are near-duplicates to a semantic
  // cache and would hit.
  std::vector<std::string> details;
};

// Parses the corpus YAML (see perf/e2e/prompts.yaml); `source` names it in errors.
StatusOr<PromptCorpus> ParsePromptCorpus(std::string_view yaml, const std::string& source);
StatusOr<PromptCorpus> LoadPromptCorpus(const std::string& path);

enum class PromptKind { kUnique = 0, kRepeated, kPii, kJailbreak };
inline constexpr size_t kPromptKindCount = 4;
std::string_view PromptKindName(PromptKind kind);

struct PromptMixOptions {
  // Relative weights of unique, repeated, pii, jailbreak (normalised; not all zero).
  std::array<double, kPromptKindCount> weights{0.60, 0.25, 0.10, 0.05};
  uint64_t seed = 42;
  std::string model = "auto";
  int max_tokens = 32;
};

// "realistic" (60/25/10/5), "cache_hit" (all repeated), "unique" (all unique), or four
// comma-separated weights "u,r,p,j".
StatusOr<std::array<double, kPromptKindCount>> ParseMixWeights(std::string_view spec);

struct PromptMix {
  std::vector<std::string> bodies;                  // JSON request bodies, in send order
  std::array<uint64_t, kPromptKindCount> counts{};  // bodies of each kind
  std::map<std::string, uint64_t> domain_counts;    // unique prompts per domain
};

// Draws `n` bodies. Fails on an empty corpus section that has a non-zero weight.
StatusOr<PromptMix> MakePromptMix(const PromptCorpus& corpus, const PromptMixOptions& options,
                                  size_t n);

// The JSON body of one chat-completion request.
std::string ChatCompletionBody(std::string_view prompt, std::string_view model, int max_tokens);

}  // namespace vsr::e2e
