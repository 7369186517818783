// SPDX-License-Identifier: Apache-2.0
//
// Stack blocks for the kernels that run block by block (the engine calls,
// the 16-bit storage types), placed away from the arrays they stream.
//
// Why: a load whose address matches an earlier, still pending store in its
// low 12 bits waits for it ("4K aliasing": the CPU compares those bits
// first). A block at a fixed stack address and arrays that advance with it
// keep their distances modulo 4 KiB for the whole call; when one is small,
// nearly every load waits. So the block goes where it is farthest, modulo
// 4 KiB, from every array the loop streams. Measured on Zen 5 (avx512, fast
// SwiGLU on 4M floats, one stack block): 1.5 to 3.5 ms depending on the
// arrays' addresses with the block at a fixed place.
#ifndef VACT_SRC_STAGGERED_BLOCK_HPP
#define VACT_SRC_STAGGERED_BLOCK_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>

namespace vact {
namespace detail {

// Room for one block of Floats floats (a multiple of 16) at any 64-byte
// aligned offset within a 4 KiB page.
template <std::size_t Floats>
class staggered_block {
 public:
  // The block: 64-byte aligned, at the page offset farthest from those of
  // `arrays` (null entries are skipped).
  float* away_from(std::initializer_list<const void*> arrays) {
    std::size_t best = 0, best_distance = 0;
    for (std::size_t offset = 0; offset < 4096; offset += 64) {
      std::size_t distance = 4096;
      for (const void* array : arrays) {
        if (array == nullptr) continue;
        const std::size_t page_offset =
            reinterpret_cast<std::uintptr_t>(array) % 4096;
        const std::size_t d = (offset + 4096 - page_offset) % 4096;
        distance = std::min(distance, std::min(d, 4096 - d));
      }
      if (distance > best_distance) best = offset, best_distance = distance;
    }
    return area_ + best / sizeof(float);
  }

 private:
  static constexpr std::size_t page_floats = 4096 / sizeof(float);
  alignas(4096) float area_[Floats + page_floats];
};

}  // namespace detail
}  // namespace vact

#endif  // VACT_SRC_STAGGERED_BLOCK_HPP
