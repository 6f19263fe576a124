#include "perf/e2e/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace vsr::e2e {

namespace {
constexpr uint64_t kValueCap = (uint64_t{1} << LatencyHistogram::kMaxValueBits) - 1;
}  // namespace

LatencyHistogram::LatencyHistogram(int sub_bucket_bits)
    : bits_(std::clamp(sub_bucket_bits, kMinSubBucketBits, kMaxSubBucketBits)),
      sub_count_(uint64_t{1} << bits_) {
  counts_.assign(BucketIndex(kValueCap) + 1, 0);
}

size_t LatencyHistogram::BucketIndex(uint64_t value) const {
  value = std::min(value, kValueCap);
  if (value < 2 * sub_count_) return static_cast<size_t>(value);
  // value = mantissa << shift with mantissa in [2^bits, 2^(bits+1)).
  int msb = 63 - std::countl_zero(value);
  int shift = msb - bits_;
  uint64_t mantissa = value >> shift;
  return static_cast<size_t>(static_cast<uint64_t>(shift) * sub_count_ + mantissa);
}

uint64_t LatencyHistogram::BucketLowest(size_t index) const {
  if (index < 2 * sub_count_) return index;
  uint64_t shift = index / sub_count_ - 1;
  uint64_t mantissa = index - shift * sub_count_;
  return mantissa << shift;
}

uint64_t LatencyHistogram::BucketHighest(size_t index) const {
  if (index < 2 * sub_count_) return index;
  uint64_t shift = index / sub_count_ - 1;
  uint64_t mantissa = index - shift * sub_count_;
  return ((mantissa + 1) << shift) - 1;
}

void LatencyHistogram::RecordN(uint64_t value, uint64_t n) {
  if (n == 0) return;
  counts_[BucketIndex(value)] += n;
  if (count_ == 0 || value < min_) min_ = value;
  max_ = std::max(max_, value);
  count_ += n;
  sum_ += static_cast<long double>(value) * static_cast<long double>(n);
}

bool LatencyHistogram::Merge(const LatencyHistogram& other) {
  if (other.bits_ != bits_) return false;
  if (other.count_ == 0) return true;
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
  return true;
}

void LatencyHistogram::Reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = 0;
  max_ = 0;
  sum_ = 0;
}

double LatencyHistogram::mean() const {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(count_));
}

uint64_t LatencyHistogram::ValueAtQuantile(double q) const {
  if (count_ == 0) return 0;
  if (!(q >= 0.0)) q = 0.0;  // also maps NaN to 0
  q = std::min(q, 1.0);
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen < rank) continue;
    // The top bucket is open-ended: its samples are only known to lie in [lowest, max].
    uint64_t highest = i + 1 == counts_.size() ? max_ : BucketHighest(i);
    return std::clamp(highest, min_, max_);
  }
  return max_;
}

}  // namespace vsr::e2e
