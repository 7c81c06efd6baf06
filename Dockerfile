# crier's container image: built with Rust on Debian 12, run on distroless (glibc, no shell, non-root).
#
#   docker build -t crier .
#   docker run --rm crier                 # `crier run` on the bundled example events, announcing to stdout
#   docker run --rm crier check           # any subcommand: the entrypoint is the binary itself
#
# docs/container.md explains the volumes, the token and compose.yaml; scripts/container-smoke checks the image.

# ---------------------------------------------------------------------------------------------------------
# Build stage
# ---------------------------------------------------------------------------------------------------------
FROM rust:1-bookworm AS build
WORKDIR /src

# Size over speed for the image's binary, on top of the project's [profile.release] (strip; SQLite's C
# at -Os): crier is 15.7 MB here instead of 27.6 MB, and the image 39.4 MB against a goal of 40 (the
# distroless base is 23.7 MB). opt-level=z is what brings it under: s gives a 16.7 MB binary and a
# 40.4 MB image. The bot mostly sleeps; `crier check` on a 50-event site takes milliseconds either way,
# and on 15,000 generated files 0.44 s of CPU at z, 0.36 s at s, 0.35 s with the release profile's
# opt-level 3. Override with --build-arg, e.g. CARGO_PROFILE_RELEASE_OPT_LEVEL=s or =3.
ARG CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
    CARGO_PROFILE_RELEASE_LTO=fat \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1

# 1. The dependencies alone, in their own layer, so that editing src/ does not rebuild serenity and friends.
#    Only Cargo.toml and Cargo.lock are copied. Every target they name gets a stub with an empty `main`:
#    the lib and bin paths from `cargo metadata`, and the [[bench]], [[test]], [[example]] and [[bin]]
#    tables read from Cargo.toml (metadata leaves out those whose file is missing, but cargo refuses to
#    build while one is missing), so a target added to Cargo.toml later needs no change here. crier's own
#    stub artifacts are then cleaned, so step 2 always compiles the real sources whatever their
#    timestamps. The stubs outside src/ (benches/) stay: the manifest needs them, the binary does not.
#    (A build.rs, if one is ever added, must be copied here before the build.)
COPY Cargo.toml Cargo.lock ./
# The workspace's other member, the pure core: its manifest (and its clippy.toml, harmless here).
COPY crates/crier-core/Cargo.toml crates/crier-core/
RUN set -eu; \
    { cargo metadata --no-deps --locked --format-version 1 \
        | grep -o '"src_path":"[^"]*"' | cut -d'"' -f4; \
      awk -F'"' ' \
        function flush() { if (kind != "") print (path != "" ? path : dir[kind] name ".rs"); kind = "" }; \
        BEGIN { dir["bin"] = "src/bin/"; dir["bench"] = "benches/"; dir["test"] = "tests/"; dir["example"] = "examples/" }; \
        /^\[/ { flush() }; \
        /^\[\[(bin|bench|test|example)\]\]/ { kind = $0; gsub(/[][ \t]/, "", kind); name = ""; path = "" }; \
        kind != "" && /^[ \t]*name[ \t]*=/ { name = $2 }; \
        kind != "" && /^[ \t]*path[ \t]*=/ { path = $2 }; \
        END { flush() }' Cargo.toml; \
    } | sort -u | while read -r target; do \
        echo "stub: $target"; \
        mkdir -p "$(dirname "$target")"; \
        printf '#![allow(dead_code)]\nfn main() {}\n' >"$target"; \
    done; \
    cargo build --release --locked --bin crier; \
    cargo clean --release --locked --package crier --package crier-core

# 2. crier itself and its core (only this layer is rebuilt when src/ or crates/ change).
#    The checks fail the build if the binary is still the stub, if it links OpenSSL (TLS is rustls only,
#    through reqwest's and serenity's rustls features), or if it is not stripped ([profile.release]).
COPY crates ./crates
COPY src ./src
RUN set -eux; \
    cargo build --release --locked --bin crier; \
    bin=target/release/crier; \
    "$bin" --version | grep -q '^crier '; \
    ldd "$bin"; \
    if ldd "$bin" | grep -Ei 'libssl|libcrypto'; then echo "crier links OpenSSL; use rustls" >&2; exit 1; fi; \
    file "$bin" | grep -q ', stripped'; \
    ls -l "$bin"; \
    mkdir -p /out/data /out/config; \
    ln -s /events /out/config/events; \
    cp "$bin" /out/crier

# ---------------------------------------------------------------------------------------------------------
# Runtime stage: glibc + libgcc, CA certificates, tzdata; no shell, no package manager; user 65532.
# ---------------------------------------------------------------------------------------------------------
FROM gcr.io/distroless/cc-debian12:nonroot

LABEL org.opencontainers.image.title="crier" \
      org.opencontainers.image.description="A self-hosted Discord bot that announces community meetups from the event files kept in a website repository" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0"

COPY --from=build /out/crier /usr/local/bin/crier
# The state folder (SQLite ledger, lock file), owned by the runtime user so that a named volume mounted
# here starts out writable (Docker and Podman copy the ownership into a new volume).
COPY --from=build --chown=65532:65532 /out/data /data
# The bundled example events: `docker run IMAGE` with no arguments runs the console mode on them.
# Mount a site's events over /events (read-only), or a whole site elsewhere with CRIER_EVENTS_DIR, or
# follow its git repository with CRIER_SOURCE_GIT (cloned into /data/source).
COPY events /events

# crier reads ./config.toml when it exists: mount a file at /config/config.toml, or use CRIER_* variables.
# `events_dir` defaults to ./events, and /config/events is a symlink to /events: so the image needs no
# CRIER_EVENTS_DIR, which would clash with CRIER_SOURCE_GIT (a folder and a repository at once is a
# configuration error). CRIER_STATE_DIR wins over the file's `state_dir`; override it with -e instead.
WORKDIR /config
COPY --from=build /out/config /config
ENV CRIER_STATE_DIR=/data
VOLUME ["/data"]

USER 65532:65532
# crier is PID 1 and handles SIGTERM itself (finishes the announcement in flight, then exits 0).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/crier"]
CMD ["run"]
# Exec form only: there is no shell. `crier health` exits 0 when healthy, 1 otherwise.
HEALTHCHECK --interval=1m --timeout=10s --start-period=30s --retries=3 \
    CMD ["/usr/local/bin/crier", "health"]
