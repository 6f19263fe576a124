// Element-wise and row-wise kernels of the encoder: layer norm (optionally fused with the
// residual add), bias + activation, softmax, and the vectorised exp/erf they rest on.
//
// All kernels work on row-major f32 buffers in place and never allocate. Accuracy: the
// vector exp has < 2 ulp-ish relative error (~1e-7), erf < 2e-7 absolute, far inside the
// engine's 1e-4 tolerance against PyTorch.
#pragma once

#include <cstdint>
#include <string_view>

namespace vsr::inference {

enum class Activation { kNone, kGelu, kGeluTanh, kRelu, kTanh };

// HF activation names: "gelu" (erf), "gelu_new" / "gelu_pytorch_tanh" (tanh), "relu", "tanh".
Activation ActivationFromName(std::string_view name);

// x[i] = exp(x[i]) for i < n.
void ExpInPlace(float* x, int64_t n);
// y = act(y + bias) over `rows` rows of `n` columns with row stride `ld` (bias may be null).
void BiasActivation(float* y, int64_t rows, int64_t n, int64_t ld, const float* bias,
                    Activation act);
// Row-wise layer norm: x = (x + residual - mean) / sqrt(var + eps) * gamma + beta.
// `residual` and `beta` may be null.
void LayerNorm(float* x, const float* residual, int64_t rows, int64_t dim, const float* gamma,
               const float* beta, float eps);
// Row-wise softmax of `rows` rows of `n` entries (stride `ld`), numerically stable.
void SoftmaxRows(float* x, int64_t rows, int64_t n, int64_t ld);
// out[i] = gelu(a[i]) * b[i] (GeGLU), exact erf gelu.
void GeluMul(const float* a, const float* b, float* out, int64_t n, Activation act);
// Scalar reference versions, for tests.
float GeluExact(float x);

}  // namespace vsr::inference
