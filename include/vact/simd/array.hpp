// SPDX-License-Identifier: Apache-2.0
//
// The array driver: applies a vector function to x[0, n) into y[0, n).
#ifndef VACT_SIMD_ARRAY_HPP
#define VACT_SIMD_ARRAY_HPP

#include "vact/simd/vec.hpp"

namespace vact {
namespace simd {

// y[i] = f(x[i]) for i < n, with f taking and returning a V. Four vectors
// per iteration keep the FMA pipes busy; the last n mod W elements go
// through a stack buffer, so nothing outside [x, x+n) and [y, y+n) is ever
// read or written. Each vector is loaded before its result is stored, so
// y == x (in place) is fine; a result depends only on its own input.
template <class V, class F>
void transform(const float* x, float* y, std::size_t n, F f) {
  constexpr std::size_t width = vec_traits<V>::width;
  std::size_t i = 0;
  for (; i + 4 * width <= n; i += 4 * width) {
    const V a = f(vec::load<V>(x + i));
    const V b = f(vec::load<V>(x + i + width));
    const V c = f(vec::load<V>(x + i + 2 * width));
    const V d = f(vec::load<V>(x + i + 3 * width));
    vec::store(y + i, a);
    vec::store(y + i + width, b);
    vec::store(y + i + 2 * width, c);
    vec::store(y + i + 3 * width, d);
  }
  for (; i + width <= n; i += width) {
    vec::store(y + i, f(vec::load<V>(x + i)));
  }
  if (i < n) {
    const std::size_t rest = n - i;
    float buffer[width] = {};
    for (std::size_t j = 0; j < rest; ++j) buffer[j] = x[i + j];
    vec::store(buffer, f(vec::load<V>(buffer)));
    for (std::size_t j = 0; j < rest; ++j) y[i + j] = buffer[j];
  }
}

}  // namespace simd
}  // namespace vact

#endif  // VACT_SIMD_ARRAY_HPP
