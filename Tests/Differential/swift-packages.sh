#!/usr/bin/env bash
# Checks out each Swift package mirrored on this machine (/opt/swift-packages/OWNER/NAME.git) at its newest
# tag into DEST/OWNER/NAME, once: the real Swift code the Swift front end is checked and scanned against.
# Case variants of one package (quick/Quick) and one name under two owners are taken once. Usage: swift-packages.sh DEST [MIRROR]
set -euo pipefail
dest=${1:?usage: swift-packages.sh DEST [MIRROR]}
mirror=${2:-/opt/swift-packages}
[ -d "$mirror" ] || { echo "no Swift package mirror at $mirror; pass its folder as the second argument"; exit 1; }
mkdir -p "$dest"
declare -A seen=()
for repo in $(find "$mirror" -mindepth 2 -maxdepth 2 -name '*.git' | sort); do
  owner=$(basename "$(dirname "$repo")")
  name=$(basename "$repo" .git)
  # One package under two owners (apple/swift-syntax and swiftlang/swift-syntax) is taken once too.
  key=$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')
  [ -z "${seen[$key]:-}" ] || continue
  seen[$key]=1
  target="$dest/$owner/$name"
  [ -d "$target" ] && continue
  tag=$(git -C "$repo" tag --sort=-v:refname | head -n 1)
  [ -n "$tag" ] || { echo "skipping $owner/$name: no tag"; continue; }
  git -c advice.detachedHead=false clone --quiet --depth 1 --branch "$tag" "file://$repo" "$target"
  echo "$owner/$name $tag"
done
