/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vact: SIMD-vectorised activation kernels for float arrays (C API).
 *
 * Every function checks its arguments first and returns a vact_status; on
 * any error the output is left untouched. Common contract of the array
 * functions:
 *   - any n (0 included) and any alignment; y == x (in place) is allowed,
 *     a partial overlap of the two ranges is VACT_ERROR_OVERLAP;
 *   - a null pointer with n > 0 is VACT_ERROR_NULL_POINTER;
 *   - kernels read only [x, x+n) and write only [y, y+n), allocate nothing
 *     and are safe to call from many threads at once;
 *   - a NaN input gives that NaN, quieted, sign and payload kept (x + x),
 *     derivatives included; limits at +-inf are exact;
 *   - results do not depend on alignment, on n or on the position of an
 *     element, and are bit-identical on every FMA-capable ISA (scalar with
 *     FMA, avx2, avx512, neon).
 * Error bounds are in ULPs of the correctly rounded result (see
 * docs/accuracy.md).
 */
#ifndef VACT_VACT_H
#define VACT_VACT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden visibility; only VACT_API is exported.
 * (Defined before the include, it wins: tests/check_exports.sh keeps it as
 * a marker.) */
#ifndef VACT_API
#if defined(__GNUC__) || defined(__clang__)
#define VACT_API __attribute__((visibility("default")))
#else
#define VACT_API
#endif
#endif

/* In C++ the enums get a fixed underlying type, so that any int a C caller
 * passes is a valid value (which the API then rejects) rather than
 * undefined behaviour; the ABI is the same int either way. */
#ifdef __cplusplus
#define VACT_ENUM_BASE : int
#else
#define VACT_ENUM_BASE
#endif

typedef enum vact_status VACT_ENUM_BASE {
  VACT_OK = 0,
  VACT_ERROR_NULL_POINTER = 1,     /* a null pointer with a non-empty range */
  VACT_ERROR_OVERLAP = 2,          /* x and y overlap but are not equal */
  VACT_ERROR_INVALID_ARGUMENT = 3, /* bad enum, size overflow, stride < cols */
  VACT_ERROR_UNSUPPORTED_ISA = 4   /* ISA not compiled in or not on this CPU */
} vact_status;

/* Instruction sets. The dispatcher prefers, best first: avx512, avx2,
 * sse4.1, sse2, neon, scalar. */
typedef enum vact_isa VACT_ENUM_BASE {
  VACT_ISA_SCALAR = 0, /* one lane, std::fma where the SIMD code fuses */
  VACT_ISA_SSE2 = 1,
  VACT_ISA_SSE41 = 2,
  VACT_ISA_AVX2 = 3,   /* AVX2 + FMA */
  VACT_ISA_AVX512 = 4, /* AVX-512 F/CD/BW/DQ/VL */
  VACT_ISA_NEON = 5    /* aarch64 Advanced SIMD */
} vact_isa;

/* Number of vact_isa values (they are 0 .. VACT_ISA_COUNT-1). */
#define VACT_ISA_COUNT 6

/* Element-wise operations: one enumerator VACT_OP_<NAME> = id per row of
 * vact/ops.def, which documents each op (formula, special values, error
 * bound). New values are only ever appended. */
typedef enum vact_op VACT_ENUM_BASE {
#define VACT_OP(id, name, NAME, ...) VACT_OP_##NAME = id,
#include "vact/ops.def"
#undef VACT_OP
} vact_op;

/* Number of vact_op values (they are 0 .. VACT_OP_COUNT-1): one per row. */
enum {
  VACT_OP_COUNT = 0
#define VACT_OP(...) +1
#include "vact/ops.def"
#undef VACT_OP
};

/* Accuracy tiers. PRECISE: each op's value_ulp bound of vact/ops.def
 * (1-2 ULP). FAST: cheaper kernels for the transcendental ops, within
 * max(fast_ulp ULP, 2^-30) absolute (fast_ulp = 4), so results below about
 * 1e-9 in magnitude may flush to 0 or lose relative accuracy; the same shape
 * rules (ranges, exact limits at +-inf, signs of zero, NaNs) and the same
 * bits on every FMA ISA. Exact ops and derivatives run the precise kernel
 * in both tiers. */
