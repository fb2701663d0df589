#!/usr/bin/env bash
# Two `arbejdsbord serve` instances on one PostgreSQL database behind nginx, in Chromium
# (issue 11): a board served by instance A shows a resolve made through B and a dækning posted to
# B; instance A is killed (SIGKILL) and the board's live stream reconnects through nginx to B.
#
# Installs what it needs (PostgreSQL, nginx; Debian packages) and starts everything itself:
# a throwaway cluster (or the one the calling shell started, scripts/pg.sh), the two instances
# and nginx with deploy/nginx/arbejdsbord-proxy.conf — the settings the deployment uses — and
# removes it all afterwards. Needs the release build (`cargo leptos build --release --split`).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
export ARBEJDSBORD_BIN="${ARBEJDSBORD_BIN:-$CARGO_TARGET_DIR/release/arbejdsbord}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$ROOT/target/site}"
[ -x "$ARBEJDSBORD_BIN" ] || { echo "e2e-two-instances.sh: no release build at $ARBEJDSBORD_BIN" >&2; exit 1; }

# nginx from Debian, without letting the package start its own server on port 80.
nginx_install() {
  command -v nginx >/dev/null && return 0
  local blocker=/usr/sbin/policy-rc.d placed=
  if [ ! -e "$blocker" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$blocker" >/dev/null && as_root chmod 755 "$blocker" && placed=1
  fi
  apt_install nginx-light || apt_install nginx
  local status=$?
  if [ -n "$placed" ]; then as_root rm -f "$blocker"; fi
  return $status
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# shellcheck source=pg.sh
source "$ROOT/scripts/pg.sh"
pg_install
pg_start >/dev/null
nginx_install

work="$(mktemp -d "${TMPDIR:-/tmp}/arbejdsbord-two.XXXXXXXX")"
chmod 755 "$work"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    for log in a.log b.log nginx-error.log; do
      [ -s "$work/$log" ] && { echo "--- $log (last lines)"; tail -n 30 "$work/$log"; }
    done
  fi
  rm -rf -- "$work"
  pg_stop
  exit "$status"
}
trap cleanup EXIT

step "two instances on PostgreSQL behind nginx"
url="$(pg_fresh_db e2e_two)"
DATABASE_URL="$url" "$ARBEJDSBORD_BIN" demo-load --work-dir "$work/demo" >/dev/null

port_a="$(free_port)" port_b="$(free_port)" port_n="$(free_port)"
start_instance() {
  local port="$1" log="$2"
  DATABASE_URL="$url" LEPTOS_SITE_ADDR="127.0.0.1:$port" ARBEJDSBORD_TRUST_PROXY=true \
    "$ARBEJDSBORD_BIN" serve >"$work/$log" 2>&1 &
  pids+=("$!")
}
start_instance "$port_a" a.log
pid_a="${pids[-1]}"
start_instance "$port_b" b.log
for port in "$port_a" "$port_b"; do
  for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "instance on $port is not ready" >&2; exit 1; }
done

# A is the primary and B the backup, so the board's page is served by A until A dies; every
# answer of a page says which instance served it (X-Upstream).
mkdir -p "$work/nginx-temp"
chmod 1777 "$work/nginx-temp"
cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
worker_processes 1;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx-temp/body;
    proxy_temp_path $work/nginx-temp/proxy;
    upstream arbejdsbord {
        server 127.0.0.1:$port_a max_fails=1 fail_timeout=30s;
        server 127.0.0.1:$port_b backup;
        keepalive 32;
    }
    server {
        listen 127.0.0.1:$port_n;
        add_header X-Upstream \$upstream_addr always;
        include $ROOT/deploy/nginx/arbejdsbord-proxy.conf;
    }
}
CONF
nginx -p "$work" -e "$work/nginx-error.log" -c "$work/nginx.conf" -g 'daemon off;' &
pids+=("$!")
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port_n/health/ready" >/dev/null 2>&1 && break
  sleep 0.1
done

export E2E_NGINX_URL="http://127.0.0.1:$port_n" E2E_A_URL="http://127.0.0.1:$port_a" E2E_B_URL="http://127.0.0.1:$port_b"
export E2E_A_PID="$pid_a" E2E_DATABASE_URL="$url" E2E_WORK_DIR="$work"
(cd end2end && npx playwright test --config playwright.scale.config.ts "$@")
