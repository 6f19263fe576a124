// Steady-state Encode() performs no heap allocation (counted by the perf malloc hooks).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "perf/lib/metrics/alloc_counter.h"
#include "tokenizer/tokenizer.h"

namespace vsr {
namespace {

const char* const kDirs[] = {"src/tokenizer/testdata/bert-base-uncased",
                             "src/tokenizer/testdata/bpe-modernbert-style"};

std::vector<std::string> Texts() {
  std::string long_text;
  while (long_text.size() < 4096) {
    long_text += "Résumé of the naïve café owner: 東京 and 한국어, 😀 emoji; numbers 3.14! ";
  }
  return {"What is the capital of France?",
          long_text,
          "",
          "a [MASK] b",
          "bad \xFF\xFE utf8",
          std::string(300, 'x')};
}

TEST(TokenizerAlloc, SteadyStateEncodeDoesNotAllocate) {
  ASSERT_TRUE(perf::AllocHooksInstalled());
  for (const char* dir : kDirs) {
    auto tok = Tokenizer::FromModelDir(dir);
    ASSERT_TRUE(tok.ok()) << tok.status().ToString();
    const std::vector<std::string> texts = Texts();
    Encoding enc;
    for (const std::string& t : texts) ASSERT_TRUE((*tok)->Encode(t, &enc, true, 0).ok());
    perf::AllocCounterStart();
    for (int i = 0; i < 50; ++i) {
      for (const std::string& t : texts) {
        (void)(*tok)->Encode(t, &enc, true, 512);
        (void)(*tok)->Encode(t, &enc, false, 0);
      }
    }
    const perf::AllocSnapshot snap = perf::AllocCounterStop();
    EXPECT_EQ(snap.allocs, 0) << dir;
  }
}

}  // namespace
}  // namespace vsr
