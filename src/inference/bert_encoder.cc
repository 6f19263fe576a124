// The BERT encoder (BertModel in HF transformers): word + position + token-type embeddings
// with LayerNorm, then post-norm layers of self-attention and a GELU feed-forward block;
// the pooler is dense + tanh on the first ([CLS]) token.
#include <algorithm>

#include "inference/attention.h"
#include "inference/encoder.h"
#include "inference/gemm.h"
#include "inference/kernels.h"
#include "inference/packed_matrix.h"

namespace vsr::inference {
namespace {

struct BertLayer {
  PackedMatrix qkv_w, ao_w, in_w, out_w;  // qkv: [3H, H] (query | key | value)
  std::vector<float> qkv_b, ao_b, ln1_g, ln1_b, in_b, out_b, ln2_g, ln2_b;
};

Status GetPacked(const WeightLoader& w, const std::string& name, int64_t n, int64_t k,
                 PackedMatrix* out) {
  std::vector<float> v;
  VSR_RETURN_IF_ERROR(w.Get(name, {n, k}, &v));
  out->Pack(v, n, k, w.pack_format());
  return Status::OK();
}

class BertEncoder : public Encoder {
 public:
  Status Load(const ModelConfig& c, const WeightLoader& w, int64_t max_len) {
    c_ = c;
    const int64_t H = c.hidden_size, I = c.intermediate_size;
    VSR_RETURN_IF_ERROR(w.Get("embeddings.word_embeddings.weight", {c.vocab_size, H}, &word_));
    VSR_RETURN_IF_ERROR(
        w.Get("embeddings.position_embeddings.weight", {c.max_position_embeddings, H}, &pos_));
    VSR_RETURN_IF_ERROR(
        w.GetOptional("embeddings.token_type_embeddings.weight", {c.type_vocab_size, H}, &type_));
    VSR_RETURN_IF_ERROR(w.Get("embeddings.LayerNorm.weight", {H}, &emb_ln_g_));
    VSR_RETURN_IF_ERROR(w.Get("embeddings.LayerNorm.bias", {H}, &emb_ln_b_));
    layers_.resize(static_cast<size_t>(c.num_hidden_layers));
    for (int64_t i = 0; i < c.num_hidden_layers; ++i) {
      const std::string p = "encoder.layer." + std::to_string(i) + ".";
      BertLayer& L = layers_[i];
      std::vector<float> q, k, v, qb, kb, vb;
      VSR_RETURN_IF_ERROR(w.Get(p + "attention.self.query.weight", {H, H}, &q));
      VSR_RETURN_IF_ERROR(w.Get(p + "attention.self.key.weight", {H, H}, &k));
      VSR_RETURN_IF_ERROR(w.Get(p + "attention.self.value.weight", {H, H}, &v));
      VSR_RETURN_IF_ERROR(w.Get(p + "attention.self.query.bias", {H}, &qb));
      VSR_RETURN_IF_ERROR(w.Get(p + "attention.self.key.bias", {H}, &kb));
      VSR_RETURN_IF_ERROR(w.Get(p + "attention.self.value.bias", {H}, &vb));
      q.insert(q.end(), k.begin(), k.end());
      q.insert(q.end(), v.begin(), v.end());
      L.qkv_w.Pack(q, 3 * H, H, w.pack_format());
      L.qkv_b = qb;
      L.qkv_b.insert(L.qkv_b.end(), kb.begin(), kb.end());
      L.qkv_b.insert(L.qkv_b.end(), vb.begin(), vb.end());
      VSR_RETURN_IF_ERROR(GetPacked(w, p + "attention.output.dense.weight", H, H, &L.ao_w));
      VSR_RETURN_IF_ERROR(w.Get(p + "attention.output.dense.bias", {H}, &L.ao_b));
      VSR_RETURN_IF_ERROR(w.Get(p + "attention.output.LayerNorm.weight", {H}, &L.ln1_g));
      VSR_RETURN_IF_ERROR(w.Get(p + "attention.output.LayerNorm.bias", {H}, &L.ln1_b));
      VSR_RETURN_IF_ERROR(GetPacked(w, p + "intermediate.dense.weight", I, H, &L.in_w));
      VSR_RETURN_IF_ERROR(w.Get(p + "intermediate.dense.bias", {I}, &L.in_b));
      VSR_RETURN_IF_ERROR(GetPacked(w, p + "output.dense.weight", H, I, &L.out_w));
      VSR_RETURN_IF_ERROR(w.Get(p + "output.dense.bias", {H}, &L.out_b));
      VSR_RETURN_IF_ERROR(w.Get(p + "output.LayerNorm.weight", {H}, &L.ln2_g));
      VSR_RETURN_IF_ERROR(w.Get(p + "output.LayerNorm.bias", {H}, &L.ln2_b));
    }
    std::vector<float> pool_w;
    VSR_RETURN_IF_ERROR(w.GetOptional("pooler.dense.weight", {H, H}, &pool_w));
    if (!pool_w.empty()) pool_w_.Pack(pool_w, H, H, w.pack_format());
    VSR_RETURN_IF_ERROR(w.GetOptional("pooler.dense.bias", {H}, &pool_b_));
    act_ = ActivationFromName(c.hidden_act);
    (void)max_len;
    return Status::OK();
  }

