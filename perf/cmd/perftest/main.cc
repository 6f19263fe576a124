// perftest: runs the benchmark families, compares against baselines, gates and reports.
//
//   perftest run       run the families of perf.yaml and write reports/current.json
//   perftest compare   current vs baselines: the metric table (Markdown) on stdout
//   perftest check     the same, exit 1 on a blocking regression
//   perftest report    reports/report.{json,md,html} (+ e2e and the CPU flame graph)
//   perftest baseline update   write perf/testdata/baselines/<family>.json from a fresh run
//
// Exit codes: 0 ok, 1 blocking regression (check), 2 bad input (missing or malformed files,
// invalid regex, bad options), 3 a benchmark binary failed to run.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <set>

#include "perf/lib/benchmark/compare.h"
#include "perf/lib/benchmark/e2e_baseline.h"
#include "perf/lib/benchmark/machine_info.h"
#include "perf/lib/benchmark/perf_config.h"
#include "perf/lib/benchmark/report.h"
#include "perf/lib/benchmark/results.h"
#include "perf/lib/benchmark/runner.h"
#include "perf/lib/benchmark/subprocess.h"
#include "perf/lib/benchmark/thresholds.h"

namespace fs = std::filesystem;
using namespace vsr;
using namespace vsr::perf;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitRegression = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitRunFailed = 3;

int Fail(const Status& s) {
  std::cerr << "perftest: error: " << s.message() << "\n";
  switch (s.code()) {
    case StatusCode::kUnavailable:
    case StatusCode::kInternal:
      return kExitRunFailed;
    default:
      return kExitBadInput;
  }
}

struct RunArgs {
  std::string config = "perf/config/perf.yaml";
  std::vector<std::string> families;
  std::string filter;
  std::string suite = "quick";
  int repetitions = 0;
  std::string bench_dir;
  bool no_instructions = false;
  bool no_allocations = false;
  bool no_timing = false;
  bool profile = false;
  std::string out = "reports/current.json";
  bool verbose = false;
};

void AddRunOptions(CLI::App* cmd, RunArgs* a) {
  cmd->add_option("--config", a->config, "perf.yaml")->capture_default_str();
  cmd->add_option("--family", a->families, "family to run (repeatable; default: all in perf.yaml)");
  cmd->add_option("--filter", a->filter, "regex on benchmark names");
  cmd->add_option("--suite", a->suite, "quick or full")->capture_default_str();
  cmd->add_option("--repetitions", a->repetitions, "override the suite's repetitions");
  cmd->add_option("--bench-dir", a->bench_dir,
                  "directory of benchmark binaries (default: perf.yaml)");
  cmd->add_flag("--no-instructions", a->no_instructions, "skip the callgrind instructions/op runs");
  cmd->add_flag("--no-allocations", a->no_allocations, "skip the allocation runs");
  cmd->add_flag("--no-timing", a->no_timing,
                "skip the wall-time runs (deterministic metrics only, as CI's gate)");
}

// Copies the primary family's profiles to reports/cpu.prof, reports/mem.prof and folds the
// CPU profile for the flame graph (reports/cpu.folded).
void PublishProfiles(const PerfConfig& config, const ResultSet& results,
                     const std::string& profile_dir, const std::string& bench_dir,
                     std::ostream& log) {
  std::string binary;
  for (const BenchmarkResult& b : results.benchmarks) {
    if (b.family == config.profile_primary_family) {
      binary = b.binary;
      break;
    }
  }
  if (binary.empty() && !results.benchmarks.empty()) binary = results.benchmarks.front().binary;
  if (binary.empty()) return;
  std::string out_dir = config.output_dir;
  std::error_code ec;
  for (const char* kind : {"cpu", "mem"}) {
    std::string src = profile_dir + "/" + binary + "." + kind + ".prof";
    std::string dst = out_dir + "/" + kind + ".prof";
    if (fs::exists(src, ec)) {
      fs::copy_file(src, dst, fs::copy_options::overwrite_existing, ec);
      log << "perftest: " << dst << " <- " << binary << " (" << kind << " profile)\n";
    }
  }
  std::string bin_path = fs::absolute(bench_dir + "/" + binary, ec).string();
  WriteFile(out_dir + "/profile-binary.txt", bin_path + "\n");
  std::string folded =
      CaptureCommand({"google-pprof", "--collapsed", bin_path, out_dir + "/cpu.prof"});
  if (!folded.empty()) WriteFile(out_dir + "/cpu.folded", folded + "\n");
}

