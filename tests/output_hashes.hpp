// SPDX-License-Identifier: Apache-2.0
//
// Bit identity across ISAs, proven by hashing: every kernel's outputs over a
// fixed input set hash to one 64-bit value per kernel, the same on every
// FMA-capable ISA (scalar, avx2, avx512, neon) and on every machine. The
// expected values are checked in (expected_output_hashes.hpp), so that a
// NEON run under qemu and an x86 run are held to the same numbers.
#ifndef VACT_TESTS_OUTPUT_HASHES_HPP
#define VACT_TESTS_OUTPUT_HASHES_HPP

#include <cstdint>
#include <string>
#include <vector>

namespace vact_test {

struct output_hash {
  const char* kernel;  // "sigmoid", "sigmoid_derivative", "softmax", ...
  std::uint64_t hash;
};

struct computed_hash {
  std::string kernel;
  std::uint64_t hash;
};

// The hashes of every element-wise op's value and derivative (through
// vact_apply_f32 / vact_apply_derivative_f32 with NULL params, for
// op = 0 .. VACT_OP_COUNT-1) and of softmax and log_softmax, on the active
// ISA. Inputs: all of [-20, 20] in steps of 2^-12, 200,000 random bit
// patterns (NaNs included), the specials; fixed rows for softmax. Outputs
// are hashed with FNV-1a 64 over all their bits, NaN payloads included.
std::vector<computed_hash> compute_output_hashes();

// `vact_tests --print-hashes`: prints expected_output_hashes.hpp, computed
// on the scalar ISA, after checking that every FMA ISA this CPU supports
// gives the same hashes (VACT_ISA does not narrow them). Returns the process
// exit status.
int print_output_hashes();

}  // namespace vact_test

#endif  // VACT_TESTS_OUTPUT_HASHES_HPP
