#!/usr/bin/env bash
# The first command of the quick start: installs what is missing, builds ferry (release) and
# runs its main job on the embedded example — propose-downstream in local mode: the upstream
# project examples/hello (made a git repository with the tag v1.3.0) into a local dist-git
# clone of examples/hello-dist-git, with a directory lookaside. No network, no tokens.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} # cache hits across clones
export CCACHE_NOHASHDIR=true # -g would hash the clone's directory into every key
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target ferry >/dev/null
ferry=$PWD/build/release/runner/ferry

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
git_as_demo() { git -c user.name='Ferry Demo' -c user.email=demo@example.org "$@"; }
show() { printf '\n$ %s\n' "$*"; }

# The upstream project at its release tag, and the package's dist-git clone.
cp -r examples/hello "$work/hello"
cp -r examples/hello-dist-git "$work/hello-dist-git"
(cd "$work/hello" && git init -q -b main && git add -A && git_as_demo commit -q -m 'hello 1.3.0' \
  && git tag v1.3.0)
(cd "$work/hello-dist-git" && git init -q -b rawhide && git add -A \
  && git_as_demo commit -q -m 'hello 1.2.0')

show ferry --version
"$ferry" --version
show ferry validate-config .packit.yaml
(cd "$work/hello" && "$ferry" validate-config .packit.yaml)

export RPM_PACKAGER='Ferry Demo <demo@example.org>'
cd "$work/hello"
show ferry propose-downstream --local --dist-git ../hello-dist-git --lookaside ../lookaside
"$ferry" propose-downstream --local --dist-git ../hello-dist-git --lookaside ../lookaside

show git -C ../hello-dist-git show ferry/rawhide/propose-downstream
git -C ../hello-dist-git --no-pager show --stat --patch ferry/rawhide/propose-downstream

show find ../lookaside -type f
(cd .. && find lookaside -type f)

show ferry propose-downstream --local --dist-git ../hello-dist-git --lookaside ../lookaside \
  "  # again: nothing changes"
"$ferry" propose-downstream --local --dist-git ../hello-dist-git --lookaside ../lookaside
