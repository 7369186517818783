// SPDX-License-Identifier: Apache-2.0

#include "bench_support.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <new>
#include <random>
#include <utility>

namespace vact_bench {
namespace {

float* AllocateAligned(std::size_t n) {
  constexpr std::size_t kAlignment = 64;
  // aligned_alloc wants the size to be a multiple of the alignment.
  const std::size_t bytes =
      (std::max<std::size_t>(n, 1) * sizeof(float) + kAlignment - 1) /
      kAlignment * kAlignment;
  void* p = std::aligned_alloc(kAlignment, bytes);
  if (p == nullptr) throw std::bad_alloc();
  return static_cast<float*>(p);
}

}  // namespace

AlignedFloats::AlignedFloats(std::size_t n) : data_(AllocateAligned(n)) {}

void AlignedFloats::Free::operator()(float* p) const { std::free(p); }

const float* UniformInput(std::size_t n) {
  static std::map<std::size_t, AlignedFloats> cache;
  auto it = cache.find(n);
  if (it == cache.end()) {
    AlignedFloats input(n);
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> uniform(-10.0f, 10.0f);
    for (std::size_t i = 0; i < n; ++i) input.data()[i] = uniform(rng);
    it = cache.emplace(n, std::move(input)).first;
  }
  return it->second.data();
}

}  // namespace vact_bench
