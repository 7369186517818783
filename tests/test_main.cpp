// SPDX-License-Identifier: Apache-2.0
//
// doctest main, plus what test_support.hpp promises.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "accuracy.hpp"
#include "output_hashes.hpp"
#include "test_support.hpp"

namespace vact_test {
namespace {
vact_isa startup_isa = VACT_ISA_SCALAR;
}

vact_isa isa_at_startup() { return startup_isa; }

std::vector<vact_isa> isas_under_test() {
  if (const char* forced = std::getenv("VACT_ISA"); forced && *forced)
    return {startup_isa};
  std::vector<vact_isa> isas;
  for (int i = VACT_ISA_SCALAR; i <= VACT_ISA_NEON; ++i)
    if (vact_isa_supported(static_cast<vact_isa>(i)))
      isas.push_back(static_cast<vact_isa>(i));
  return isas;
}

isa_guard::isa_guard(vact_isa isa) : previous_(vact_active_isa()) {
  REQUIRE(vact_set_isa(isa) == VACT_OK);
  REQUIRE(vact_active_isa() == isa);
}
isa_guard::~isa_guard() { vact_set_isa(previous_); }

TEST_CASE("VACT_ISA selects the ISA whose kernels run") {
  const char* forced = std::getenv("VACT_ISA");
  if (forced == nullptr || *forced == '\0') return;
  const std::string requested = forced;
  const std::string started = vact_isa_name(isa_at_startup());
  CHECK_MESSAGE(requested == started, "VACT_ISA=", requested,
                " but the library started on ", started);
}

}  // namespace vact_test

int main(int argc, char** argv) {
  // Before any test can switch it: what detection (or VACT_ISA) chose.
  vact_test::startup_isa = vact_active_isa();
  if (argc > 1 && std::string(argv[1]) == "--supported-isas") {
    for (vact_isa isa : vact_test::isas_under_test())
      std::printf("%s\n", vact_isa_name(isa));
    return 0;
  }
  if (argc > 1 && std::string(argv[1]) == "--op-table")
    return vact_test::print_op_table();
  if (argc > 1 && std::string(argv[1]) == "--print-hashes")
    return vact_test::print_output_hashes();
  doctest::Context context(argc, argv);
  return context.run();
}
