// Factories of Tokenizer (implementation lands in the next commits).
#include "tokenizer/tokenizer.h"

namespace vsr {

StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::FromModelDir(const std::string& dir) {
  return Status::Unimplemented("tokenizer: loading " + dir + " is not implemented yet");
}

StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::FromTokenizerJson(const std::string& path) {
  return Status::Unimplemented("tokenizer: loading " + path + " is not implemented yet");
}

StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::FromTokenizerJsonString(
    std::string_view json, const std::string& source_name) {
  return Status::Unimplemented("tokenizer: loading " + source_name + " is not implemented yet");
}

StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::FromVocabTxt(const std::string& path,
                                                             bool lowercase) {
  return Status::Unimplemented("tokenizer: loading " + path + " is not implemented yet");
}

}  // namespace vsr
