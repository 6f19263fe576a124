// The config schema: reads each section with MapReader, applies defaults, then checks the
// cross references (decision leaves -> signal rules, model refs -> providers.models).
#include "config/config.h"

#include <hs/hs.h>
#include <re2/re2.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "config/yaml_reader.h"

namespace vsr::config {
namespace {

constexpr int kMaxRuleDepth = 32;

// Leaf type names and their routing.signals section, in SignalType order.
struct SignalNames {
  SignalType type;
  std::string_view name;
  std::string_view section;
};
constexpr SignalNames kSignalNames[kNumSignalTypes] = {
    {SignalType::kKeyword, "keyword", "keywords"},
    {SignalType::kDomain, "domain", "domains"},
    {SignalType::kEmbedding, "embedding", "embeddings"},
    {SignalType::kPii, "pii", "pii"},
    {SignalType::kJailbreak, "jailbreak", "jailbreak"},
    {SignalType::kContext, "context", "context"},
};

// Parses "123", "32K", "1M" (K = 1000, M = 1000000, case-insensitive).
bool ParseTokenCount(const std::string& s, int64_t* out) {
  if (s.empty()) return false;
  int64_t mult = 1;
  std::string digits = s;
  char last = static_cast<char>(std::toupper(static_cast<unsigned char>(s.back())));
  if (last == 'K') mult = 1000;
  if (last == 'M') mult = 1000000;
  if (mult != 1) digits.pop_back();
  if (digits.empty() || digits.size() > 12) return false;
  int64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v * mult;
  return true;
}

Status TokenCount(MapReader& m, std::string_view key, int64_t* out) {
  YAML::Node n = m.Child(key);
  if (!n.IsDefined() || n.IsNull()) return Status::OK();
  if (!n.IsScalar() || !ParseTokenCount(n.Scalar(), out)) {
    return m.ctx()->Error(n, m.PathOf(key),
                          "expected a token count such as 4096, 32K or 1M; got " + Describe(n));
  }
  return Status::OK();
}

// "host:port" or "[v6]:port".
bool ParseEndpoint(const std::string& ep, std::string* host, uint16_t* port) {
  size_t colon;
  if (!ep.empty() && ep[0] == '[') {
    size_t close = ep.find(']');
    if (close == std::string::npos || close + 1 >= ep.size() || ep[close + 1] != ':') return false;
    *host = ep.substr(1, close - 1);
    colon = close + 1;
  } else {
    colon = ep.rfind(':');
    if (colon == std::string::npos || ep.find(':') != colon) return false;
    *host = ep.substr(0, colon);
  }
  std::string p = ep.substr(colon + 1);
  if (host->empty() || p.empty() || p.size() > 5) return false;
  int v = 0;
  for (char c : p) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < 1 || v > 65535) return false;
  *port = static_cast<uint16_t>(v);
  return true;
}

// Checks that a keyword regex compiles with vectorscan or, failing that, with re2.
std::string RegexProblem(const std::string& pattern, bool case_sensitive) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  unsigned flags = HS_FLAG_SINGLEMATCH | (case_sensitive ? 0u : HS_FLAG_CASELESS);
  if (hs_compile(pattern.c_str(), flags, HS_MODE_BLOCK, nullptr, &db, &err) == HS_SUCCESS) {
    hs_free_database(db);
    return "";
  }
  std::string hs_msg = err != nullptr ? err->message : "unknown error";
  hs_free_compile_error(err);
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_case_sensitive(case_sensitive);
  RE2 re(pattern, opts);
  if (re.ok()) return "";
  return "vectorscan: " + hs_msg + "; re2: " + re.error();
}

template <typename Rule>
Status CheckUniqueNames(YamlContext* ctx, const YAML::Node& seq, const std::string& path,
                        const std::vector<Rule>& rules) {
  std::set<std::string> seen;
  for (size_t i = 0; i < rules.size(); ++i) {
    if (!seen.insert(rules[i].name).second) {
      return ctx->Error(seq[i], IndexPath(path, i) + ".name",
                        "duplicate name '" + rules[i].name + "'");
    }
  }
  return Status::OK();
}

