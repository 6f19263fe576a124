// Mann-Whitney U test (two-sided), as benchstat and Google Benchmark's compare.py use to
// decide whether two sets of wall-time samples differ. Normal approximation with tie and
// continuity correction; adequate from about 3 samples per side.
#pragma once

#include <vector>

namespace vsr::perf {

struct UTestResult {
  double u = 0;        // U statistic of the first sample
  double p_value = 1;  // two-sided
  bool valid = false;  // false when a side has fewer than 2 samples
};

UTestResult MannWhitneyU(const std::vector<double>& a, const std::vector<double>& b);

double Median(std::vector<double> v);

}  // namespace vsr::perf
