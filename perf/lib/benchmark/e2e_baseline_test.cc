#include "perf/lib/benchmark/e2e_baseline.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace vsr::perf {
namespace {

using nlohmann::json;

json MachineContext(const std::string& cpu, const std::string& isa, int cores) {
  return {{"context", {{"cpu_model", cpu}, {"isa", isa}, {"hardware_concurrency", cores}}}};
}

TEST(E2eBaselineTest, SameMachineIsComparable) {
  EXPECT_EQ(E2eNotComparableReason(MachineContext("AMD EPYC", "avx2", 2),
                                   MachineContext("AMD EPYC", "avx2", 2)),
            "");
}

TEST(E2eBaselineTest, EachDifferenceIsNamed) {
  EXPECT_EQ(E2eNotComparableReason(MachineContext("AMD EPYC", "avx2", 2),
                                   MachineContext("AMD EPYC", "avx512", 2)),
            "isa avx512 in the baseline, avx2 here");
  EXPECT_EQ(E2eNotComparableReason(MachineContext("AMD EPYC", "avx2", 8),
                                   MachineContext("Intel Xeon", "avx2", 2)),
            "cpu_model Intel Xeon in the baseline, AMD EPYC here; hardware_concurrency 2 in the "
            "baseline, 8 here");
}

TEST(E2eBaselineTest, OtherVariantIsNotComparable) {
  json full = MachineContext("AMD EPYC", "avx2", 2), smoke = full;
  full["variant"] = "full";
  smoke["variant"] = "smoke";
  EXPECT_EQ(E2eNotComparableReason(smoke, full), "variant full in the baseline, smoke here");
  EXPECT_EQ(E2eNotComparableReason(full, full), "");
}

TEST(E2eBaselineTest, MissingOrMalformedContextIsNotComparable) {
  const json run = MachineContext("AMD EPYC", "avx2", 2);
  EXPECT_EQ(E2eNotComparableReason(run, json::object()),
            "the baseline does not record cpu_model; the baseline does not record isa; the "
            "baseline does not record hardware_concurrency");
  EXPECT_NE(E2eNotComparableReason(json::object(), run), "");
  EXPECT_NE(E2eNotComparableReason(run, json{{"context", "not an object"}}), "");
  EXPECT_NE(E2eNotComparableReason(run, json::array()), "");  // not a document at all
}

TEST(E2eBaselineTest, RecordedIsaToleratesMalformedDocuments) {
  EXPECT_EQ(RecordedIsa(MachineContext("AMD EPYC", "avx2", 2)), "avx2");
  EXPECT_EQ(RecordedIsa(json::object()), "unknown");
  EXPECT_EQ(RecordedIsa(json::array()), "unknown");
  EXPECT_EQ(RecordedIsa(json{{"context", 7}}), "unknown");
  EXPECT_EQ(RecordedIsa(json{{"context", {{"isa", 512}}}}), "512");  // a number, as text
}

TEST(E2eBaselineTest, DirectoryResolvesToTheIsaFile) {
  const auto dir = std::filesystem::temp_directory_path() / "vsr_e2e_baseline_test";
  std::filesystem::create_directories(dir);
  EXPECT_EQ(ResolveE2eBaseline(dir.string(), "avx2"), (dir / "avx2.json").string());
  const auto file = dir / "mine.json";
  std::ofstream(file) << "{}";
  EXPECT_EQ(ResolveE2eBaseline(file.string(), "avx2"), file.string());
  EXPECT_EQ(ResolveE2eBaseline("/no/such/path.json", "avx2"), "/no/such/path.json");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vsr::perf