StatusOr<ResultSet> DoRun(const RunArgs& a, const PerfConfig& config) {
  RunOptions opt;
  opt.suite = a.suite;
  opt.families = a.families;
  opt.filter = a.filter;
  opt.repetitions = a.repetitions;
  opt.bench_dir = a.bench_dir;
  opt.instructions = !a.no_instructions;
  opt.allocations = !a.no_allocations;
  opt.timing = !a.no_timing;
  opt.work_dir = config.output_dir + "/.perftest";
  if (a.profile) opt.profile_dir = config.output_dir + "/profiles";
  auto results = RunBenchmarks(config, opt, std::cerr);
  if (results.ok() && a.profile) {
    PublishProfiles(config, *results, opt.profile_dir,
                    a.bench_dir.empty() ? config.bench_dir : a.bench_dir, std::cerr);
  }
  return results;
}

struct CompareArgs {
  std::string current = "reports/current.json";
  std::string baselines = "perf/testdata/baselines";
  std::string thresholds = "perf/config/thresholds.yaml";
  std::string out;
};

void AddCompareOptions(CLI::App* cmd, CompareArgs* a) {
  cmd->add_option("--current", a->current, "result set from `perftest run`")->capture_default_str();
  cmd->add_option("--baselines", a->baselines, "directory of <family>.json baselines")
      ->capture_default_str();
  cmd->add_option("--thresholds", a->thresholds, "thresholds.yaml")->capture_default_str();
}

struct Loaded {
  ResultSet current;
  std::map<std::string, ResultSet> baselines;
  Thresholds thresholds;
  Comparison comparison;
};

StatusOr<Loaded> LoadAndCompare(const CompareArgs& a) {
  Loaded l;
  auto th = LoadThresholds(a.thresholds);
  if (!th.ok()) return th.status();
  l.thresholds = std::move(*th);
  auto cur = LoadResultSet(a.current);
  if (!cur.ok()) return cur.status();
  l.current = std::move(*cur);
  auto base = LoadBaselines(a.baselines);
  if (!base.ok()) return base.status();
  l.baselines = std::move(*base);
  l.comparison = Compare(l.current, l.baselines, l.thresholds);
  return l;
}

