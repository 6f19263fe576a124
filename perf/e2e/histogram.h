// LatencyHistogram: an HDR-style log-linear histogram of non-negative integer values (the
// load generator records nanoseconds).
//
// Values below 2^(bits+1) get one bucket each (exact). Above that, every power-of-two range
// [2^e, 2^(e+1)) is split into 2^bits equal sub-buckets, so a reported value is never more
// than a relative 2^-bits above the recorded one (0.8% with the default 7 bits). Quantiles
// report the highest value of the bucket that holds the nearest-rank sample, clamped to the
// exact recorded maximum, so ValueAtQuantile(1.0) == max(). Values at or above 2^kMaxValueBits
// (about 73 minutes in ns) share the top bucket; max() still holds the exact value.
//
// Record() is O(1) and never allocates: all buckets are allocated at construction. Not
// thread-safe: keep one histogram per thread and Merge() them afterwards.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vsr::e2e {

class LatencyHistogram {
 public:
  static constexpr int kDefaultSubBucketBits = 7;
  static constexpr int kMinSubBucketBits = 1;
  static constexpr int kMaxSubBucketBits = 14;
  static constexpr int kMaxValueBits = 42;

  LatencyHistogram() : LatencyHistogram(kDefaultSubBucketBits) {}
  // `sub_bucket_bits` is clamped to [kMinSubBucketBits, kMaxSubBucketBits].
  explicit LatencyHistogram(int sub_bucket_bits);

  void Record(uint64_t value) { RecordN(value, 1); }
  void RecordN(uint64_t value, uint64_t n);
  // Adds every sample of `other`. Returns false (and adds nothing) when the precisions differ.
  bool Merge(const LatencyHistogram& other);
  void Reset();

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ == 0 ? 0 : min_; }
  uint64_t max() const { return max_; }
  double mean() const;
  // The nearest-rank q-quantile (q clamped to [0, 1]); 0 when empty.
  uint64_t ValueAtQuantile(double q) const;

  int sub_bucket_bits() const { return bits_; }
  size_t bucket_count() const { return counts_.size(); }
  uint64_t bucket_samples(size_t index) const { return counts_[index]; }
  // The bucket a value falls into, and the inclusive value range of a bucket.
  size_t BucketIndex(uint64_t value) const;
  uint64_t BucketLowest(size_t index) const;
  uint64_t BucketHighest(size_t index) const;

 private:
  int bits_;
  uint64_t sub_count_;  // 2^bits_
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t min_ = 0;
  uint64_t max_ = 0;
  long double sum_ = 0;
};

}  // namespace vsr::e2e
