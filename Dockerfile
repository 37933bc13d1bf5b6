# Turnpike container image: a TURN/STUN relay (RFC 8656, RFC 8489) with an XDP fast path.
# docs/deployment.md explains how to run it. scripts/test-image builds this file with podman and
# runs the image in network namespaces (healthcheck, probe, XDP relaying in the kernel as uid
# 10001 with only BPF, PERFMON and NET_ADMIN, `turnpike stats`, drain on SIGTERM);
# scripts/check-runtime-deps
# proves the runtime packages (deploy/packages.txt) against the same `swift build`.
#
#   docker build -t turnpike .
#   docker run --network host -v /etc/turnpike:/etc/turnpike:ro turnpike
#   docker run --network host --cap-drop ALL --cap-add BPF --cap-add PERFMON --cap-add NET_ADMIN \
#     ... turnpike                                                                        (XDP)
#
# Ports (EXPOSE below; with --network host they are the host's):
#   3478/udp, 3478/tcp  STUN/TURN (listen.udp, listen.tcp)
#   5349/tcp            TURN over TLS (listen.tls, only when tls.certificate is set)
#   9478/tcp            /metrics /healthz /readyz (http.address; default 127.0.0.1:9478, so only
#                       the HEALTHCHECK sees it until you set http.address to a reachable address)
#   relay.port-min..relay.port-max/udp (default 49152-65535) - the relayed traffic. EXPOSE cannot
#                       name 16384 ports usefully: run with host networking (recommended), or
#                       narrow the range and publish exactly it (-p 50000-50999:50000-50999/udp)
#                       with relay.advertised-ipv4 set to the host's public address.
#
# Capabilities (docs/deployment.md, "Capabilities in a container"): the process runs as uid 10001
# and holds those of these that the container is given (--cap-add; Kubernetes capabilities.add),
# through the entrypoint deploy/container/entrypoint:
#   none              for the defaults: ports 3478/5349 are above 1024;
#   NET_BIND_SERVICE  only for listen ports below 1024 (for example TURN over TLS on 443);
#   BPF + PERFMON + NET_ADMIN  for xdp.mode other than off (load the XDP program: the verifier
#                     refuses it without PERFMON; attach it); this also needs host networking
#                     (the program attaches to the host's interfaces).
# They reach the process through file capabilities, which no_new_privs disables: do not run with
# --security-opt no-new-privileges (Kubernetes: allowPrivilegeEscalation: false) if you want them.

# Build stage. The project builds with Swift 6.3: the exact tag must exist on Docker Hub when you
# build (official images are published as swift:<major>.<minor>-bookworm); pin a digest for
# reproducible builds. The runtime stage below must stay on the same Debian release (bookworm).
FROM swift:6.3-bookworm AS build
# libbpf-dev, libsodium-dev: headers of CLibbpf and CSodium; linux-libc-dev: kernel UAPI headers
# for ebpf/turnpike.bpf.c; pkg-config: finds the libraries. The BPF target comes from the Swift
# toolchain's own clang (/usr/bin/clang in this image, used by TurnpikeBPFPlugin; docs/xdp.md):
# Debian's `clang` package is deliberately not installed, as its /usr/bin/clang would replace the
# toolchain's, which also compiles the package's C targets.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libbpf-dev libsodium-dev linux-libc-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what the package's manifest names (tests and fuzz targets must exist for it to load), so
# that a change to docs or scripts does not invalidate the build below. Package.resolved is not
# committed, so dependency versions are those resolved at build time (fetched from GitHub).
COPY Package.swift ./
COPY Sources Sources
COPY Plugins Plugins
COPY ebpf ebpf
COPY Tests Tests
COPY Fuzz Fuzz
RUN swift build -c release --static-swift-stdlib --product turnpike
# The binary is stripped (161 MB with symbols); its symbols stay in this stage as
# /out/turnpike.debug (docker build --target build, then copy it out) for symbolizing a crash,
# linked by a .gnu_debuglink section.
RUN bin="$(swift build -c release --static-swift-stdlib --product turnpike --show-bin-path)/turnpike" \
 && mkdir -p /out \
 && objcopy --only-keep-debug "$bin" /out/turnpike.debug \
 && strip --strip-all -o /out/turnpike "$bin" \
 && objcopy --add-gnu-debuglink=/out/turnpike.debug /out/turnpike \
 && chmod 0755 /out/turnpike

