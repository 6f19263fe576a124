// BIO aggregation: per-token label predictions -> entities with byte spans.
//
// Rules (labels are "O", "B-X", "I-X", or a bare "X" treated as "I-X"):
//  - B-X starts a new entity of type X; I-X continues an open entity of type X, or starts
//    one when none is open (or the open one has another type); O and special tokens close.
//  - A WordPiece continuation ("##...") never splits a word: it joins the open entity
//    whatever its own label, and is dropped when no entity is open.
//  - The entity spans from its first token's begin to its last token's end (bytes of the
//    original text); its confidence is the mean of its tokens' probabilities.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "classification/results.h"

namespace vsr::classification {

struct TokenPrediction {
  int32_t label = 0;         // class id (arg-max)
  float probability = 0.0f;  // its softmax probability
  uint32_t begin = 0, end = 0;
  bool special = false;       // [CLS], [SEP], ...
  bool continuation = false;  // "##" WordPiece continuation
};

std::vector<Entity> AggregateBio(std::string_view text, std::span<const TokenPrediction> tokens,
                                 const std::vector<std::string>& labels);

}  // namespace vsr::classification
