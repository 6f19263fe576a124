// SafeTensorsFile: a parsed `.safetensors` file (8-byte little-endian header length, a JSON
// header mapping tensor names to dtype / shape / data_offsets, then the raw bytes).
//
// Open() reads the whole file and validates every entry before returning: header length
// within the file, well-formed JSON, known dtype, offsets inside the data area, and
// offsets that agree with shape x dtype size. Any violation is a Corruption status whose
// message names the file and the tensor. Tensors are converted to f32 on request (f32,
// f16 and bf16 are supported).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace vsr::inference {

enum class DType { kF32, kF16, kBF16, kOther };

std::string_view DTypeName(DType d);

struct TensorInfo {
  DType dtype = DType::kF32;
  std::string dtype_name;  // as written in the header (e.g. "F32", "I64")
  std::vector<int64_t> shape;
  uint64_t begin = 0;  // byte offsets inside the data area
  uint64_t end = 0;
  int64_t numel() const;
};

class SafeTensorsFile {
 public:
  static StatusOr<SafeTensorsFile> Open(const std::string& path);
  // Parses an in-memory image; `name` is used in error messages.
  static StatusOr<SafeTensorsFile> Parse(std::string bytes, const std::string& name);

  bool Has(std::string_view name) const;
  const TensorInfo* Find(std::string_view name) const;
  const std::map<std::string, TensorInfo, std::less<>>& tensors() const { return tensors_; }
  const std::string& path() const { return path_; }

  // Converts tensor `name` to f32. Fails with NotFound if absent, InvalidArgument if its
  // dtype is not f32/f16/bf16 or its shape differs from `expected_shape` (when non-empty).
  StatusOr<std::vector<float>> ToFloat(std::string_view name,
                                       const std::vector<int64_t>& expected_shape = {}) const;

 private:
  std::string path_;
  std::string bytes_;
  size_t data_offset_ = 0;
  std::map<std::string, TensorInfo, std::less<>> tensors_;
};

// Builds a safetensors image (for the model generator, the tests and the reference tools).
class SafeTensorsWriter {
 public:
  // Adds an f32 tensor stored as `dtype` (f32, f16 or bf16, round-to-nearest-even).
  void Add(const std::string& name, const std::vector<int64_t>& shape,
           const std::vector<float>& values, DType dtype = DType::kF32);
  std::string Serialize() const;
  Status WriteFile(const std::string& path) const;

 private:
  struct Entry {
    std::string name;
    DType dtype;
    std::vector<int64_t> shape;
    std::string data;
  };
  std::vector<Entry> entries_;
};

// Conversions between f32 and the 16-bit float formats.
float HalfToFloat(uint16_t h);
uint16_t FloatToHalf(float f);
float BFloat16ToFloat(uint16_t b);
uint16_t FloatToBFloat16(float f);

}  // namespace vsr::inference
