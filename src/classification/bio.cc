#include "classification/bio.h"

#include <algorithm>

namespace vsr::classification {
namespace {

struct Tag {
  char kind;  // 'O', 'B', 'I'
  std::string_view type;
};

Tag ParseTag(std::string_view label) {
  if (label.empty() || label == "O") return {'O', {}};
  if (label.size() > 2 && (label[0] == 'B' || label[0] == 'I') &&
      (label[1] == '-' || label[1] == '_')) {
    return {label[0], label.substr(2)};
  }
  return {'I', label};
}

}  // namespace

std::vector<Entity> AggregateBio(std::string_view text, std::span<const TokenPrediction> tokens,
                                 const std::vector<std::string>& labels) {
  std::vector<Entity> out;
  bool open = false;
  std::string_view open_type;
  float sum = 0.0f;
  int count = 0;
  auto close = [&] {
    if (!open) return;
    Entity& e = out.back();
    e.confidence = sum / static_cast<float>(count);
    const uint32_t end = std::min<uint32_t>(e.end, static_cast<uint32_t>(text.size()));
    const uint32_t begin = std::min(e.begin, end);
    e.text = std::string(text.substr(begin, end - begin));
    open = false;
  };
  for (const TokenPrediction& t : tokens) {
    if (t.special) {
      close();
      continue;
    }
    if (t.continuation) {
      if (open) {
        out.back().end = std::max(out.back().end, t.end);
        sum += t.probability;
        ++count;
      }
      continue;
    }
    const Tag tag = t.label >= 0 && static_cast<size_t>(t.label) < labels.size()
                        ? ParseTag(labels[static_cast<size_t>(t.label)])
                        : Tag{'O', {}};
    if (tag.kind == 'O') {
      close();
      continue;
    }
    if (tag.kind == 'I' && open && tag.type == open_type) {
      out.back().end = std::max(out.back().end, t.end);
      sum += t.probability;
      ++count;
      continue;
    }
    close();
    Entity e;
    e.type = std::string(tag.type);
    e.begin = t.begin;
    e.end = t.end;
    out.push_back(std::move(e));
    open = true;
    open_type = tag.type;
    sum = t.probability;
    count = 1;
  }
  close();
  return out;
}

}  // namespace vsr::classification
