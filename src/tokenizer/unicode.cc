#include "tokenizer/unicode.h"

#include <algorithm>

namespace vsr::tokenizer {
namespace {

const tables::MapEntry* FindEntry(const tables::MapEntry* entries, size_t count, uint32_t cp) {
  const tables::MapEntry* end = entries + count;
  const tables::MapEntry* it = std::lower_bound(
      entries, end, cp, [](const tables::MapEntry& e, uint32_t c) { return e.cp < c; });
  return (it != end && it->cp == cp) ? it : nullptr;
}

bool InRange(unsigned char b, unsigned char lo, unsigned char hi) { return b >= lo && b <= hi; }

}  // namespace

uint32_t DecodeUtf8(const unsigned char* s, size_t n, size_t* len) {
  const unsigned char b0 = s[0];
  if (b0 < 0x80) {
    *len = 1;
    return b0;
  }
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  uint32_t cp;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    *len = 1;
    return kReplacementChar;
  }
  size_t i = 1;
  for (; i <= need; ++i) {
    if (i >= n) break;
    const unsigned char b = s[i];
    if (i == 1 ? !InRange(b, lo, hi) : !InRange(b, 0x80, 0xBF)) break;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (i <= need) {  // truncated or bad continuation: the bytes so far are one U+FFFD
    *len = i;
    return kReplacementChar;
  }
  *len = need + 1;
  return cp;
}

size_t EncodeUtf8(uint32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

size_t StripAccents(uint32_t cp, uint32_t out[3]) {
  if (cp >= 0xAC00 && cp <= 0xD7A3) {  // Hangul syllable: algorithmic decomposition
    const uint32_t s = cp - 0xAC00;
    out[0] = 0x1100 + s / (21 * 28);
    out[1] = 0x1161 + (s % (21 * 28)) / 28;
    const uint32_t t = s % 28;
    if (t == 0) return 2;
    out[2] = 0x11A7 + t;
    return 3;
  }
  if (Flags(cp) & kHasStrip) {
    const tables::MapEntry* e = FindEntry(tables::kStripEntries, tables::kStripEntryCount, cp);
    if (e != nullptr) {
      for (uint32_t i = 0; i < e->length; ++i) out[i] = tables::kStripPool[e->offset + i];
      return e->length;
    }
  }
  out[0] = cp;
  return 1;
}

size_t ToLower(uint32_t cp, uint32_t out[2]) {
  if (cp < 0x80) {
    out[0] = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    return 1;
  }
  if (Flags(cp) & kHasLower) {
    const tables::MapEntry* e = FindEntry(tables::kLowerEntries, tables::kLowerEntryCount, cp);
    if (e != nullptr) {
      for (uint32_t i = 0; i < e->length; ++i) out[i] = tables::kLowerPool[e->offset + i];
      return e->length;
    }
  }
  out[0] = cp;
  return 1;
}

const char* UnicodeVersion() { return tables::kUnicodeVersion; }

}  // namespace vsr::tokenizer
