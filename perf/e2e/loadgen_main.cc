// vsr-loadgen: the open-loop load generator and the e2e scenario runner.
//
//   vsr-loadgen run --url http://127.0.0.1:8801/v1/chat/completions --qps 500 --duration 10s
//   vsr-loadgen scenarios --router-url URL --direct-url URL [--nginx-url URL]
//                         [--router-pid PID] --variant smoke|full --out reports/e2e.json
//   vsr-loadgen free-port          prints a free TCP port on 127.0.0.1
//
// Exit status: 0 ok, 1 a blocking check failed (or a run had errors with --require-success),
// 2 bad usage or an endpoint that cannot be reached.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "perf/e2e/load_generator.h"
#include "perf/e2e/load_pattern.h"
#include "perf/e2e/prompt_mix.h"
#include "perf/e2e/run_report.h"
#include "perf/e2e/scenario_plan.h"
#include "perf/e2e/scenario_runner.h"
#include "perf/lib/benchmark/e2e_baseline.h"
#include "perf/lib/benchmark/machine_info.h"

namespace {

using namespace vsr::e2e;
using json = nlohmann::json;

int Fail(const vsr::Status& s) {
  std::cerr << "vsr-loadgen: " << s.ToString() << "\n";
  return 2;
}

vsr::Status WriteJson(const std::string& path, const json& doc) {
  std::filesystem::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  std::ofstream out(path);
  if (!out) return vsr::Status::IOError("cannot write " + path);
  out << doc.dump(2) << "\n";
  return out ? vsr::Status::OK() : vsr::Status::IOError("short write to " + path);
}

struct RunArgs {
  std::string url, method = "POST", pattern = "constant", duration = "10s", interval = "1s";
  std::string patterns_file, pattern_name, mix = "realistic", prompts = "perf/e2e/prompts.yaml";
  std::string json_out, model = "auto";
  double qps = 100, start_qps = 10, end_qps = 100, min_success = -1, min_achieved_ratio = -1;
  int timeout_ms = 5000, threads = 1, max_tokens = 16;
  size_t max_connections = 4096, warm = 0;
  uint64_t max_requests = 1000000, seed = 42;
};

int RunOnce(const RunArgs& a) {
  auto target = ParseLoopbackUrl(a.url);
  if (!target.ok()) return Fail(target.status());
  LoadPattern p;
  if (!a.patterns_file.empty()) {
    auto all = LoadPatternsFile(a.patterns_file);
    if (!all.ok()) return Fail(all.status());
    auto it = std::find_if(all->begin(), all->end(),
                           [&](const LoadPattern& x) { return x.name == a.pattern_name; });
    if (it == all->end()) {
      return Fail(
          vsr::Status::NotFound("no pattern '" + a.pattern_name + "' in " + a.patterns_file));
    }
    p = *it;
  } else {
    p.name = a.pattern;
    auto d = ParseDuration(a.duration);
    if (!d.ok()) return Fail(d.status().WithContext("--duration"));
    auto i = ParseDuration(a.interval);
    if (!i.ok()) return Fail(i.status().WithContext("--interval"));
    auto kind = a.pattern == "constant"  ? PatternKind::kConstant
                : a.pattern == "ramp_up" ? PatternKind::kRampUp
                : a.pattern == "burst"   ? PatternKind::kBurst
                                         : static_cast<PatternKind>(-1);
    if (static_cast<int>(kind) < 0) {
      return Fail(vsr::Status::InvalidArgument("--pattern must be constant, ramp_up or burst"));
    }
    p.kind = kind;
    p.qps = a.qps;
    p.start_qps = a.start_qps;
    p.end_qps = a.end_qps;
    p.duration = *d;
    p.interval = *i;
  }
  auto schedule = BuildSchedule(p, a.max_requests);
  if (!schedule.ok()) return Fail(schedule.status());

  LoadRunOptions o;
  o.target = *target;
  o.method = a.method;
  o.schedule = std::move(*schedule);
  o.span = p.duration;
  if (a.method == "POST") {
    auto corpus = LoadPromptCorpus(a.prompts);
    if (!corpus.ok()) return Fail(corpus.status());
    auto weights = ParseMixWeights(a.mix);
    if (!weights.ok()) return Fail(weights.status());
    PromptMixOptions mo;
    mo.weights = *weights;
    mo.seed = a.seed;
    mo.model = a.model;
    mo.max_tokens = a.max_tokens;
    auto mix = MakePromptMix(*corpus, mo, std::min<size_t>(o.schedule.size(), 50000));
    if (!mix.ok()) return Fail(mix.status());
    o.bodies = std::move(mix->bodies);
  }
  o.timeout = std::chrono::milliseconds(a.timeout_ms);
  o.threads = a.threads;
  o.max_connections = a.max_connections;
  o.warm_connections = a.warm;
  o.max_run_time = std::chrono::duration_cast<std::chrono::milliseconds>(p.duration) + o.timeout +
                   std::chrono::seconds(5);
  std::cerr << "vsr-loadgen: " << o.schedule.size() << " requests, pattern " << p.name << " ("
            << PatternKindName(p.kind) << ", mean " << p.MeanQps() << " qps) -> " << target->ToUrl()
            << "\n";
  auto r = RunLoad(o);
  if (!r.ok()) return Fail(r.status());
  std::cout << RunLine(*r) << "\n";
  if (!a.json_out.empty()) {
    json doc = {{"schema", "vsr-loadgen-run"},
                {"schema_version", kE2eSchemaVersion},
                {"target", target->ToUrl()},
                {"method", a.method},
                {"mix", a.method == "POST" ? a.mix : ""},
                {"pattern", PatternJson(p)},
                {"summary", RunSummary(*r)},
                {"series", RunSeries(*r)}};
    auto s = WriteJson(a.json_out, doc);
    if (!s.ok()) return Fail(s);
  }
  if (a.min_success >= 0 && r->success_rate() < a.min_success) {
    std::cerr << "vsr-loadgen: FAIL: success rate " << r->success_rate() << " below "
              << a.min_success << "\n";
    return 1;
  }
  if (a.min_achieved_ratio >= 0 && r->achieved_qps() < a.min_achieved_ratio * p.MeanQps()) {
    std::cerr << "vsr-loadgen: FAIL: achieved " << r->achieved_qps() << " qps, below "
              << a.min_achieved_ratio << " x " << p.MeanQps() << " offered\n";
    return 1;
  }
  return 0;
}

struct ScenarioArgs {
  std::string router_url, direct_url, nginx_url, variant = "smoke";
  std::string plan = "perf/e2e/scenarios.yaml", perf_config = "perf/config/perf.yaml";
  std::string thresholds = "perf/config/thresholds.yaml", prompts = "perf/e2e/prompts.yaml";
  std::string out = "reports/e2e.json", baseline;
  std::vector<std::string> context;
  int router_pid = 0;
};

int RunScenarioCommand(const ScenarioArgs& a) {
  ScenarioEndpoints at;
  auto router = ParseLoopbackUrl(a.router_url);
  if (!router.ok()) return Fail(router.status().WithContext("--router-url"));
  auto direct = ParseLoopbackUrl(a.direct_url);
  if (!direct.ok()) return Fail(direct.status().WithContext("--direct-url"));
  at.router = *router;
  at.direct = *direct;
  if (!a.nginx_url.empty()) {
    auto nginx = ParseLoopbackUrl(a.nginx_url);
    if (!nginx.ok()) return Fail(nginx.status().WithContext("--nginx-url"));
    at.nginx = *nginx;
  }
  at.router_pid = a.router_pid;

  ScenarioInputs in;
  auto plan = LoadScenarioPlan(a.plan, a.variant);
  if (!plan.ok()) return Fail(plan.status());
  in.plan = *plan;
  auto thresholds = LoadE2eThresholds(a.thresholds);
  if (thresholds.ok()) {
    in.thresholds = *thresholds;
  } else if (thresholds.status().code() == vsr::StatusCode::kNotFound) {
    std::cerr << "vsr-loadgen: " << thresholds.status().message()
              << "; using the built-in e2e thresholds\n";
  } else {
    return Fail(thresholds.status());
  }
  auto patterns = LoadPatternsFile(a.perf_config);
  if (patterns.ok()) {
    in.patterns = *patterns;
  } else if (patterns.status().code() == vsr::StatusCode::kNotFound) {
    std::cerr << "vsr-loadgen: " << patterns.status().message() << "; no pattern runs\n";
  } else {
    return Fail(patterns.status());
  }
  auto corpus = LoadPromptCorpus(a.prompts);
  if (!corpus.ok()) return Fail(corpus.status());
  in.corpus = *corpus;
  for (const std::string& kv : a.context) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) {
      return Fail(vsr::Status::InvalidArgument("--context wants key=value, got '" + kv + "'"));
    }
    in.context[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  // The machine, so that a baseline from another kind of host is not compared with this run.
  const vsr::perf::MachineInfo machine = vsr::perf::ReadMachineInfo();
  in.context["cpu_model"] = machine.cpu_model;
  in.context["isa"] = machine.isa;
  json baseline;
  if (!a.baseline.empty()) {
    const std::string path = vsr::perf::ResolveE2eBaseline(a.baseline, machine.isa);
    std::ifstream bin(path);
    if (bin) {
      baseline = json::parse(bin, nullptr, /*allow_exceptions=*/false);
      if (baseline.is_discarded()) return Fail(vsr::Status::Corruption("bad JSON " + path));
      in.baseline = &baseline;
    } else {
      std::cerr << "vsr-loadgen: no baseline at " << path << " (this machine's ISA: " << machine.isa
                << "); no comparison\n";
    }
  }

  auto doc = RunScenarios(in, at, std::cerr);
  if (!doc.ok()) return Fail(doc.status());
  // e2e.json stays compact (what reports tabulate: summary, checks, comparison); the chart
  // series and per-run details go beside it, in <out>-runs.json.
  std::filesystem::path details_path(a.out);
  details_path.replace_filename(details_path.stem().string() + "-runs.json");
  json details = {{"schema", "vsr-e2e-runs"}, {"schema_version", kE2eSchemaVersion}};
  for (const char* key : {"throughput_steps", "resource_samples", "runs"}) {
    details[key] = std::move((*doc)[key]);
    doc->erase(key);
  }
  (*doc)["details"] = details_path.filename().string();
  auto s = WriteJson(a.out, *doc);
  if (s.ok()) s = WriteJson(details_path.string(), details);
  if (!s.ok()) return Fail(s);
  std::cerr << "vsr-loadgen: wrote " << a.out << " and " << details_path.string() << "\n";
  for (const json& c : (*doc)["checks"]) {
    std::cerr << "  "
              << (c["pass"].get<bool>() ? "PASS" : (c["blocking"].get<bool>() ? "FAIL" : "warn"))
              << "  " << c["name"].get<std::string>() << ": "
              << (c.contains("value") ? c["value"].dump() : "missing") << " "
              << c["op"].get<std::string>() << " " << c["threshold"].dump() << "\n";
  }
  if (const json* cmp = doc->contains("comparison") ? &(*doc)["comparison"] : nullptr) {
    if (cmp->contains("not_comparable")) {
      std::cerr << "  baseline not compared: " << (*cmp)["not_comparable"].get<std::string>()
                << "\n";
    } else {
      int regressions = 0;
      for (const json& m : (*cmp)["metrics"]) regressions += m["regression"].get<bool>() ? 1 : 0;
      std::cerr << "  baseline comparison (advisory): " << (*cmp)["metrics"].size() << " metrics, "
                << regressions << " beyond their limit\n";
    }
  }
  return (*doc)["passed"].get<bool>() ? 0 : 1;
}

int FreePort() {
  try {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    std::cout << a.local_endpoint().port() << "\n";
    return 0;
  } catch (const std::exception& e) {
    return Fail(vsr::Status::Unavailable(std::string("no free port: ") + e.what()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vsr-loadgen: open-loop HTTP load generator and e2e scenario runner"};
  app.require_subcommand(1);

  RunArgs ra;
  CLI::App* run = app.add_subcommand("run", "one open-loop run against one URL");
  run->add_option("--url", ra.url, "http://127.0.0.1:PORT/path (loopback only)")->required();
  run->add_option("--method", ra.method, "POST (chat-completion bodies) or GET")
      ->check(CLI::IsMember({"POST", "GET"}));
  run->add_option("--pattern", ra.pattern, "constant | ramp_up | burst");
  run->add_option("--qps", ra.qps, "rate of constant and burst");
  run->add_option("--start-qps", ra.start_qps, "ramp_up start rate");
  run->add_option("--end-qps", ra.end_qps, "ramp_up end rate");
  run->add_option("--duration", ra.duration, "e.g. 10s, 2m");
  run->add_option("--interval", ra.interval, "burst period");
  run->add_option("--patterns-file", ra.patterns_file, "take the pattern from this perf.yaml");
  run->add_option("--pattern-name", ra.pattern_name, "pattern name in --patterns-file");
  run->add_option("--mix", ra.mix, "realistic | cache_hit | unique | u,r,p,j");
  run->add_option("--prompts", ra.prompts, "prompt corpus YAML");
  run->add_option("--seed", ra.seed);
  run->add_option("--model", ra.model);
  run->add_option("--max-tokens", ra.max_tokens);
  run->add_option("--timeout-ms", ra.timeout_ms)->check(CLI::Range(1, 600000));
  run->add_option("--threads", ra.threads)->check(CLI::Range(1, 64));
  run->add_option("--max-connections", ra.max_connections)->check(CLI::Range(1, 60000));
  run->add_option("--warm-connections", ra.warm);
  run->add_option("--max-requests", ra.max_requests, "cap on the schedule")
      ->check(CLI::Range(1, 20000000));
  run->add_option("--json", ra.json_out, "write the run (summary and series) here");
  run->add_option("--min-success", ra.min_success, "exit 1 when the success rate is lower");
  run->add_option("--min-achieved-ratio", ra.min_achieved_ratio,
                  "exit 1 when achieved qps < ratio x the pattern's mean rate");

  ScenarioArgs sa;
  CLI::App* sc = app.add_subcommand("scenarios", "the e2e scenarios, written to --out");
  sc->add_option("--router-url", sa.router_url)->required();
  sc->add_option("--direct-url", sa.direct_url, "the mock backend, same path")->required();
  sc->add_option("--nginx-url", sa.nginx_url, "nginx proxying to the same mock");
  sc->add_option("--router-pid", sa.router_pid, "sample this process for performance-resource");
  sc->add_option("--variant", sa.variant, "smoke | full (a key of --plan)");
  sc->add_option("--plan", sa.plan);
  sc->add_option("--perf-config", sa.perf_config, "perf.yaml with the load patterns");
  sc->add_option("--thresholds", sa.thresholds, "thresholds.yaml with the e2e section");
  sc->add_option("--prompts", sa.prompts);
  sc->add_option("--baseline", sa.baseline,
                 "an earlier e2e.json to compare with, or a directory of them named <isa>.json");
  sc->add_option("--context", sa.context, "key=value copied into the report's context");
  sc->add_option("--out", sa.out);

  app.add_subcommand("free-port", "print a free TCP port on 127.0.0.1");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (run->parsed()) return RunOnce(ra);
  if (sc->parsed()) return RunScenarioCommand(sa);
  return FreePort();
}