typedef enum vact_accuracy VACT_ENUM_BASE {
  VACT_ACCURACY_PRECISE = 0,
  VACT_ACCURACY_FAST = 1
} vact_accuracy;

/* Parameters of the table-driven calls; each op reads the fields its row
 * of vact/ops.def names and ignores the rest. NULL params mean
 * VACT_PARAMS_INIT's values. A zero-initialised struct means what it says:
 * alpha = slope = beta = 0 (swish is then x / 2), lo = hi = 0 (clip gives
 * 0), cap = 0 (no cap: softcap(x) = x) and the precise tier. Fields are
 * only ever appended, and read only for the ops that use them: a program
 * built against an older vact, whose struct is shorter, stays correct.
 * A parameter an op cannot take is VACT_ERROR_INVALID_ARGUMENT, before
 * anything is written: swish's beta not finite; clip's lo > hi or either
 * NaN; softcap's cap negative or NaN. */
typedef struct vact_params {
  float alpha; /* elu: scale of the negative branch (PyTorch default 1.0) */
  float slope; /* leaky_relu: slope of the negative branch (default 0.01) */
  vact_accuracy accuracy; /* the tier (default VACT_ACCURACY_PRECISE) */
  float beta;             /* swish: x sigmoid(beta x) (default 1: silu) */
  float lo;  /* clip: lower bound (default -1, PyTorch's hardtanh) */
  float hi;  /* clip: upper bound (default 1; relu6 is lo 0, hi 6) */
  float cap; /* softcap: cap tanh(x / cap) (default 0: no cap) */
} vact_params;

/* The defaults, as NULL params: PyTorch's where PyTorch has the op. */
#define VACT_PARAMS_INIT \
  { 1.0f, 0.01f, VACT_ACCURACY_PRECISE, 1.0f, -1.0f, 1.0f, 0.0f }

/* The extra arguments of an op's per-op functions, by the params column of
 * vact/ops.def: none, or the vact_params fields the op reads. */
#define VACT_PARAM_DECLARATION_none
#define VACT_PARAM_DECLARATION_alpha , float alpha
#define VACT_PARAM_DECLARATION_slope , float slope
#define VACT_PARAM_DECLARATION_beta , float beta
#define VACT_PARAM_DECLARATION_lo_hi , float lo, float hi
#define VACT_PARAM_DECLARATION_cap , float cap

/* ---- element-wise values and derivatives -------------------------------- */
/*
 * For every row of vact/ops.def (whose comments give each op's formula,
 * special values and error bound):
 *
 *   vact_status vact_<name>_f32(const float* x, float* y, size_t n);
 *       y[i] = f(x[i]);
 *   vact_status vact_<name>_derivative_f32(const float* x, float* dydx,
 *                                          size_t n);
 *       dydx[i] = f'(x[i]);
 *
 * with the op's parameters as last arguments where it has any
 * (vact_elu_f32(x, y, n, float alpha), vact_leaky_relu_f32(x, y, n,
 * float slope), vact_swish_f32(x, y, n, float beta), vact_clip_f32(x, y,
 * n, float lo, float hi), vact_softcap_f32(x, y, n, float cap), and their
 * derivatives), checked as vact_params' fields are.
 */
#define VACT_OP(id, name, NAME, params, ...)                               \
  VACT_API vact_status vact_##name##_f32(                                  \
      const float* x, float* y, size_t n VACT_PARAM_DECLARATION_##params); \
  VACT_API vact_status vact_##name##_derivative_f32(                       \
      const float* x, float* dydx, size_t n VACT_PARAM_DECLARATION_##params);
#include "vact/ops.def"
#undef VACT_OP

