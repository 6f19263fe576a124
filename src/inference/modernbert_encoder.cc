// The ModernBERT encoder (ModernBertModel in HF transformers): token embeddings + LayerNorm
// (no position embeddings), then pre-norm layers (layer 0 has no attention norm) of rotary
// self-attention — global every `global_attn_every_n_layers`-th layer, otherwise a sliding
// window of `local_attention / 2` tokens each side with its own rope theta — and a GeGLU
// feed-forward block; a final LayerNorm. No biases unless the config asks for them. The
// classification head is dense -> activation -> LayerNorm over the cls token or the mean.
#include <algorithm>

#include "inference/attention.h"
#include "inference/encoder.h"
#include "inference/gemm.h"
#include "inference/kernels.h"
#include "inference/packed_matrix.h"

namespace vsr::inference {
namespace {

struct ModernBertLayer {
  std::vector<float> attn_norm_g, attn_norm_b;  // empty for layer 0 (identity)
  PackedMatrix wqkv, wo, wi, mlp_wo;
  std::vector<float> wqkv_b, wo_b, mlp_norm_g, mlp_norm_b, wi_b, mlp_wo_b;
  bool global = true;
};

class ModernBertEncoder : public Encoder {
 public:
  Status Load(const ModelConfig& c, const WeightLoader& w, int64_t max_len) {
    c_ = c;
    const int64_t H = c.hidden_size, I = c.intermediate_size;
    auto norm = [&](const std::string& name, std::vector<float>* g, std::vector<float>* b) {
      VSR_RETURN_IF_ERROR(w.Get(name + ".weight", {H}, g));
      if (c.norm_bias) return w.Get(name + ".bias", {H}, b);
      return w.GetOptional(name + ".bias", {H}, b);
    };
    auto packed = [&](const std::string& name, int64_t n, int64_t k, PackedMatrix* out) {
      std::vector<float> v;
      VSR_RETURN_IF_ERROR(w.Get(name, {n, k}, &v));
      out->Pack(v, n, k, w.pack_format());
      return Status::OK();
    };
    auto bias = [&](bool enabled, const std::string& name, int64_t n, std::vector<float>* b) {
      return enabled ? w.Get(name, {n}, b) : w.GetOptional(name, {n}, b);
    };
    VSR_RETURN_IF_ERROR(w.Get("embeddings.tok_embeddings.weight", {c.vocab_size, H}, &tok_));
    VSR_RETURN_IF_ERROR(norm("embeddings.norm", &emb_norm_g_, &emb_norm_b_));
    layers_.resize(static_cast<size_t>(c.num_hidden_layers));
    for (int64_t i = 0; i < c.num_hidden_layers; ++i) {
      const std::string p = "layers." + std::to_string(i) + ".";
      ModernBertLayer& L = layers_[i];
      if (i != 0) VSR_RETURN_IF_ERROR(norm(p + "attn_norm", &L.attn_norm_g, &L.attn_norm_b));
      VSR_RETURN_IF_ERROR(packed(p + "attn.Wqkv.weight", 3 * H, H, &L.wqkv));
      VSR_RETURN_IF_ERROR(bias(c.attention_bias, p + "attn.Wqkv.bias", 3 * H, &L.wqkv_b));
      VSR_RETURN_IF_ERROR(packed(p + "attn.Wo.weight", H, H, &L.wo));
      VSR_RETURN_IF_ERROR(bias(c.attention_bias, p + "attn.Wo.bias", H, &L.wo_b));
      VSR_RETURN_IF_ERROR(norm(p + "mlp_norm", &L.mlp_norm_g, &L.mlp_norm_b));
      VSR_RETURN_IF_ERROR(packed(p + "mlp.Wi.weight", 2 * I, H, &L.wi));
      VSR_RETURN_IF_ERROR(bias(c.mlp_bias, p + "mlp.Wi.bias", 2 * I, &L.wi_b));
      VSR_RETURN_IF_ERROR(packed(p + "mlp.Wo.weight", H, I, &L.mlp_wo));
      VSR_RETURN_IF_ERROR(bias(c.mlp_bias, p + "mlp.Wo.bias", H, &L.mlp_wo_b));
      L.global = i % c.global_attn_every_n_layers == 0;
    }
    VSR_RETURN_IF_ERROR(norm("final_norm", &final_norm_g_, &final_norm_b_));
    // The prediction head (absent in a bare encoder).
    std::vector<float> head_w;
    VSR_RETURN_IF_ERROR(w.GetOptional("head.dense.weight", {H, H}, &head_w));
    if (!head_w.empty()) {
      head_w_.Pack(head_w, H, H, w.pack_format());
      VSR_RETURN_IF_ERROR(bias(c.classifier_bias, "head.dense.bias", H, &head_b_));
      VSR_RETURN_IF_ERROR(norm("head.norm", &head_norm_g_, &head_norm_b_));
    }
    const int64_t positions = std::min(c.max_position_embeddings, std::max<int64_t>(max_len, 1));
    BuildRotaryTables(positions, c.head_dim(), c.global_rope_theta, &global_cos_, &global_sin_);
    BuildRotaryTables(positions, c.head_dim(), c.local_rope_theta, &local_cos_, &local_sin_);
    act_ = ActivationFromName(c.hidden_act);
    head_act_ = ActivationFromName(c.classifier_activation);
    return Status::OK();
  }

