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
 *   - NaN in gives NaN out (derivatives included); limits at +-inf are exact;
 *   - results do not depend on alignment, on n or on the position of an
 *     element, and are bit-identical on every FMA-capable ISA (scalar with
 *     FMA, avx2, avx512, neon).
 * Error bounds are in ULPs of the correctly rounded result (see README).
 */
#ifndef VACT_VACT_H
#define VACT_VACT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden visibility; only VACT_API is exported. */
#if defined(__GNUC__) || defined(__clang__)
#define VACT_API __attribute__((visibility("default")))
#else
#define VACT_API
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

/* Instruction sets, in the order of the dispatcher's preference (last best). */
typedef enum vact_isa VACT_ENUM_BASE {
  VACT_ISA_SCALAR = 0, /* one lane, std::fma where the SIMD code fuses */
  VACT_ISA_SSE2 = 1,
  VACT_ISA_SSE41 = 2,
  VACT_ISA_AVX2 = 3,   /* AVX2 + FMA */
  VACT_ISA_AVX512 = 4, /* AVX-512 F/BW/DQ/VL */
  VACT_ISA_NEON = 5    /* aarch64 Advanced SIMD */
} vact_isa;

/* Element-wise operations, for the table-driven entry points. New values
 * are only ever appended. */
typedef enum vact_op VACT_ENUM_BASE {
  VACT_OP_STEP = 0,
  VACT_OP_RELU = 1,
  VACT_OP_SIGMOID = 2,
  VACT_OP_TANH = 3,
  VACT_OP_ELU = 4, /* parameter: vact_params.alpha */
  VACT_OP_SELU = 5,
  VACT_OP_SOFTPLUS = 6,
  VACT_OP_GELU_TANH = 7,
  VACT_OP_SILU = 8,
  VACT_OP_MISH = 9,
  VACT_OP_HARDSIGMOID = 10,
  VACT_OP_HARDSWISH = 11,
  VACT_OP_SOFTSIGN = 12,
  VACT_OP_LEAKY_RELU = 13, /* parameter: vact_params.slope */
  VACT_OP_GELU = 14
} vact_op;

/* Number of vact_op values (they are 0 .. VACT_OP_COUNT-1). */
#define VACT_OP_COUNT 15

/* Parameters of the parameterised ops; unused fields are ignored. */
typedef struct vact_params {
  float alpha; /* elu: scale of the negative branch (PyTorch default 1.0) */
  float slope; /* leaky_relu: slope of the negative branch (default 0.01) */
} vact_params;

/* ---- element-wise values, y[i] = f(x[i]) -------------------------------- */

/* step(x) = 1 if x > 0, else 0 (step(+-0) = 0). Exact. */
VACT_API vact_status vact_step_f32(const float* x, float* y, size_t n);
/* relu(x) = max(x, 0); relu(-0) = +0. Exact. */
VACT_API vact_status vact_relu_f32(const float* x, float* y, size_t n);
/* sigmoid(x) = 1 / (1 + e^-x), in [0, 1]; sigmoid(-inf) = 0, sigmoid(+inf)
 * = 1; subnormal results for x in about [-103.3, -87.3] are kept. */
VACT_API vact_status vact_sigmoid_f32(const float* x, float* y, size_t n);
/* tanh(x), odd (keeps the sign of zero), tanh(+-inf) = +-1. */
VACT_API vact_status vact_tanh_f32(const float* x, float* y, size_t n);
/* elu(x) = x for x > 0, alpha * (e^x - 1) otherwise; keeps the sign of
 * zero; elu(-inf) = -alpha. */
VACT_API vact_status vact_elu_f32(const float* x, float* y, size_t n,
                                  float alpha);
/* selu(x) = lambda * elu(x, alpha) with PyTorch's lambda =
 * 1.0507009873554804934193349852946, alpha =
 * 1.6732632423543772848170429916717; keeps the sign of zero. */
VACT_API vact_status vact_selu_f32(const float* x, float* y, size_t n);
/* softplus(x) = log(1 + e^x), computed without overflow as
 * max(x, 0) + log1p(e^-|x|) (no threshold shortcut); softplus(+inf) = +inf,
 * softplus(-inf) = 0. */
VACT_API vact_status vact_softplus_f32(const float* x, float* y, size_t n);

/* gelu(x) = x Phi(x) = 0.5 x erfc(-x / sqrt 2), Phi the standard normal CDF
 * (PyTorch's exact GELU), from the erfc side for x < 0 so that tiny results
 * keep their accuracy down to the subnormals; keeps the sign of zero,
 * gelu(-inf) = -0, gelu(+inf) = +inf. */
VACT_API vact_status vact_gelu_f32(const float* x, float* y, size_t n);
/* gelu_tanh(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), PyTorch's
 * approximate="tanh" GELU; keeps the sign of zero, gelu_tanh(-inf) = -0. */
VACT_API vact_status vact_gelu_tanh_f32(const float* x, float* y, size_t n);
/* silu(x) = x sigmoid(x) (swish); keeps the sign of zero, silu(-inf) = -0. */
VACT_API vact_status vact_silu_f32(const float* x, float* y, size_t n);
/* mish(x) = x tanh(softplus(x)); keeps the sign of zero, mish(-inf) = -0. */
VACT_API vact_status vact_mish_f32(const float* x, float* y, size_t n);
/* hardsigmoid(x) = relu6(x + 3) / 6, in [0, 1]. */
VACT_API vact_status vact_hardsigmoid_f32(const float* x, float* y, size_t n);
/* hardswish(x) = x relu6(x + 3) / 6. */
VACT_API vact_status vact_hardswish_f32(const float* x, float* y, size_t n);
/* softsign(x) = x / (1 + |x|), odd, softsign(+-inf) = +-1. */
VACT_API vact_status vact_softsign_f32(const float* x, float* y, size_t n);
/* leaky_relu(x) = x for x >= 0, slope x otherwise; exact, keeps the sign of
 * zero. */
