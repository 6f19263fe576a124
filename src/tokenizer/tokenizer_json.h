// Builds a Tokenizer from the text of a Hugging Face tokenizer.json.
//
// Promises: supports model WordPiece (normaliser BertNormalizer or none, pre-tokeniser
// BertPreTokenizer) and model BPE (normaliser none or NFC, taken as already-NFC text;
// pre-tokeniser ByteLevel); post-processors TemplateProcessing, BertProcessing,
// RobertaProcessing, ByteLevel and Sequence of these; added_tokens. Anything else is a
// Status naming the source, the key and the unsupported value; never an exception.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "tokenizer/tokenizer.h"

namespace vsr::tokenizer {

StatusOr<std::unique_ptr<Tokenizer>> LoadTokenizerJson(std::string_view json,
                                                       const std::string& source);

}  // namespace vsr::tokenizer