class Parser {
 public:
  Parser(std::string source, const LoadOptions& opts, RouterConfig* cfg)
      : ctx_(std::move(source), opts.unknown_keys == LoadOptions::UnknownKeys::kError,
             &cfg->warnings),
        cfg_(cfg) {}

  Status Parse(const YAML::Node& root) {
    MapReader top(&ctx_, root, "");
    VSR_RETURN_IF_ERROR(top.Check());
    if (!root.IsDefined() || root.IsNull()) {
      return ctx_.Error(root, "", "the file is empty (expected providers and routing sections)");
    }
    VSR_RETURN_IF_ERROR(top.String("version", &cfg_->version));
    if (top.Has("version") && cfg_->version != "v0.3") {
      return top.ErrorAt("version", "expected v0.3; got '" + cfg_->version + "'");
    }
    if (!top.Has("providers")) {
      return ctx_.Error(root, "providers", "required section is missing");
    }
    VSR_RETURN_IF_ERROR(Providers(top.Child("providers")));
    VSR_RETURN_IF_ERROR(Routing(top.Child("routing")));
    VSR_RETURN_IF_ERROR(Global(top.Child("global")));
    return top.Finish();
  }

 private:
  // ---- providers -------------------------------------------------------------------
  Status Providers(const YAML::Node& node) {
    MapReader m(&ctx_, node, "providers");
    VSR_RETURN_IF_ERROR(m.Check());
    ProvidersConfig& p = cfg_->providers;
    MapReader defaults(&ctx_, m.Child("defaults"), "providers.defaults");
    VSR_RETURN_IF_ERROR(defaults.Check());
    VSR_RETURN_IF_ERROR(defaults.Name("model", &p.default_model, false));
    VSR_RETURN_IF_ERROR(
        defaults.Enum("reasoning_effort", &p.default_reasoning_effort, {"low", "medium", "high"}));
    VSR_RETURN_IF_ERROR(defaults.Finish());

    if (!m.Has("models")) return m.ErrorAt("models", "required key is missing (a list of models)");
    VSR_RETURN_IF_ERROR(ForEachElement(
        m, "models",
        [&](const YAML::Node& n, std::string path, size_t) { return Model(n, path); }));
    if (p.models.empty()) return m.ErrorAt("models", "expected at least one model");
    VSR_RETURN_IF_ERROR(CheckUniqueNames(&ctx_, m.Child("models"), "providers.models", p.models));
    if (p.default_model.empty()) {
      p.default_model = p.models.front().name;
    } else if (p.FindModel(p.default_model) == nullptr) {
      return defaults.ErrorAt("model",
                              "names no model in providers.models: '" + p.default_model + "'");
    }
    return m.Finish();
  }

  Status Model(const YAML::Node& node, const std::string& path) {
    MapReader m(&ctx_, node, path);
    VSR_RETURN_IF_ERROR(m.Check());
    ModelSpec spec;
    VSR_RETURN_IF_ERROR(m.Name("name", &spec.name));
    VSR_RETURN_IF_ERROR(m.Name("provider_model_id", &spec.provider_model_id, false));
    if (spec.provider_model_id.empty()) spec.provider_model_id = spec.name;
    MapReader reasoning(&ctx_, m.Child("reasoning"), m.PathOf("reasoning"));
    VSR_RETURN_IF_ERROR(reasoning.Check());
    VSR_RETURN_IF_ERROR(reasoning.Name("family", &spec.reasoning_family, false));
    VSR_RETURN_IF_ERROR(reasoning.Finish());
    VSR_RETURN_IF_ERROR(
        ForEachElement(m, "backend_refs", [&](const YAML::Node& n, std::string p, size_t i) {
          MapReader b(&ctx_, n, p);
          VSR_RETURN_IF_ERROR(b.Check());
          BackendRef ref;
          VSR_RETURN_IF_ERROR(b.Name("name", &ref.name, false));
          if (ref.name.empty()) ref.name = spec.name + "-" + std::to_string(i);
          VSR_RETURN_IF_ERROR(b.String("endpoint", &ref.endpoint, true));
          if (!ParseEndpoint(ref.endpoint, &ref.host, &ref.port)) {
            return b.ErrorAt("endpoint", "expected host:port with a port in [1, 65535]; got '" +
                                             ref.endpoint + "'");
          }
          VSR_RETURN_IF_ERROR(b.Enum("protocol", &ref.protocol, {"http", "https"}));
          VSR_RETURN_IF_ERROR(b.Int32("weight", &ref.weight, 0, 1000000));
          spec.backend_refs.push_back(std::move(ref));
          return b.Finish();
        }));
    if (spec.backend_refs.empty()) {
      return m.ErrorAt("backend_refs", "expected at least one backend (endpoint: host:port)");
    }
    cfg_->providers.models.push_back(std::move(spec));
    return m.Finish();
  }

