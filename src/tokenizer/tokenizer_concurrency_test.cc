// Concurrent Encode() calls on one shared Tokenizer agree with serial ones (run under TSan).
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "tokenizer/tokenizer.h"

namespace vsr {
namespace {

TEST(TokenizerConcurrency, ThreadsShareOneTokenizer) {
  const std::vector<std::string> texts = {"What is the capital of France?",
                                          "Résumé: 東京, 한국어 and 😀; pi is 3.14!",
                                          "a [MASK] b",
                                          "bad \xFF\xFE utf8",
                                          std::string(300, 'x'),
                                          ""};
  for (const char* dir : {"src/tokenizer/testdata/bert-base-uncased",
                          "src/tokenizer/testdata/bpe-modernbert-style"}) {
    auto tok = Tokenizer::FromModelDir(dir);
    ASSERT_TRUE(tok.ok()) << tok.status().ToString();
    std::vector<std::vector<int32_t>> expected;
    Encoding enc;
    for (const std::string& t : texts) {
      ASSERT_TRUE((*tok)->Encode(t, &enc).ok());
      expected.push_back(enc.ids);
    }
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (int th = 0; th < 4; ++th) {
      threads.emplace_back([&, th] {
        Encoding local;
        for (int i = 0; i < 50; ++i) {
          const size_t k = static_cast<size_t>(i + th) % texts.size();
          if (!(*tok)->Encode(texts[k], &local).ok() || local.ids != expected[k]) {
            ++mismatches[static_cast<size_t>(th)];
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    for (int m : mismatches) EXPECT_EQ(m, 0) << dir;
  }
}

}  // namespace
}  // namespace vsr
