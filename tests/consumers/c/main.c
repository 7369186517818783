/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A C program on vact's C API: values, softmax, the table-driven entry
 * point and error statuses. tests/consumers/run.sh builds it with CMake
 * (find_package, add_subdirectory) and with pkg-config, and runs it with
 * the expected vact version as its argument. Exit 0 when all checks pass.
 */
#include <math.h> /* INFINITY (no libm call) */
#include <stdio.h>
#include <string.h>
#include <vact/vact.h>

static int failures = 0;

static void check(int ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "FAIL: %s\n", what);
    ++failures;
  }
}

static int close_to(float got, double want) {
  const double d = (double)got - want;
  return d <= 1e-6 && d >= -1e-6;
}

int main(int argc, char** argv) {
  const float x[6] = {-3.0f, -1.0f, -0.0f, 0.5f, 2.0f, 8.0f};
  /* 1 / (1 + e^-x) and 0.5 (e^x - 1) for x <= 0, in double (Python). */
  const double sigmoid_x[6] = {
      0.04742587317756678, 0.2689414213699951, 0.5,
      0.6224593312018546,  0.8807970779778823, 0.9996646498695336};
  const double elu_half_x[6] = {
      -0.475106465816068, -0.31606027941427883, -0.0, 0.5, 2.0, 8.0};
  float y[6];
  int i;

  check(vact_sigmoid_f32(x, y, 6) == VACT_OK, "vact_sigmoid_f32 status");
  for (i = 0; i < 6; ++i) check(close_to(y[i], sigmoid_x[i]), "sigmoid value");

  /* Rows of 3: the second row has a -inf entry, which gets exactly 0. */
  {
    const float logits[6] = {1.0f, 2.0f, 3.0f, 0.0f, -INFINITY, 0.0f};
    const double row0[3] = {0.09003057317038046, 0.24472847105479764,
                            0.6652409557748218};
    float probs[6];
    check(vact_softmax_f32(logits, probs, 2, 3) == VACT_OK,
          "vact_softmax_f32 status");
    for (i = 0; i < 3; ++i) check(close_to(probs[i], row0[i]), "softmax row 0");
    check(probs[3] == 0.5f && probs[4] == 0.0f && probs[5] == 0.5f,
          "softmax row 1 (-inf entry)");
  }

  /* Table-driven: elu with alpha = 0.5. */
  {
    vact_params params = VACT_PARAMS_INIT;
    params.alpha = 0.5f;
    check(vact_apply_f32(VACT_OP_ELU, &params, x, y, 6) == VACT_OK,
          "vact_apply_f32 status");
    for (i = 0; i < 6; ++i) check(close_to(y[i], elu_half_x[i]), "elu value");
    check(strcmp(vact_op_name(VACT_OP_SIGMOID), "sigmoid") == 0,
          "vact_op_name");
  }

  /* Errors: a status, and the output left untouched. */
  {
    float out[6] = {7.0f, 7.0f, 7.0f, 7.0f, 7.0f, 7.0f};
    check(vact_tanh_f32(NULL, out, 1) == VACT_ERROR_NULL_POINTER,
          "null pointer");
    check(vact_tanh_f32(out, out + 1, 3) == VACT_ERROR_OVERLAP, "overlap");
    check(
        vact_softmax_f32(x, out, (size_t)-1, 2) == VACT_ERROR_INVALID_ARGUMENT,
        "rows * cols overflow");
    check(vact_apply_f32((vact_op)VACT_OP_COUNT, NULL, x, out, 6) ==
              VACT_ERROR_INVALID_ARGUMENT,
          "op out of range");
    for (i = 0; i < 6; ++i) check(out[i] == 7.0f, "output untouched");
    check(strlen(vact_status_string(VACT_ERROR_OVERLAP)) > 0,
          "vact_status_string");
  }

  if (argc > 1) check(strcmp(vact_version(), argv[1]) == 0, "vact_version");

  if (failures != 0) return 1;
  printf("C consumer OK: vact %s, ISA %s\n", vact_version(),
         vact_isa_name(vact_active_isa()));
  return 0;
}
