// SPDX-License-Identifier: Apache-2.0
//
// vact_cost_model: the measurements behind docs/performance.md's cost model. It
// times this CPU's vector instructions (throughput of FMA, add, multiply,
// divide, ... alone and FMAs paired with each; latency of FMA, add,
// multiply, max and divide), every element-wise vact op (values) on avx2
// and avx512 at n = 16384, softmax at 1024 x 1000, and memcpy of the same
// sizes as the memory reference. bench/cost_model.py counts the
// instructions of each kernel's loop and turns both into the table (its
// docstring says how).
//
// Output: one JSON object per line on stdout, with "kind" one of
//   clock       the TSC rate against steady_clock, and the core clock
//               measured with a chain of dependent integer adds;
//   throughput  independent instructions per TSC cycle ("classes" names the
//               instruction classes of a mixed loop, half of each);
//   latency     TSC cycles per instruction of a dependency chain;
//   op          a vact kernel, TSC cycles per element (minimum and median),
//               "tier" precise or fast (ops with a fast kernel of their own);
//   memcpy      std::memcpy of n floats, TSC cycles per element.
// All cycles are reference cycles at the TSC rate (__rdtsc), not core
// cycles: with a core clock above or below the TSC rate, a 2-per-core-cycle
// instruction reads as more or fewer per TSC cycle. Instruction rates and
// kernel times are in the same unit, so their ratios stand either way.
//
// x86-64 only (it reads the TSC and runs x86 instructions): elsewhere it
// says so and exits with status 0. Usage: vact_cost_model [--reps N].

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "bench_support.h"
#include "op_constants.h"
#include "vact/vact.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <x86intrin.h>
#define VACT_COST_MODEL_X86 1
#else
#define VACT_COST_MODEL_X86 0
#endif