/* ---- rows: softmax and log_softmax along each row ---------------------- */
/*
 * softmax(x)_j = e^(x_j - m) / sum_k e^(x_k - m) with m = max_k x_k, so any
 * finite input is safe (1e30 included). log_softmax(x)_j = (x_j - m) -
 * log(sum_k e^(x_k - m)). A -inf entry gives exactly 0 (log_softmax: -inf);
 * a row that is all -inf, or holds a NaN or +inf, gives NaN everywhere (the
 * quiet NaN 0x7fc00000, on every ISA).
 * The row sum is accumulated in a fixed order (independent of the ISA).
 * Contiguous rows: element (r, c) is at x[r * cols + c]. In place allowed.
 * rows * cols overflowing is VACT_ERROR_INVALID_ARGUMENT.
 */
VACT_API vact_status vact_softmax_f32(const float* x, float* y, size_t rows,
                                      size_t cols);
VACT_API vact_status vact_log_softmax_f32(const float* x, float* y, size_t rows,
                                          size_t cols);
/* Strided rows: element (r, c) is at x[r * x_stride + c] and
 * y[r * y_stride + c] (strides in elements, each >= cols, else
 * VACT_ERROR_INVALID_ARGUMENT). In place needs x == y and equal strides;
 * any other overlap of the two spans is VACT_ERROR_OVERLAP. */
VACT_API vact_status vact_softmax_strided_f32(const float* x, size_t x_stride,
                                              float* y, size_t y_stride,
                                              size_t rows, size_t cols);
VACT_API vact_status vact_log_softmax_strided_f32(const float* x,
                                                  size_t x_stride, float* y,
                                                  size_t y_stride, size_t rows,
                                                  size_t cols);

/* The fast tier of the same (see vact_accuracy): every element within
 * 8 ULP of the exact softmax for rows up to 32,000 elements, row sums within
 * 2e-6 of 1, log_softmax within 8 ULP where its error is over 2^-22
 * absolute; the same argument checks, edge rules and fixed reduction order
 * (the same bits on every FMA ISA). */
VACT_API vact_status vact_softmax_fast_f32(const float* x, float* y,
                                           size_t rows, size_t cols);
VACT_API vact_status vact_log_softmax_fast_f32(const float* x, float* y,
                                               size_t rows, size_t cols);
VACT_API vact_status vact_softmax_strided_fast_f32(const float* x,
                                                   size_t x_stride, float* y,
                                                   size_t y_stride, size_t rows,
                                                   size_t cols);
VACT_API vact_status
vact_log_softmax_strided_fast_f32(const float* x, size_t x_stride, float* y,
                                  size_t y_stride, size_t rows, size_t cols);

/* ---- table-driven entry points ------------------------------------------ */

/* y[i] = op(x[i]) with op's parameters and tier from p (p may be NULL:
 * VACT_PARAMS_INIT, PyTorch's defaults and the precise tier). An op or
 * accuracy outside its enum, or a parameter the op cannot take (see
 * vact_params), is VACT_ERROR_INVALID_ARGUMENT. */
VACT_API vact_status vact_apply_f32(vact_op op, const vact_params* p,
                                    const float* x, float* y, size_t n);
/* dydx[i] = op'(x[i]); same rules as vact_apply_f32. */
VACT_API vact_status vact_apply_derivative_f32(vact_op op, const vact_params* p,
                                               const float* x, float* dydx,
                                               size_t n);
/* "sigmoid", "elu", ...; NULL for a value outside the enum. */
VACT_API const char* vact_op_name(vact_op op);

/* ---- 16-bit storage: bf16 and f16 --------------------------------------- */
/*
 * bf16 (bfloat16: 1 sign, 8 exponent, 7 fraction bits) and f16 (IEEE
 * binary16: 1, 5, 10) values are passed as their bits in uint16_t.
 *
 * Conversions, the same bits on every ISA (no instruction that flushes):
 *   - f32 -> bf16 / f16 round to nearest even; subnormal results are kept;
 *     past the largest finite value the result is +-inf (f16 from 65520 on);
 *   - bf16 / f16 -> f32 are exact;
 *   - a NaN stays a NaN with its sign and the top bits of its payload,
 *     quieted (the quiet bit set), in both directions.
 * Same argument rules as the array functions (y == x is not allowed: the
 * element sizes differ, so it is VACT_ERROR_OVERLAP).
 */
