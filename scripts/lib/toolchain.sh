# Provides the toolchain and infrastructure binaries the platform runs on.
# Sourced by ./platform. Everything lands in a cache outside the repository and
# is reused on later runs; only a fresh machine pays for the builds.
#
# Pinned versions live in the files that own them:
#   Node        .node-version
#   pnpm        package.json "packageManager"
#   Temporal    TEMPORAL_CLI_VERSION below (newest tag `go install` accepts)
#   FerretDB    infra/ferretdb/go.mod
#   test server infra/temporal-test-server/pom.xml
#   Temporal server TEMPORAL_SERVER_VERSION below (the server inside that CLI)
#   Helm        HELM_VERSION below
#   compose-go  infra/compose-check/go.mod

OMURGA_CACHE=${OMURGA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/omurga}
TEMPORAL_CLI_VERSION=1.5.1
# The Temporal server the CLI above embeds (`temporal --version` prints it);
# the tests run it in its non-dev mode on PostgreSQL too.
TEMPORAL_SERVER_VERSION=1.29.1
HELM_VERSION=4.3.2

step() { printf '\033[1;36m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Installs into a scratch directory and renames it into place, so an
# interrupted install never leaves a half-filled cache entry behind.
atomic_dir() { # target-dir command...
  local target=$1; shift
  local tmp="$target.partial.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  if "$@" "$tmp"; then
    rm -rf "$target"; mv "$tmp" "$target"
  else
    rm -rf "$tmp"; return 1
  fi
}

node_arch() {
  case "$(uname -m)" in
    x86_64) echo x64 ;;
    aarch64|arm64) echo arm64 ;;
    *) die "unsupported CPU architecture $(uname -m)" ;;
  esac
}

_install_node() { npm install --silent --prefix "$1" --no-save --no-package-lock "node-linux-$(node_arch)@$NODE_VERSION" >&2; }
ensure_node() {
  NODE_VERSION=$(tr -d '[:space:]' < "$ROOT/.node-version")
  local dir="$OMURGA_CACHE/node/$NODE_VERSION"
  local bin="$dir/node_modules/node-linux-$(node_arch)/bin"
  if [ ! -x "$bin/node" ]; then
    command -v npm >/dev/null || die "npm is needed once to fetch Node $NODE_VERSION from the npm registry"
    step "Installing Node $NODE_VERSION from the npm registry into $dir"
    atomic_dir "$dir" _install_node
  fi
  export PATH="$bin:$PATH"
}

_install_pnpm() { npm install --silent --prefix "$1" --no-save --no-package-lock "pnpm@$PNPM_VERSION" >&2; }
ensure_pnpm() {
  PNPM_VERSION=$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$ROOT/package.json")
  local dir="$OMURGA_CACHE/pnpm/$PNPM_VERSION"
  if [ ! -f "$dir/node_modules/pnpm/bin/pnpm.cjs" ]; then
    step "Installing pnpm $PNPM_VERSION into $dir"
    atomic_dir "$dir" _install_pnpm
  fi
  mkdir -p "$OMURGA_CACHE/shims"
  printf '#!/bin/sh\nexec node "%s" "$@"\n' "$dir/node_modules/pnpm/bin/pnpm.cjs" > "$OMURGA_CACHE/shims/pnpm"
  chmod +x "$OMURGA_CACHE/shims/pnpm"
  export PATH="$OMURGA_CACHE/shims:$PATH"
  export COREPACK_ENABLE_STRICT=0
}

ensure_dependencies() {
  # pnpm answers in about a second when node_modules already matches the lockfile.
  (cd "$ROOT" && pnpm install --frozen-lockfile --prefer-offline --reporter=append-only) >&2 \
    || die "pnpm install failed"
}

# `go build -v` names each package as it compiles; show every 25th as progress.
go_progress() { awk '{ n++; if (n % 25 == 0) printf "   ... %d packages compiled (%s)\n", n, $0 }' >&2; }

require_go() { command -v go >/dev/null || die "the Go toolchain is needed once to build $1"; }

# Builds a Go binary into its cache directory on the first run only.
# go_binary_once DIR BINARY WHAT ANNOUNCEMENT BUILDER
go_binary_once() {
  local dir=$1 binary=$2 what=$3 announcement=$4 builder=$5
  [ -x "$dir/$binary" ] && return 0
  require_go "$what"
  step "$announcement"
  atomic_dir "$dir" "$builder" || die "building $what failed"
}

