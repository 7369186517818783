#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds vact the way a user would consume it, for a static and a shared
# library, and runs the consumer programs in tests/consumers/:
#   1. builds vact and `cmake --install`s it into a temporary prefix; checks
#      the installed files, that vact::vact's exported targets do not mention
#      xsimd, vactConfigVersion.cmake (check_version_file.cmake), the shared
#      library's SONAME and exports (tests/check_exports.sh), and the
#      installed vact-info;
#   2. find_package(vact): the C and C++ projects with find_package(xsimd)
#      disabled (the array API must not need xsimd), the simd project with
#      COMPONENTS simd; that COMPONENTS simd fails cleanly without xsimd,
#      and OPTIONAL_COMPONENTS and unknown components (components/);
#   3. add_subdirectory: the C project (static) or the simd project
#      (shared) with vact's source tree as its third_party/vact (and vact's
#      tests, tools, examples and install rules off, as it is not the
#      top-level project);
#   4. FetchContent (static only): the C++ project, with
#      FETCHCONTENT_SOURCE_DIR_VACT set to the source tree (no download);
#   5. pkg-config: main.c with `cc $(pkg-config --cflags --libs vact)`, and
#      main.cpp with c++.
# Each source build compiles the whole library, so steps 3 and 4
# split the consumers between the linkages rather than build each one twice:
# three source builds instead of six, about five minutes less of CI.
# Each consumer is copied into a scratch directory (a project of its own),
# compiled with -Wall -Wextra -Wconversion -Werror, and run with the
# expected version.
#
# Usage: tests/consumers/run.sh [--keep] [static|shared ...]   (default both)
#   --keep  keep the scratch directory (its path is printed)
# Environment: VACT_CONSUMER_JOBS (build jobs, default 2), CC and CXX (the
# compilers for the consumers; default cc and c++), CMAKE (default cmake),
# VACT_CONSUMER_STATIC_BUILD (a static release build of this source tree,
# already built, to install in step 1 instead of building one: .ci/run
# passes its release build, which compiles the same library with every ISA).
# Needs: cmake, a C and a C++ compiler, pkg-config, python3, binutils.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
here="$src/tests/consumers"
jobs=${VACT_CONSUMER_JOBS:-2}
cmake=${CMAKE:-cmake}
cc=${CC:-cc}
cxx=${CXX:-c++}
warnings="-Wall -Wextra -Wconversion -Werror"

keep=0
linkages=()
prebuilt_static=${VACT_CONSUMER_STATIC_BUILD:-}
if [[ -n $prebuilt_static ]]; then
  [[ -f $prebuilt_static/CMakeCache.txt ]] &&
    grep -q '^BUILD_SHARED_LIBS:BOOL=OFF' "$prebuilt_static/CMakeCache.txt" || {
    echo "run.sh: VACT_CONSUMER_STATIC_BUILD=$prebuilt_static is not a static" \
      "build tree" >&2
    exit 2
  }
  prebuilt_static=$(cd "$prebuilt_static" && pwd)
fi
for arg in "$@"; do
  case $arg in
    --keep) keep=1 ;;
    static | shared) linkages+=("$arg") ;;
    *)
      echo "usage: $0 [--keep] [static|shared ...]" >&2
      exit 2
      ;;
  esac