VACT_API vact_status vact_convert_f32_to_bf16(const float* x, uint16_t* y,
                                              size_t n);
VACT_API vact_status vact_convert_bf16_to_f32(const uint16_t* x, float* y,
                                              size_t n);
VACT_API vact_status vact_convert_f32_to_f16(const float* x, uint16_t* y,
                                             size_t n);
VACT_API vact_status vact_convert_f16_to_f32(const uint16_t* x, float* y,
                                             size_t n);

/*
 * Element-wise ops on 16-bit arrays: each element widened to f32 exactly,
 * the op's f32 kernel of the tier p asks for, the result rounded once to
 * the output format (nearest even). Same rules as vact_apply_f32 (in place
 * allowed where input and output have the same format). Error, in ULPs of
 * the output format: within 1 of the exact value (almost all correctly
 * rounded: docs/accuracy.md publishes the share per op), or, where the f32
 * bound has an absolute floor (the fast tier's 2^-30, some derivatives'),
 * within that floor plus one ULP.
 */
VACT_API vact_status vact_apply_bf16(vact_op op, const vact_params* p,
                                     const uint16_t* x, uint16_t* y, size_t n);
VACT_API vact_status vact_apply_derivative_bf16(vact_op op,
                                                const vact_params* p,
                                                const uint16_t* x,
                                                uint16_t* dydx, size_t n);
VACT_API vact_status vact_apply_f16(vact_op op, const vact_params* p,
                                    const uint16_t* x, uint16_t* y, size_t n);
VACT_API vact_status vact_apply_derivative_f16(vact_op op, const vact_params* p,
                                               const uint16_t* x,
                                               uint16_t* dydx, size_t n);
/* 16-bit in, f32 out (no rounding of the result beyond the f32 kernel's):
 * the engine case of 16-bit storage with f32 math next to it. */
VACT_API vact_status vact_apply_bf16_f32(vact_op op, const vact_params* p,
                                         const uint16_t* x, float* y, size_t n);
VACT_API vact_status vact_apply_f16_f32(vact_op op, const vact_params* p,
                                        const uint16_t* x, float* y, size_t n);

/*
 * Softmax and log_softmax over bf16 and f16 rows: each element widened to
 * f32 exactly, the f32 row kernel of the tier (the maximum, exponentials
 * and row sum in f32, in the same fixed order), each result rounded once to
 * the row's format. The result is that of the f32 function on the widened
 * row, rounded to nearest even: within 1 ULP of the exact value in the
 * output format, the same bits on every FMA ISA. Same argument rules,
 * strides, in-place rule and edge rules as the f32 forms; a NaN row gives
 * the quiet NaN 0x7fc0 (bf16) or 0x7e00 (f16). Nothing is allocated: a
 * row's exponentials wait for its sum in a stack block, or, past 4096
 * elements, are computed again.
 */
VACT_API vact_status vact_softmax_bf16(const uint16_t* x, uint16_t* y,
                                       size_t rows, size_t cols);
VACT_API vact_status vact_log_softmax_bf16(const uint16_t* x, uint16_t* y,
                                           size_t rows, size_t cols);
VACT_API vact_status vact_softmax_strided_bf16(const uint16_t* x,
                                               size_t x_stride, uint16_t* y,
                                               size_t y_stride, size_t rows,
                                               size_t cols);
VACT_API vact_status vact_log_softmax_strided_bf16(const uint16_t* x,
                                                   size_t x_stride, uint16_t* y,
                                                   size_t y_stride, size_t rows,
                                                   size_t cols);
VACT_API vact_status vact_softmax_fast_bf16(const uint16_t* x, uint16_t* y,
                                            size_t rows, size_t cols);
