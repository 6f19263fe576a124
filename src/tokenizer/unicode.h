// Unicode facts for the tokenizers: UTF-8 decoding that never fails, per-code-point
// classes (white space, control, punctuation, letter, number, CJK) and the two character
// mappings the BERT normaliser applies (accent stripping, lower-casing).
//
// Promises: DecodeUtf8 consumes at least one byte and replaces each maximal invalid
// subsequence with U+FFFD (the WHATWG / TextDecoder rule); the tables follow the Unicode
// version named by UnicodeVersion() (Python's unicodedata, see tools/gen_unicode_tables.py).
#pragma once

#include <cstddef>
#include <cstdint>

#include "tokenizer/unicode_tables.h"

namespace vsr::tokenizer {

inline constexpr uint32_t kReplacementChar = 0xFFFD;

enum CodepointFlag : uint8_t {
  kSpace = 1,    // Unicode White_Space (Rust char::is_whitespace)
  kControl = 2,  // HF BERT "control": Cc, Cf, Cs, Co, Cn except \t \n \r
  kPunct = 4,    // ASCII punctuation or a P* category
  kLetter = 8,   // L*
  kNumber = 16,  // N*
  kHasStrip = 32,
  kHasLower = 64,
};

inline uint8_t Flags(uint32_t cp) {
  if (cp >= 0x110000) return kControl;
  return tables::kFlagStage2[static_cast<size_t>(tables::kFlagStage1[cp >> 8]) * 256 + (cp & 0xFF)];
}

// The CJK Unified Ideograph blocks BERT surrounds with spaces (the ranges of HF tokenizers,
// bert.rs, which start the Extension E block at U+2B920 where Google BERT has U+2B820).
inline bool IsChineseChar(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
         (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

// Decodes the code point starting at s[0] (n > 0 bytes available). Sets *len to the bytes
// consumed (>= 1). Invalid input yields U+FFFD covering the maximal invalid subpart.
uint32_t DecodeUtf8(const unsigned char* s, size_t n, size_t* len);

// Writes the UTF-8 form of `cp` (valid scalar value) to out[0..3]; returns its length.
size_t EncodeUtf8(uint32_t cp, char* out);

// NFD of `cp` with non-spacing marks (Mn) removed, into out[0..2]; returns the count
// (0 when `cp` is itself a non-spacing mark). Identity for unmapped code points.
size_t StripAccents(uint32_t cp, uint32_t out[3]);

// The full lower-case mapping of `cp` into out[0..1]; returns the count (1 or 2).
size_t ToLower(uint32_t cp, uint32_t out[2]);

const char* UnicodeVersion();

}  // namespace vsr::tokenizer
