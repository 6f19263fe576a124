// TextClassifiers: the models the router runs on a prompt (domain/intent, PII, jailbreak,
// embedding), behind one interface so the pipeline, the classification API and the
// benchmarks can use real models or a stub.
//
// ModelClassifiers (model_classifiers.h) loads real models from the config's model catalog.
// Implementations must be safe to call from many threads at once.
#pragma once

#include <string_view>
#include <vector>

#include "classification/results.h"
#include "common/status.h"

namespace vsr::router {

class TextClassifiers {
 public:
  virtual ~TextClassifiers() = default;
  virtual bool has_domain() const = 0;
  virtual bool has_pii() const = 0;
  virtual bool has_jailbreak() const = 0;
  virtual bool has_embedder() const = 0;

  // FailedPrecondition when the model is not configured.
  virtual StatusOr<classification::ClassResult> Domain(std::string_view text) const = 0;
  virtual StatusOr<std::vector<classification::Entity>> Pii(std::string_view text) const = 0;
  virtual StatusOr<classification::ClassResult> Jailbreak(std::string_view text) const = 0;
  // L2-normalised; written into `out` (its capacity is reused).
  virtual Status Embed(std::string_view text, std::vector<float>* out) const = 0;
  // Prompt length in tokens (a model's tokenizer when one is loaded, else bytes / 4).
  virtual int64_t CountTokens(std::string_view text) const = 0;
};

// Whether a jailbreak classifier label names the attack class ("jailbreak", "injection",
// "malicious", "unsafe"; case-insensitive) rather than the benign one.
bool IsJailbreakLabel(std::string_view label);

}  // namespace vsr::router
