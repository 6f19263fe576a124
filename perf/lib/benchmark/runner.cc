#include "perf/lib/benchmark/runner.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "perf/lib/benchmark/gbench_json.h"
#include "perf/lib/benchmark/machine_info.h"
#include "perf/lib/benchmark/mann_whitney.h"
#include "perf/lib/benchmark/subprocess.h"

namespace vsr::perf {

namespace fs = std::filesystem;

std::string RegexEscape(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (std::string_view(".[](){}*+?|^$\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

namespace {

using Env = std::vector<std::pair<std::string, std::string>>;

// A filter matching exactly these benchmarks, with or without the "/iterations:N" that
// Google Benchmark inserts when Iterations() is set (after the family name, which may itself
// contain slashes, so it is allowed before any slash and at the end).
std::string Join(const std::vector<std::string>& names) {
  const std::string opt_iters = "(/iterations:[0-9]+)?";
  std::string f = "^(";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) f += "|";
    size_t start = 0;
    while (true) {
      size_t slash = names[i].find('/', start);
      f += RegexEscape(
          names[i].substr(start, slash == std::string::npos ? std::string::npos : slash - start));
      f += opt_iters;
      if (slash == std::string::npos) break;
      f += "/";
      start = slash + 1;
    }
  }
  f += ")$";
  return f;
}

std::string StripIterations(const std::string& name) {
  static const std::regex kIterations("/iterations:[0-9]+");
  return std::regex_replace(name, kIterations, "");
}

std::string Tail(const std::string& path, size_t lines) {
  std::ifstream in(path);
  std::vector<std::string> all;
  std::string l;
  while (std::getline(in, l)) all.push_back(l);
  std::string out;
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i)
    out += "    " + all[i] + "\n";
  return out;
}

// Environment that makes instruction counts repeatable: one thread per numeric library.
Env DeterministicEnv() {
  return {{"OPENBLAS_NUM_THREADS", "1"},
          {"OMP_NUM_THREADS", "1"},
          {"VSR_THREADS", "1"},
          {"VSR_BENCH_THREADS", "1"}};
}

// OpenBLAS picks its kernels by CPU when it loads. On AVX-512 hosts its SkylakeX kernels
// allocate on every call where the Haswell ones do not (BenchmarkClassifyBatch_Size10/minilm_l6:
// 299 allocations per op against 11), so a gate run on such a host failed against baselines
// from an AVX2 host with no code changed. The deterministic metrics are defined on the code
// path the perf build targets (x86-64-v3 where the CPU has AVX2, mk/perf.mk), so allocation
// and callgrind runs pin OpenBLAS to it (under valgrind it sees no AVX-512 anyway). Timing
// runs are not pinned: they compare against OpenBLAS at its best. A core type the caller set
// wins.
void PinOpenBlasToPerfBuildIsa(Env& env) {
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr) return;
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) env.push_back({"OPENBLAS_CORETYPE", "Haswell"});
}

StatusOr<std::vector<std::string>> ListBenchmarks(const std::string& binary,
                                                  const std::string& work, const std::string& tag) {
  std::string out = work + "/" + tag + ".list";
  ProcessSpec spec{
      {binary, "--benchmark_list_tests=true"}, {}, out, work + "/" + tag + ".list.err"};
  auto rc = RunProcess(spec);
  if (!rc.ok()) return rc.status();
  if (*rc != 0) {
    return Status::Unavailable(binary + " --benchmark_list_tests failed (exit " +
                               std::to_string(*rc) + "):\n" + Tail(spec.stderr_path, 15));
  }
  std::ifstream in(out);
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) names.push_back(line);
  }
  return names;
}

struct CallgrindResult {
  std::map<std::string, double> instructions;  // benchmark -> Ir of its dump
  std::string error;
};

CallgrindResult ReadCallgrindDumps(const std::string& prefix) {
  CallgrindResult r;
  fs::path p(prefix);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(p.parent_path(), ec)) {
    std::string file = entry.path().string();
    if (file.rfind(prefix + ".", 0) != 0) continue;
    std::ifstream in(file);
    std::string line, name;
    double summary = -1;
    while (std::getline(in, line)) {
      const std::string trig = "desc: Trigger: Client Request: ";
      if (line.rfind(trig, 0) == 0) name = line.substr(trig.size());
      if (line.rfind("summary: ", 0) == 0) summary = std::stod(line.substr(9));
    }
    if (!name.empty() && summary >= 0) r.instructions[StripIterations(name)] = summary;
  }
  return r;
}

struct BinaryPlan {
  std::string family;
  std::string binary;  // path
  std::vector<std::string> selected;
  std::vector<std::string> for_instructions;
  std::vector<int64_t> iters;  // N1, N2
  int64_t alloc_iterations = 16;
};

}  // namespace