VACT_API vact_status vact_log_softmax_fast_bf16(const uint16_t* x, uint16_t* y,
                                                size_t rows, size_t cols);
VACT_API vact_status vact_softmax_strided_fast_bf16(const uint16_t* x,
                                                    size_t x_stride,
                                                    uint16_t* y,
                                                    size_t y_stride,
                                                    size_t rows, size_t cols);
VACT_API vact_status vact_log_softmax_strided_fast_bf16(
    const uint16_t* x, size_t x_stride, uint16_t* y, size_t y_stride,
    size_t rows, size_t cols);
VACT_API vact_status vact_softmax_f16(const uint16_t* x, uint16_t* y,
                                      size_t rows, size_t cols);
VACT_API vact_status vact_log_softmax_f16(const uint16_t* x, uint16_t* y,
                                          size_t rows, size_t cols);
VACT_API vact_status vact_softmax_strided_f16(const uint16_t* x,
                                              size_t x_stride, uint16_t* y,
                                              size_t y_stride, size_t rows,
                                              size_t cols);
VACT_API vact_status vact_log_softmax_strided_f16(const uint16_t* x,
                                                  size_t x_stride, uint16_t* y,
                                                  size_t y_stride, size_t rows,
                                                  size_t cols);
VACT_API vact_status vact_softmax_fast_f16(const uint16_t* x, uint16_t* y,
                                           size_t rows, size_t cols);
VACT_API vact_status vact_log_softmax_fast_f16(const uint16_t* x, uint16_t* y,
                                               size_t rows, size_t cols);
VACT_API vact_status vact_softmax_strided_fast_f16(const uint16_t* x,
                                                   size_t x_stride, uint16_t* y,
                                                   size_t y_stride, size_t rows,
                                                   size_t cols);
VACT_API vact_status vact_log_softmax_strided_fast_f16(
    const uint16_t* x, size_t x_stride, uint16_t* y, size_t y_stride,
    size_t rows, size_t cols);

/* ---- engine calls: what engines call around a GEMM ----------------------- */
/*
 * Fused forms of what an inference engine would otherwise do in two or three
 * calls (and as many passes over memory). Same argument rules as the array
 * functions; each takes the tier from its parameters.
 */

/* Gated activations (the GLU family): y[i] = act(gate[i]) * up[i], with
 * act any vact_op and p as in vact_apply_f32: silu gives SwiGLU, gelu and
 * gelu_tanh GeGLU, quick_gelu GEGLU_QUICK, relu ReGLU, sigmoid GLU. The
 * result is act's f32 result times up[i], rounded once: within act's bound
 * plus half an ULP. A NaN in either input gives a NaN (where both are NaN,
 * which payload is not specified). y may be gate or up
 * (in place); any other overlap is VACT_ERROR_OVERLAP. */
VACT_API vact_status vact_gated_f32(vact_op act, const vact_params* p,
                                    const float* gate, const float* up,
                                    float* y, size_t n);

/* Where gate and up sit in a row of a fused gate+up projection's output. */
typedef enum vact_gate_layout VACT_ENUM_BASE {
  VACT_GATE_CONCAT = 0,         /* gate = x[0, cols), up = x[cols, 2 cols) */
  VACT_GATE_CONCAT_SWAPPED = 1, /* up first, then gate */
  VACT_GATE_INTERLEAVED = 2     /* gate at x[2j], up at x[2j + 1] */
} vact_gate_layout;

/* vact_gated_f32 over rows of a fused projection: row r of x has 2 cols
 * values at x + r * x_stride (x_stride >= 2 cols), row r of y its cols
 * results at y + r * y_stride (y_stride >= cols); the same bits as
 * vact_gated_f32 on the separated halves. In place needs y == x and equal
 * strides. */
VACT_API vact_status vact_gated_rows_f32(vact_op act, const vact_params* p,
                                         const float* x, size_t x_stride,
                                         float* y, size_t y_stride, size_t rows,
                                         size_t cols, vact_gate_layout layout);