done
((${#linkages[@]} > 0)) || linkages=(static shared)

for tool in "$cmake" "$cc" "$cxx" pkg-config python3 nm objdump; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "run.sh: '$tool' not found (scripts/install-deps.sh installs it)" >&2
    exit 2
  }
done

version=$(sed -n 's/^project(vact VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[[ -n $version ]] || {
  echo "run.sh: cannot read vact's version from CMakeLists.txt" >&2
  exit 2
}
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)

work=$(mktemp -d "${TMPDIR:-/tmp}/vact-consumers.XXXXXX")
cleanup() {
  if ((keep)); then echo "run.sh: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Consumers must not pick these up from the caller (ctest, CI).
unset VACT_ISA PKG_CONFIG_PATH CMAKE_PREFIX_PATH LD_LIBRARY_PATH

started=$SECONDS
step_started=$SECONDS
step() {
  echo "== $*"
  step_started=$SECONDS
}
pass() { echo "   ok: $* ($((SECONDS - step_started)) s)"; }
die() {
  echo "run.sh: FAILED: $*" >&2
  exit 1
}

# Runs a command, its output to a log; on failure prints the log and stops.
logged() {
  local log=$1
  shift
  if ! "$@" >>"$log" 2>&1; then
    cat "$log" >&2
    die "$* (log: $log)"
  fi
}

# A copy of consumer $1 in $2, with vact's source tree as third_party/vact.
copy_consumer() {
  mkdir -p "$2/third_party"
  cp -R "$here/$1/." "$2/"
  ln -s "$src" "$2/third_party/vact"
}

# Configures and builds the consumer copy $1 in $1/build; extra cmake args.
build_consumer() {
  local dir=$1
  shift
  logged "$dir/build.log" "$cmake" -S "$dir" -B "$dir/build" "${generator[@]}" \
    -DCMAKE_BUILD_TYPE=Release "$@"
  logged "$dir/build.log" "$cmake" --build "$dir/build" -j "$jobs"
}
# The consumer's code alone, warnings as errors (vact's own sources, built
# in the subdirectory and FetchContent ways, get vact's warning flags).
strict=("-DCMAKE_C_FLAGS=$warnings" "-DCMAKE_CXX_FLAGS=$warnings")
# The builds from source (add_subdirectory, FetchContent) check how vact is
# consumed, not its kernels, which the installed static build compiles for
# every ISA: they compile the scalar table only (each full build takes about
# three minutes on two cores, the avx2 table alone one; off x86-64 these
# options change nothing).
source_build_isas=(-DVACT_ENABLE_SSE2=OFF -DVACT_ENABLE_SSE41=OFF
  -DVACT_ENABLE_AVX2=OFF -DVACT_ENABLE_AVX512=OFF)

# Runs a consumer program with the expected version; prints its OK line.
run_consumer() {
  local out
  out=$("$@" "$version" 2>&1) || {
    echo "$out" >&2
    die "$*"
  }
  echo "   $out"
}

for linkage in "${linkages[@]}"; do
  shared=OFF
  [[ $linkage == shared ]] && shared=ON
  base="$work/$linkage"
  prefix="$base/prefix"
  mkdir -p "$base"

  # ---- 1. build and install ---------------------------------------------
  # The static library compiles every ISA; the shared one the scalar table,
  # as the source builds do (its exports and SONAME do not depend on the
  # ISAs, and a full build is minutes of CI).
  install_isas=()
  [[ $linkage == shared ]] && install_isas=("${source_build_isas[@]}")
  vact_build="$base/vact"
  if [[ $linkage == static && -n $prebuilt_static ]]; then
    vact_build=$prebuilt_static
    step "static: install $vact_build (VACT_CONSUMER_STATIC_BUILD) into $prefix"
  else
    step "$linkage: build vact and install it into $prefix"
    logged "$base/vact.log" "$cmake" -S "$src" -B "$vact_build" \
      "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=$shared \
      "${install_isas[@]}" -DVACT_BUILD_TESTS=OFF -DVACT_BUILD_BENCHMARKS=OFF \
      -DVACT_BUILD_EXAMPLES=OFF -DCMAKE_INSTALL_LIBDIR=lib
    logged "$base/vact.log" "$cmake" --build "$vact_build" -j "$jobs"
  fi
  logged "$base/vact.log" "$cmake" --install "$vact_build" --prefix "$prefix"
  expected=(include/vact/vact.h include/vact/vact.hpp
            include/vact/simd/activations.hpp
            include/vact/simd/activations/logistic.hpp
            include/vact/simd/detail/exact.hpp
            include/vact/simd/polynomials.hpp
            lib/cmake/vact/vactConfig.cmake
            lib/cmake/vact/vactConfigVersion.cmake
            lib/cmake/vact/vactTargets.cmake
            lib/cmake/vact/vactSimdTargets.cmake
            lib/cmake/vact/VactXsimdXtl.cmake
            lib/pkgconfig/vact.pc bin/vact-info)
  if [[ $linkage == shared ]]; then
    expected+=(lib/libvact.so "lib/libvact.so.${version%%.*}"
               "lib/libvact.so.$version")
    [[ ! -e $prefix/lib/libvact.a ]] || die "shared install has libvact.a"
  else
    expected+=(lib/libvact.a)
    [[ ! -e $prefix/lib/libvact.so ]] || die "static install has libvact.so"
  fi
  for f in "${expected[@]}"; do
    [[ -e $prefix/$f ]] || die "not installed: $f"
  done
  # vact::vact's package must not need xsimd: only vactSimdTargets names it.
  if grep -l xsimd "$prefix"/lib/cmake/vact/vactTargets*.cmake; then
    die "vact::vact's exported targets mention xsimd"
  fi
  grep -q xsimd "$prefix/lib/cmake/vact/vactSimdTargets.cmake" ||
    die "vact::simd's exported target does not link xsimd"
  # Nor do its headers: vact.h and vact.hpp include no xsimd.
  for header in vact.h vact.hpp; do
    preprocessed=$(echo "#include <vact/$header>" |
      "$cxx" -E -x c++ -std=c++17 "-I$prefix/include" -) ||
      die "cannot preprocess the installed vact/$header"
    ! grep -q xsimd <<<"$preprocessed" ||
      die "installed vact/$header includes xsimd"
  done
  "$cmake" "-DVERSION_FILE=$prefix/lib/cmake/vact/vactConfigVersion.cmake" \
    "-DVERSION=$version" -P "$here/check_version_file.cmake" 2>&1 ||
    die "vactConfigVersion.cmake"
  pass "${#expected[@]} files installed; neither vactTargets.cmake nor" \
    "vact.h/vact.hpp mention xsimd"

  if [[ $linkage == shared ]]; then
    step "$linkage: exported symbols and SONAME"
    "$src/tests/check_exports.sh" "$prefix/lib/libvact.so" \
      "$src/include/vact/vact.h" | sed 's/^/   /'
  fi

  step "$linkage: installed vact-info (no LD_LIBRARY_PATH)"
  "$prefix/bin/vact-info" --json >"$base/vact-info.json" ||
    die "installed vact-info failed"
  python3 - "$base/vact-info.json" "$version" <<'EOF' || die "vact-info --json"
import json, sys
info = json.load(open(sys.argv[1]))
assert info["version"] == sys.argv[2], info["version"]
print(f"   vact-info --json: valid JSON, version {info['version']}, "
      f"active {info['active_isa']}")
EOF

  # ---- 2. find_package ------------------------------------------------------
  step "$linkage: find_package(vact) (C and C++ without xsimd, simd with it)"
  for consumer in c cxx; do
    dir="$base/package-$consumer"
    copy_consumer $consumer "$dir"
    build_consumer "$dir" "${strict[@]}" "-DCMAKE_PREFIX_PATH=$prefix" \
      -DCMAKE_DISABLE_FIND_PACKAGE_xsimd=ON
    run_consumer "$dir/build/app"
  done
  dir="$base/package-simd"
  copy_consumer simd "$dir"
  build_consumer "$dir" "${strict[@]}" "-DCMAKE_PREFIX_PATH=$prefix"
  run_consumer "$dir/build/app"
  # COMPONENTS simd without xsimd: a configure error that names xsimd.
  dir="$base/package-simd-no-xsimd"
  copy_consumer simd "$dir"
  if "$cmake" -S "$dir" -B "$dir/build" "${generator[@]}" \
    "-DCMAKE_PREFIX_PATH=$prefix" -DCMAKE_DISABLE_FIND_PACKAGE_xsimd=ON \
    >"$dir/build.log" 2>&1; then
    die "find_package(vact COMPONENTS simd) succeeded without xsimd"
  fi
  grep -q xsimd "$dir/build.log" || {
    cat "$dir/build.log" >&2
    die "find_package(vact COMPONENTS simd) without xsimd: no word of xsimd"
  }
  echo "   COMPONENTS simd without xsimd: configure fails, naming xsimd"
  for with_xsimd in ON OFF; do
    dir="$base/package-components-$with_xsimd"
    copy_consumer components "$dir"
    disable=OFF
    [[ $with_xsimd == OFF ]] && disable=ON
    logged "$dir/build.log" "$cmake" -S "$dir" -B "$dir/build" \
      "-DCMAKE_PREFIX_PATH=$prefix" "-DEXPECT_SIMD=$with_xsimd" \
      "-DCMAKE_DISABLE_FIND_PACKAGE_xsimd=$disable"
  done
  echo "   OPTIONAL_COMPONENTS simd: vact::simd exactly when xsimd is found;" \
    "an unknown component: not found"
  pass "find_package"

  # ---- 3. add_subdirectory --------------------------------------------------
  # (The C++ project is built from source by the FetchContent step below,
  # which is add_subdirectory underneath.)
  consumer=c
  [[ $linkage == shared ]] && consumer=simd
  step "$linkage: add_subdirectory(third_party/vact), the $consumer project"
  dir="$base/subdirectory-$consumer"
  copy_consumer $consumer "$dir"
  build_consumer "$dir" -DVACT_FROM=subdirectory -DBUILD_SHARED_LIBS=$shared \
    "${source_build_isas[@]}"
  run_consumer "$dir/build/app"
  # Not top-level: no tests, benchmarks, vact-info, examples, install rules.
  sub="$dir/build/third_party/vact"
  for f in tests/vact_tests bench/vact_bench tools/vact-info/vact-info \
    examples/forward_pass; do
    [[ ! -e $sub/$f ]] || die "add_subdirectory built $f"
  done
  ! grep -q 'cmake/vact' "$sub/cmake_install.cmake" ||
    die "add_subdirectory: vact's install rules are on"
  echo "   not top-level: no tests, benchmarks, vact-info, examples or" \
    "install rules"
  pass "add_subdirectory"

  # ---- 4. FetchContent ------------------------------------------------------
  if [[ $linkage == static ]]; then
    step "$linkage: FetchContent (FETCHCONTENT_SOURCE_DIR_VACT, no download)"
    dir="$base/fetchcontent-cxx"
    copy_consumer cxx "$dir"
    build_consumer "$dir" -DVACT_FROM=fetchcontent -DBUILD_SHARED_LIBS=$shared \
      "-DFETCHCONTENT_SOURCE_DIR_VACT=$src" -DFETCHCONTENT_FULLY_DISCONNECTED=ON \
      "${source_build_isas[@]}"
    run_consumer "$dir/build/app"
    pass "FetchContent"
  fi

  # ---- 5. pkg-config --------------------------------------------------------
  step "$linkage: cc/c++ \$(pkg-config --cflags --libs vact)"
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  pc_version=$(pkg-config --modversion vact)
  [[ $pc_version == "$version" ]] ||
    die "pkg-config --modversion vact: $pc_version, expected $version"
  dir="$base/pkg-config"
  mkdir -p "$dir"
  # shellcheck disable=SC2046,SC2086 # pkg-config's flags are word lists
  logged "$dir/build.log" "$cc" $warnings -o "$dir/c-app" "$here/c/main.c" \
    $(pkg-config --cflags --libs vact)
  # shellcheck disable=SC2046,SC2086
  logged "$dir/build.log" "$cxx" $warnings -std=c++17 -o "$dir/cxx-app" \
    "$here/cxx/main.cpp" $(pkg-config --cflags --libs vact)
  unset PKG_CONFIG_PATH
  # pkg-config gives no run path: a shared vact in a private prefix needs
  # the loader told where it is.
  for app in c-app cxx-app; do
    run_consumer env "LD_LIBRARY_PATH=$prefix/lib" "$dir/$app"
  done
  if [[ $linkage == static ]]; then
    for app in c-app cxx-app; do
      ! objdump -p "$dir/$app" | grep -q 'NEEDED.*libvact' ||
        die "static: $app needs a shared libvact"
    done
  fi
  pass "pkg-config (Libs: $(pkg-config --libs "$prefix/lib/pkgconfig/vact.pc"))"
done

echo "== all consumers OK (${linkages[*]}; $((SECONDS - started)) s)"