#if VACT_COST_MODEL_X86
namespace {

// The loops below are inline assembly rather than intrinsics so that each
// runs exactly the instruction it names, and so that this file needs no
// -mavx2 / -mavx512f: the assembler takes any instruction, the compiler
// emits none of its own, and main() runs a loop only on a CPU that has its
// instructions.

std::uint64_t Tsc() { return __rdtsc(); }

// Twelve independent destinations per iteration, 0..11; 12 and 13 hold the
// operands (14 the blend mask): enough in flight to cover a 4-cycle
// latency on 3 pipes, more than any current x86 core has for one class.
#define VACT_ALL12(OP) \
  OP(0) OP(1) OP(2) OP(3) OP(4) OP(5) OP(6) OP(7) OP(8) OP(9) OP(10) OP(11)
#define VACT_FIRST6(OP) OP(0) OP(1) OP(2) OP(3) OP(4) OP(5)
// A pair: ten of class A into 0..9 (for FMAs, ten chains, enough to cover
// a 4-cycle latency at 2 per cycle) interleaved with ten of class B, which
// only writes its destination and so can alternate between 10 and 11.
// Twenty per iteration: 4 per cycle if each class has 2 pipes of its own,
// 2 if they share them.
// clang-format off
#define VACT_PAIR10(A, B)                                       \
  A(0) B(10) A(1) B(11) A(2) B(10) A(3) B(11) A(4) B(10)        \
  A(5) B(11) A(6) B(10) A(7) B(11) A(8) B(10) A(9) B(11)
// clang-format on

// One instruction writing vector register i. The FMA reads its destination
// (that is the instruction); every other one writes it without reading it,
// so there is no dependency chain at all.
#define VACT_Y_FMA(i) "vfmadd231ps %%ymm12, %%ymm13, %%ymm" #i "\n\t"
#define VACT_Y_ADD(i) "vaddps %%ymm12, %%ymm13, %%ymm" #i "\n\t"
#define VACT_Y_MUL(i) "vmulps %%ymm12, %%ymm13, %%ymm" #i "\n\t"
#define VACT_Y_MIN(i) "vminps %%ymm12, %%ymm13, %%ymm" #i "\n\t"
#define VACT_Y_CMP(i) "vcmpltps %%ymm12, %%ymm13, %%ymm" #i "\n\t"
#define VACT_Y_AND(i) "vandps %%ymm12, %%ymm13, %%ymm" #i "\n\t"
#define VACT_Y_PADDD(i) "vpaddd %%ymm12, %%ymm13, %%ymm" #i "\n\t"
#define VACT_Y_PSLLD(i) "vpslld $23, %%ymm13, %%ymm" #i "\n\t"
#define VACT_Y_BLENDV(i) "vblendvps %%ymm14, %%ymm12, %%ymm13, %%ymm" #i "\n\t"
#define VACT_Y_DIV(i) "vdivps %%ymm12, %%ymm13, %%ymm" #i "\n\t"
#define VACT_Y_SQRT(i) "vsqrtps %%ymm13, %%ymm" #i "\n\t"
#define VACT_Y_INIT                        \
  "vbroadcastss (%1), %%ymm12\n\t"         \
  "vbroadcastss 4(%1), %%ymm13\n\t"        \
  "vcmpltps %%ymm12, %%ymm13, %%ymm14\n\t" \
  "vbroadcastss 8(%1), %%ymm15\n\t" VACT_ALL12(VACT_Y_COPY)
#define VACT_Y_COPY(i) "vmovaps %%ymm12, %%ymm" #i "\n\t"

#define VACT_Z_FMA(i) "vfmadd231ps %%zmm12, %%zmm13, %%zmm" #i "\n\t"
#define VACT_Z_ADD(i) "vaddps %%zmm12, %%zmm13, %%zmm" #i "\n\t"
#define VACT_Z_MUL(i) "vmulps %%zmm12, %%zmm13, %%zmm" #i "\n\t"
#define VACT_Z_MIN(i) "vminps %%zmm12, %%zmm13, %%zmm" #i "\n\t"
#define VACT_Z_AND(i) "vandps %%zmm12, %%zmm13, %%zmm" #i "\n\t"
#define VACT_Z_PADDD(i) "vpaddd %%zmm12, %%zmm13, %%zmm" #i "\n\t"
#define VACT_Z_PSLLD(i) "vpslld $23, %%zmm13, %%zmm" #i "\n\t"
#define VACT_Z_BLENDM(i) "vblendmps %%zmm12, %%zmm13, %%zmm" #i "%{%%k1%}\n\t"
#define VACT_Z_DIV(i) "vdivps %%zmm12, %%zmm13, %%zmm" #i "\n\t"
#define VACT_Z_SQRT(i) "vsqrtps %%zmm13, %%zmm" #i "\n\t"
// Compares write mask registers: k2..k7, two rounds of six.
#define VACT_Z_CMP6                                                        \
  "vcmpltps %%zmm12, %%zmm13, %%k2\n\tvcmpltps %%zmm12, %%zmm13, %%k3\n\t" \
  "vcmpltps %%zmm12, %%zmm13, %%k4\n\tvcmpltps %%zmm12, %%zmm13, %%k5\n\t" \
  "vcmpltps %%zmm12, %%zmm13, %%k6\n\tvcmpltps %%zmm12, %%zmm13, %%k7\n\t"
#define VACT_Z_CMPK(i) "vcmpltps %%zmm12, %%zmm13, %%k" VACT_KREG_##i "\n\t"
#define VACT_KREG_10 "2"
#define VACT_KREG_11 "3"
#define VACT_Z_INIT                     \
  "vbroadcastss (%1), %%zmm12\n\t"      \
  "vbroadcastss 4(%1), %%zmm13\n\t"     \
  "vcmpltps %%zmm12, %%zmm13, %%k1\n\t" \
  "vbroadcastss 8(%1), %%zmm15\n\t" VACT_ALL12(VACT_Z_COPY)
#define VACT_Z_COPY(i) "vmovaps %%zmm12, %%zmm" #i "\n\t"

// Operands: normal floats whose quotients and square roots take the
// divider's general path (no 1.0 or powers of two that a divider could
// short-cut); 1.0 (register 15) keeps a chain of multiplications from
// overflowing or underflowing.
constexpr float kOperands[3] = {1.2345678f, 0.8765432f, 1.0f};

// Defines `std::uint64_t name(std::uint64_t iterations)`: TSC cycles of
// `iterations` rounds of `body` after `init`. Clobbering xmm0..15 covers
// the whole ymm/zmm registers; the mask registers the 512-bit loops write
// cannot be named at this file's baseline target, where the compiler never
// uses them either.
#define VACT_DEFINE_LOOP(name, init, body)                                     \
  std::uint64_t name(std::uint64_t iterations) {                               \
    const std::uint64_t start = Tsc();                                         \
    __asm__ volatile(init "1:\n\t" body                                        \
                          "dec %0\n\t"                                         \
                          "jnz 1b\n\t"                                         \
                          "vzeroupper\n\t"                                     \
                     : "+r"(iterations)                                        \
                     : "r"(kOperands)                                          \
                     : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", \
                       "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",      \
                       "xmm13", "xmm14", "xmm15", "cc", "memory");             \
    return Tsc() - start;                                                      \
  }

VACT_DEFINE_LOOP(YFma, VACT_Y_INIT, VACT_ALL12(VACT_Y_FMA))
VACT_DEFINE_LOOP(YAdd, VACT_Y_INIT, VACT_ALL12(VACT_Y_ADD))
VACT_DEFINE_LOOP(YMul, VACT_Y_INIT, VACT_ALL12(VACT_Y_MUL))
VACT_DEFINE_LOOP(YMin, VACT_Y_INIT, VACT_ALL12(VACT_Y_MIN))
VACT_DEFINE_LOOP(YCmp, VACT_Y_INIT, VACT_ALL12(VACT_Y_CMP))
VACT_DEFINE_LOOP(YAnd, VACT_Y_INIT, VACT_ALL12(VACT_Y_AND))
VACT_DEFINE_LOOP(YPaddd, VACT_Y_INIT, VACT_ALL12(VACT_Y_PADDD))
VACT_DEFINE_LOOP(YPslld, VACT_Y_INIT, VACT_ALL12(VACT_Y_PSLLD))
VACT_DEFINE_LOOP(YBlendv, VACT_Y_INIT, VACT_ALL12(VACT_Y_BLENDV))
VACT_DEFINE_LOOP(YDiv, VACT_Y_INIT, VACT_ALL12(VACT_Y_DIV))
VACT_DEFINE_LOOP(YSqrt, VACT_Y_INIT, VACT_ALL12(VACT_Y_SQRT))
// Pairs (see VACT_PAIR10): whether FMAs and another class share pipes.
VACT_DEFINE_LOOP(YFmaAdd, VACT_Y_INIT, VACT_PAIR10(VACT_Y_FMA, VACT_Y_ADD))
VACT_DEFINE_LOOP(YFmaMul, VACT_Y_INIT, VACT_PAIR10(VACT_Y_FMA, VACT_Y_MUL))
VACT_DEFINE_LOOP(YFmaMin, VACT_Y_INIT, VACT_PAIR10(VACT_Y_FMA, VACT_Y_MIN))
VACT_DEFINE_LOOP(YFmaCmp, VACT_Y_INIT, VACT_PAIR10(VACT_Y_FMA, VACT_Y_CMP))
VACT_DEFINE_LOOP(YFmaAnd, VACT_Y_INIT, VACT_PAIR10(VACT_Y_FMA, VACT_Y_AND))
VACT_DEFINE_LOOP(YFmaPaddd, VACT_Y_INIT, VACT_PAIR10(VACT_Y_FMA, VACT_Y_PADDD))
VACT_DEFINE_LOOP(YFmaPslld, VACT_Y_INIT, VACT_PAIR10(VACT_Y_FMA, VACT_Y_PSLLD))
VACT_DEFINE_LOOP(YFmaBlendv, VACT_Y_INIT,
                 VACT_PAIR10(VACT_Y_FMA, VACT_Y_BLENDV))
VACT_DEFINE_LOOP(YFmaDiv, VACT_Y_INIT, VACT_PAIR10(VACT_Y_FMA, VACT_Y_DIV))
// And whether adds and another class share pipes.
VACT_DEFINE_LOOP(YAddMin, VACT_Y_INIT, VACT_PAIR10(VACT_Y_ADD, VACT_Y_MIN))
VACT_DEFINE_LOOP(YAddCmp, VACT_Y_INIT, VACT_PAIR10(VACT_Y_ADD, VACT_Y_CMP))
VACT_DEFINE_LOOP(YAddPslld, VACT_Y_INIT, VACT_PAIR10(VACT_Y_ADD, VACT_Y_PSLLD))

VACT_DEFINE_LOOP(ZFma, VACT_Z_INIT, VACT_ALL12(VACT_Z_FMA))
VACT_DEFINE_LOOP(ZAdd, VACT_Z_INIT, VACT_ALL12(VACT_Z_ADD))
VACT_DEFINE_LOOP(ZMul, VACT_Z_INIT, VACT_ALL12(VACT_Z_MUL))
VACT_DEFINE_LOOP(ZMin, VACT_Z_INIT, VACT_ALL12(VACT_Z_MIN))
VACT_DEFINE_LOOP(ZCmp, VACT_Z_INIT, VACT_Z_CMP6 VACT_Z_CMP6)
VACT_DEFINE_LOOP(ZAnd, VACT_Z_INIT, VACT_ALL12(VACT_Z_AND))
VACT_DEFINE_LOOP(ZPaddd, VACT_Z_INIT, VACT_ALL12(VACT_Z_PADDD))
VACT_DEFINE_LOOP(ZPslld, VACT_Z_INIT, VACT_ALL12(VACT_Z_PSLLD))
VACT_DEFINE_LOOP(ZBlendm, VACT_Z_INIT, VACT_ALL12(VACT_Z_BLENDM))
VACT_DEFINE_LOOP(ZDiv, VACT_Z_INIT, VACT_ALL12(VACT_Z_DIV))
VACT_DEFINE_LOOP(ZSqrt, VACT_Z_INIT, VACT_ALL12(VACT_Z_SQRT))
VACT_DEFINE_LOOP(ZFmaAdd, VACT_Z_INIT, VACT_PAIR10(VACT_Z_FMA, VACT_Z_ADD))
VACT_DEFINE_LOOP(ZFmaMul, VACT_Z_INIT, VACT_PAIR10(VACT_Z_FMA, VACT_Z_MUL))
VACT_DEFINE_LOOP(ZFmaMin, VACT_Z_INIT, VACT_PAIR10(VACT_Z_FMA, VACT_Z_MIN))
VACT_DEFINE_LOOP(ZFmaCmp, VACT_Z_INIT, VACT_PAIR10(VACT_Z_FMA, VACT_Z_CMPK))
VACT_DEFINE_LOOP(ZFmaAnd, VACT_Z_INIT, VACT_PAIR10(VACT_Z_FMA, VACT_Z_AND))
VACT_DEFINE_LOOP(ZFmaPaddd, VACT_Z_INIT, VACT_PAIR10(VACT_Z_FMA, VACT_Z_PADDD))
VACT_DEFINE_LOOP(ZFmaPslld, VACT_Z_INIT, VACT_PAIR10(VACT_Z_FMA, VACT_Z_PSLLD))
VACT_DEFINE_LOOP(ZFmaBlendm, VACT_Z_INIT,
                 VACT_PAIR10(VACT_Z_FMA, VACT_Z_BLENDM))
VACT_DEFINE_LOOP(ZFmaDiv, VACT_Z_INIT, VACT_PAIR10(VACT_Z_FMA, VACT_Z_DIV))
VACT_DEFINE_LOOP(ZAddMin, VACT_Z_INIT, VACT_PAIR10(VACT_Z_ADD, VACT_Z_MIN))
VACT_DEFINE_LOOP(ZAddCmp, VACT_Z_INIT, VACT_PAIR10(VACT_Z_ADD, VACT_Z_CMPK))
VACT_DEFINE_LOOP(ZAddPslld, VACT_Z_INIT, VACT_PAIR10(VACT_Z_ADD, VACT_Z_PSLLD))

// Latency: twelve instructions in one dependency chain through register 0.
#define VACT_Y_CHAIN_FMA(i) "vfmadd231ps %%ymm12, %%ymm13, %%ymm0\n\t"
#define VACT_Y_CHAIN_ADD(i) "vaddps %%ymm12, %%ymm0, %%ymm0\n\t"
#define VACT_Y_CHAIN_MUL(i) "vmulps %%ymm15, %%ymm0, %%ymm0\n\t"
#define VACT_Y_CHAIN_MAX(i) "vmaxps %%ymm12, %%ymm0, %%ymm0\n\t"
#define VACT_Z_CHAIN_FMA(i) "vfmadd231ps %%zmm12, %%zmm13, %%zmm0\n\t"
#define VACT_Z_CHAIN_ADD(i) "vaddps %%zmm12, %%zmm0, %%zmm0\n\t"
#define VACT_Z_CHAIN_MUL(i) "vmulps %%zmm15, %%zmm0, %%zmm0\n\t"
#define VACT_Z_CHAIN_MAX(i) "vmaxps %%zmm12, %%zmm0, %%zmm0\n\t"
// A division chain alternates with multiplications by the divisor, so that
// the value neither overflows nor underflows: 6 pairs per iteration.
#define VACT_Y_CHAIN_DIV_MUL(i)        \
  "vdivps %%ymm12, %%ymm0, %%ymm0\n\t" \
  "vmulps %%ymm12, %%ymm0, %%ymm0\n\t"
#define VACT_Z_CHAIN_DIV_MUL(i)        \
  "vdivps %%zmm12, %%zmm0, %%zmm0\n\t" \
  "vmulps %%zmm12, %%zmm0, %%zmm0\n\t"
VACT_DEFINE_LOOP(YFmaChain, VACT_Y_INIT, VACT_ALL12(VACT_Y_CHAIN_FMA))
VACT_DEFINE_LOOP(YAddChain, VACT_Y_INIT, VACT_ALL12(VACT_Y_CHAIN_ADD))
VACT_DEFINE_LOOP(YMulChain, VACT_Y_INIT, VACT_ALL12(VACT_Y_CHAIN_MUL))
VACT_DEFINE_LOOP(YMaxChain, VACT_Y_INIT, VACT_ALL12(VACT_Y_CHAIN_MAX))
VACT_DEFINE_LOOP(ZFmaChain, VACT_Z_INIT, VACT_ALL12(VACT_Z_CHAIN_FMA))
VACT_DEFINE_LOOP(ZAddChain, VACT_Z_INIT, VACT_ALL12(VACT_Z_CHAIN_ADD))
VACT_DEFINE_LOOP(ZMulChain, VACT_Z_INIT, VACT_ALL12(VACT_Z_CHAIN_MUL))
VACT_DEFINE_LOOP(ZMaxChain, VACT_Z_INIT, VACT_ALL12(VACT_Z_CHAIN_MAX))
VACT_DEFINE_LOOP(YDivMulChain, VACT_Y_INIT, VACT_FIRST6(VACT_Y_CHAIN_DIV_MUL))
VACT_DEFINE_LOOP(ZDivMulChain, VACT_Z_INIT, VACT_FIRST6(VACT_Z_CHAIN_DIV_MUL))

// Twelve dependent 1-cycle integer adds per iteration: 12 core cycles per
// iteration on any out-of-order x86 core, so TSC cycles per iteration / 12
// is the TSC-to-core-clock ratio.
std::uint64_t DependentAdds(std::uint64_t iterations) {
  std::uint64_t value = 0;
  const std::uint64_t start = Tsc();
  __asm__ volatile(
      "1:\n\t"
      "add $1, %1\n\tadd $1, %1\n\tadd $1, %1\n\tadd $1, %1\n\t"
      "add $1, %1\n\tadd $1, %1\n\tadd $1, %1\n\tadd $1, %1\n\t"
      "add $1, %1\n\tadd $1, %1\n\tadd $1, %1\n\tadd $1, %1\n\t"
      "dec %0\n\t"
      "jnz 1b\n\t"
      : "+r"(iterations), "+r"(value)
      :
      : "cc");
  return Tsc() - start;
}

using LoopFn = std::uint64_t (*)(std::uint64_t);

struct ThroughputTest {
  const char* name;     // what the JSON line calls it
  const char* classes;  // instruction classes, "+" between a pair's two
  int bits;             // vector width
  int instructions;     // per iteration
  LoopFn run;
  double relative_cost;  // rough cycles per instruction, sizes the loop
};

constexpr ThroughputTest kThroughputTests[] = {
    {"vfmadd231ps", "fma", 256, 12, YFma, 0.5},
    {"vaddps", "add", 256, 12, YAdd, 0.5},
    {"vmulps", "mul", 256, 12, YMul, 0.5},
    {"vminps", "minmax", 256, 12, YMin, 0.5},
    {"vcmpltps", "cmp", 256, 12, YCmp, 0.5},
    {"vandps", "logic", 256, 12, YAnd, 0.5},
    {"vpaddd", "int", 256, 12, YPaddd, 0.5},
    {"vpslld", "shift", 256, 12, YPslld, 0.5},
    {"vblendvps", "blend", 256, 12, YBlendv, 0.5},
    {"vdivps", "div", 256, 12, YDiv, 5.0},
    {"vsqrtps", "sqrt", 256, 12, YSqrt, 5.0},
    {"vfmadd231ps+vaddps", "fma+add", 256, 20, YFmaAdd, 0.5},
    {"vfmadd231ps+vmulps", "fma+mul", 256, 20, YFmaMul, 0.5},
    {"vfmadd231ps+vminps", "fma+minmax", 256, 20, YFmaMin, 0.5},
    {"vfmadd231ps+vcmpltps", "fma+cmp", 256, 20, YFmaCmp, 0.5},
    {"vfmadd231ps+vandps", "fma+logic", 256, 20, YFmaAnd, 0.5},
    {"vfmadd231ps+vpaddd", "fma+int", 256, 20, YFmaPaddd, 0.5},
    {"vfmadd231ps+vpslld", "fma+shift", 256, 20, YFmaPslld, 0.5},
    {"vfmadd231ps+vblendvps", "fma+blend", 256, 20, YFmaBlendv, 0.5},
    {"vfmadd231ps+vdivps", "fma+div", 256, 20, YFmaDiv, 2.5},
    {"vaddps+vminps", "add+minmax", 256, 20, YAddMin, 0.5},
    {"vaddps+vcmpltps", "add+cmp", 256, 20, YAddCmp, 0.5},
    {"vaddps+vpslld", "add+shift", 256, 20, YAddPslld, 0.5},
    {"vfmadd231ps", "fma", 512, 12, ZFma, 0.5},
    {"vaddps", "add", 512, 12, ZAdd, 0.5},
    {"vmulps", "mul", 512, 12, ZMul, 0.5},
    {"vminps", "minmax", 512, 12, ZMin, 0.5},
    {"vcmpltps", "cmp", 512, 12, ZCmp, 0.5},
    {"vandps", "logic", 512, 12, ZAnd, 0.5},
    {"vpaddd", "int", 512, 12, ZPaddd, 0.5},
    {"vpslld", "shift", 512, 12, ZPslld, 0.5},
    {"vblendmps", "blend", 512, 12, ZBlendm, 0.5},
    {"vdivps", "div", 512, 12, ZDiv, 5.0},
    {"vsqrtps", "sqrt", 512, 12, ZSqrt, 5.0},
    {"vfmadd231ps+vaddps", "fma+add", 512, 20, ZFmaAdd, 0.5},
    {"vfmadd231ps+vmulps", "fma+mul", 512, 20, ZFmaMul, 0.5},
    {"vfmadd231ps+vminps", "fma+minmax", 512, 20, ZFmaMin, 0.5},
    {"vfmadd231ps+vcmpltps", "fma+cmp", 512, 20, ZFmaCmp, 0.5},
    {"vfmadd231ps+vandps", "fma+logic", 512, 20, ZFmaAnd, 0.5},
    {"vfmadd231ps+vpaddd", "fma+int", 512, 20, ZFmaPaddd, 0.5},
    {"vfmadd231ps+vpslld", "fma+shift", 512, 20, ZFmaPslld, 0.5},
    {"vfmadd231ps+vblendmps", "fma+blend", 512, 20, ZFmaBlendm, 0.5},
    {"vfmadd231ps+vdivps", "fma+div", 512, 20, ZFmaDiv, 2.5},
    {"vaddps+vminps", "add+minmax", 512, 20, ZAddMin, 0.5},
    {"vaddps+vcmpltps", "add+cmp", 512, 20, ZAddCmp, 0.5},
    {"vaddps+vpslld", "add+shift", 512, 20, ZAddPslld, 0.5},
};

// The latencies of the FP classes: for the loop-carried chains (softmax's
// row maximum and compensated sums) and the critical path of a loop's
// iteration. 12 per iteration, all dependent; "div+mul" is a pair (the
// script subtracts the multiplication).
struct LatencyTest {
  const char* name;
  const char* classes;
  int bits;
  LoopFn run;
  int chain_length = 12;  // instructions (pairs) per iteration
};

constexpr LatencyTest kLatencyTests[] = {
    {"vfmadd231ps", "fma", 256, YFmaChain},
    {"vaddps", "add", 256, YAddChain},
    {"vmulps", "mul", 256, YMulChain},
    {"vmaxps", "minmax", 256, YMaxChain},
    {"vfmadd231ps", "fma", 512, ZFmaChain},
    {"vaddps", "add", 512, ZAddChain},
    {"vmulps", "mul", 512, ZMulChain},
    {"vmaxps", "minmax", 512, ZMaxChain},
    {"vdivps+vmulps", "div+mul", 256, YDivMulChain, 6},
    {"vdivps+vmulps", "div+mul", 512, ZDivMulChain, 6},
};

// Minimum TSC cycles of `reps` runs of `run(iterations)`, after one
// warm-up run (which also brings the vector units out of any power-saving
// state).
std::uint64_t MinCycles(LoopFn run, std::uint64_t iterations, int reps) {
  run(iterations);
  std::uint64_t best = UINT64_MAX;
  for (int r = 0; r < reps; ++r) best = std::min(best, run(iterations));
  return best;
}

double TscPerSecond() {
  using Clock = std::chrono::steady_clock;
  const auto start_time = Clock::now();
  const std::uint64_t start = Tsc();
  // 200 ms: the two clocks' read-out jitter is far below 0.01% of that.
  while (Clock::now() - start_time < std::chrono::milliseconds(200)) {
  }
  const std::uint64_t cycles = Tsc() - start;
  const std::chrono::duration<double> seconds = Clock::now() - start_time;
  return static_cast<double>(cycles) / seconds.count();
}

void PrintClock(int reps) {
  const double tsc_hz = TscPerSecond();
  constexpr std::uint64_t kIterations = 1000000;
  const std::uint64_t cycles = MinCycles(DependentAdds, kIterations, reps);
  const double core_per_tsc =
      static_cast<double>(kIterations) * 12.0 / static_cast<double>(cycles);
  std::printf(
      "{\"kind\":\"clock\",\"tsc_ghz\":%.4f,\"core_ghz\":%.4f,"
      "\"core_cycles_per_tsc_cycle\":%.4f,\"note\":\"all cycles are "
      "reference cycles at the TSC rate (__rdtsc); core clock from 12 "
      "dependent integer adds per iteration\"}\n",
      tsc_hz * 1e-9, tsc_hz * core_per_tsc * 1e-9, core_per_tsc);
}

void PrintThroughput(int reps, bool has_avx512) {
  for (const ThroughputTest& test : kThroughputTests) {
    if (test.bits == 512 && !has_avx512) continue;
    // About 2 M cycles per run: long against the TSC reads and the loop
    // set-up, short against a timer interrupt.
    const auto iterations = static_cast<std::uint64_t>(
        2e6 / (test.relative_cost * test.instructions));
    const std::uint64_t cycles = MinCycles(test.run, iterations, reps);
    const double per_cycle = static_cast<double>(iterations) *
                             test.instructions / static_cast<double>(cycles);
    std::printf(
        "{\"kind\":\"throughput\",\"instruction\":\"%s\",\"classes\":\"%s\","
        "\"bits\":%d,\"per_tsc_cycle\":%.4f}\n",
        test.name, test.classes, test.bits, per_cycle);
  }
}

void PrintLatency(int reps, bool has_avx512) {
  for (const LatencyTest& test : kLatencyTests) {
    if (test.bits == 512 && !has_avx512) continue;
    // 12 links of at most ~20 cycles: about 2 M cycles per run.
    constexpr std::uint64_t kIterations = 2000000 / (20 * 12);
    const std::uint64_t cycles = MinCycles(test.run, kIterations, reps);
    std::printf(
        "{\"kind\":\"latency\",\"instruction\":\"%s\",\"classes\":\"%s\","
        "\"bits\":%d,\"tsc_cycles\":%.4f}\n",
        test.name, test.classes, test.bits,
        static_cast<double>(cycles) /
            (static_cast<double>(kIterations) * test.chain_length));
  }
}

// Minimum and median TSC cycles of `call` over `reps` timed calls, after
// warm-up calls that fault in and cache the buffers.
template <class Call>
std::pair<std::uint64_t, std::uint64_t> TimeCalls(Call call, int reps) {
  for (int r = 0; r < 5; ++r) call();
  std::vector<std::uint64_t> cycles(static_cast<std::size_t>(reps));
  for (std::uint64_t& c : cycles) {
    const std::uint64_t start = Tsc();
    call();
    c = Tsc() - start;
  }
  std::sort(cycles.begin(), cycles.end());
  return {cycles.front(), cycles[cycles.size() / 2]};
}

void PrintTiming(const char* kind, const std::string& fields,
                 std::pair<std::uint64_t, std::uint64_t> cycles,
                 std::size_t elements, int reps) {
  const auto n = static_cast<double>(elements);
  std::printf(
      "{\"kind\":\"%s\",%s,\"cycles_per_element\":%.4f,"
      "\"median_cycles_per_element\":%.4f,\"reps\":%d}\n",
      kind, fields.c_str(), static_cast<double>(cycles.first) / n,
      static_cast<double>(cycles.second) / n, reps);
}

void PrintMemcpy(const float* x, float* y, std::size_t n, int reps) {
  PrintTiming("memcpy", "\"n\":" + std::to_string(n),
              TimeCalls(
                  [&] {
                    std::memcpy(y, x, n * sizeof(float));
                    // Keeps the copy from being dropped as dead.
                    __asm__ volatile("" : : "r"(y) : "memory");
                  },
                  reps),
              n, reps);
}

// The benchmark's size in the L2 cache (64 KiB in, 64 KiB out): past the
// 32-48 KiB L1 of current cores, so stores and loads stream through L2.
constexpr std::size_t kElements = 16384;
constexpr std::size_t kSoftmaxRows = 1024;
constexpr std::size_t kSoftmaxCols = 1000;

int CheckStatus(vact_status status, const char* what) {
  if (status == VACT_OK) return 0;
  std::fprintf(stderr, "vact_cost_model: %s: %s\n", what,
               vact_status_string(status));
  return 1;
}

// Whether op's fast tier has a kernel of its own (the fast column of
// vact/ops.def): only those get a fast row.
constexpr bool kHasFastKernel[] = {
#define VACT_OP(id, name, NAME, params, range, order, value_ulp, \
                derivative_ulp, fast, ...)                       \
  VACT_COST_MODEL_OWN_##fast,
#define VACT_COST_MODEL_OWN_own true
#define VACT_COST_MODEL_OWN_precise false
#include "vact/ops.def"
#undef VACT_COST_MODEL_OWN_precise
#undef VACT_COST_MODEL_OWN_own
#undef VACT_OP
};

int PrintKernels(int reps) {
  const float* x = vact_bench::UniformInput(kElements);
  vact_bench::AlignedFloats y(kElements);

  PrintMemcpy(x, y.data(), kElements, reps);
  const std::size_t softmax_elements = kSoftmaxRows * kSoftmaxCols;
  const float* softmax_x = vact_bench::UniformInput(softmax_elements);
  vact_bench::AlignedFloats softmax_y(softmax_elements);
  // Softmax's reference: its rows (4 KB) stay in L1 between its three
  // passes, so what crosses the cache hierarchy is one read of x and one
  // write of y per element, as in memcpy of the same size.
  PrintMemcpy(softmax_x, softmax_y.data(), softmax_elements, reps);

  using SoftmaxFn =
      vact_status (*)(const float*, float*, std::size_t, std::size_t);
  // Each op in the precise tier, then in the fast tier where it has a
  // kernel of its own ("tier" says which; bench/cost_model.py models the
  // precise rows, scripts/cost_model_compare.py compares both).
  for (const vact_isa isa : {VACT_ISA_AVX2, VACT_ISA_AVX512}) {
    if (!vact_isa_supported(isa)) continue;
    if (CheckStatus(vact_set_isa(isa), "vact_set_isa") != 0) return 1;
    const std::string isa_field =
        std::string("\"isa\":\"") + vact_isa_name(isa) + "\"";
    for (const vact_accuracy tier :
         {VACT_ACCURACY_PRECISE, VACT_ACCURACY_FAST}) {
      const bool fast = tier == VACT_ACCURACY_FAST;
      const vact_params params = vact_bench::BenchParams(tier);
      const std::string tier_field =
          std::string(",\"tier\":\"") + (fast ? "fast" : "precise") + "\"";
      for (int i = 0; i < VACT_OP_COUNT; ++i) {
        if (fast && !kHasFastKernel[i]) continue;
        const auto op = static_cast<vact_op>(i);
        if (CheckStatus(vact_apply_f32(op, &params, x, y.data(), kElements),
                        vact_op_name(op)) != 0)
          return 1;
        const auto cycles = TimeCalls(
            [&] { vact_apply_f32(op, &params, x, y.data(), kElements); }, reps);
        PrintTiming("op",
                    std::string("\"op\":\"") + vact_op_name(op) +
                        "\",\"op_index\":" + std::to_string(i) + "," +
                        isa_field + tier_field +
                        ",\"n\":" + std::to_string(kElements),
                    cycles, kElements, reps);
      }
      const SoftmaxFn softmax = fast ? vact_softmax_fast_f32 : vact_softmax_f32;
      const auto cycles = TimeCalls(
          [&] {
            softmax(softmax_x, softmax_y.data(), kSoftmaxRows, kSoftmaxCols);
          },
          reps);
      PrintTiming("op",
                  "\"op\":\"softmax\"," + isa_field + tier_field +
                      ",\"rows\":" + std::to_string(kSoftmaxRows) +
                      ",\"cols\":" + std::to_string(kSoftmaxCols) +
                      ",\"n\":" + std::to_string(softmax_elements),
                  cycles, softmax_elements, reps);
    }
  }
  return 0;
}

}  // namespace
#endif  // VACT_COST_MODEL_X86

int main(int argc, char** argv) {
  int reps = 200;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
      reps = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr,
                   "usage: %s [--reps N]  (N timed runs per measurement, "
                   "minimum reported; default 200)\n",
                   argv[0]);
      return 2;
    }
  }
#if VACT_COST_MODEL_X86
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
    std::printf("vact_cost_model: needs AVX2 and FMA\n");
    return 0;
  }
  const bool has_avx512 = __builtin_cpu_supports("avx512f") != 0;
  PrintClock(reps);
  PrintThroughput(std::min(reps, 20), has_avx512);
  PrintLatency(std::min(reps, 20), has_avx512);
  return PrintKernels(reps);
#else
  (void)reps;
  std::printf("vact_cost_model: x86 only\n");
  return 0;
#endif
}