/* The backward pass of y = act(gate) * up, given dy = dL/dy:
 * dgate[i] = dy[i] * (up[i] * act'(gate[i])), dup[i] = dy[i] * act(gate[i])
 * (act' is the precise derivative in both tiers; act of p's tier). Each
 * output may be the same array as one of the inputs; dgate and dup must
 * not overlap each other, nor any input partially. */
VACT_API vact_status vact_gated_backward_f32(vact_op act, const vact_params* p,
                                             const float* gate, const float* up,
                                             const float* dy, float* dgate,
                                             float* dup, size_t n);

/* Bias + activation over a tile, the epilogue of a GEMM:
 * c[r * ldc + j] = act(c[r * ldc + j] + bias[j]) for r < rows, j < cols,
 * in place (bias NULL: no bias). The sum is rounded once, then act's bound
 * applies. ldc >= cols; the padding (j >= cols) is never read or written;
 * bias must not overlap the tile. */
VACT_API vact_status vact_bias_apply_f32(vact_op act, const vact_params* p,
                                         const float* bias, float* c,
                                         size_t ldc, size_t rows, size_t cols);

/* ---- attention softmax ---- */

/* A row that is all -inf after masking: NaN everywhere (the plain
 * softmax's rule), or zeros (log_softmax: -inf), what attention needs for
 * a query that may see no key. */
typedef enum vact_masked_row VACT_ENUM_BASE {
  VACT_MASKED_ROW_NAN = 0,
  VACT_MASKED_ROW_ZERO = 1
} vact_masked_row;

typedef struct vact_softmax_params {
  vact_accuracy accuracy; /* the tier */
  int log;                /* 0: softmax, 1: log_softmax */
  float scale;            /* the scores are multiplied by it first (finite) */
  float softcap;          /* 0: none; else cap > 0: cap tanh(v / cap) */
  const float* mask; /* additive mask, cols per row (-inf hides), or NULL */
  size_t mask_row_stride; /* elements between mask rows; 0: one row for all */
  float mask_scale;       /* multiplies the mask (an ALiBi slope), > 0 */
  const float* sinks;     /* one extra logit per row, or NULL */
  vact_masked_row masked_row;
} vact_softmax_params;

/* The defaults: precise, softmax, scale 1, no cap, no mask, mask_scale 1,
 * no sinks, all-masked rows NaN. */
#define VACT_SOFTMAX_PARAMS_INIT                               \
  {                                                            \
    VACT_ACCURACY_PRECISE, 0, 1.0f, 0.0f, NULL, 0, 1.0f, NULL, \
        VACT_MASKED_ROW_NAN                                    \
  }

/*
 * softmax (or log_softmax) over strided rows of attention scores, in one
 * call: the logits of row r are
 *   v_j = x[r][j] * scale;  v_j = cap tanh(v_j / cap) (if softcap);
 *   v_j = v_j + mask[r][j] * mask_scale (if mask),
 * each step rounded in f32 (tanh: vact's, of the tier), and the result is
 * the plain softmax of those logits, bit for bit, with the row's sink
 * (sinks[r]) appended as one more logit that joins the maximum and the sum
 * but gets no output. So the contracts are the plain softmax's: any finite
 * logits, -inf entries exactly 0, a fixed reduction order, the same bits on
 * every FMA ISA, and the bounds of vact_softmax_f32 (or _fast_) relative to
 * the logits. The mask is read in place (no copy, nothing allocated); it
 * and the sinks must not overlap y. p NULL: VACT_SOFTMAX_PARAMS_INIT.
 * VACT_ERROR_INVALID_ARGUMENT: a bad enum or log, a scale that is not
 * finite, a softcap < 0 or not finite, a mask_scale <= 0 or not finite, and
 * the stride rules of vact_softmax_strided_f32.
 */
