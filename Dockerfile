# Hatch's production image: the web app (and, unless HATCH_WORKER=false, its delivery worker)
# against an external PostgreSQL given by DATABASE_URL or POSTGRES_* (see docker-compose.yaml).
#
#   docker build -t hatch .
#   docker run -p 5002:5002 -e DATABASE_URL=postgres://user:pass@host:5432/hatch hatch
#   docker run -e DATABASE_URL=… hatch deno run -A cli.ts worker     # workers alone
#
# The same Deno as the one deno.lock was written with, so `--frozen` accepts the lock as is.
ARG DENO_VERSION=2.9.6
FROM denoland/deno:debian-${DENO_VERSION}

# The base image has the unprivileged user `deno` (uid 1993) and DENO_DIR=/deno-dir owned by
# it; everything below is built as that user, so the running app owns its files and no more.
# /data holds HATCH_DATA_DIR (inbound email attachments): mount a volume there, shared by
# every replica that serves webhooks.
WORKDIR /app
RUN mkdir -p /data && chown deno:deno /app /data
USER deno

# Dependencies first, so this layer is rebuilt only when deno.json or deno.lock change.
# allowScripts in deno.json lets esbuild's and embedded-postgres's install scripts run.
COPY --chown=deno:deno deno.json deno.lock ./
RUN deno install --frozen

COPY --chown=deno:deno . .
# `build` regenerates routes.gen.ts and bundles the islands into static/islands/; the
# entrypoints are then cached too, so a container starts without fetching or compiling.
RUN deno task build && deno install --frozen --entrypoint main.ts cli.ts

ENV HATCH_HOST=0.0.0.0 \
    HATCH_PORT=5002 \
    HATCH_DATA_DIR=/data \
    HATCH_LOG_FORMAT=json
EXPOSE 5002

# The image has neither curl nor wget; Deno itself asks /health (liveness, no database).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["deno", "eval", "const r = await fetch(`http://127.0.0.1:${Deno.env.get('HATCH_PORT') ?? 5002}/health`).catch(() => null); Deno.exit(r?.ok ? 0 : 1)"]

# main.ts applies pending migrations (under a lock, so many replicas may start at once), then
# serves; the base image's tini forwards SIGTERM so it drains SSE clients and stops cleanly.
CMD ["deno", "run", "-A", "main.ts"]