  void Forward(const PackedBatch& batch, ThreadPool* pool, Workspace* ws) const override {
    const int64_t T = batch.num_tokens(), H = c_.hidden_size, I = c_.intermediate_size;
    float* h = Grow(&ws->h, T * H);
    float* x = Grow(&ws->tmp, T * H);
    float* qkv = Grow(&ws->qkv, T * 3 * H);
    float* ctx = Grow(&ws->ctx, T * H);
    float* inter = Grow(&ws->inter, T * 2 * I);
    float* gated = Grow(&ws->gated, T * I);
    const float eps = static_cast<float>(c_.layer_norm_eps);
    for (int64_t t = 0; t < T; ++t) {
      std::copy_n(tok_.data() + static_cast<int64_t>(batch.ids[t]) * H, H, h + t * H);
    }
    LayerNorm(h, nullptr, T, H, emb_norm_g_.data(), Bias(emb_norm_b_), eps);
    for (const ModernBertLayer& L : layers_) {
      const float* attn_in = h;
      if (!L.attn_norm_g.empty()) {
        std::copy_n(h, T * H, x);
        LayerNorm(x, nullptr, T, H, L.attn_norm_g.data(), Bias(L.attn_norm_b), eps);
        attn_in = x;
      }
      Linear(pool, attn_in, T, L.wqkv, Bias(L.wqkv_b), qkv, 3 * H, Activation::kNone);
      AttentionParams ap;
      ap.hidden = H;
      ap.heads = c_.num_attention_heads;
      ap.window = L.global ? -1 : c_.local_attention / 2;
      ap.rope_cos = L.global ? global_cos_.data() : local_cos_.data();
      ap.rope_sin = L.global ? global_sin_.data() : local_sin_.data();
      PackedAttention(pool, batch, qkv, ctx, ap, &ws->scratch);
      Linear(pool, ctx, T, L.wo, Bias(L.wo_b), x, H, Activation::kNone);
      for (int64_t i = 0; i < T * H; ++i) h[i] += x[i];
      std::copy_n(h, T * H, x);
      LayerNorm(x, nullptr, T, H, L.mlp_norm_g.data(), Bias(L.mlp_norm_b), eps);
      Linear(pool, x, T, L.wi, Bias(L.wi_b), inter, 2 * I, Activation::kNone);
      for (int64_t t = 0; t < T; ++t) {
        GeluMul(inter + t * 2 * I, inter + t * 2 * I + I, gated + t * I, I, act_);
      }
      Linear(pool, gated, T, L.mlp_wo, Bias(L.mlp_wo_b), x, H, Activation::kNone);
      for (int64_t i = 0; i < T * H; ++i) h[i] += x[i];
    }
    LayerNorm(h, nullptr, T, H, final_norm_g_.data(), Bias(final_norm_b_), eps);
  }