_build_temporal() {
  GOBIN="$1" GOFLAGS=-buildvcs=false go install -v "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION" 2>&1 | go_progress
  [ -x "$1/temporal" ]
}
ensure_temporal() {
  local dir="$OMURGA_CACHE/temporal-cli/$TEMPORAL_CLI_VERSION"
  go_binary_once "$dir" temporal "the Temporal CLI" \
    "Building the Temporal CLI v$TEMPORAL_CLI_VERSION (dev server + UI) from its Go module; first run only, several minutes" _build_temporal
  export OMURGA_TEMPORAL_BIN="$dir/temporal"
}

# FerretDB is built with the patches in infra/ferretdb applied to a copy of
# its module (see each patch's own comment for why): atomic-writes.patch and
# postgresql-pushdown.patch. The cache entry is keyed by the version and the
# patches, so changing either rebuilds it.
FERRETDB_PATCHES="atomic-writes.patch postgresql-pushdown.patch"
_build_ferretdb() {
  local out=$1 src="$1/build" version=$FERRETDB_VERSION patch
  local module
  module=$(cd "$ROOT/infra/ferretdb" && go mod download -json "github.com/FerretDB/FerretDB@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$module" ] || return 1
  mkdir -p "$src"
  cp -R "$module" "$src/FerretDB" && chmod -R u+w "$src/FerretDB"
  # Its own repository, so that git applies the patches there whatever surrounds the cache.
  (cd "$src/FerretDB" && git init -q) || return 1
  for patch in $FERRETDB_PATCHES; do
    (cd "$src/FerretDB" && git apply -p1 "$ROOT/infra/ferretdb/$patch") || return 1
  done
  cp "$ROOT/infra/ferretdb/main.go" "$ROOT/infra/ferretdb/go.mod" "$ROOT/infra/ferretdb/go.sum" "$src/"
  (cd "$src" && go mod edit -replace "github.com/FerretDB/FerretDB=./FerretDB" &&
    GOFLAGS=-buildvcs=false go build -v -o "$out/ferretdb" . 2>&1) | go_progress
  rm -rf "$src"
  [ -x "$out/ferretdb" ]
}
ensure_ferretdb() {
  local key
  FERRETDB_VERSION=$(sed -n 's/.*github.com\/FerretDB\/FerretDB \(v[0-9.]*\).*/\1/p' "$ROOT/infra/ferretdb/go.mod")
  key=$(cd "$ROOT/infra/ferretdb" && cat $FERRETDB_PATCHES main.go | sha256sum | cut -c1-8)
  local dir="$OMURGA_CACHE/ferretdb-pg/$FERRETDB_VERSION-$key"
  go_binary_once "$dir" ferretdb FerretDB \
    "Building FerretDB $FERRETDB_VERSION (PostgreSQL backend, indexed pushdown, atomic writes) from its Go module; first run only, several minutes" _build_ferretdb
  export OMURGA_FERRETDB_BIN="$dir/ferretdb"
}

_fetch_test_server() {
  mvn -B -q -f "$ROOT/infra/temporal-test-server/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$1/lib" -DincludeScope=runtime >&2 || return 1
  cat > "$1/temporal-test-server" <<'EOF'
#!/bin/sh
# Temporal's Java time-skipping test server, run standalone.
# Usage: temporal-test-server <port> --enable-time-skipping
exec java -Xss2m -cp "$(dirname "$0")/lib/*" io.temporal.testserver.TestServer "$@"
EOF
  chmod +x "$1/temporal-test-server"
}
ensure_test_server() {
  local version
  version=$(sed -n 's/.*<temporal.version>\(.*\)<\/temporal.version>.*/\1/p' "$ROOT/infra/temporal-test-server/pom.xml")
  local dir="$OMURGA_CACHE/temporal-test-server/$version"
  if [ ! -x "$dir/temporal-test-server" ]; then
    command -v mvn >/dev/null || die "Maven is needed once to fetch io.temporal:temporal-test-server"
    command -v java >/dev/null || die "a Java runtime is needed for Temporal's time-skipping test server"
    step "Fetching Temporal's time-skipping test server $version from Maven Central"
    atomic_dir "$dir" _fetch_test_server || die "fetching the Temporal test server failed"
  fi
  export OMURGA_TEST_SERVER_BIN="$dir/temporal-test-server"
}

# The Temporal server and its SQL schema tool, built from the server's Go
# module, for the e2e run against a non-dev Temporal on PostgreSQL.
_build_temporal_server() {
  GOBIN="$1" GOFLAGS=-buildvcs=false go install -v \
    "go.temporal.io/server/cmd/server@v$TEMPORAL_SERVER_VERSION" \
    "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_SERVER_VERSION" 2>&1 | go_progress
  [ -x "$1/server" ] && [ -x "$1/sql" ] # the SQL schemas are embedded in the tool
}
ensure_temporal_server() {
  local dir="$OMURGA_CACHE/temporal-server/$TEMPORAL_SERVER_VERSION"
  go_binary_once "$dir" server "the Temporal server" \
    "Building the Temporal server v$TEMPORAL_SERVER_VERSION and its SQL tool from the Go module; first run only, several minutes" _build_temporal_server
  export OMURGA_TEMPORAL_SERVER_DIR="$dir"
}