  // ---- routing -----------------------------------------------------------------------
  Status Routing(const YAML::Node& node) {
    MapReader m(&ctx_, node, "routing");
    VSR_RETURN_IF_ERROR(m.Check());
    std::string strategy = "priority";
    VSR_RETURN_IF_ERROR(m.Enum("strategy", &strategy, {"priority", "confidence"}));
    cfg_->routing.strategy =
        strategy == "priority" ? SelectionStrategy::kPriority : SelectionStrategy::kConfidence;
    VSR_RETURN_IF_ERROR(Signals(m.Child("signals")));
    VSR_RETURN_IF_ERROR(
        ForEachElement(m, "decisions",
                       [&](const YAML::Node& n, std::string p, size_t) { return Decision(n, p); }));
    VSR_RETURN_IF_ERROR(CheckUniqueNames(&ctx_, m.Child("decisions"), "routing.decisions",
                                         cfg_->routing.decisions));
    return m.Finish();
  }

  // Reads the list at `key` into `rules`: each element a mapping with a required `name`, the
  // rest read by `fill(reader, rule)`; names must be unique within the list.
  template <typename Rule, typename Fill>
  Status Rules(MapReader& m, std::string_view key, std::vector<Rule>* rules, Fill&& fill) {
    VSR_RETURN_IF_ERROR(ForEachElement(m, key, [&](const YAML::Node& n, std::string p, size_t) {
      MapReader r(&ctx_, n, p);
      VSR_RETURN_IF_ERROR(r.Check());
      Rule rule;
      VSR_RETURN_IF_ERROR(r.Name("name", &rule.name));
      VSR_RETURN_IF_ERROR(fill(r, rule));
      rules->push_back(std::move(rule));
      return r.Finish();
    }));
    return CheckUniqueNames(&ctx_, m.Child(key), m.PathOf(key), *rules);
  }

