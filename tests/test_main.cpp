// SPDX-License-Identifier: Apache-2.0
//
// doctest main, plus what test_support.hpp promises.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "accuracy.hpp"
#include "output_hashes.hpp"
#include "test_support.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
extern char** environ;
#define VACT_TEST_HAVE_SPAWN 1
#else
#define VACT_TEST_HAVE_SPAWN 0
#endif

namespace vact_test {
int print_storage16_table();  // test_storage16.cpp
namespace {
vact_isa startup_isa = VACT_ISA_SCALAR;
const char* self_path = nullptr;  // argv[0], to start this binary again
}  // namespace

vact_isa isa_at_startup() { return startup_isa; }

std::vector<vact_isa> isas_under_test() {
  if (const char* forced = std::getenv("VACT_ISA"); forced && *forced)
    return {startup_isa};
  std::vector<vact_isa> isas;
  for (int i = 0; i < VACT_ISA_COUNT; ++i)
    if (vact_isa_supported(static_cast<vact_isa>(i)))
      isas.push_back(static_cast<vact_isa>(i));
  return isas;
}

std::vector<vact_isa> supported_fma_isas() {
  std::vector<vact_isa> isas;
  // vact_isa_name is NULL just past the enum's last value.
  for (int i = 0; vact_isa_name(static_cast<vact_isa>(i)) != nullptr; ++i) {
    const auto isa = static_cast<vact_isa>(i);
    if (vact_isa_supported(isa) && isa_has_fma(isa)) isas.push_back(isa);
  }
  return isas;
}

isa_guard::isa_guard(vact_isa isa) : previous_(vact_active_isa()) {
  REQUIRE(vact_set_isa(isa) == VACT_OK);
  REQUIRE(vact_active_isa() == isa);
}
isa_guard::~isa_guard() { vact_set_isa(previous_); }

namespace {

#if VACT_TEST_HAVE_SPAWN
// The ISA this binary starts on with VACT_ISA=`requested` (the rest of the
// environment unchanged), as --print-startup-isa prints it; an "error: ..."
// line when it could not be started or did not exit with 0.
std::string startup_isa_of_child(const std::string& requested) {
  if (self_path == nullptr) return "error: no argv[0] to start";
  std::vector<std::string> variables;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "VACT_ISA=", 9) != 0) variables.emplace_back(*e);
  variables.push_back("VACT_ISA=" + requested);
  std::vector<char*> envp;
  for (std::string& v : variables) envp.push_back(v.data());
  envp.push_back(nullptr);
  std::string program = self_path, flag = "--print-startup-isa";
  char* argv[] = {program.data(), flag.data(), nullptr};

  int out[2];
  if (pipe(out) != 0) return "error: pipe: " + std::string(strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_addclose(&actions, out[1]);
  pid_t child = 0;
  const int spawned = posix_spawnp(&child, program.c_str(), &actions, nullptr,
                                   argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (spawned != 0) {
    close(out[0]);
    return "error: cannot start " + program + ": " + strerror(spawned);
  }
  std::string output;
  char buffer[256];
  for (;;) {
    const ssize_t got = read(out[0], buffer, sizeof buffer);
    if (got > 0) {
      output.append(buffer, static_cast<std::size_t>(got));
    } else if (got == 0 || errno != EINTR) {
      break;
    }
  }
  close(out[0]);
  int status = 0;
  if (waitpid(child, &status, 0) != child)
    return "error: waitpid: " + std::string(strerror(errno));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return "error: " + program + " --print-startup-isa failed";
  if (!output.empty() && output.back() == '\n') output.pop_back();
  return output;
}
#endif

TEST_CASE("VACT_ISA selects the ISA whose kernels run") {
  const std::string started = vact_isa_name(isa_at_startup());
  const char* forced = std::getenv("VACT_ISA");
  if (forced != nullptr && *forced != '\0') {
    // "sse41" is accepted for "sse4.1".
    const std::string requested =
        std::string(forced) == "sse41" ? "sse4.1" : forced;
    CHECK_MESSAGE(requested == started, "VACT_ISA=", forced,
                  " but the library started on ", started);
    return;
  }
  // Unset: the best ISA this CPU supports, in the dispatcher's order of
  // preference (src/dispatch.cpp), written out here on purpose.
  const vact_isa preference[] = {VACT_ISA_AVX512, VACT_ISA_AVX2,
                                 VACT_ISA_SSE41,  VACT_ISA_SSE2,
                                 VACT_ISA_NEON,   VACT_ISA_SCALAR};
  vact_isa best = VACT_ISA_SCALAR;
  for (vact_isa isa : preference) {
    if (vact_isa_supported(isa)) {
      best = isa;
      break;
    }
  }
  CHECK_MESSAGE(isa_at_startup() == best, "VACT_ISA unset: started on ",
                started, ", not on the best supported ISA, ",
                std::string(vact_isa_name(best)));
  // And each supported ISA, forced in a fresh process (the choice is made
  // once per process), is the one it starts on.
  const std::vector<vact_isa> isas = isas_under_test();  // all: VACT_ISA unset
  REQUIRE(std::count(isas.begin(), isas.end(), best) == 1);
#if VACT_TEST_HAVE_SPAWN
  for (vact_isa isa : isas) {
    const std::string name = vact_isa_name(isa);
    CAPTURE(name);
    CHECK(startup_isa_of_child(name) == name);
  }
#else
  MESSAGE("no posix_spawn: forced ISAs are checked only by runs with VACT_ISA");
#endif
}

}  // namespace
}  // namespace vact_test

int main(int argc, char** argv) {
  // Before any test can switch it: what detection (or VACT_ISA) chose.
  vact_test::startup_isa = vact_active_isa();
  vact_test::self_path = argv[0];
  if (argc > 1 && std::string(argv[1]) == "--print-startup-isa") {
    std::printf("%s\n", vact_isa_name(vact_test::startup_isa));
    return 0;
  }
  if (argc > 1 && std::string(argv[1]) == "--supported-isas") {
    for (vact_isa isa : vact_test::isas_under_test())
      std::printf("%s\n", vact_isa_name(isa));
    return 0;
  }
  if (argc > 1 && std::string(argv[1]) == "--op-table")
    return vact_test::print_op_table();
  if (argc > 1 && std::string(argv[1]) == "--storage16-table")
    return vact_test::print_storage16_table();
  if (argc > 1 && std::string(argv[1]) == "--print-hashes")
    return vact_test::print_output_hashes();
  doctest::Context context(argc, argv);
  return context.run();
}
