#include "perf/e2e/process_sampler.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace vsr::e2e {

namespace {

StatusOr<ProcReading> ReadProcOrThrow(pid_t pid) {
  const std::string dir = "/proc/" + std::to_string(pid);
  std::ifstream stat(dir + "/stat");
  std::string line;
  if (!stat || !std::getline(stat, line)) {
    return Status::NotFound("cannot read " + dir + "/stat (is process " + std::to_string(pid) +
                            " running?)");
  }
  // The command name may contain spaces and parentheses: fields resume after the last ')'.
  size_t close = line.rfind(')');
  if (close == std::string::npos) return Status::Corruption("unexpected " + dir + "/stat");
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  ProcReading r;
  double utime = 0, stime = 0;
  // After the name: state(3) ... utime is field 14, stime 15 (1-based in proc(5)).
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  if (!fields) return Status::Corruption("short " + dir + "/stat");
  r.cpu_seconds = (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));

  std::ifstream status(dir + "/status");
  if (!status) return Status::NotFound("cannot read " + dir + "/status");
  bool rss = false, threads = false;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      r.rss_mb = std::stod(line.substr(6)) / 1024.0;  // kB
      rss = true;
    } else if (line.rfind("Threads:", 0) == 0) {
      r.threads = std::stoll(line.substr(8));
      threads = true;
    }
  }
  if (!threads) return Status::Corruption("no Threads: in " + dir + "/status");
  if (!rss) r.rss_mb = 0;  // a zombie has no VmRSS
  return r;
}

}  // namespace

StatusOr<ProcReading> ReadProc(pid_t pid) {
  try {
    return ReadProcOrThrow(pid);
  } catch (const std::exception& e) {  // std::stod / std::stoll on unexpected text
    return Status::Corruption("cannot parse /proc/" + std::to_string(pid) + ": " + e.what());
  }
}

ProcSummary Summarize(const std::vector<ProcSample>& samples) {
  ProcSummary s;
  s.samples = samples.size();
  if (samples.empty()) return s;
  for (const ProcSample& p : samples) {
    s.rss_mb_peak = std::max(s.rss_mb_peak, p.rss_mb);
    s.cpu_percent_peak = std::max(s.cpu_percent_peak, p.cpu_percent);
    s.threads_peak = std::max(s.threads_peak, static_cast<double>(p.threads));
    s.rss_mb_avg += p.rss_mb;
    s.cpu_percent_avg += p.cpu_percent;
    s.threads_avg += static_cast<double>(p.threads);
  }
  const double n = static_cast<double>(samples.size());
  s.rss_mb_avg /= n;
  s.cpu_percent_avg /= n;
  s.threads_avg /= n;
  return s;
}

ProcessSampler::ProcessSampler(pid_t pid, std::chrono::milliseconds interval)
    : pid_(pid), interval_(std::max(interval, std::chrono::milliseconds(1))) {}

ProcessSampler::~ProcessSampler() { Stop(); }

Status ProcessSampler::Start() {
  if (thread_.joinable()) return Status::FailedPrecondition("sampler already started");
  auto first = ReadProc(pid_);
  if (!first.ok()) return first.status();
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
  return Status::OK();
}

void ProcessSampler::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

std::vector<ProcSample> ProcessSampler::samples() const {
  std::lock_guard<std::mutex> lock(mu_);
  return samples_;
}

void ProcessSampler::Loop() {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  auto prev = ReadProc(pid_);
  Clock::time_point prev_t = Clock::now();
  Clock::time_point next = start + interval_;
  while (!stop_.load()) {
    // Sleep in short steps so Stop() returns quickly whatever the interval.
    while (!stop_.load() && Clock::now() < next) {
      std::this_thread::sleep_for(
          std::min<Clock::duration>(next - Clock::now(), std::chrono::milliseconds(20)));
    }
    if (stop_.load()) break;
    next += interval_;
    auto cur = ReadProc(pid_);
    const Clock::time_point now = Clock::now();
    if (!cur.ok()) break;  // the process is gone
    ProcSample s;
    s.t_s = std::chrono::duration<double>(now - start).count();
    s.rss_mb = cur->rss_mb;
    s.threads = cur->threads;
    const double wall = std::chrono::duration<double>(now - prev_t).count();
    if (prev.ok() && wall > 0) {
      s.cpu_percent = std::max(0.0, (cur->cpu_seconds - prev->cpu_seconds) / wall * 100.0);
    }
    prev = cur;
    prev_t = now;
    std::lock_guard<std::mutex> lock(mu_);
    if (samples_.size() < kMaxSamples) samples_.push_back(s);
  }
}

}  // namespace vsr::e2e