# Runtime stage: only the packages of deploy/packages.txt, the same file the CI check reads, and
# libcap2 (libcap.so.2, already part of debian:bookworm-slim) for a copy of capsh that carries
# CAP_NET_BIND_SERVICE, CAP_NET_ADMIN, CAP_BPF and CAP_PERFMON as permitted file capabilities, which
# deploy/container/entrypoint uses. libcap2-bin (capsh, setcap) is installed for that step only;
# the capabilities are set here rather than in the build stage because not every builder's
# COPY --from keeps the security.capability extended attribute.
FROM debian:bookworm-slim
COPY deploy/packages.txt /tmp/packages.txt
RUN apt-get update \
 && { grep -v -e '^#' -e '^[[:space:]]*$' /tmp/packages.txt; echo libcap2; echo libcap2-bin; } \
      | DEBIAN_FRONTEND=noninteractive xargs apt-get install -y --no-install-recommends \
 && install -D -m 0755 /usr/sbin/capsh /usr/local/libexec/turnpike/capsh \
 && setcap cap_net_bind_service,cap_net_admin,cap_bpf,cap_perfmon=p /usr/local/libexec/turnpike/capsh \
 && DEBIAN_FRONTEND=noninteractive apt-get purge -y libcap2-bin \
 && rm -rf /var/lib/apt/lists/* /tmp/packages.txt
# A non-root user; /run/turnpike holds the admin socket (admin.socket default).
RUN useradd --system --user-group --uid 10001 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin turnpike \
 && install -d -o turnpike -g turnpike -m 0750 /run/turnpike \
 && install -d -m 0755 /etc/turnpike
COPY --from=build /out/turnpike /usr/local/bin/turnpike
COPY deploy/container/entrypoint /usr/local/bin/turnpike-entrypoint
USER turnpike

# Configuration: mount a file at /etc/turnpike/turnpike.yaml (docs/configuration.md;
# deploy/turnpike.example.yaml is a complete one) and/or set TURNPIKE_* variables, which override
# the file key by key (docker run -e TURNPIKE_RELAY_ADVERTISED_IPV4=203.0.113.7 ...). Secrets such as
# TURNPIKE_AUTH_SHARED_SECRETS belong in the environment from a secret store, not in the image.
# TURNPIKE_CONFIG names the file for every command, so `docker exec CONTAINER turnpike stats` finds
# the admin socket (admin.socket) the server uses without flags. To configure through the
# environment alone: `docker run -e TURNPIKE_CONFIG= ... turnpike serve`.
ENV TURNPIKE_CONFIG=/etc/turnpike/turnpike.yaml
EXPOSE 3478/udp 3478/tcp 5349/tcp 9478/tcp

# /healthz through bash's /dev/tcp (bash is in debian:bookworm-slim), so no HTTP client has to be
# installed: healthy when the status line says 200. It needs http.address to listen on 127.0.0.1 or
# 0.0.0.0 at port 9478; otherwise set HEALTHCHECK_HOST and HEALTHCHECK_PORT to match.
ENV HEALTHCHECK_HOST=127.0.0.1 HEALTHCHECK_PORT=9478
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/$HEALTHCHECK_HOST/$HEALTHCHECK_PORT && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r -t 2 version status rest <&3 && [ \"$status\" = 200 ]"]

# SIGTERM starts the drain (drain.deadline, default 10m): give `docker stop -t` / the pod's
# terminationGracePeriodSeconds at least that long. SIGHUP reloads the configuration.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/turnpike-entrypoint"]
CMD ["serve", "--config", "/etc/turnpike/turnpike.yaml"]
