#!/usr/bin/env bash
# The one entry point for people and CI.
#
#   ./build.sh          build the demo into dist/ and serve it on http://127.0.0.1:8080
#   ./build.sh dist     build the deployable bundle and demo site into dist/ only
#   ./build.sh test     every check: formatting, lints, native tests, browser tests
#   ./build.sh eval     search quality on the judged queries, Qidiruv beside Pagefind
#                       (tests/eval/; extra arguments go to eval.mjs)
#   ./build.sh bench [N]  scale and speed on N synthetic articles (default 100000), Qidiruv
#                       beside Pagefind, one table per network profile (local, broadband,
#                       mobile), served over HTTP/2 with TLS (tests/bench/; slow, not part of test)
#   ./build.sh bench N --profile mobile  one profile's table (repeat --profile for several);
#                       --http1 serves HTTP/1.1 instead, --out FILE writes the tables elsewhere
#   ./build.sh bench churn [N]  what one publish changes (new, edited, deleted articles)
#                       on N articles (default 10000), beside Pagefind
#
# Each command installs what it is missing first (the wasm32 target,
# wasm-bindgen-cli at the version in Cargo.lock, npm tools, Chromium).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

ROOT=$PWD
DIST=$ROOT/dist
PORT=${PORT:-8080}
WASM_TARGET=wasm32-unknown-unknown
# The widget's wasm is built with this pinned nightly, which rebuilds std for
# size (see build_widget); everything else builds with the stable toolchain.
WASM_TOOLCHAIN=nightly-2026-05-20
DEMO_CORPUS=$ROOT/www/demo-articles.jsonl

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# --- set-up -------------------------------------------------------------------

ensure_wasm_target() {
  rustup target list --installed | grep -qx "$WASM_TARGET" || rustup target add "$WASM_TARGET"
}

ensure_wasm_toolchain() {
  if ! rustup toolchain list | grep -q "^$WASM_TOOLCHAIN"; then
    say "installing the Rust toolchain $WASM_TOOLCHAIN for the widget's wasm (≈ 15 s, once)"
    rustup toolchain install "$WASM_TOOLCHAIN" --profile minimal --component rust-src
  fi
}

# wasm-bindgen-cli must be exactly the wasm-bindgen version the widget links.
ensure_wasm_bindgen() {
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]]; then
    say "installing wasm-bindgen-cli $want (a few minutes, once)"
    # Not --locked: its lockfile pins a crate version the registry no longer has.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

