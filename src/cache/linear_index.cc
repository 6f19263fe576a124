#include "cache/linear_index.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "cache/vector_math.h"

namespace vsr::cache {

size_t InsertTopK(Neighbor candidate, size_t k, Neighbor* out, size_t count) {
  if (k == 0) return 0;
  if (count == k && !(candidate.similarity > out[k - 1].similarity)) return count;
  size_t pos = count < k ? count : k - 1;
  while (pos > 0 && out[pos - 1].similarity < candidate.similarity) {
    out[pos] = out[pos - 1];
    --pos;
  }
  out[pos] = candidate;
  return count < k ? count + 1 : count;
}

Status LinearIndex::Add(uint32_t id, const float* vec) {
  if (rows_of_.count(id) != 0) {
    return Status::Internal("cache: linear index already holds id " + std::to_string(id));
  }
  uint32_t row = static_cast<uint32_t>(ids_.size());
  rows_.insert(rows_.end(), vec, vec + dim_);
  ids_.push_back(id);
  rows_of_.emplace(id, row);
  return Status::OK();
}

void LinearIndex::Remove(uint32_t id) {
  auto it = rows_of_.find(id);
  if (it == rows_of_.end()) return;
  uint32_t row = it->second;
  rows_of_.erase(it);
  uint32_t last = static_cast<uint32_t>(ids_.size() - 1);
  if (row != last) {
    std::memcpy(rows_.data() + size_t{row} * dim_, rows_.data() + size_t{last} * dim_,
                dim_ * sizeof(float));
    ids_[row] = ids_[last];
    rows_of_[ids_[row]] = row;
  }
  ids_.pop_back();
  rows_.resize(ids_.size() * dim_);
}

size_t LinearIndex::Search(const float* query, size_t k, Neighbor* out) const {
  constexpr size_t kBlock = 256;  // similarities computed per DotRows call (stack buffer)
  float sims[kBlock];
  size_t count = 0;
  const size_t n = ids_.size();
  for (size_t begin = 0; begin < n; begin += kBlock) {
    size_t rows = std::min(kBlock, n - begin);
    DotRows(query, rows_.data() + begin * dim_, rows, dim_, sims);
    float floor = count == k ? out[k - 1].similarity : -3.0f;
    for (size_t r = 0; r < rows; ++r) {
      if (sims[r] > floor) {
        count = InsertTopK({ids_[begin + r], sims[r]}, k, out, count);
        if (count == k) floor = out[k - 1].similarity;
      }
    }
  }
  return count;
}

void LinearIndex::Clear() {
  rows_.clear();
  ids_.clear();
  rows_of_.clear();
}

}  // namespace vsr::cache