void PrintSummary(const Comparison& c, std::ostream& out) {
  out << "perftest: " << (c.blocking ? "BLOCKING REGRESSION" : "no blocking regression") << " ("
      << c.regressions << " regression(s), " << c.warnings << " advisory, " << c.improvements
      << " improved, " << c.new_benchmarks.size() << " without baseline, "
      << c.missing_benchmarks.size() << " missing)\n";
  for (const BenchmarkComparison& b : c.benchmarks) {
    for (const MetricComparison& m : b.metrics) {
      if (m.blocking || m.verdict == Verdict::kWarning || m.verdict == Verdict::kNew ||
          m.verdict == Verdict::kMissing) {
        if (m.verdict == Verdict::kNew && m.metric != "baseline") continue;
        out << "  " << (m.blocking ? "BLOCKING " : "") << VerdictName(m.verdict) << ": " << b.name
            << " " << MetricLabel(m.metric);
        if (m.has_baseline && m.has_current) {
          out << " " << FormatMetric(m.metric, m.baseline) << " -> "
              << FormatMetric(m.metric, m.current);
          char buf[32];
          std::snprintf(buf, sizeof(buf), " (%+.2f%%)", m.change_percent);
          out << buf;
        }
        if (!m.note.empty()) out << ": " << m.note;
        out << "\n";
      }
    }
  }
  for (const SloCheck& s : c.slos) {
    if (s.measured && !s.ok) {
      out << "  " << (s.blocking ? "BLOCKING " : "") << "SLO violated: " << s.name << " ("
          << s.benchmark << " " << s.counter << " = " << FormatNumber(s.value) << ", limit "
          << (s.is_max ? "< " : "> ") << FormatNumber(s.limit) << ")\n";
    }
  }
  for (const std::string& m : c.messages) out << "  note: " << m << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "perftest: component benchmark runner, regression gate and reports.\n"
      "Exit codes: 0 ok, 1 blocking regression, 2 bad input, 3 benchmark run failed."};
  app.require_subcommand(1);

  RunArgs run_args;
  CLI::App* run =
      app.add_subcommand("run", "run benchmark families and write reports/current.json");
  AddRunOptions(run, &run_args);
  run->add_option("--out", run_args.out, "where to write the result set")->capture_default_str();
  run->add_flag("--profile", run_args.profile,
                "also write CPU and heap profiles (reports/cpu.prof, mem.prof)");

  CompareArgs cmp_args;
  CLI::App* compare =
      app.add_subcommand("compare", "compare reports/current.json with the baselines");
  AddCompareOptions(compare, &cmp_args);
  compare->add_option("--out", cmp_args.out, "also write the comparison as JSON here");

  CompareArgs chk_args;
  CLI::App* check = app.add_subcommand("check", "like compare; exit 1 on a blocking regression");
  AddCompareOptions(check, &chk_args);

  CompareArgs rep_args;
  std::string e2e = "reports/e2e.json", e2e_baseline = "perf/testdata/baselines/e2e";
  std::string folded = "reports/cpu.folded", out_dir = "reports";
  CLI::App* report = app.add_subcommand("report", "write report.json, report.md and report.html");
  AddCompareOptions(report, &rep_args);
  report->add_option("--e2e", e2e, "end-to-end results (included when present)")
      ->capture_default_str();
  report
      ->add_option("--e2e-baseline", e2e_baseline,
                   "end-to-end baseline: a file, or a directory of <isa>.json (the e2e run's ISA)")
      ->capture_default_str();
  report->add_option("--folded", folded, "folded CPU stacks for the flame graph")
      ->capture_default_str();
  report->add_option("--out-dir", out_dir, "output directory")->capture_default_str();

  CLI::App* baseline = app.add_subcommand("baseline", "manage baselines");
  baseline->require_subcommand(1);
  RunArgs bl_args;
  std::string bl_from, bl_dir = "perf/testdata/baselines";
  bool bl_force = false;
  CLI::App* update = baseline->add_subcommand(
      "update", "write perf/testdata/baselines/<family>.json from a fresh run");
  AddRunOptions(update, &bl_args);
  update->add_option("--from", bl_from, "use this result set instead of running");
  update->add_option("--dir", bl_dir, "baseline directory")->capture_default_str();
  update->add_flag("--force", bl_force, "allow a dirty git tree");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitBadInput;
  }

  if (*run) {
    auto config = LoadPerfConfig(run_args.config);
    if (!config.ok()) return Fail(config.status());
    auto results = DoRun(run_args, *config);
    if (!results.ok()) return Fail(results.status());
    Status s = SaveResultSet(*results, run_args.out);
    if (!s.ok()) return Fail(s);
    std::cerr << "perftest: " << results->benchmarks.size() << " benchmarks -> " << run_args.out
              << "\n";
    for (const std::string& n : results->notes) std::cerr << "perftest: note: " << n << "\n";
    int errors = 0;
    for (const BenchmarkResult& b : results->benchmarks) {
      if (!b.error.empty()) {
        std::cerr << "perftest: " << b.name << ": " << b.error << "\n";
        ++errors;
      }
    }
    return errors ? kExitRunFailed : kExitOk;
  }

  if (*compare || *check) {
    const CompareArgs& a = *compare ? cmp_args : chk_args;
    auto l = LoadAndCompare(a);
    if (!l.ok()) return Fail(l.status());
    ReportInput in;
    in.current = &l->current;
    in.comparison = &l->comparison;
    std::cout << RenderMarkdown(in);
    PrintSummary(l->comparison, std::cerr);
    if (*compare && !a.out.empty()) {
      Status s = WriteFile(a.out, RenderJson(in).dump(2) + "\n");
      if (!s.ok()) return Fail(s);
    }
    return (*check && l->comparison.blocking) ? kExitRegression : kExitOk;
  }

  if (*report) {
    auto l = LoadAndCompare(rep_args);
    if (!l.ok()) return Fail(l.status());
    ReportInput in;
    in.current = &l->current;
    in.comparison = &l->comparison;
    std::error_code ec;
    if (fs::exists(e2e, ec)) {
      auto cur = ReadFile(e2e);
      if (!cur.ok()) return Fail(cur.status());
      auto j = ParseJson(*cur, e2e);
      if (!j.ok()) return Fail(j.status());
      nlohmann::json base;
      bool has_base = false;
      const std::string base_path = ResolveE2eBaseline(e2e_baseline, RecordedIsa(*j));
      std::string no_base = " (no baseline at " + base_path + ")";
      if (fs::exists(base_path, ec)) {
        auto btext = ReadFile(base_path);
        if (!btext.ok()) return Fail(btext.status());
        auto bj = ParseJson(*btext, base_path);
        if (!bj.ok()) return Fail(bj.status());
        const std::string reason = E2eNotComparableReason(*j, *bj);
        if (reason.empty()) {
          base = std::move(*bj);
          has_base = true;
        } else {
          no_base = " (" + base_path + " not compared: " + reason + ")";
        }
      }
      in.e2e = E2eRows(*j, has_base ? &base : nullptr);
      in.e2e_charts = E2eChartData(*j);
      in.e2e_source = e2e + (has_base ? " vs " + base_path : no_base);
    }
    if (fs::exists(folded, ec)) {
      auto text = ReadFile(folded);
      if (text.ok()) {
        std::string bin;
        if (auto b = ReadFile(fs::path(folded).parent_path().string() + "/profile-binary.txt");
            b.ok()) {
          bin = *b;
          while (!bin.empty() && bin.back() == '\n') bin.pop_back();
        }
        in.flamegraph_source =
            "CPU profile of " + (bin.empty() ? std::string("the primary family") : bin);
        in.flamegraph_svg = RenderFlameGraph(*text, in.flamegraph_source);
      }
    }
    for (const auto& [name, content] : std::vector<std::pair<std::string, std::string>>{
             {"report.json", RenderJson(in).dump(2) + "\n"},
             {"report.md", RenderMarkdown(in)},
             {"report.html", RenderHtml(in)}}) {
      Status s = WriteFile(out_dir + "/" + name, content);
      if (!s.ok()) return Fail(s);
    }
    PrintSummary(l->comparison, std::cerr);
    std::cerr << "perftest: wrote " << out_dir << "/report.{json,md,html}\n";
    return kExitOk;
  }

  if (*update) {
    if (!bl_force && GitTreeDirty()) {
      std::cerr << "perftest: error: the git tree has uncommitted changes; a baseline must "
                   "describe a commit. "
                   "Commit first, or pass --force.\n";
      return kExitBadInput;
    }
    auto config = LoadPerfConfig(bl_args.config);
    if (!config.ok()) return Fail(config.status());
    StatusOr<ResultSet> results = Status::Internal("unset");
    if (!bl_from.empty()) {
      results = LoadResultSet(bl_from);
    } else {
      results = DoRun(bl_args, *config);
    }
    if (!results.ok()) return Fail(results.status());
    std::map<std::string, ResultSet> per_family;
    for (const BenchmarkResult& b : results->benchmarks) {
      if (!b.error.empty()) {
        std::cerr << "perftest: error: " << b.name << " failed (" << b.error
                  << "); no baseline written\n";
        return kExitRunFailed;
      }
      if (!bl_args.families.empty() && std::find(bl_args.families.begin(), bl_args.families.end(),
                                                 b.family) == bl_args.families.end()) {
        continue;
      }
      ResultSet& rs = per_family[b.family];
      rs.context = results->context;
      rs.benchmarks.push_back(b);
    }
    if (per_family.empty()) {
      std::cerr << "perftest: error: no benchmark results to write (are the families built?)\n";
      return kExitRunFailed;
    }
    for (auto& [family, rs] : per_family) {
      std::string path = bl_dir + "/" + family + ".json";
      Status s = SaveResultSet(rs, path);
      if (!s.ok()) return Fail(s);
      std::cerr << "perftest: wrote " << path << " (" << rs.benchmarks.size() << " benchmarks)\n";
    }
    return kExitOk;
  }
  return kExitBadInput;
}
