#!/usr/bin/env bash
# Makes a real Docker engine answer on unix:///var/run/docker.sock and builds the engine test image.
#
# This machine has no bridge networking and no registry: dockerd runs with --bridge=none
# --iptables=false (containers use network mode host), and the test image is imported from a local
# busybox-static rootfs. A daemon that already answers is used as it is; one this script starts is
# recorded in $BATON_DOCKER_DIR/dockerd.pid so that only it is ever stopped (.ci/docker.sh stop).
set -euo pipefail

DOCKER_DIR="${BATON_DOCKER_DIR:-/var/tmp/baton-docker}"
SOCKET=/var/run/docker.sock
IMAGE="${BATON_TEST_IMAGE:-baton-test/engine:1}"
WAIT_S="${BATON_DOCKER_WAIT_S:-60}"

log() { echo "docker.sh: $*" >&2; }

stop_ours() {
  local pidfile="$DOCKER_DIR/dockerd.pid"
  if [[ -f "$pidfile" ]]; then
    local pid; pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping dockerd pid=$pid (started by this script)"
      kill "$pid"
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    fi
    rm -f "$pidfile"
  fi
}

if [[ "${1:-}" == "stop" ]]; then
  stop_ours
  exit 0
fi

need_pkg() {
  # Installs Debian packages once; apt-get update only when something is missing.
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

if docker info >/dev/null 2>&1; then
  log "a Docker engine already answers; using it"
else
  command -v dockerd >/dev/null 2>&1 || need_pkg docker.io
  mkdir -p "$DOCKER_DIR/data" "$DOCKER_DIR/exec"
  log "starting dockerd (data=$DOCKER_DIR/data, no bridge, no iptables)"
  nohup dockerd --host "unix://$SOCKET" --bridge=none --iptables=false --ip-masq=false \
      --data-root "$DOCKER_DIR/data" --exec-root "$DOCKER_DIR/exec" --pidfile "$DOCKER_DIR/dockerd.pid" \
      >"$DOCKER_DIR/dockerd.log" 2>&1 &
  deadline=$((SECONDS + WAIT_S))
  until docker info >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "dockerd did not answer within ${WAIT_S}s; last lines of $DOCKER_DIR/dockerd.log:"
      tail -n 20 "$DOCKER_DIR/dockerd.log" >&2 || true
      exit 1
    fi
    sleep 1
  done
  log "dockerd answers (pid=$(cat "$DOCKER_DIR/dockerd.pid" 2>/dev/null || echo '?'))"
fi

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "image $IMAGE present"
  exit 0
fi

need_pkg busybox-static
rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev"
chmod 1777 "$rootfs/tmp"
cp /bin/busybox "$rootfs/bin/busybox"
for tool in sh sleep ls cat echo env ps kill true false id hostname; do
  ln -s busybox "$rootfs/bin/$tool"
done
echo "root:x:0:0:root:/:/bin/sh" >"$rootfs/etc/passwd"
# The C libraries a JVM needs, so that a JDK bind-mounted read-only from the host runs inside (tests
# run their engine agent that way). Copied from the host at the same paths; nothing is downloaded.
java_bin="$(readlink -f "$(command -v java)" 2>/dev/null || true)"
if [[ -n "$java_bin" ]]; then
  java_home="$(dirname "$(dirname "$java_bin")")"
  for f in "$java_bin" "$java_home"/lib/server/libjvm.so "$java_home"/lib/lib{java,jli,nio,net,zip,extnet,jimage,verify,management}.so; do
    [[ -e "$f" ]] || continue
    ldd "$f" 2>/dev/null | awk '/=> \// {print $3} $1 ~ /ld-linux/ {print $1}'
  done | grep -v "^$java_home" | sort -u | while read -r lib; do
    cp -L --parents "$lib" "$rootfs"
  done
fi
tar -C "$rootfs" -c . | docker import -c 'ENV PATH=/bin' - "$IMAGE" >/dev/null
log "imported $IMAGE from busybox-static"