  Status Signals(const YAML::Node& node) {
    MapReader m(&ctx_, node, "routing.signals");
    VSR_RETURN_IF_ERROR(m.Check());
    SignalsConfig& s = cfg_->routing.signals;
    VSR_RETURN_IF_ERROR(Rules(m, "keywords", &s.keywords,
                              [&](MapReader& r, KeywordRule& rule) { return Keyword(r, rule); }));
    VSR_RETURN_IF_ERROR(Rules(m, "domains", &s.domains, [](MapReader& r, DomainRule& rule) {
      VSR_RETURN_IF_ERROR(r.String("description", &rule.description));
      return r.StringList("mmlu_categories", &rule.mmlu_categories, false);
    }));
    VSR_RETURN_IF_ERROR(
        Rules(m, "embeddings", &s.embeddings, [](MapReader& r, EmbeddingRule& rule) {
          VSR_RETURN_IF_ERROR(r.Float("threshold", &rule.threshold, -1.0f, 1.0f));
          VSR_RETURN_IF_ERROR(
              r.Enum("aggregation_method", &rule.aggregation_method, {"max", "mean", "any"}));
          return r.StringList("candidates", &rule.candidates, true);
        }));
    VSR_RETURN_IF_ERROR(Rules(m, "pii", &s.pii, [](MapReader& r, PiiRule& rule) {
      VSR_RETURN_IF_ERROR(r.Float("threshold", &rule.threshold, 0.0f, 1.0f));
      return r.StringList("pii_types_allowed", &rule.pii_types_allowed, false);
    }));
    VSR_RETURN_IF_ERROR(Rules(m, "jailbreak", &s.jailbreak, [](MapReader& r, JailbreakRule& rule) {
      return r.Float("threshold", &rule.threshold, 0.0f, 1.0f);
    }));
    VSR_RETURN_IF_ERROR(Rules(m, "context", &s.context, [&](MapReader& r, ContextRule& rule) {
      VSR_RETURN_IF_ERROR(TokenCount(r, "min_tokens", &rule.min_tokens));
      VSR_RETURN_IF_ERROR(TokenCount(r, "max_tokens", &rule.max_tokens));
      if (!r.Has("min_tokens") && !r.Has("max_tokens")) {
        return ctx_.Error(r.node(), r.path(), "expected min_tokens and/or max_tokens");
      }
      if (rule.min_tokens > rule.max_tokens) {
        return r.ErrorAt("max_tokens",
                         "must be >= min_tokens (" + std::to_string(rule.min_tokens) + ")");
      }
      return Status::OK();
    }));
    return m.Finish();
  }

  Status Keyword(MapReader& r, KeywordRule& rule) {
    std::string op = "OR";
    VSR_RETURN_IF_ERROR(r.Enum("operator", &op, {"AND", "OR", "NOR"}, true));
    rule.op = op == "AND" ? KeywordOperator::kAnd
                          : (op == "OR" ? KeywordOperator::kOr : KeywordOperator::kNor);
    std::string method = "exact";
    VSR_RETURN_IF_ERROR(r.Enum("method", &method, {"exact", "regex"}));
    rule.method = method == "exact" ? KeywordMethod::kExact : KeywordMethod::kRegex;
    VSR_RETURN_IF_ERROR(r.Bool("case_sensitive", &rule.case_sensitive));
    VSR_RETURN_IF_ERROR(r.StringList("keywords", &rule.keywords, true));
    if (rule.method == KeywordMethod::kRegex) {
      for (size_t i = 0; i < rule.keywords.size(); ++i) {
        std::string problem = RegexProblem(rule.keywords[i], rule.case_sensitive);
        if (!problem.empty()) {
          return ctx_.Error(r.Child("keywords")[i], IndexPath(r.PathOf("keywords"), i),
                            "invalid regular expression (" + problem + ")");
        }
      }
    }
    return Status::OK();
  }

  // ---- decisions ---------------------------------------------------------------------
  Status Decision(const YAML::Node& node, const std::string& path) {
    MapReader m(&ctx_, node, path);
    VSR_RETURN_IF_ERROR(m.Check());
    DecisionConfig d;
    VSR_RETURN_IF_ERROR(m.Name("name", &d.name));
    VSR_RETURN_IF_ERROR(m.String("description", &d.description));
    VSR_RETURN_IF_ERROR(m.Int32("priority", &d.priority, -1000000000, 1000000000));
    d.rules.is_leaf = false;
    d.rules.op = RuleOperator::kAnd;
    if (m.Has("rules")) VSR_RETURN_IF_ERROR(Rule(m.Child("rules"), m.PathOf("rules"), 0, &d.rules));
    VSR_RETURN_IF_ERROR(
        ForEachElement(m, "modelRefs", [&](const YAML::Node& n, std::string p, size_t) {
          MapReader r(&ctx_, n, p);
          VSR_RETURN_IF_ERROR(r.Check());
          ModelRef ref;
          VSR_RETURN_IF_ERROR(r.Name("model", &ref.model));
          if (cfg_->providers.FindModel(ref.model) == nullptr) {
            return r.ErrorAt("model", "names no model in providers.models: '" + ref.model + "'");
          }
          VSR_RETURN_IF_ERROR(r.Bool("use_reasoning", &ref.use_reasoning));
          VSR_RETURN_IF_ERROR(
              r.Enum("reasoning_effort", &ref.reasoning_effort, {"low", "medium", "high"}));
          VSR_RETURN_IF_ERROR(r.Name("lora_name", &ref.lora_name, false));
          VSR_RETURN_IF_ERROR(r.Float("weight", &ref.weight, 0.0f, 1e6f));
          d.model_refs.push_back(std::move(ref));
          return r.Finish();
        }));
    VSR_RETURN_IF_ERROR(ForEachElement(
        m, "plugins",
        [&](const YAML::Node& n, std::string p, size_t) { return Plugin(n, p, &d); }));
    cfg_->routing.decisions.push_back(std::move(d));
    return m.Finish();
  }

