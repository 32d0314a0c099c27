#!/usr/bin/env bash
# Installs everything racestress builds with, from the distribution's package
# archive only, and unpacks Abseil's source into .cache/ (git-ignored).
#
# --with-browser also installs Debian's Chromium, which the tests use to render
# the HTML report headless (scripts/test.sh passes it; the catalog run does not
# need it).
#
# Idempotent: a second run installs nothing and fetches nothing. Needs root or
# sudo for apt-get. Leaves apt's own configuration untouched: the deb-src
# entries Abseil's source needs live in a private, temporary apt state.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache="$root/.cache"
packages=(clang lld libclang-rt-14-dev cmake ninja-build googletest libgtest-dev
          libgmock-dev libbenchmark-dev dpkg-dev ca-certificates python3)
for arg in "$@"; do
  case "$arg" in
    --with-browser) packages+=(chromium) ;;
    *) echo "setup.sh: unknown argument '$arg' (known: --with-browser)" >&2; exit 2 ;;
  esac
done

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup.sh: run as root or install sudo" >&2; exit 2; }
  sudo_cmd=(sudo)
fi

# patch: sanitizers/abseil_mutex_tsan.patch, below.
packages+=(patch)

# The newest clang the package archive offers, beside clang 14: the presets
# build with the newest (cmake/NewestClang.cmake picks it), tsan-clang14 with
# 14. Its lld links, its llvm-symbolizer reads its debug info. Needs the
# archive's package lists: fetched once if there are none.
newest_clang() {
  apt-cache search --names-only '^clang-[0-9]+$' 2>/dev/null |
    sed -n 's/^clang-\([0-9][0-9]*\) .*/\1/p' | sort -n | tail -1
}
newest=$(newest_clang)
if [ -z "$newest" ]; then
  "${sudo_cmd[@]}" apt-get update -qq
  newest=$(newest_clang)
fi
[ -n "$newest" ] || { echo "setup.sh: the package archive offers no clang-N" >&2; exit 1; }
packages+=("clang-$newest" "lld-$newest" "llvm-$newest" "libclang-rt-$newest-dev")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup.sh: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# Abseil from the distribution's source package, so that every preset compiles
# it with the project's own sanitizer flags (the prebuilt libabsl is not
# instrumented and makes TSan report absl::Mutex-protected code as racy).
if ! ls -d "$cache"/abseil-*/CMakeLists.txt >/dev/null 2>&1; then
  apt_tmp=$(mktemp -d)
  trap 'rm -rf "$apt_tmp"' EXIT
  mkdir -p "$apt_tmp/parts" "$apt_tmp/lists/partial" "$cache"
  # Turn the binary archive entries into source entries, in the private state only.
  if [ -f /etc/apt/sources.list ]; then
    sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list > "$apt_tmp/parts/main.list"
  fi
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    case "$f" in
      *.list) sed -n 's/^deb \(.*\)/deb-src \1/p' "$f" > "$apt_tmp/parts/$(basename "$f")" ;;
      *.sources) sed 's/^Types:.*/Types: deb-src/' "$f" > "$apt_tmp/parts/$(basename "$f")" ;;
    esac
  done
  apt_opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt_tmp/parts"
            -o "Dir::State::Lists=$apt_tmp/lists" -o APT::Sandbox::User=root)
  echo "setup.sh: fetching Abseil's source package"
  apt-get "${apt_opts[@]}" update -qq || true  # a source that fails to answer is not fatal here
  (cd "$cache" && apt-get "${apt_opts[@]}" source -qq abseil >/dev/null 2>&1) || {
    echo "setup.sh: 'apt-get source abseil' failed; is a Debian/Ubuntu archive configured?" >&2
    exit 1
  }
  rm -f "$cache"/abseil_*.tar.* "$cache"/abseil_*.dsc
fi

# Abseil 20220623's Mutex hides its internal hand-offs from TSan but not the
# semaphore post that follows one, which a TSan that counts mmap as a write
# (measured: clang 22's) reports as a race on every contended absl::Mutex.
# Fixed upstream in Abseil's bb7be494 ("fix Mutex TSan annotations",
# 2022-11-28); sanitizers/abseil_mutex_tsan.patch makes the same change here.
# Applied once (patch's --dry-run tells an applied patch from an unapplied one).
absl_dir=$(ls -d "$cache"/abseil-*/ | head -1)
absl_patch="$root/sanitizers/abseil_mutex_tsan.patch"
if patch -d "$absl_dir" -p1 -R --dry-run -s -f < "$absl_patch" >/dev/null 2>&1; then
  :  # applied already
elif patch -d "$absl_dir" -p1 --dry-run -s -f < "$absl_patch" >/dev/null 2>&1; then
  patch -d "$absl_dir" -p1 -s -f < "$absl_patch"
  echo "setup.sh: patched Abseil's Mutex for TSan ($absl_patch)"
else
  echo "setup.sh: $absl_patch does not apply to $absl_dir; absl::Mutex may be reported by newer TSans" >&2
fi

echo "setup.sh: ready (clang $newest and 14; Abseil source: $(ls -d "$cache"/abseil-*/ | head -1))"
