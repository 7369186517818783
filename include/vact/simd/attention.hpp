// SPDX-License-Identifier: Apache-2.0
//
// The logits of attention rows (vact_softmax_ex_f32): the stored scores
// scaled, capped and masked, each step one f32 rounding, in this order:
//   v = x * scale;
//   v = cap * tanh(v / cap)       (Softcap: Gemma-2's logit soft-capping);
//   v = v + mask * mask_scale     (Mask: additive, -inf hides a key; the
//                                  mask scale is an ALiBi slope).
// Without a cap, scaled_masked_logits is a Logits policy of the row
// kernels (softmax.hpp): its two or three operations are redone in each
// pass over the row, which then reads x as the plain softmax does (a pass
// that stored the logits first cost 40% at 1024x4096: its memory traffic no
// longer overlapped the exponentials). With a cap, whose tanh would be
// computed in every pass, attention_logits_of writes the logits into the
// output rows and the plain row kernels run there in place. Either way a
// fused call's bits are those of the plain softmax of these logits.
#ifndef VACT_SIMD_ATTENTION_HPP
#define VACT_SIMD_ATTENTION_HPP

#include "vact/simd/activations/tanh.hpp"
#include "vact/simd/array.hpp"
#include "vact/simd/fast/activations.hpp"

namespace vact {
namespace simd {
inline namespace VACT_SIMD_TARGET {
namespace rows {

// tanh of each tier, for the soft cap.
struct precise_tanh {
  template <class V>
  static VACT_INLINE V apply(V v) {
    return simd::tanh(v);
  }
};
struct fast_tanh {
  template <class V>
  static VACT_INLINE V apply(V v) {
    return fast::tanh(v);
  }
};

// The scalars of attention rows' logits.
struct attention_parameters {
  float scale = 1.0f;
  float cap = 0.0f;  // read only where Softcap
  float mask_scale = 1.0f;
  const float* mask = nullptr;  // row 0's; read only where Mask
  std::size_t mask_stride = 0;  // 0: every row reads the same mask row
};

// One vector of logits from scores x and the mask's values there.
template <class Tanh, bool Softcap, bool Mask>
struct attention_logits {
  float scale, cap, mask_scale;
  template <class V>
  VACT_INLINE V operator()(V x, V mask) const {
    V v = x * V(scale);
    if constexpr (Softcap) {
      const V cap_v(cap);
      v = cap_v * Tanh::apply(vec::div(v, cap_v));
    }
    if constexpr (Mask) v = v + mask * V(mask_scale);
    return v;
  }
};

// The Logits policy of uncapped attention rows: x * scale (+ mask *
// mask_scale), recomputed in each pass.
template <bool Mask>
struct scaled_masked_logits {
  static constexpr bool reads_mask = Mask;
  float scale;
  float mask_scale;
  const float* mask;
  std::size_t mask_stride;

  explicit scaled_masked_logits(const attention_parameters& p)
      : scale(p.scale),
        mask_scale(p.mask_scale),
        mask(p.mask),
        mask_stride(p.mask_stride) {}
  scaled_masked_logits row(std::size_t r) const {
    scaled_masked_logits at = *this;
    if (Mask) at.mask += r * mask_stride;
    return at;
  }
  template <class V>
  VACT_INLINE V operator()(V x, V mask_values) const {
    const attention_logits<precise_tanh, false, Mask> logits{scale, 0.0f,
                                                             mask_scale};
    return logits(x, mask_values);
  }
};

// y[r][j] = the logit of x[r][j] for `rows` rows of `cols` (y == x is fine).
template <class V, class Tanh, bool Softcap, bool Mask>
void attention_logits_of(const float* x, std::size_t x_stride, float* y,
                         std::size_t y_stride, std::size_t rows,
                         std::size_t cols, const attention_parameters& p) {
  const attention_logits<Tanh, Softcap, Mask> logits{p.scale, p.cap,
                                                     p.mask_scale};
  for (std::size_t r = 0; r < rows; ++r) {
    const float* in = x + r * x_stride;
    float* out = y + r * y_stride;
    if constexpr (Mask)
      transform2<V>(in, p.mask + r * p.mask_stride, out, cols, logits);
    else
      transform<V>(in, out, cols, [&logits](V v) { return logits(v, v); });
  }
}

}  // namespace rows
}  // namespace VACT_SIMD_TARGET
}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_ATTENTION_HPP
