// SPDX-License-Identifier: Apache-2.0
//
// vact-info: what vact sees on this machine. Prints the library version,
// the CPU features found by the library's own detection (CPUID + XCR0 on
// x86-64), each ISA as compiled in / supported (compiled in and runnable
// here) / active (the dispatcher's choice, honouring VACT_ISA), and the
// element-wise ops. `--json` prints the same as one JSON object.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cpu_features.hpp"
#include "vact/vact.h"

#if !defined(VACT_HAVE_SSE2) || !defined(VACT_HAVE_SSE41) ||  \
    !defined(VACT_HAVE_AVX2) || !defined(VACT_HAVE_AVX512) || \
    !defined(VACT_HAVE_NEON)
#error "the build defines VACT_HAVE_<ISA> (vact_add_isa_definitions)"
#endif

namespace {

#if defined(__x86_64__) || defined(_M_X64)
constexpr const char* architecture = "x86_64";
#elif defined(__aarch64__) || defined(_M_ARM64)
constexpr const char* architecture = "aarch64";
#else
constexpr const char* architecture = "other";
#endif

struct feature {
  const char* name;
  bool present;
};

struct isa_info {
  const char* name;
  bool compiled;
  bool supported;
  bool active;
};

struct report {
  std::string version;
  std::vector<feature> cpu;
  std::vector<isa_info> isas;
  const char* active = "";
  const char* vact_isa_env = nullptr;  // VACT_ISA, when set
  std::vector<std::string> ops;
};

bool compiled_in(vact_isa isa) {
  switch (isa) {
    case VACT_ISA_SCALAR:
      return true;
    case VACT_ISA_SSE2:
      return VACT_HAVE_SSE2 != 0;
    case VACT_ISA_SSE41:
      return VACT_HAVE_SSE41 != 0;
    case VACT_ISA_AVX2:
      return VACT_HAVE_AVX2 != 0;
    case VACT_ISA_AVX512:
      return VACT_HAVE_AVX512 != 0;
    case VACT_ISA_NEON:
      return VACT_HAVE_NEON != 0;
  }
  return false;
}

report gather() {
  report r;
  r.version = vact_version();
  const vact::detail::cpu_features& cpu = vact::detail::detected_cpu_features();
  // Named as VACT_ISA names the ISAs that need them; cpu_features.hpp says
  // what each one covers (avx2: AVX2 + FMA with the OS saving YMM state...).
  r.cpu = {{"sse2", cpu.sse2},
           {"sse4.1", cpu.sse41},
           {"avx2", cpu.avx2},
           {"avx512", cpu.avx512},
           {"neon", cpu.neon},
           {"f16c", cpu.f16c},
           {"avx512_bf16", cpu.avx512_bf16}};
  const vact_isa active = vact_active_isa();  // detects; honours VACT_ISA
  r.active = vact_isa_name(active);
  for (int i = 0; i < VACT_ISA_COUNT; ++i) {
    const auto isa = static_cast<vact_isa>(i);
    r.isas.push_back({vact_isa_name(isa), compiled_in(isa),
                      vact_isa_supported(isa) != 0, isa == active});
  }
  const char* env = std::getenv("VACT_ISA");
  if (env != nullptr && *env != '\0') r.vact_isa_env = env;
  for (int i = 0; i < VACT_OP_COUNT; ++i) {
    const char* name = vact_op_name(static_cast<vact_op>(i));
    r.ops.emplace_back(name != nullptr ? name : "?");
  }
  return r;
}

const char* yes_no(bool b) { return b ? "yes" : "no"; }

void print_text(const report& r) {
  std::printf("vact %s (%s)\n", r.version.c_str(), architecture);
  std::printf("CPU features:");
  bool any = false;
  for (const feature& f : r.cpu) {
    if (!f.present) continue;
    std::printf(" %s", f.name);
    any = true;
  }
  std::printf("%s\n", any ? "" : " (none that vact uses)");
  std::printf("%-8s %-12s %-10s %s\n", "ISA", "compiled in", "supported",
              "active");
  for (const isa_info& i : r.isas) {
    std::printf("%-8s %-12s %s", i.name, yes_no(i.compiled),
                yes_no(i.supported));
    std::printf("%s\n", i.active ? "        *" : "");
  }
  std::printf("VACT_ISA: %s\n",
              r.vact_isa_env != nullptr ? r.vact_isa_env : "(not set)");
  std::printf("ops (%zu):", r.ops.size());
  for (const std::string& op : r.ops) std::printf(" %s", op.c_str());
  std::printf("\n");
}

// A JSON string literal (VACT_ISA is the one value not under our control).
std::string json_string(const char* s) {
  std::string out = "\"";
  for (const char* p = s; *p != '\0'; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

const char* json_bool(bool b) { return b ? "true" : "false"; }

void print_json(const report& r) {
  std::printf("{\n  \"version\": %s,\n",
              json_string(r.version.c_str()).c_str());
  std::printf("  \"architecture\": %s,\n", json_string(architecture).c_str());
  std::printf("  \"cpu_features\": {");
  for (std::size_t i = 0; i < r.cpu.size(); ++i)
    std::printf("%s%s: %s", i == 0 ? "" : ", ",
                json_string(r.cpu[i].name).c_str(),
                json_bool(r.cpu[i].present));
  std::printf("},\n  \"isas\": [\n");
  for (std::size_t i = 0; i < r.isas.size(); ++i) {
    const isa_info& isa = r.isas[i];
    std::printf(
        "    {\"name\": %s, \"compiled\": %s, \"supported\": %s, "
        "\"active\": %s}%s\n",
        json_string(isa.name).c_str(), json_bool(isa.compiled),
        json_bool(isa.supported), json_bool(isa.active),
        i + 1 < r.isas.size() ? "," : "");
  }
  std::printf("  ],\n  \"active_isa\": %s,\n", json_string(r.active).c_str());
  std::printf(
      "  \"vact_isa_env\": %s,\n",
      r.vact_isa_env != nullptr ? json_string(r.vact_isa_env).c_str() : "null");
  std::printf("  \"ops\": [");
  for (std::size_t i = 0; i < r.ops.size(); ++i)
    std::printf("%s%s", i == 0 ? "" : ", ",
                json_string(r.ops[i].c_str()).c_str());
  std::printf("]\n}\n");
}

void usage(std::FILE* out) {
  std::fprintf(out,
               "usage: vact-info [--json]\n"
               "Prints vact's version, the CPU features it detects, the ISAs "
               "compiled in,\nsupported and active (set VACT_ISA to force "
               "one), and the element-wise ops.\n"
               "  --json  the same, as one JSON object\n");
}

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) {
      json = true;
    } else if (std::strcmp(argv[i], "--help") == 0 ||
               std::strcmp(argv[i], "-h") == 0) {
      usage(stdout);
      return 0;
    } else {
      std::fprintf(stderr, "vact-info: unknown argument '%s'\n", argv[i]);
      usage(stderr);
      return 2;
    }
  }
  const report r = gather();
  if (json)
    print_json(r);
  else
    print_text(r);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