  Status Rule(const YAML::Node& node, const std::string& path, int depth, RuleNode* out) {
    if (depth > kMaxRuleDepth) {
      return ctx_.Error(node, path,
                        "rule tree nested deeper than " + std::to_string(kMaxRuleDepth));
    }
    MapReader m(&ctx_, node, path);
    VSR_RETURN_IF_ERROR(m.Check());
    bool has_op = m.Has("operator");
    bool has_type = m.Has("type");
    if (has_op == has_type) {
      return ctx_.Error(node, path,
                        has_op ? "a condition is either {operator, conditions} or {type, name}, "
                                 "not both"
                               : "expected {operator: AND|OR|NOT, conditions: [...]} or "
                                 "{type: <signal type>, name: <rule name>}");
    }
    if (has_type) {
      std::string type;
      VSR_RETURN_IF_ERROR(m.String("type", &type, true));
      std::optional<SignalType> t = ParseSignalType(type);
      if (!t) {
        return m.ErrorAt("type", "unknown signal type '" + type +
                                     "' (expected one of keyword, domain, embedding, pii, "
                                     "jailbreak, context)");
      }
      out->is_leaf = true;
      out->type = *t;
      VSR_RETURN_IF_ERROR(m.Name("name", &out->name));
      if (!SignalDefined(*t, out->name)) {
        return m.ErrorAt(
            "name", "no routing.signals." + SectionName(*t) + " rule is named '" + out->name + "'");
      }
      return m.Finish();
    }
    std::string op;
    VSR_RETURN_IF_ERROR(m.Enum("operator", &op, {"AND", "OR", "NOT"}, true));
    out->is_leaf = false;
    out->op =
        op == "AND" ? RuleOperator::kAnd : (op == "OR" ? RuleOperator::kOr : RuleOperator::kNot);
    VSR_RETURN_IF_ERROR(
        ForEachElement(m, "conditions", [&](const YAML::Node& n, std::string p, size_t) {
          out->children.emplace_back();
          return Rule(n, p, depth + 1, &out->children.back());
        }));
    if (out->op == RuleOperator::kNot && out->children.size() != 1) {
      return ctx_.Error(
          node, m.PathOf("conditions"),
          "NOT takes exactly one condition; got " + std::to_string(out->children.size()));
    }
    return m.Finish();
  }

  static std::string SectionName(SignalType t) {
    return std::string(kSignalNames[static_cast<int>(t)].section);
  }

  bool SignalDefined(SignalType t, const std::string& name) const {
    const SignalsConfig& s = cfg_->routing.signals;
    auto has = [&](const auto& rules) {
      for (const auto& r : rules) {
        if (r.name == name) return true;
      }
      return false;
    };
    switch (t) {
      case SignalType::kKeyword:
        return has(s.keywords);
      case SignalType::kDomain:
        return has(s.domains);
      case SignalType::kEmbedding:
        return has(s.embeddings);
      case SignalType::kPii:
        return has(s.pii);
      case SignalType::kJailbreak:
        return has(s.jailbreak);
      case SignalType::kContext:
        return has(s.context);
    }
    return false;
  }

