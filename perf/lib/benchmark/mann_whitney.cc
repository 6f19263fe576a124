#include "perf/lib/benchmark/mann_whitney.h"

#include <algorithm>
#include <cmath>

namespace vsr::perf {

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

UTestResult MannWhitneyU(const std::vector<double>& a, const std::vector<double>& b) {
  UTestResult r;
  if (a.size() < 2 || b.size() < 2) return r;
  struct Item {
    double v;
    int side;
  };
  std::vector<Item> all;
  for (double x : a) all.push_back({x, 0});
  for (double x : b) all.push_back({x, 1});
  std::sort(all.begin(), all.end(), [](const Item& x, const Item& y) { return x.v < y.v; });
  const double n1 = static_cast<double>(a.size()), n2 = static_cast<double>(b.size());
  const double n = n1 + n2;
  double rank_sum_a = 0, tie_term = 0;
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j < all.size() && all[j].v == all[i].v) ++j;
    double avg_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    double t = static_cast<double>(j - i);
    tie_term += t * t * t - t;
    for (size_t k = i; k < j; ++k) {
      if (all[k].side == 0) rank_sum_a += avg_rank;
    }
    i = j;
  }
  r.u = rank_sum_a - n1 * (n1 + 1) / 2.0;
  double mean = n1 * n2 / 2.0;
  double var = n1 * n2 / 12.0 * ((n + 1) - tie_term / (n * (n - 1)));
  r.valid = true;
  if (var <= 0) {  // every sample equal: no evidence of a difference
    r.p_value = 1.0;
    return r;
  }
  double z = (std::fabs(r.u - mean) - 0.5) / std::sqrt(var);
  if (z < 0) z = 0;
  r.p_value = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
  return r;
}

}  // namespace vsr::perf