StatusOr<ResultSet> RunBenchmarks(const PerfConfig& config, const RunOptions& opt,
                                  std::ostream& log) {
  auto suite_it = config.suites.find(opt.suite);
  if (suite_it == config.suites.end()) {
    return Status::InvalidArgument("unknown suite '" + opt.suite + "' (quick or full)");
  }
  SuiteConfig suite = suite_it->second;
  if (opt.repetitions > 0) suite.repetitions = opt.repetitions;
  std::regex user_filter;
  if (!opt.filter.empty()) {
    try {
      user_filter = std::regex(opt.filter);
    } catch (const std::regex_error& e) {
      return Status::InvalidArgument("invalid --filter regex '" + opt.filter + "': " + e.what());
    }
  }
  for (const std::string& f : opt.families) {
    if (config.Family(f) == nullptr) {
      std::string known;
      for (const auto& fc : config.families) {
        if (!known.empty()) known += ", ";
        known += fc.name;
      }
      return Status::InvalidArgument("unknown family '" + f + "' (perf.yaml has: " + known + ")");
    }
  }
  std::string bench_dir = opt.bench_dir.empty() ? config.bench_dir : opt.bench_dir;
  std::error_code ec;
  fs::create_directories(opt.work_dir, ec);
  if (!opt.profile_dir.empty()) fs::create_directories(opt.profile_dir, ec);

  ResultSet results;
  results.context = ReadRunContext(fs::path(bench_dir).parent_path().string());
  results.context.suite = opt.suite;
  results.context.repetitions = suite.repetitions;

  // Plan: which binaries exist and which of their benchmarks run.
  std::vector<BinaryPlan> plans;
  for (const FamilyConfig& fam : config.families) {
    bool wanted = opt.families.empty() ? fam.enabled
                                       : std::find(opt.families.begin(), opt.families.end(),
                                                   fam.name) != opt.families.end();
    if (!wanted) continue;
    std::regex quick(opt.suite == "quick" ? fam.quick_filter : std::string("."));
    std::regex instr(fam.instructions_filter);
    for (const std::string& bin : fam.binaries) {
      std::string path = bench_dir + "/" + bin;
      if (access(path.c_str(), X_OK) != 0) {
        std::string note = "family " + fam.name + ": " + path + " is not built yet (skipped)";
        log << "perftest: " << note << "\n";
        results.notes.push_back(note);
        continue;
      }
      auto names = ListBenchmarks(path, opt.work_dir, bin);
      if (!names.ok()) return names.status();
      BinaryPlan plan;
      plan.family = fam.name;
      plan.binary = path;
      plan.iters = fam.instruction_iterations.empty() ? config.instruction_iterations
                                                      : fam.instruction_iterations;
      plan.alloc_iterations =
          fam.alloc_iterations > 0 ? fam.alloc_iterations : config.alloc_iterations;
      for (const std::string& n : *names) {
        if (!std::regex_search(n, quick)) continue;
        if (!opt.filter.empty() && !std::regex_search(n, user_filter)) continue;
        if (!SelectedByParameters(config, n)) continue;
        plan.selected.push_back(n);
        // Several threads make the instruction count depend on scheduling (spinning,
        // who wins a lock): multi-threaded benchmarks are not measured under callgrind.
        static const std::regex kMultiThreaded("/threads:([2-9]|[1-9][0-9]+)(/|$)");
        if (std::regex_search(n, instr) && !std::regex_search(n, kMultiThreaded)) {
          plan.for_instructions.push_back(n);
        }
      }
      if (plan.selected.empty()) {
        log << "perftest: " << bin << ": no benchmark selected\n";
        continue;
      }
      results.context.instruction_iterations[fam.name] = plan.iters;
      plans.push_back(std::move(plan));
    }
  }

  std::map<std::string, BenchmarkResult> by_name;
  std::vector<std::string> order;
  auto result_for = [&](const BinaryPlan& plan, const std::string& name) -> BenchmarkResult& {
    auto [it, inserted] = by_name.emplace(name, BenchmarkResult{});
    if (inserted) {
      it->second.name = name;
      it->second.family = plan.family;
      it->second.binary = fs::path(plan.binary).filename().string();
      order.push_back(name);
    }
    return it->second;
  };

  for (const BinaryPlan& plan : plans) {
    std::string bin = fs::path(plan.binary).filename().string();
    std::string filter = "--benchmark_filter=" + Join(plan.selected);
    for (const std::string& n : plan.selected) result_for(plan, n);

    if (opt.timing) {
      log << "perftest: " << bin << ": timing " << plan.selected.size() << " benchmarks x "
          << suite.repetitions << " repetitions\n"
          << std::flush;
      std::string out = opt.work_dir + "/" + bin + ".timing.json";
      ProcessSpec spec;
      spec.argv = {plan.binary,
                   filter,
                   "--benchmark_repetitions=" + std::to_string(suite.repetitions),
                   "--benchmark_min_time=" + std::to_string(suite.min_time_s),
                   "--benchmark_out=" + out,
                   "--benchmark_out_format=json"};
      spec.env = {{"VSR_BENCH_NO_MEMORY_MANAGER", "1"}};
      if (plan.family == "classification" && opt.suite == "full" &&
          config.classification_iterations > 0) {
        spec.env.push_back(
            {"VSR_BENCH_ITERATIONS", std::to_string(config.classification_iterations)});
      }
      if (!opt.profile_dir.empty() && config.profile_cpu) {
        spec.env.push_back({"VSR_CPUPROFILE", opt.profile_dir + "/" + bin + ".cpu.prof"});
      }
      spec.stdout_path = opt.work_dir + "/" + bin + ".timing.log";
      spec.stderr_path = opt.work_dir + "/" + bin + ".timing.err";
      auto rc = RunProcess(spec);
      if (!rc.ok()) return rc.status();
      auto text = ReadFile(out);
      if (*rc != 0 || !text.ok()) {
        return Status::Unavailable(bin + " failed (exit " + std::to_string(*rc) +
                                   "); last lines of " + spec.stderr_path + ":\n" +
                                   Tail(spec.stderr_path, 20));
      }
      auto runs = ParseGbenchJson(*text, out);
      if (!runs.ok()) return runs.status();
      for (const GbenchRun& r : *runs) {
        BenchmarkResult& b = result_for(plan, StripIterations(r.name));
        if (!r.error.empty()) {
          b.error = r.error;
          continue;
        }
        b.time_samples_ns = r.real_time_ns;
        b.metrics[kRealTimeNs] = Median(r.real_time_ns);
        b.metrics[kCpuTimeNs] = Median(r.cpu_time_ns);
        for (const auto& [k, v] : r.counters) b.counters[k] = Median(v);
      }
    }

    if (opt.allocations) {
      // Two runs at N/2 and N iterations (N <= 16: Google Benchmark's memory run then uses
      // exactly N); the difference cancels whatever a run allocates outside the loop.
      const int64_t n2 = plan.alloc_iterations, n1 = plan.alloc_iterations / 2;
      std::map<std::string, std::pair<double, double>> totals[2];  // name -> {allocs, bytes}
      for (int k = 0; k < 2; ++k) {
        int64_t n = k == 0 ? n1 : n2;
        log << "perftest: " << bin << ": allocations at " << n << " iterations\n" << std::flush;
        std::string tag = bin + ".alloc" + std::to_string(n);
        std::string out = opt.work_dir + "/" + tag + ".json";
        ProcessSpec spec;
        spec.argv = {plan.binary, filter, "--benchmark_out=" + out, "--benchmark_out_format=json"};
        spec.env = {{"VSR_BENCH_ITERATIONS", std::to_string(n)}};
        PinOpenBlasToPerfBuildIsa(spec.env);
        if (k == 1 && !opt.profile_dir.empty() && config.profile_heap) {
          spec.env.push_back({"VSR_HEAPPROFILE", opt.profile_dir + "/" + bin + ".mem.prof"});
        }
        spec.stdout_path = opt.work_dir + "/" + tag + ".log";
        spec.stderr_path = opt.work_dir + "/" + tag + ".err";
        auto rc = RunProcess(spec);
        if (!rc.ok()) return rc.status();
        auto text = ReadFile(out);
        if (*rc != 0 || !text.ok()) {
          return Status::Unavailable(bin + " (allocation run) failed (exit " + std::to_string(*rc) +
                                     "):\n" + Tail(spec.stderr_path, 20));
        }
        auto runs = ParseGbenchJson(*text, out);
        if (!runs.ok()) return runs.status();
        for (const GbenchRun& r : *runs) {
          std::string name = StripIterations(r.name);
          BenchmarkResult& b = result_for(plan, name);
          if (!r.error.empty()) {
            b.error = r.error;
            continue;
          }
          auto first = [&](const char* key) {
            auto it = r.counters.find(key);
            return it == r.counters.end() || it->second.empty() ? -1.0 : it->second.front();
          };
          double per_iter = first("allocs_per_iter"), bytes = first("total_allocated_bytes");
          if (per_iter < 0 || bytes < 0) continue;
          totals[k][name] = {std::round(per_iter * static_cast<double>(n)), bytes};
          if (k == 1) {
            if (double peak = first("max_bytes_used"); peak >= 0)
              b.counters["peak_heap_bytes"] = peak;
            if (!opt.timing) {
              for (const auto& [key, v] : r.counters) b.counters[key] = Median(v);
            }
          }
        }
      }
      for (const auto& [name, t2] : totals[1]) {
        auto t1 = totals[0].find(name);
        if (t1 == totals[0].end()) continue;
        double d = static_cast<double>(n2 - n1);
        BenchmarkResult& b = result_for(plan, name);
        b.metrics[kAllocsPerOp] = (t2.first - t1->second.first) / d;
        b.metrics[kBytesPerOp] = (t2.second - t1->second.second) / d;
      }
    }
  }

  // Instructions: two callgrind runs per binary, `valgrind_jobs` at a time.
  if (opt.instructions && config.instructions_enabled) {
    struct Job {
      const BinaryPlan* plan;
      int64_t iters;
      std::string prefix;
      std::string err;
      pid_t pid = -1;
      int rc = 0;
    };
    std::vector<Job> jobs;
    for (const BinaryPlan& plan : plans) {
      if (plan.for_instructions.empty()) continue;
      std::string bin = fs::path(plan.binary).filename().string();
      for (int64_t n : plan.iters) {
        std::string prefix = opt.work_dir + "/" + bin + ".cg" + std::to_string(n);
        for (const auto& entry : fs::directory_iterator(opt.work_dir, ec)) {
          if (entry.path().string().rfind(prefix + ".", 0) == 0) fs::remove(entry.path(), ec);
        }
        jobs.push_back(
            Job{&plan, n, prefix, opt.work_dir + "/" + bin + ".cg" + std::to_string(n) + ".err"});
      }
    }
    size_t next = 0, running = 0;
    std::vector<size_t> active;
    while (next < jobs.size() || running > 0) {
      while (next < jobs.size() && running < static_cast<size_t>(config.valgrind_jobs)) {
        Job& j = jobs[next];
        log << "perftest: " << fs::path(j.plan->binary).filename().string() << ": callgrind at "
            << j.iters << " iterations (" << j.plan->for_instructions.size() << " benchmarks)\n"
            << std::flush;
        ProcessSpec spec;
        spec.argv = {"valgrind",
                     "--tool=callgrind",
                     "--callgrind-out-file=" + j.prefix + ".%p",
                     j.plan->binary,
                     "--benchmark_filter=" + Join(j.plan->for_instructions),
                     "--benchmark_format=json"};
        spec.env = DeterministicEnv();
        PinOpenBlasToPerfBuildIsa(spec.env);
        spec.env.push_back({"VSR_BENCH_ITERATIONS", std::to_string(j.iters)});
        spec.env.push_back({"VSR_BENCH_NO_MEMORY_MANAGER", "1"});
        spec.env.push_back({"VSR_BENCH_CALLGRIND_MARKERS", "1"});
        spec.stdout_path = "/dev/null";
        spec.stderr_path = j.err;
        auto pid = StartProcess(spec);
        if (!pid.ok()) return pid.status();
        j.pid = *pid;
        active.push_back(next);
        ++next;
        ++running;
      }
      // Wait for the oldest running job.
      size_t idx = active.front();
      active.erase(active.begin());
      jobs[idx].rc = WaitProcess(jobs[idx].pid);
      --running;
    }
    std::map<const BinaryPlan*, std::map<int64_t, CallgrindResult>> measured;
    for (const Job& j : jobs) {
      if (j.rc != 0) {
        return Status::Unavailable(j.plan->binary + " under callgrind failed (exit " +
                                   std::to_string(j.rc) + "):\n" + Tail(j.err, 20));
      }
      measured[j.plan][j.iters] = ReadCallgrindDumps(j.prefix);
    }
    for (const auto& [plan, by_iters] : measured) {
      int64_t n1 = plan->iters[0], n2 = plan->iters[1];
      const auto& c1 = by_iters.at(n1).instructions;
      const auto& c2 = by_iters.at(n2).instructions;
      for (const std::string& name : plan->for_instructions) {
        BenchmarkResult& b = result_for(*plan, name);
        auto i1 = c1.find(name), i2 = c2.find(name);
        if (i1 == c1.end() || i2 == c2.end()) {
          if (b.error.empty()) b.error = "no callgrind measurement (did the benchmark run?)";
          continue;
        }
        double per_op = (i2->second - i1->second) / static_cast<double>(n2 - n1);
        if (per_op <= 0) {
          if (b.error.empty())
            b.error = "callgrind: instruction count did not grow with iterations";
          continue;
        }
        b.metrics[kInstructionsPerOp] = per_op;
        b.counters["callgrind_ir_n1"] = i1->second;
        b.counters["callgrind_ir_n2"] = i2->second;
      }
    }
  }

  for (const std::string& n : order) results.benchmarks.push_back(std::move(by_name[n]));
  return results;
}

}  // namespace vsr::perf