  Status Plugin(const YAML::Node& node, const std::string& path, DecisionConfig* d) {
    MapReader m(&ctx_, node, path);
    VSR_RETURN_IF_ERROR(m.Check());
    std::string type;
    VSR_RETURN_IF_ERROR(m.Enum(
        "type", &type, {"system_prompt", "fast_response", "semantic-cache", "response_cache"}));
    if (type.empty()) return m.ErrorAt("type", "required key is missing");
    MapReader c(&ctx_, m.Child("configuration"), m.PathOf("configuration"));
    VSR_RETURN_IF_ERROR(c.Check());
    auto duplicate = [&]() { return m.ErrorAt("type", "plugin '" + type + "' listed twice"); };
    if (type == "system_prompt") {
      if (d->plugins.system_prompt) return duplicate();
      SystemPromptPlugin p;
      VSR_RETURN_IF_ERROR(c.Bool("enabled", &p.enabled));
      VSR_RETURN_IF_ERROR(c.String("system_prompt", &p.system_prompt, true));
      VSR_RETURN_IF_ERROR(c.Enum("mode", &p.mode, {"replace", "insert"}));
      d->plugins.system_prompt = std::move(p);
    } else if (type == "fast_response") {
      if (d->plugins.fast_response) return duplicate();
      FastResponsePlugin p;
      VSR_RETURN_IF_ERROR(c.Bool("enabled", &p.enabled));
      VSR_RETURN_IF_ERROR(c.String("message", &p.message, true));
      d->plugins.fast_response = std::move(p);
    } else {
      if (d->plugins.semantic_cache) return duplicate();
      SemanticCachePlugin p;
      VSR_RETURN_IF_ERROR(c.Bool("enabled", &p.enabled));
      if (c.Has("similarity_threshold")) {
        float t = 0;
        VSR_RETURN_IF_ERROR(c.Float("similarity_threshold", &t, -1.0f, 1.0f));
        p.similarity_threshold = t;
      }
      if (c.Has("ttl_seconds")) {
        int64_t ttl = 0;
        VSR_RETURN_IF_ERROR(c.Int("ttl_seconds", &ttl, 0, int64_t{10} * 365 * 86400));
        p.ttl_seconds = ttl;
      }
      d->plugins.semantic_cache = p;
    }
    VSR_RETURN_IF_ERROR(c.Finish());
    return m.Finish();
  }

  // ---- global ------------------------------------------------------------------------
  Status Global(const YAML::Node& node) {
    MapReader m(&ctx_, node, "global");
    VSR_RETURN_IF_ERROR(m.Check());
    MapReader stores(&ctx_, m.Child("stores"), "global.stores");
    VSR_RETURN_IF_ERROR(stores.Check());
    VSR_RETURN_IF_ERROR(ResponseCache(stores.Child("response_cache")));
    VSR_RETURN_IF_ERROR(stores.Finish());
    VSR_RETURN_IF_ERROR(ModelCatalog(m.Child("model_catalog")));
    VSR_RETURN_IF_ERROR(Server(m.Child("server")));
    return m.Finish();
  }

