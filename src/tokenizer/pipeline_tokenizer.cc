#include "tokenizer/pipeline_tokenizer.h"

#include <limits>

namespace vsr::tokenizer {

Status PipelineTokenizer::Encode(std::string_view text, Encoding* out, bool add_special_tokens,
                                 size_t max_length) const {
  if (out == nullptr) return Status::InvalidArgument("tokenizer: Encode needs an output");
  out->clear();
  if (text.size() > std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidArgument("tokenizer: text longer than 4 GiB");
  }
  const size_t limit = max_length == 0 ? std::numeric_limits<size_t>::max() : max_length;
  const size_t specials = add_special_tokens ? prefix_.size() + suffix_.size() : 0;
  if (add_special_tokens && limit < specials) {
    return Status::InvalidArgument("tokenizer: max_length " + std::to_string(max_length) +
                                   " cannot hold the " + std::to_string(specials) +
                                   " special tokens");
  }
  if (add_special_tokens) {
    for (int32_t id : prefix_) {
      out->ids.push_back(id);
      out->offsets.emplace_back(0, 0);
      out->special_tokens_mask.push_back(1);
    }
  }
  const size_t content_limit = limit - (add_special_tokens ? suffix_.size() : 0);

  size_t pos = 0;
  AddedTokens::Match m;
  while (pos < text.size() && out->ids.size() < content_limit) {
    const bool found = added_.Find(text, pos, &m);
    const size_t piece_end = found ? m.begin : text.size();
    if (piece_end > pos) {
      EncodeText(text.substr(pos, piece_end - pos), static_cast<uint32_t>(pos), content_limit, out);
    }
    if (!found) break;
    if (out->ids.size() < content_limit) {
      Push(out, m.id, static_cast<uint32_t>(m.token_begin), static_cast<uint32_t>(m.token_end));
    }
    pos = m.end;
  }

  if (add_special_tokens) {
    for (int32_t id : suffix_) {
      out->ids.push_back(id);
      out->offsets.emplace_back(0, 0);
      out->special_tokens_mask.push_back(1);
    }
  }
  return Status::OK();
}

}  // namespace vsr::tokenizer