  void Forward(const PackedBatch& batch, ThreadPool* pool, Workspace* ws) const override {
    const int64_t T = batch.num_tokens(), H = c_.hidden_size, I = c_.intermediate_size;
    float* h = Grow(&ws->h, T * H);
    float* tmp = Grow(&ws->tmp, T * H);
    float* qkv = Grow(&ws->qkv, T * 3 * H);
    float* ctx = Grow(&ws->ctx, T * H);
    float* inter = Grow(&ws->inter, T * I);
    for (int64_t s = 0; s < batch.num_sequences(); ++s) {
      for (int64_t p = 0; p < batch.length(s); ++p) {
        const int64_t t = batch.begin(s) + p;
        const float* we = word_.data() + static_cast<int64_t>(batch.ids[t]) * H;
        const float* pe = pos_.data() + p * H;
        const int32_t type_id = batch.type_ids.empty() ? 0 : batch.type_ids[t];
        const float* te = type_.empty() ? nullptr : type_.data() + type_id * H;
        float* row = h + t * H;
        for (int64_t j = 0; j < H; ++j) row[j] = we[j] + pe[j] + (te ? te[j] : 0.0f);
      }
    }
    const float eps = static_cast<float>(c_.layer_norm_eps);
    LayerNorm(h, nullptr, T, H, emb_ln_g_.data(), emb_ln_b_.data(), eps);
    AttentionParams ap;
    ap.hidden = H;
    ap.heads = c_.num_attention_heads;
    for (const BertLayer& L : layers_) {
      Linear(pool, h, T, L.qkv_w, L.qkv_b.data(), qkv, 3 * H, Activation::kNone);
      PackedAttention(pool, batch, qkv, ctx, ap, &ws->scratch);
      Linear(pool, ctx, T, L.ao_w, L.ao_b.data(), tmp, H, Activation::kNone);
      LayerNorm(tmp, h, T, H, L.ln1_g.data(), L.ln1_b.data(), eps);  // tmp = LN(attn + h)
      Linear(pool, tmp, T, L.in_w, L.in_b.data(), inter, I, act_);
      Linear(pool, inter, T, L.out_w, L.out_b.data(), h, H, Activation::kNone);
      LayerNorm(h, tmp, T, H, L.ln2_g.data(), L.ln2_b.data(), eps);  // h = LN(ffn + tmp)
    }
  }

  Status SequenceFeatures(const PackedBatch& batch, ThreadPool* pool,
                          Workspace* ws) const override {
    if (pool_w_.empty() || pool_b_.empty()) {
      return Status::FailedPrecondition(
          "BERT sequence classification needs the pooler (bert.pooler.dense.*), which the "
          "checkpoint lacks");
    }
    const int64_t n = batch.num_sequences(), H = c_.hidden_size;
    float* cls = Grow(&ws->pooled, n * H);
    for (int64_t s = 0; s < n; ++s) {
      std::copy_n(ws->h.data() + batch.begin(s) * H, H, cls + s * H);
    }
    float* out = Grow(&ws->features, n * H);
    Linear(pool, cls, n, pool_w_, pool_b_.data(), out, H, Activation::kTanh);
    return Status::OK();
  }

  void TokenFeatures(const PackedBatch& batch, ThreadPool*, Workspace* ws) const override {
    const int64_t n = batch.num_tokens() * c_.hidden_size;
    std::copy_n(ws->h.data(), n, Grow(&ws->features, n));
  }

  double Flops(const PackedBatch& batch) const override {
    const double H = static_cast<double>(c_.hidden_size);
    const double I = static_cast<double>(c_.intermediate_size);
    double attn = 0;
    for (int64_t s = 0; s < batch.num_sequences(); ++s) {
      const double L = static_cast<double>(batch.length(s));
      attn += 4.0 * L * L * H;
    }
    const double dense =
        2.0 * static_cast<double>(batch.num_tokens()) * (4.0 * H * H + 2.0 * H * I);
    return static_cast<double>(c_.num_hidden_layers) * (dense + attn);
  }

 private:
  ModelConfig c_;
  Activation act_ = Activation::kGelu;
  std::vector<float> word_, pos_, type_, emb_ln_g_, emb_ln_b_, pool_b_;
  PackedMatrix pool_w_;
  std::vector<BertLayer> layers_;
};

}  // namespace

StatusOr<std::unique_ptr<Encoder>> LoadBertEncoder(const ModelConfig& config,
                                                   const WeightLoader& weights, int64_t max_len) {
  auto enc = std::make_unique<BertEncoder>();
  VSR_RETURN_IF_ERROR(enc->Load(config, weights, max_len));
  return std::unique_ptr<Encoder>(std::move(enc));
}

void MeanPool(const PackedBatch& batch, const float* h, int64_t dim, float* out) {
  for (int64_t s = 0; s < batch.num_sequences(); ++s) {
    float* o = out + s * dim;
    std::fill_n(o, dim, 0.0f);
    const int64_t L = batch.length(s);
    for (int64_t t = batch.begin(s); t < batch.begin(s) + L; ++t) {
      const float* row = h + t * dim;
      for (int64_t j = 0; j < dim; ++j) o[j] += row[j];
    }
    const float inv = L > 0 ? 1.0f / static_cast<float>(L) : 0.0f;
    for (int64_t j = 0; j < dim; ++j) o[j] *= inv;
  }
}

}  // namespace vsr::inference
