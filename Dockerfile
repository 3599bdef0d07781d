# kibana-preflight in a container, so `check` can run inside Kibana's own network namespace and
# see DNS and egress as Kibana sees them:
#   docker build -t kibana-preflight .
#   docker run --rm --network container:kibana -v "$PWD/config:/config:ro" \
#     kibana-preflight check /config/kibana.yml --url https://hooks.example.com/alert
# Multi-stage: the build stage compiles; the runtime stage has only the binary, CA
# certificates and a non-root user.
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin kibana-preflight \
    && cp target/release/kibana-preflight /usr/local/bin/kibana-preflight

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin preflight
COPY --from=build /usr/local/bin/kibana-preflight /usr/local/bin/kibana-preflight
USER 10001
ENTRYPOINT ["/usr/local/bin/kibana-preflight"]
CMD ["--help"]