  Status SequenceFeatures(const PackedBatch& batch, ThreadPool* pool,
                          Workspace* ws) const override {
    if (head_w_.empty()) {
      return Status::FailedPrecondition(
          "ModernBERT classification needs the prediction head (head.dense.*), which the "
          "checkpoint lacks");
    }
    const int64_t n = batch.num_sequences(), H = c_.hidden_size;
    float* pooled = Grow(&ws->pooled, n * H);
    if (c_.classifier_pooling == "mean") {
      MeanPool(batch, ws->h.data(), H, pooled);
    } else {
      for (int64_t s = 0; s < n; ++s) {
        std::copy_n(ws->h.data() + batch.begin(s) * H, H, pooled + s * H);
      }
    }
    ApplyHead(pool, pooled, n, Grow(&ws->features, n * H));
    return Status::OK();
  }

  void TokenFeatures(const PackedBatch& batch, ThreadPool* pool, Workspace* ws) const override {
    const int64_t T = batch.num_tokens(), H = c_.hidden_size;
    float* out = Grow(&ws->features, T * H);
    if (head_w_.empty()) {
      std::copy_n(ws->h.data(), T * H, out);
      return;
    }
    ApplyHead(pool, ws->h.data(), T, out);
  }

  double Flops(const PackedBatch& batch) const override {
    const double H = static_cast<double>(c_.hidden_size);
    const double I = static_cast<double>(c_.intermediate_size);
    double total = 0;
    for (size_t l = 0; l < layers_.size(); ++l) {
      double attn = 0;
      for (int64_t s = 0; s < batch.num_sequences(); ++s) {
        const double L = static_cast<double>(batch.length(s));
        const double span =
            layers_[l].global ? L : std::min(L, static_cast<double>(c_.local_attention + 1));
        attn += 4.0 * L * span * H;
      }
      total += 2.0 * static_cast<double>(batch.num_tokens()) * (4.0 * H * H + 3.0 * H * I) + attn;
    }
    return total;
  }

 private:
  static const float* Bias(const std::vector<float>& b) { return b.empty() ? nullptr : b.data(); }

  void ApplyHead(ThreadPool* pool, const float* in, int64_t rows, float* out) const {
    const int64_t H = c_.hidden_size;
    Linear(pool, in, rows, head_w_, Bias(head_b_), out, H, head_act_);
    LayerNorm(out, nullptr, rows, H, head_norm_g_.data(), Bias(head_norm_b_),
              static_cast<float>(c_.layer_norm_eps));
  }

  ModelConfig c_;
  Activation act_ = Activation::kGelu, head_act_ = Activation::kGelu;
  std::vector<float> tok_, emb_norm_g_, emb_norm_b_, final_norm_g_, final_norm_b_;
  PackedMatrix head_w_;
  std::vector<float> head_b_, head_norm_g_, head_norm_b_;
  std::vector<float> global_cos_, global_sin_, local_cos_, local_sin_;
  std::vector<ModernBertLayer> layers_;
};

}  // namespace

StatusOr<std::unique_ptr<Encoder>> LoadModernBertEncoder(const ModelConfig& config,
                                                         const WeightLoader& weights,
                                                         int64_t max_len) {
  auto enc = std::make_unique<ModernBertEncoder>();
  VSR_RETURN_IF_ERROR(enc->Load(config, weights, max_len));
  return std::unique_ptr<Encoder>(std::move(enc));
}

}  // namespace vsr::inference
