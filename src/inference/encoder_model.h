// EncoderModel: a loaded HF encoder checkpoint (BERT family or ModernBERT) with its optional
// classification head, run on packed batches of token ids.
//
// Load(dir) reads `config.json` and `model.safetensors` (f32 / f16 / bf16, converted to f32
// once). Every error names the file (and tensor). The model is immutable after loading;
// all Run* methods are thread-safe and keep a pool of workspaces, so steady-state calls do
// not allocate beyond growing their output vector. Inputs are validated: ids within the
// vocabulary, every sequence non-empty and no longer than the position table.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "inference/engine_options.h"
#include "inference/model_config.h"
#include "inference/packed_batch.h"
#include "inference/safetensors.h"

namespace vsr::inference {

class Encoder;
class PackedMatrix;
class ThreadPool;
struct Workspace;

enum class HeadKind { kNone, kSequence, kToken };

class EncoderModel {
 public:
  static StatusOr<std::unique_ptr<EncoderModel>> Load(const std::string& model_dir,
                                                      const EngineOptions& options = {});
  static StatusOr<std::unique_ptr<EncoderModel>> FromParts(const ModelConfig& config,
                                                           const SafeTensorsFile& weights,
                                                           const EngineOptions& options);
  ~EncoderModel();

  const ModelConfig& config() const { return config_; }
  HeadKind head() const { return head_; }
  int64_t num_labels() const { return num_labels_; }
  int64_t hidden_size() const { return config_.hidden_size; }
  // Longest sequence accepted (tokens, including specials).
  int64_t max_sequence_length() const { return max_len_; }
  int threads() const;

  // Last hidden state: [num_tokens, hidden].
  Status RunHidden(const PackedBatch& batch, std::vector<float>* out) const;
  // Sequence-classification logits: [num_sequences, num_labels].
  Status RunSequenceLogits(const PackedBatch& batch, std::vector<float>* out) const;
  // Token-classification logits: [num_tokens, num_labels].
  Status RunTokenLogits(const PackedBatch& batch, std::vector<float>* out) const;
  // Mean-pooled last hidden state, L2-normalised when `normalize`: [num_sequences, hidden].
  Status RunMeanPooled(const PackedBatch& batch, bool normalize, std::vector<float>* out) const;

  // Floating-point operations of one encoder pass over `batch`.
  double Flops(const PackedBatch& batch) const;

 private:
  EncoderModel();
  Status Validate(const PackedBatch& batch) const;
  std::unique_ptr<Workspace> AcquireWorkspace() const;
  void ReleaseWorkspace(std::unique_ptr<Workspace> ws) const;

  ModelConfig config_;
  HeadKind head_ = HeadKind::kNone;
  int64_t num_labels_ = 0;
  int64_t max_len_ = 0;
  std::unique_ptr<PackedMatrix> classifier_w_;
  std::vector<float> classifier_b_;
  std::unique_ptr<Encoder> encoder_;
  std::unique_ptr<ThreadPool> pool_;
  mutable std::mutex ws_mu_;
  mutable std::vector<std::unique_ptr<Workspace>> free_workspaces_;
};

}  // namespace vsr::inference
