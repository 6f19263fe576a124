#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "perf/lib/benchmark/report.h"

namespace vsr::perf {

namespace {

struct Frame {
  std::string name;
  double total = 0;
  std::map<std::string, std::unique_ptr<Frame>> children;
};

std::string Esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

int Depth(const Frame& f) {
  int d = 0;
  for (const auto& [k, c] : f.children) d = std::max(d, Depth(*c));
  return d + 1;
}

void Draw(const Frame& f, double x, int level, double scale, int height, double root_total,
          std::ostringstream& s) {
  const int row = 16;
  double w = f.total * scale;
  if (w < 0.5) return;
  int y = height - (level + 1) * row;
  unsigned h = 2166136261u;
  for (char c : f.name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  int r = 200 + static_cast<int>(h % 55), g = 80 + static_cast<int>((h >> 8) % 120),
      b = static_cast<int>((h >> 16) % 60);
  char pct[32];
  std::snprintf(pct, sizeof(pct), "%.1f%%", 100.0 * f.total / root_total);
  s << "<g><title>" << Esc(f.name) << " (" << pct << ")</title><rect x=\"" << x << "\" y=\"" << y
    << "\" width=\"" << w << "\" height=\"" << row - 1 << "\" fill=\"rgb(" << r << "," << g << ","
    << b << ")\" rx=\"2\"/>";
  size_t fit = static_cast<size_t>(w / 7);
  if (fit >= 3) {
    std::string label = f.name.size() > fit ? f.name.substr(0, fit - 2) + ".." : f.name;
    s << "<text x=\"" << x + 3 << "\" y=\"" << y + 12 << "\">" << Esc(label) << "</text>";
  }
  s << "</g>\n";
  double cx = x;
  for (const auto& [k, c] : f.children) {
    Draw(*c, cx, level + 1, scale, height, root_total, s);
    cx += c->total * scale;
  }
}

}  // namespace

std::string RenderFlameGraph(const std::string& folded, const std::string& title) {
  Frame root;
  root.name = "all";
  std::istringstream in(folded);
  std::string line;
  while (std::getline(in, line)) {
    size_t sp = line.find_last_of(' ');
    if (sp == std::string::npos) continue;
    double count = std::atof(line.c_str() + sp + 1);
    if (count <= 0) continue;
    root.total += count;
    Frame* cur = &root;
    std::string stack = line.substr(0, sp);
    size_t start = 0;
    while (start <= stack.size()) {
      size_t end = stack.find(';', start);
      if (end == std::string::npos) end = stack.size();
      std::string name = stack.substr(start, end - start);
      if (!name.empty()) {
        auto& child = cur->children[name];
        if (!child) {
          child = std::make_unique<Frame>();
          child->name = name;
        }
        child->total += count;
        cur = child.get();
      }
      start = end + 1;
    }
  }
  if (root.total <= 0) return "";
  const int width = 1180, row = 16;
  int depth = std::min(Depth(root), 60);
  int height = depth * row + 24;
  std::ostringstream s;
  s << "<svg class=\"chart\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 "
    << width << " " << height
    << "\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"monospace\" font-size=\"11\">\n<text "
       "x=\"4\" y=\"14\" "
       "font-family=\"sans-serif\" font-size=\"13\">"
    << Esc(title) << "</text>\n";
  Draw(root, 0, 0, width / root.total, height, root.total, s);
  s << "</svg>\n";
  return s.str();
}

}  // namespace vsr::perf