  Status ResponseCache(const YAML::Node& node) {
    MapReader m(&ctx_, node, "global.stores.response_cache");
    VSR_RETURN_IF_ERROR(m.Check());
    ResponseCacheConfig& c = cfg_->global.response_cache;
    VSR_RETURN_IF_ERROR(m.Bool("enabled", &c.enabled));
    VSR_RETURN_IF_ERROR(m.Enum("backend_type", &c.backend_type, {"memory"}));
    VSR_RETURN_IF_ERROR(m.Float("similarity_threshold", &c.similarity_threshold, -1.0f, 1.0f));
    VSR_RETURN_IF_ERROR(m.Int("max_entries", &c.max_entries, 1, int64_t{1} << 40));
    VSR_RETURN_IF_ERROR(m.Int("ttl_seconds", &c.ttl_seconds, 0, int64_t{10} * 365 * 86400));
    VSR_RETURN_IF_ERROR(m.Enum("eviction_policy", &c.eviction_policy, {"fifo", "lru", "lfu"}));
    bool use_hnsw = c.search_mode == "hnsw";
    VSR_RETURN_IF_ERROR(m.Bool("use_hnsw", &use_hnsw));
    c.search_mode = use_hnsw ? "hnsw" : "linear";
    VSR_RETURN_IF_ERROR(m.Int("hnsw_m", &c.hnsw_m, 2, 1024));
    VSR_RETURN_IF_ERROR(m.Int("hnsw_ef_construction", &c.hnsw_ef_construction, 1, 100000));
    VSR_RETURN_IF_ERROR(m.Int("hnsw_ef_search", &c.hnsw_ef_search, 1, 100000));
    return m.Finish();
  }

  Status ClassifierThreshold(MapReader& parent, std::string_view key, float* threshold) {
    MapReader m(&ctx_, parent.Child(key), parent.PathOf(key));
    VSR_RETURN_IF_ERROR(m.Check());
    VSR_RETURN_IF_ERROR(m.Float("threshold", threshold, 0.0f, 1.0f));
    return m.Finish();
  }

  Status ModelCatalog(const YAML::Node& node) {
    MapReader m(&ctx_, node, "global.model_catalog");
    VSR_RETURN_IF_ERROR(m.Check());
    ModelCatalogConfig& c = cfg_->global.model_catalog;
    VSR_RETURN_IF_ERROR(m.Int32("threads", &c.threads, 1, 1024));
    VSR_RETURN_IF_ERROR(m.Enum("weights", &c.weights, {"f32", "bf16", "int8"}));
    MapReader system(&ctx_, m.Child("system"), m.PathOf("system"));
    VSR_RETURN_IF_ERROR(system.Check());
    VSR_RETURN_IF_ERROR(system.Name("domain_classifier", &c.domain.model_dir, false));
    VSR_RETURN_IF_ERROR(system.Name("pii_classifier", &c.pii.model_dir, false));
    VSR_RETURN_IF_ERROR(system.Name("prompt_guard", &c.jailbreak.model_dir, false));
    VSR_RETURN_IF_ERROR(system.Finish());

    MapReader emb(&ctx_, m.Child("embeddings"), m.PathOf("embeddings"));
    VSR_RETURN_IF_ERROR(emb.Check());
    MapReader semantic(&ctx_, emb.Child("semantic"), emb.PathOf("semantic"));
    VSR_RETURN_IF_ERROR(semantic.Check());
    VSR_RETURN_IF_ERROR(semantic.Name("bert_model_path", &c.embedding.model_dir, false));
    VSR_RETURN_IF_ERROR(semantic.Finish());
    VSR_RETURN_IF_ERROR(emb.Finish());

    MapReader modules(&ctx_, m.Child("modules"), m.PathOf("modules"));
    VSR_RETURN_IF_ERROR(modules.Check());
    MapReader classifier(&ctx_, modules.Child("classifier"), modules.PathOf("classifier"));
    VSR_RETURN_IF_ERROR(classifier.Check());
    {
      MapReader domain(&ctx_, classifier.Child("domain"), classifier.PathOf("domain"));
      VSR_RETURN_IF_ERROR(domain.Check());
      VSR_RETURN_IF_ERROR(domain.Float("threshold", &c.domain.threshold, 0.0f, 1.0f));
      VSR_RETURN_IF_ERROR(domain.Name("fallback_category", &c.fallback_category, false));
      VSR_RETURN_IF_ERROR(domain.Finish());
    }
    VSR_RETURN_IF_ERROR(ClassifierThreshold(classifier, "pii", &c.pii.threshold));
    VSR_RETURN_IF_ERROR(classifier.Finish());
    VSR_RETURN_IF_ERROR(ClassifierThreshold(modules, "prompt_guard", &c.jailbreak.threshold));
    VSR_RETURN_IF_ERROR(modules.Finish());
    return m.Finish();
  }

