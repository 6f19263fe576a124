#include "inference/safetensors.h"

#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

namespace vsr::inference {
namespace {

constexpr uint64_t kMaxHeaderBytes = 100ull << 20;  // the format's own limit is 100 MB

size_t DTypeSize(DType d) {
  switch (d) {
    case DType::kF32:
      return 4;
    case DType::kF16:
    case DType::kBF16:
      return 2;
    case DType::kOther:
      break;
  }
  return 0;
}

size_t OtherDTypeSize(const std::string& name) {
  if (name == "F64" || name == "I64" || name == "U64") return 8;
  if (name == "I32" || name == "U32") return 4;
  if (name == "I16" || name == "U16") return 2;
  if (name == "I8" || name == "U8" || name == "BOOL" || name == "F8_E4M3" || name == "F8_E5M2")
    return 1;
  return 0;
}

DType ParseDType(const std::string& s) {
  if (s == "F32") return DType::kF32;
  if (s == "F16") return DType::kF16;
  if (s == "BF16") return DType::kBF16;
  return DType::kOther;
}

std::string ShapeString(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

}  // namespace

std::string_view DTypeName(DType d) {
  switch (d) {
    case DType::kF32:
      return "F32";
    case DType::kF16:
      return "F16";
    case DType::kBF16:
      return "BF16";
    case DType::kOther:
      break;
  }
  return "other";
}

int64_t TensorInfo::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

float HalfToFloat(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      int e = -1;
      do {
        ++e;
        mant <<= 1;
      } while ((mant & 0x400u) == 0);
      bits = sign | (static_cast<uint32_t>(127 - 15 - e) << 23) | ((mant & 0x3ffu) << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t FloatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000u;
  uint32_t absx = x & 0x7fffffffu;
  if (absx >= 0x7f800000u) {  // inf or nan
    return static_cast<uint16_t>(sign | 0x7c00u | (absx > 0x7f800000u ? 0x200u : 0));
  }
  if (absx >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // overflow -> inf
  if (absx < 0x38800000u) {  // result is subnormal or zero
    if (absx < 0x33000000u) return static_cast<uint16_t>(sign);
    uint32_t mant = (absx & 0x7fffffu) | 0x800000u;
    int shift = 113 - static_cast<int>(absx >> 23) + 13;  // to 10-bit subnormal mantissa
    uint32_t half = mant >> shift;
    uint32_t rem = mant & ((1u << shift) - 1);
    uint32_t mid = 1u << (shift - 1);
    if (rem > mid || (rem == mid && (half & 1))) ++half;
    return static_cast<uint16_t>(sign | half);
  }
  uint32_t e = (absx >> 23) - 127 + 15;
  uint32_t mant = absx & 0x7fffffu;
  uint32_t half = (e << 10) | (mant >> 13);
  uint32_t rem = mant & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (half & 1))) ++half;  // may carry into exponent
  return static_cast<uint16_t>(sign | half);
}

float BFloat16ToFloat(uint16_t b) {
  uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t FloatToBFloat16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((x >> 16) | 0x40u);  // nan
  uint32_t rounding = 0x7fffu + ((x >> 16) & 1u);
  return static_cast<uint16_t>((x + rounding) >> 16);
}

StatusOr<SafeTensorsFile> SafeTensorsFile::Open(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open safetensors file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError("error reading " + path);
  return Parse(std::move(ss).str(), path);
}

StatusOr<SafeTensorsFile> SafeTensorsFile::Parse(std::string bytes, const std::string& name) {
  auto corrupt = [&](const std::string& why) {
    return Status::Corruption("safetensors file " + name + ": " + why);
  };
  if (bytes.size() < 8) {
    return corrupt("truncated (" + std::to_string(bytes.size()) +
                   " bytes; the 8-byte header length is missing)");
  }
  uint64_t header_len = 0;
  for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | static_cast<uint8_t>(bytes[i]);
  if (header_len > kMaxHeaderBytes || header_len > bytes.size() - 8) {
    return corrupt("header length " + std::to_string(header_len) + " exceeds the file size " +
                   std::to_string(bytes.size()) + " (truncated or not a safetensors file)");
  }
  nlohmann::json header =
      nlohmann::json::parse(bytes.begin() + 8, bytes.begin() + 8 + static_cast<long>(header_len),
                            nullptr, /*allow_exceptions=*/false);
  if (header.is_discarded() || !header.is_object()) return corrupt("header is not a JSON object");

  SafeTensorsFile file;
  file.path_ = name;
  file.data_offset_ = 8 + header_len;
  const uint64_t data_size = bytes.size() - file.data_offset_;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == "__metadata__") continue;
    const auto& v = it.value();
    const std::string where = "tensor '" + it.key() + "'";
    if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") ||
        !v.contains("data_offsets") || !v["dtype"].is_string() || !v["shape"].is_array() ||
        !v["data_offsets"].is_array() || v["data_offsets"].size() != 2) {
      return corrupt(where + " needs dtype, shape and data_offsets [begin, end]");
    }
    TensorInfo info;
    info.dtype_name = v["dtype"].get<std::string>();
    info.dtype = ParseDType(info.dtype_name);
    size_t elem =
        info.dtype == DType::kOther ? OtherDTypeSize(info.dtype_name) : DTypeSize(info.dtype);
    if (elem == 0) return corrupt(where + " has unknown dtype " + info.dtype_name);
    uint64_t numel = 1;
    for (const auto& d : v["shape"]) {
      if (!d.is_number_unsigned() && !(d.is_number_integer() && d.get<int64_t>() >= 0)) {
        return corrupt(where + " has a negative or non-integer dimension");
      }
      uint64_t dim = d.get<uint64_t>();
      if (dim != 0 && numel > std::numeric_limits<uint64_t>::max() / 16 / dim) {
        return corrupt(where + " shape is too large");
      }
      numel *= dim;
      info.shape.push_back(static_cast<int64_t>(dim));
    }
    const auto& off = v["data_offsets"];
    if (!off[0].is_number_unsigned() || !off[1].is_number_unsigned()) {
      return corrupt(where + " has non-integer data_offsets");
    }
    info.begin = off[0].get<uint64_t>();
    info.end = off[1].get<uint64_t>();
    if (info.end < info.begin) return corrupt(where + " has data_offsets end < begin");
    if (info.end > data_size) {
      return corrupt(where + " data ends at byte " + std::to_string(info.end) +
                     " but the data area has only " + std::to_string(data_size) +
                     " bytes (truncated file?)");
    }
    if (info.end - info.begin != numel * elem) {
      return corrupt(where + " has " + std::to_string(info.end - info.begin) + " bytes but shape " +
                     ShapeString(info.shape) + " of " + info.dtype_name + " needs " +
                     std::to_string(numel * elem));
    }
    file.tensors_.emplace(it.key(), std::move(info));
  }
  file.bytes_ = std::move(bytes);
  return file;
}

