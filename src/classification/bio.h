// BIO aggregation: per-token label predictions -> entities with byte spans, decided per word.
//
// Rules (labels are "O", "B-X", "I-X", or a bare "X" treated as "I-X"):
//  - Words: consecutive tokens with no gap between them (the next token begins where the
//    previous one ends, or earlier, or is a "##" continuation) form one word; special
//    tokens and whitespace separate words. An entity never starts or ends inside a word
//    except at tokens labelled O (below).
//  - Each word takes the label that most of its alphanumeric tokens carry (all tokens when
//    it has none); ties go to the label seen first. Type X or O, never a mix: "4295-6263-"
//    and "2459" of one card number cannot become two entities.
//  - A word of type X spans from its first to its last non-O token (so "(john@x.com)" with
//    O brackets gives "john@x.com"), widened to whole WordPiece words (a "##" piece never
//    splits from its head). It joins the open entity of type X when the previous
//    word ended inside it and this word's span starts at the word's first token, unless
//    that token is B-; otherwise it opens a new entity, except that a word with no
//    alphanumeric token ("+", "--") never opens one. O words and special tokens close the
//    open entity.
//  - Trailing sentence punctuation tokens (. , ; : ! ? and quotes) are dropped from an
//    entity's end, and leading quotes from its start; brackets are dropped at either end
//    when the entity has no matching partner ("(555) 123-4567" keeps both).
//  - Spans are bytes of the original text (clamped to it); confidence is the mean
//    probability of the entity's tokens.
// models/train/train.py (decode_entities) implements the same rules for training metrics.
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