# PostgreSQL from Debian's packages, for FerretDB (the local database) and
# for that Temporal server.
ensure_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
    command -v apt-get >/dev/null || die "PostgreSQL is needed for the local database: install Debian's postgresql package"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    step "Installing PostgreSQL from Debian's packages"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql; } >&2 || die "installing postgresql failed"
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  export OMURGA_POSTGRES_BIN_DIR="$bin"
}

# Checkers for the deployment artefacts (deploy/): Helm renders the chart,
# compose-go (Docker Compose's own loader) validates the compose file.
_build_helm() {
  GOBIN="$1" GOFLAGS=-buildvcs=false go install -v "helm.sh/helm/v4/cmd/helm@v$HELM_VERSION" 2>&1 | go_progress
  [ -x "$1/helm" ]
}
ensure_helm() {
  local dir="$OMURGA_CACHE/helm/$HELM_VERSION"
  go_binary_once "$dir" helm Helm "Building Helm v$HELM_VERSION from its Go module; first run only, a few minutes" _build_helm
  export OMURGA_HELM_BIN="$dir/helm"
}
_build_compose_check() {
  (cd "$ROOT/infra/compose-check" && GOFLAGS=-buildvcs=false go build -v -o "$1/compose-check" . 2>&1) | go_progress
  [ -x "$1/compose-check" ]
}
ensure_compose_check() {
  local key
  key=$(cat "$ROOT/infra/compose-check/go.sum" "$ROOT/infra/compose-check/main.go" | sha256sum | cut -c1-8)
  local dir="$OMURGA_CACHE/compose-check/$key"
  go_binary_once "$dir" compose-check "the compose file checker" \
    "Building the compose file checker (compose-go) from its Go module; first run only" _build_compose_check
  export OMURGA_COMPOSE_CHECK_BIN="$dir/compose-check"
}

# What only the tests need, beyond the platform itself.
ensure_test_tools() {
  ensure_test_server
  ensure_postgres
  ensure_temporal_server
  ensure_helm
  ensure_compose_check
}

# What the benchmarks compare against and load with (bench/tools: Hive Gateway,
# autocannon), installed apart from the workspace so that their dependencies
# never change the platform's. `./platform bench` calls this.
ensure_bench_tools() {
  (cd "$ROOT/bench/tools" && pnpm install --ignore-workspace --frozen-lockfile --prefer-offline --reporter=append-only) >&2 \
    || die "installing the benchmark tools failed"
}

# The front (web/): typed documents generated from the supergraph, type-checked,
# bundled into web/dist. Rebuilt only when its sources or the supergraph change,
# so a schema change that breaks a page fails here.
web_sources_hash() {
  (cd "$ROOT" && find web/src web/index.html web/vite.config.ts web/codegen.ts web/tsconfig.json web/package.json gateway/supergraph.graphql \
    -type f -not -path 'web/src/gql/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}
ensure_web() {
  local hash stamp="$ROOT/web/dist/.sources-hash"
  hash=$(web_sources_hash)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
    step "Building the web front (codegen, type-check, bundle)"
    (cd "$ROOT" && pnpm --filter @omurga/web build) >&2 || die "the web front does not build"
    echo "$hash" > "$stamp"
  fi
}

# Debian's Chromium, which the browser tests drive through playwright-core.
ensure_chromium() {
  local bin
  bin=$(command -v chromium || command -v chromium-browser || true)
  if [ -z "$bin" ]; then
    command -v apt-get >/dev/null || die "the browser tests need Chromium; install it with your package manager"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    step "Installing Chromium from the Debian archive (browser tests)"
    ($sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium) >&2 || die "installing chromium failed"
    bin=$(command -v chromium || command -v chromium-browser || true)
    [ -n "$bin" ] || die "chromium is installed but not on PATH"
  fi
  export OMURGA_CHROMIUM_BIN="$bin"
}

# Everything the platform and its tests need, in dependency order.
ensure_all() {
  mkdir -p "$OMURGA_CACHE"
  ensure_node
  ensure_pnpm
  ensure_dependencies
  ensure_web
  # The local database: FerretDB on a PostgreSQL cluster of the stack's own.
  if [ -z "${MONGODB_URI:-}" ]; then ensure_postgres; ensure_ferretdb; fi
  ensure_temporal
}
