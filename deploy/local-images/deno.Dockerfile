# Stand-in for denoland/deno:debian-<version>: the official image's layout on a local Debian root.
ARG BASE
FROM ${BASE}
RUN useradd --uid 1993 --user-group deno \
  && mkdir /deno-dir/ \
  && chown deno:deno /deno-dir/ \
  && ln -s /usr/bin/tini /tini
ENV DENO_DIR=/deno-dir/ \
    DENO_INSTALL_ROOT=/usr/local
ARG DENO_VERSION
ENV DENO_VERSION=${DENO_VERSION}
COPY deno /usr/bin/deno
COPY deno-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
# The stand-in only: the host's authorities, for a TLS-re-signing network.
COPY host-ca.crt /usr/local/share/hatch-stand-in/host-ca.crt
ENV DENO_CERT=/usr/local/share/hatch-stand-in/host-ca.crt
RUN chmod 755 /usr/bin/deno /usr/local/bin/docker-entrypoint.sh && deno --version
ENTRYPOINT ["/tini", "--", "docker-entrypoint.sh"]
CMD ["eval", "console.log('Welcome to Deno!')"]
