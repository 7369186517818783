// SPDX-License-Identifier: Apache-2.0
//
// vact::bf16 and vact::f16: 16-bit floating-point values in memory, for the
// C++ API's 16-bit overloads and vact/simd/'s load and store helpers. Each
// is its bits and nothing else (2 bytes, trivially copyable, so an array of
// them is an array of uint16_t to the C API). Conversions are explicit and
// go through the library's (vact_convert_*: round to nearest even,
// subnormals kept, NaNs quieted with sign and top payload bits), so one
// value converts to the same bits as an array of them.
#ifndef VACT_HALF_HPP
#define VACT_HALF_HPP

#include <cstdint>
#include <type_traits>

#include "vact/vact.h"

namespace vact {

// bfloat16: 1 sign, 8 exponent and 7 fraction bits (f32's top half).
struct bf16 {
  std::uint16_t bits;

  bf16() = default;
  explicit bf16(float x) { vact_convert_f32_to_bf16(&x, &bits, 1); }
  explicit operator float() const {
    float x;
    vact_convert_bf16_to_f32(&bits, &x, 1);
    return x;
  }
  static constexpr bf16 from_bits(std::uint16_t b) {
    bf16 v{};
    v.bits = b;
    return v;
  }
};

// IEEE binary16: 1 sign, 5 exponent and 10 fraction bits.
struct f16 {
  std::uint16_t bits;

  f16() = default;
  explicit f16(float x) { vact_convert_f32_to_f16(&x, &bits, 1); }
  explicit operator float() const {
    float x;
    vact_convert_f16_to_f32(&bits, &x, 1);
    return x;
  }
  static constexpr f16 from_bits(std::uint16_t b) {
    f16 v{};
    v.bits = b;
    return v;
  }
};

static_assert(sizeof(bf16) == 2 && std::is_trivially_copyable<bf16>::value &&
                  std::is_standard_layout<bf16>::value,
              "bf16 is its 16 bits");
static_assert(sizeof(f16) == 2 && std::is_trivially_copyable<f16>::value &&
                  std::is_standard_layout<f16>::value,
              "f16 is its 16 bits");

}  // namespace vact

#endif  // VACT_HALF_HPP