VACT_API vact_status vact_leaky_relu_f32(const float* x, float* y, size_t n,
                                         float slope);

/* ---- element-wise derivatives, dydx[i] = f'(x[i]) ----------------------- */

/* step'(x) = 0 (NaN for NaN). */
VACT_API vact_status vact_step_derivative_f32(const float* x, float* dydx,
                                              size_t n);
/* relu'(x) = 1 if x > 0, else 0 (PyTorch's convention at 0). */
VACT_API vact_status vact_relu_derivative_f32(const float* x, float* dydx,
                                              size_t n);
/* sigmoid'(x) = sigmoid(x) * (1 - sigmoid(x)), computed as
 * e^-|x| / (1 + e^-|x|)^2 (no cancellation for large |x|). */
VACT_API vact_status vact_sigmoid_derivative_f32(const float* x, float* dydx,
                                                 size_t n);
/* tanh'(x) = 1 - tanh(x)^2 = 4 e^-2|x| / (1 + e^-2|x|)^2. */
VACT_API vact_status vact_tanh_derivative_f32(const float* x, float* dydx,
                                              size_t n);
/* elu'(x) = 1 for x > 0, alpha * e^x otherwise. */
VACT_API vact_status vact_elu_derivative_f32(const float* x, float* dydx,
                                             size_t n, float alpha);
/* selu'(x) = lambda for x > 0, lambda * alpha * e^x otherwise. */
VACT_API vact_status vact_selu_derivative_f32(const float* x, float* dydx,
                                              size_t n);
/* softplus'(x) = sigmoid(x). */
VACT_API vact_status vact_softplus_derivative_f32(const float* x, float* dydx,
                                                  size_t n);

/* gelu'(x) = Phi(x) + x phi(x), phi(x) = e^(-x^2/2) / sqrt(2 pi). */
VACT_API vact_status vact_gelu_derivative_f32(const float* x, float* dydx,
                                              size_t n);
/* gelu_tanh'(x), of the tanh approximation itself. */
VACT_API vact_status vact_gelu_tanh_derivative_f32(const float* x, float* dydx,
                                                   size_t n);
/* silu'(x) = sigmoid(x) (1 + x (1 - sigmoid(x))). */
VACT_API vact_status vact_silu_derivative_f32(const float* x, float* dydx,
                                              size_t n);
/* mish'(x) = tanh(sp) + x sigmoid(x) (1 - tanh(sp)^2), sp = softplus(x). */
VACT_API vact_status vact_mish_derivative_f32(const float* x, float* dydx,
                                              size_t n);
/* hardsigmoid'(x) = 1/6 for -3 < x < 3, else 0 (PyTorch's convention). */
VACT_API vact_status vact_hardsigmoid_derivative_f32(const float* x,
                                                     float* dydx, size_t n);
/* hardswish'(x) = 0 for x < -3, x/3 + 1/2 for -3 <= x <= 3, 1 for x > 3. */
VACT_API vact_status vact_hardswish_derivative_f32(const float* x, float* dydx,
                                                   size_t n);
/* softsign'(x) = 1 / (1 + |x|)^2. */
VACT_API vact_status vact_softsign_derivative_f32(const float* x, float* dydx,
                                                  size_t n);
/* leaky_relu'(x) = 1 for x > 0, slope otherwise. */
VACT_API vact_status vact_leaky_relu_derivative_f32(const float* x, float* dydx,
                                                    size_t n, float slope);

/* ---- rows: softmax and log_softmax along each row ---------------------- */
/*
 * softmax(x)_j = e^(x_j - m) / sum_k e^(x_k - m) with m = max_k x_k, so any
 * finite input is safe (1e30 included). log_softmax(x)_j = (x_j - m) -
 * log(sum_k e^(x_k - m)). A -inf entry gives exactly 0 (log_softmax: -inf);
 * a row that is all -inf, or holds a NaN or +inf, gives NaN everywhere.
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

/* ---- table-driven entry points ------------------------------------------ */

/* y[i] = op(x[i]) with op's parameter from p (p may be NULL: PyTorch's
 * defaults, alpha = 1, slope = 0.01). An op outside 0..VACT_OP_COUNT-1 is
 * VACT_ERROR_INVALID_ARGUMENT. */
VACT_API vact_status vact_apply_f32(vact_op op, const vact_params* p,
                                    const float* x, float* y, size_t n);
/* dydx[i] = op'(x[i]); same rules as vact_apply_f32. */
VACT_API vact_status vact_apply_derivative_f32(vact_op op, const vact_params* p,
                                               const float* x, float* dydx,
                                               size_t n);
/* "sigmoid", "elu", ...; NULL for a value outside the enum. */
VACT_API const char* vact_op_name(vact_op op);

/* ---- instruction-set control -------------------------------------------- */
/*
 * The first call of any kernel picks the best ISA this CPU and OS support
 * (own CPUID + XCR0 check), unless the environment variable VACT_ISA names
 * another one (scalar, sse2, sse4.1, avx2, avx512, neon); an unknown or
 * unsupported VACT_ISA value is reported once on stderr and ignored.
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