bool SafeTensorsFile::Has(std::string_view name) const { return tensors_.count(name) > 0; }

const TensorInfo* SafeTensorsFile::Find(std::string_view name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

StatusOr<std::vector<float>> SafeTensorsFile::ToFloat(
    std::string_view name, const std::vector<int64_t>& expected_shape) const {
  const TensorInfo* info = Find(name);
  if (info == nullptr) {
    return Status::NotFound(path_ + ": tensor '" + std::string(name) + "' is missing");
  }
  if (!expected_shape.empty() && info->shape != expected_shape) {
    return Status::InvalidArgument(path_ + ": tensor '" + std::string(name) + "' has shape " +
                                   ShapeString(info->shape) + ", config.json implies " +
                                   ShapeString(expected_shape));
  }
  if (info->dtype == DType::kOther) {
    return Status::InvalidArgument(path_ + ": tensor '" + std::string(name) + "' has dtype " +
                                   info->dtype_name + "; only F32, F16 and BF16 are supported");
  }
  const char* src = bytes_.data() + data_offset_ + info->begin;
  std::vector<float> out(static_cast<size_t>(info->numel()));
  switch (info->dtype) {
    case DType::kF32:
      std::memcpy(out.data(), src, out.size() * 4);
      break;
    case DType::kF16:
      for (size_t i = 0; i < out.size(); ++i) {
        uint16_t h;
        std::memcpy(&h, src + 2 * i, 2);
        out[i] = HalfToFloat(h);
      }
      break;
    case DType::kBF16:
      for (size_t i = 0; i < out.size(); ++i) {
        uint16_t h;
        std::memcpy(&h, src + 2 * i, 2);
        out[i] = BFloat16ToFloat(h);
      }
      break;
    case DType::kOther:
      break;
  }
  return out;
}

void SafeTensorsWriter::Add(const std::string& name, const std::vector<int64_t>& shape,
                            const std::vector<float>& values, DType dtype) {
  Entry e{name, dtype, shape, {}};
  if (dtype == DType::kF32) {
    e.data.resize(values.size() * 4);
    std::memcpy(e.data.data(), values.data(), e.data.size());
  } else {
    e.data.resize(values.size() * 2);
    for (size_t i = 0; i < values.size(); ++i) {
      uint16_t h = dtype == DType::kF16 ? FloatToHalf(values[i]) : FloatToBFloat16(values[i]);
      std::memcpy(e.data.data() + 2 * i, &h, 2);
    }
  }
  entries_.push_back(std::move(e));
}

std::string SafeTensorsWriter::Serialize() const {
  nlohmann::json header = nlohmann::json::object();
  uint64_t offset = 0;
  for (const auto& e : entries_) {
    header[e.name] = {{"dtype", std::string(DTypeName(e.dtype))},
                      {"shape", e.shape},
                      {"data_offsets", {offset, offset + e.data.size()}}};
    offset += e.data.size();
  }
  header["__metadata__"] = {{"format", "pt"}};
  std::string h = header.dump();
  while ((8 + h.size()) % 8 != 0) h.push_back(' ');  // keep the data area 8-byte aligned
  std::string out(8, '\0');
  uint64_t n = h.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  out += h;
  for (const auto& e : entries_) out += e.data;
  return out;
}

Status SafeTensorsWriter::WriteFile(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IOError("cannot write " + path);
  std::string bytes = Serialize();
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) return Status::IOError("error writing " + path);
  return Status::OK();
}

}  // namespace vsr::inference