  Status Listen(MapReader& parent, std::string_view key, std::string* address, uint16_t* port) {
    MapReader m(&ctx_, parent.Child(key), parent.PathOf(key));
    VSR_RETURN_IF_ERROR(m.Check());
    VSR_RETURN_IF_ERROR(m.Name("address", address, false));
    int64_t p = *port;
    VSR_RETURN_IF_ERROR(m.Int("port", &p, 0, 65535));
    *port = static_cast<uint16_t>(p);
    return m.Finish();
  }

  Status Server(const YAML::Node& node) {
    MapReader m(&ctx_, node, "global.server");
    VSR_RETURN_IF_ERROR(m.Check());
    ServerConfig& s = cfg_->global.server;
    VSR_RETURN_IF_ERROR(Listen(m, "http", &s.http_address, &s.http_port));
    VSR_RETURN_IF_ERROR(Listen(m, "ext_proc", &s.ext_proc_address, &s.ext_proc_port));
    VSR_RETURN_IF_ERROR(
        m.Int("max_request_body_bytes", &s.max_request_body_bytes, 1, int64_t{1} << 34));
    VSR_RETURN_IF_ERROR(m.Int32("threads", &s.threads, 0, 1024));
    MapReader b(&ctx_, m.Child("backend"), m.PathOf("backend"));
    VSR_RETURN_IF_ERROR(b.Check());
    VSR_RETURN_IF_ERROR(
        b.Int("connect_timeout_ms", &s.backend_connect_timeout_ms, 1, int64_t{3600} * 1000));
    VSR_RETURN_IF_ERROR(
        b.Int("request_timeout_ms", &s.backend_request_timeout_ms, 1, int64_t{86400} * 1000));
    VSR_RETURN_IF_ERROR(b.Finish());
    return m.Finish();
  }

  YamlContext ctx_;
  RouterConfig* cfg_;
};

}  // namespace

std::string_view SignalTypeName(SignalType type) {
  return kSignalNames[static_cast<int>(type)].name;
}

std::optional<SignalType> ParseSignalType(std::string_view name) {
  for (const SignalNames& n : kSignalNames) {
    if (name == n.name || name == n.section) return n.type;
  }
  return std::nullopt;
}

std::string_view RuleOperatorName(RuleOperator op) {
  switch (op) {
    case RuleOperator::kAnd:
      return "AND";
    case RuleOperator::kOr:
      return "OR";
    case RuleOperator::kNot:
      return "NOT";
  }
  return "?";
}

std::string_view SelectionStrategyName(SelectionStrategy s) {
  return s == SelectionStrategy::kPriority ? "priority" : "confidence";
}

const ModelSpec* ProvidersConfig::FindModel(std::string_view name) const {
  for (const ModelSpec& m : models) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

const DecisionConfig* RouterConfig::FindDecision(std::string_view name) const {
  for (const DecisionConfig& d : routing.decisions) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

StatusOr<RouterConfig> LoadConfigString(std::string_view yaml, const std::string& source_name,
                                        const LoadOptions& options) {
  RouterConfig cfg;
  cfg.source_name = source_name;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    YamlContext ctx(source_name, true, nullptr);
    return ctx.Error(e.mark, "", "YAML syntax error: " + e.msg);
  }
  try {
    Parser parser(source_name, options, &cfg);
    VSR_RETURN_IF_ERROR(parser.Parse(root));
  } catch (const YAML::Exception& e) {  // not expected: every access is checked
    YamlContext ctx(source_name, true, nullptr);
    return ctx.Error(e.mark, "", std::string("invalid document: ") + e.msg);
  }
  return cfg;
}

StatusOr<RouterConfig> LoadConfigFile(const std::string& path, const LoadOptions& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument(path + ": is a directory, expected a YAML config file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open config file");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::IOError(path + ": read error");
  return LoadConfigString(buf.str(), path, options);
}

}  // namespace vsr::config
