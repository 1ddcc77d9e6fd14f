#!/usr/bin/env bash
# Builds local stand-ins for the two images Hatch's Dockerfile and docker-compose.yaml pull,
# for machines that reach Debian's and npm's package archives but no container registry:
#   denoland/deno:debian-2.9.6  a Debian bookworm root (debootstrap) with Deno's own binary from
#                               the npm package @deno/linux-x64-glibc, user deno (uid 1993),
#                               DENO_DIR=/deno-dir, tini as entrypoint: the official layout
#   postgres:15                 Debian's postgresql-15 behind an entrypoint that honours
#                               POSTGRES_USER, POSTGRES_DB and POSTGRES_PASSWORD(_FILE)
# An image already present is kept (delete it to rebuild). Needs root, debootstrap, npm and a
# running docker daemon; DOCKER names the client (default: docker).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
docker="${DOCKER:-docker}"
deno_version="${DENO_VERSION:-2.9.6}"
base="hatch-stand-in/bookworm:minbase"
# Outgoing TLS may be re-signed by a local authority: the stand-ins (never Hatch's own image)
# trust the host's bundle.
ca_bundle="${HATCH_STAND_IN_CA:-/etc/ssl/certs/ca-certificates.crt}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

has() { "$docker" image inspect "$1" >/dev/null 2>&1; }

if ! has "$base" && { ! has "denoland/deno:debian-$deno_version" || ! has postgres:15; }; then
  echo "stand-ins: debootstrap bookworm (minbase, tini)"
  debootstrap --variant=minbase --include=tini bookworm "$work/rootfs" http://deb.debian.org/debian \
    >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }
  rm -rf "$work/rootfs"/var/cache/apt/archives/*.deb "$work/rootfs"/var/lib/apt/lists/*
  tar -C "$work/rootfs" -c . | "$docker" import - "$base" >/dev/null
  rm -rf "$work/rootfs"
fi

if ! has "denoland/deno:debian-$deno_version"; then
  echo "stand-ins: denoland/deno:debian-$deno_version"
  mkdir -p "$work/deno"
  (cd "$work" && npm pack --silent "@deno/linux-x64-glibc@$deno_version" >/dev/null)
  tar -xzf "$work"/deno-linux-x64-glibc-*.tgz -C "$work" package/deno
  mv "$work/package/deno" "$work/deno/deno"
  cp "$ca_bundle" "$work/deno/host-ca.crt"
  cp "$here/deno-entrypoint.sh" "$here/deno.Dockerfile" "$work/deno/"
  DOCKER_BUILDKIT=0 "$docker" build -q -f "$work/deno/deno.Dockerfile" \
    --build-arg "BASE=$base" --build-arg "DENO_VERSION=$deno_version" \
    -t "denoland/deno:debian-$deno_version" "$work/deno" >/dev/null
fi

if ! has postgres:15; then
  echo "stand-ins: postgres:15"
  mkdir -p "$work/pg"
  cp "$here/postgres-entrypoint.sh" "$here/postgres.Dockerfile" "$work/pg/"
  DOCKER_BUILDKIT=0 "$docker" build -q -f "$work/pg/postgres.Dockerfile" \
    --build-arg "BASE=$base" -t postgres:15 "$work/pg" >/dev/null
fi
