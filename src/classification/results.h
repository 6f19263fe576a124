// The value types every classifier returns: a class decision, a detected entity, and the
// unified (domain + PII + jailbreak) result of one text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vsr::classification {

// One sequence-classification decision.
struct ClassResult {
  std::string label;                 // id2label of the arg-max class
  int32_t class_id = -1;             // arg-max class index
  float confidence = 0.0f;           // softmax probability of `label`
  std::vector<float> probabilities;  // softmax over all classes, in class-id order
};

// One entity from token classification after BIO aggregation.
struct Entity {
  std::string type;         // label without its B-/I- prefix (e.g. "EMAIL_ADDRESS")
  std::string text;         // the original text bytes [begin, end)
  uint32_t begin = 0;       // byte offset in the original text
  uint32_t end = 0;         // byte offset one past the entity
  float confidence = 0.0f;  // mean softmax probability of the entity's tokens
};

// What UnifiedClassifier returns for one text.
struct UnifiedResult {
  ClassResult domain;
  std::vector<Entity> pii;
  ClassResult jailbreak;
};

}  // namespace vsr::classification
