#!/usr/bin/env bash
# Configures and builds switchyard into build/ (or $BUILD_DIR). Pass extra CMake flags as arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/switchyard-ccache}
# Paths relative to the checkout, so that another clone of the project hits the same cache entries.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
# Every file is compiled with the precompiled header (-include cmake_pch.hxx): without these
# sloppiness flags ccache counts every such compile as uncacheable (ccache -s: 1102 of 1109).
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
# Warnings are errors here (and so in scripts/test and CI), not in a user's plain CMake build.
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} \
  -DSWITCHYARD_WERROR=ON "$@" >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)"
