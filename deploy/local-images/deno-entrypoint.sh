#!/bin/sh
# As the official image's: a Deno subcommand as the first word runs deno; anything else runs as is.
set -e
case "$1" in
  bundle | cache | completions | doc | eval | fmt | help | info | link | repl | run | task | test | types)
    exec deno "$@" ;;
esac
exec "$@"