ensure_npm_tools() {
  if [[ ! -x node_modules/.bin/wasm-opt || ! -x node_modules/.bin/esbuild ||
    package-lock.json -nt node_modules/.package-lock.json ]]; then
    say "installing npm tools"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

ensure_browser() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# The benchmark reads wall time and peak memory from GNU time's -v report.
ensure_gnu_time() {
  if [[ ! -x /usr/bin/time ]]; then
    say "installing GNU time"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
  fi
}

# The benchmark serves over TLS with a certificate it makes with openssl.
ensure_openssl() {
  if ! command -v openssl >/dev/null; then
    say "installing openssl"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null
  fi
}

# --- build --------------------------------------------------------------------

# Raw, gzip and brotli sizes of the files given, one line each.
print_sizes() {
  local f
  for f in "$@"; do
    printf '  %-28s %8d B raw  %7d B gzip  %7s B brotli\n' "$(basename "$f")" "$(wc -c <"$f")" \
      "$(gzip -9c "$f" | wc -c)" "$(command -v brotli >/dev/null && brotli -9c "$f" | wc -c || echo '-')"
  done
}

# The widget's wasm, with std rebuilt for size: panics abort at once instead
# of formatting a message no page shows (-20 KB brotli), and std's
# `optimize_for_size` picks its small sorts (-8 KB); 203 → 175 KB in all.
# Its own target directory: these flags would otherwise rebuild the wasm
# artifacts that clippy, on the stable toolchain, keeps in target/.
build_widget() {
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none" \
    cargo "+$WASM_TOOLCHAIN" build --profile wasm-release -p qidiruv-widget --target "$WASM_TARGET" \
    --target-dir target/widget -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
}

build_dist() {
  ensure_wasm_target
  ensure_wasm_toolchain
  ensure_wasm_bindgen
  ensure_npm_tools
  say "building the indexer and the widget"
  cargo build --release -p qidiruv
  build_widget

  local staging=$ROOT/.dist-staging
  rm -rf "$staging"
  mkdir -p "$staging/qidiruv"
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$staging/qidiruv" "target/widget/$WASM_TARGET/wasm-release/qidiruv_widget.wasm"
  # Inlining every single-caller function (wasm-opt's default) makes the wasm smaller raw but
  # 16 KB larger after brotli: only small ones are inlined. --converge repeats the passes while
  # they still shrink it. --low-memory-unused folds constant address offsets into loads and
  # stores, safe because Rust never reaches the first KiB by wrapping an address around.
  node_modules/.bin/wasm-opt -Oz --converge --one-caller-inline-max-function-size=20 --strip-debug \
    --low-memory-unused \
    --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
    "$staging/qidiruv/qidiruv_widget_bg.wasm" -o "$staging/qidiruv/qidiruv_widget_bg.wasm"
  # Shipped minified: the loader runs on every page, and the glue and styles come with the widget.
  local esbuild=(node_modules/.bin/esbuild --minify --log-level=warning)
  "${esbuild[@]}" www/qidiruv/qidiruv.js --outfile="$staging/qidiruv/qidiruv.js"
  "${esbuild[@]}" "$staging/qidiruv/qidiruv_widget.js" --outfile="$staging/qidiruv/qidiruv_widget.js" --allow-overwrite
  "${esbuild[@]}" www/qidiruv/qidiruv.css --outfile="$staging/qidiruv/qidiruv.css"

  say "indexing the demo corpus"
  target/release/qidiruv build "$DEMO_CORPUS" --out "$staging/search"
  python3 www/render_site.py "$DEMO_CORPUS" "$staging"

  rm -rf "$DIST"
  mv "$staging" "$DIST"
  say "dist/ is ready; the widget's payload:"
  print_sizes "$DIST"/qidiruv/*.{js,wasm,css}
}

serve() {
  say "serving the demo at http://127.0.0.1:$PORT/ (Ctrl+C stops)"
  exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$DIST"
}

# --- checks -------------------------------------------------------------------

run_tests() {
  ensure_wasm_target
  say "formatting and lints"
  cargo fmt --all --check
  cargo clippy --workspace --all-targets -- -D warnings
  cargo clippy -p qidiruv-widget --target "$WASM_TARGET" -- -D warnings
  say "native tests"
  cargo test --workspace
  build_dist
  ensure_browser
  say "browser tests"
  node --test --test-concurrency=1 tests/e2e/
  say "search-quality floor"
  node --test tests/eval/
  say "benchmark harness helpers"
  node --test tests/bench/
}

# Search quality on the judged queries over ../shared/corpus (tests/eval/README.md).
run_eval() {
  if [[ ! -f ../shared/corpus/dev.jsonl ]]; then
    say "eval skipped: ../shared/corpus/dev.jsonl is not there"
    return 0
  fi
  ensure_npm_tools
  ensure_browser
  cargo build --release -p qidiruv
  node tests/eval/eval.mjs "$@"
}

# Scale and speed on N synthetic articles from ../shared/corpus/make_scale.py (tests/bench/README.md).
run_bench() {
  if [[ ! -f ../shared/corpus/make_scale.py ]]; then
    echo "bench: ../shared/corpus/make_scale.py is not there" >&2
    exit 1
  fi
  if [[ "${1:-}" == churn ]]; then
    ensure_npm_tools
    ensure_gnu_time
    cargo build --release -p qidiruv
    node tests/bench/churn.mjs "${@:2}"
    return
  fi
  build_dist
  ensure_browser
  ensure_gnu_time
  ensure_openssl
  say "building the native query bench"
  cargo bench --no-run -q -p qidiruv --bench index_dir
  node tests/bench/bench.mjs "$@"
}

case "${1:-serve}" in
  serve) build_dist && serve ;;
  dist) build_dist ;;
  test) run_tests ;;
  eval) shift && run_eval "$@" ;;
  bench) shift && run_bench "$@" ;;
  *)
    echo "usage: $0 [serve|dist|test|eval|bench [N] [--profile local|broadband|mobile] [--http1] [--out FILE]]" >&2
    exit 2
    ;;
esac