VACT_API vact_status vact_softmax_ex_f32(const float* x, size_t x_stride,
                                         float* y, size_t y_stride, size_t rows,
                                         size_t cols,
                                         const vact_softmax_params* p);

/* ---- online softmax: a row in chunks, for blocked attention ---- */
/*
 * A row's softmax can be built from chunks of its columns (key blocks):
 * each chunk gives its terms e^(v_j - m_c) and a state (m_c, s_c), its
 * maximum and its sum; states merge pairwise into the row's (m, s), giving
 * the factors that rescale what each side accumulated; 1/s finishes.
 * Rescaling the terms (or P V products) by those factors and 1/s gives the
 * softmax within 6 + 2k ULP for k chunks merged left to right (fast tier:
 * 10 + 2k), where it is above 1e-35 (the tests' bound; the chunks' order
 * and sizes change the last bits). An all -inf chunk is the empty state
 * (-inf, 0): it merges with factor 0, never NaN.
 */
typedef struct vact_softmax_state {
  float max; /* -INFINITY for the empty state */
  float sum; /* 0 for the empty state */
} vact_softmax_state;

/* One chunk of `rows` rows: y[r][j] = e^(v_j - m_r) with v_j the logits of
 * vact_softmax_ex_f32 (scale, softcap, mask and tier from p; its log,
 * sinks and masked_row are not read: a sink joins as the state
 * (sinks[r], 1) through vact_softmax_merge_f32), and states[r] = (m_r,
 * sum_j y[r][j]). A row with a NaN or +inf logit gives the quiet NaN 0x7fc00000
 * for every term and both fields of its state. states must not overlap x, y or
 * the mask. */
VACT_API vact_status vact_softmax_chunk_f32(const float* x, size_t x_stride,
                                            float* y, size_t y_stride,
                                            size_t rows, size_t cols,
                                            const vact_softmax_params* p,
                                            vact_softmax_state* states);

/* acc[r] = the merge of acc[r] and part[r]: max m = max of the two, sum =
 * acc.sum a + part.sum b with the factors a = e^(acc.max - m),
 * b = e^(part.max - m) (0 for an empty side), each within 1 ULP, written to
 * acc_factor[r] and part_factor[r] unless those are NULL. A NaN state gives
 * NaN. */
VACT_API vact_status vact_softmax_merge_f32(vact_softmax_state* acc,
                                            const vact_softmax_state* part,
                                            float* acc_factor,
                                            float* part_factor, size_t rows);

/* reciprocal[r] = 1 / states[r].sum, correctly rounded; 0 for the empty
 * state (a row that saw no key gives zeros), NaN for a NaN state. */
VACT_API vact_status vact_softmax_finish_f32(const vact_softmax_state* states,
                                             float* reciprocal, size_t rows);

/* ---- instruction-set control -------------------------------------------- */
/*
 * The first call of any kernel picks the best ISA this CPU and OS support
 * (own CPUID + XCR0 check), unless the environment variable VACT_ISA names
 * another one (scalar, sse2, sse4.1, avx2, avx512, neon); an unknown or
 * unsupported VACT_ISA value is reported on stderr (once per process) and
 * ignored.
 * Switching is thread-safe; a call already running finishes on its ISA.
 */
VACT_API vact_isa vact_active_isa(void);
/* "scalar", "sse2", "sse4.1", "avx2", "avx512", "neon"; NULL if invalid. */
VACT_API const char* vact_isa_name(vact_isa isa);
/* Nonzero when the ISA is compiled in and this CPU and OS can run it. */
VACT_API int vact_isa_supported(vact_isa isa);
/* Makes isa the active one for all threads; VACT_ERROR_UNSUPPORTED_ISA
 * (and no change) when vact_isa_supported(isa) is 0. */
VACT_API vact_status vact_set_isa(vact_isa isa);

/* ---- misc -----------------------------------------------------------------
 */
VACT_API const char* vact_status_string(vact_status status);
/* "MAJOR.MINOR.PATCH" */
VACT_API const char* vact_version(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* VACT_VACT_H */
