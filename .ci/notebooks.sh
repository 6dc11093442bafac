#!/usr/bin/env bash
# CI for the notebooks in notebooks/ (issue 9), on a clean machine with Node.js, npm and apt:
#   fmt      format the notebooks and fail if that changed them. This also fills deno's fmt cache, without which
#            `deno fmt --check` reports every notebook as unformatted on a cold cache (docs/deno-notes §4), so run
#            this step (or the whole script) BEFORE `deno fmt --check`.
#   cleared  the committed notebooks carry no outputs or execution counts.
#   check    type-check (and lint) the code cells, which the kernel never does: each notebook's code cells are
#            extracted to notebooks/<name>.nb.ts (next to it, so relative imports resolve) and deleted afterwards.
#   execute  run every notebook headlessly with the repo's kernelspec (jupyter/kernels/deno, found through
#            JUPYTER_PATH) and Debian's nbconvert; fail on any cell error, on a notebook without an SVG chart or
#            an HTML table, or on files written into the repository (mlruns/, flowruns/, .cache/, notebooks/).
# Usage: .ci/notebooks.sh [fmt|cleared|check|execute]...   (no argument: all four, in that order)
# Executed notebooks are kept in $NOTEBOOK_OUT (default: a new temp folder). Exit code 0 when every step passed;
# last line "notebooks: ok (N notebooks)" or "notebooks: FAILED".
set -euo pipefail
# The steps run as `step || status=1`, where bash ignores `set -e` inside them: each failing command returns explicitly.
cd "$(dirname "$0")/.."
root=$PWD
export NO_COLOR=1 RUST_BACKTRACE=0
export PATH="$root/tools/deno/node_modules/.bin:$PATH"

[ -x tools/deno/node_modules/.bin/deno ] || npm ci --prefix tools/deno --no-audit --no-fund --loglevel=error
[ -d node_modules/nodejs-polars ] || deno install --frozen --quiet

shopt -s nullglob
notebooks=(notebooks/*.ipynb)
if [ ${#notebooks[@]} -eq 0 ]; then
  echo "no notebooks in notebooks/" >&2
  exit 1
fi

step_fmt() {
  echo "== notebooks: fmt"
  local sums
  sums=$(mktemp)
  sha256sum "${notebooks[@]}" >"$sums" || return 1
  deno fmt --quiet "${notebooks[@]}" || return 1
  if ! sha256sum --quiet -c "$sums"; then
    echo "the notebooks above were not formatted; 'deno fmt notebooks' has now formatted them: commit that" >&2
    rm -f "$sums"
    return 1
  fi
  rm -f "$sums"
}

step_cleared() {
  echo "== notebooks: outputs cleared"
  deno eval --quiet '
    import { parseNotebook, summarizeOutputs } from "./src/notebook/ipynb.ts";
    let bad = 0;
    for (const path of Deno.args) {
      const summary = summarizeOutputs(parseNotebook(Deno.readTextFileSync(path), path));
      const withOutputs = summary.codeCells - summary.silentCells;
      if (withOutputs > 0 || summary.executedCells > 0) {
        console.error(`${path}: ${withOutputs} cells with outputs, ${summary.executedCells} with execution counts; ` +
          `clear them: jupyter nbconvert --clear-output --inplace ${path}`);
        bad++;
      }
    }
    if (bad > 0) Deno.exit(1);
  ' "${notebooks[@]}"
}

step_check() {
  echo "== notebooks: type-check and lint the code cells"
  local extracted=()
  local nb
  for nb in "${notebooks[@]}"; do extracted+=("${nb%.ipynb}.nb.ts"); done
  # shellcheck disable=SC2064
  trap "rm -f ${extracted[*]}" RETURN
  deno eval --quiet '
    import { notebookToTypeScript, parseNotebook } from "./src/notebook/ipynb.ts";
    for (const path of Deno.args) {
      const source = notebookToTypeScript(parseNotebook(Deno.readTextFileSync(path), path));
      Deno.writeTextFileSync(path.replace(/\.ipynb$/, ".nb.ts"), `// Extracted from ${path} for deno check.\n${source}`);
    }
  ' "${notebooks[@]}" || return 1
  deno check --quiet "${extracted[@]}" || return 1
  deno lint --quiet "${extracted[@]}" || return 1
}

ensure_nbconvert() {
  if [ -x /usr/bin/jupyter-nbconvert ] && /usr/bin/python3 -c "import nbclient" 2>/dev/null; then return; fi
  echo "installing jupyter-nbconvert and python3-nbclient (apt)"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    jupyter-nbconvert python3-nbclient >/dev/null
}

step_execute() {
  echo "== notebooks: execute with the repo's Deno kernel"
  ensure_nbconvert || return 1
  local out="${NOTEBOOK_OUT:-$(mktemp -d -t notebooks-XXXXXX)}"
  mkdir -p "$out"
  local marker
  marker=$(mktemp)
  local failed=0 nb name began ended
  local timings=()
  for nb in "${notebooks[@]}"; do
    name=$(basename "$nb")
    began=$(date +%s%N)
    # Debian's jupyter (its shebang is /usr/bin/python3; another python3 first on PATH may lack jupyter).
    if JUPYTER_PATH="$root/jupyter" /usr/bin/jupyter nbconvert --log-level=WARN --to notebook --execute \
      --ExecutePreprocessor.kernel_name=deno --ExecutePreprocessor.timeout=300 --output-dir "$out" "$nb" \
      2> >(grep -v '"deno jupyter" is unstable' >&2); then
      ended=$(date +%s%N)
      timings+=("$name=$(((ended - began) / 1000000))")
    else
      echo "FAILED: $nb (a cell raised; the error is above)" >&2
      failed=$((failed + 1))
    fi
  done
  local written
  written=$(find mlruns flowruns .cache notebooks -newer "$marker" 2>/dev/null | head -20 || true)
  rm -f "$marker"
  if [ -n "$written" ]; then
    echo "the notebooks wrote into the repository (they must use temp folders):" >&2
    echo "$written" >&2
    failed=$((failed + 1))
  fi
  local executed=()
  for nb in "${notebooks[@]}"; do
    [ -f "$out/$(basename "$nb")" ] && executed+=("$out/$(basename "$nb")")
  done
  if [ ${#executed[@]} -gt 0 ]; then
    deno eval --quiet '
      import { parseNotebook, summarizeOutputs } from "./src/notebook/ipynb.ts";
      const [timings, ...paths] = Deno.args;
      const ms = Object.fromEntries(timings.split(" ").filter((t) => t).map((t) => t.split("=")));
      let bad = 0;
      console.log("notebook                          seconds  charts  tables");
      for (const path of paths) {
        const name = path.split("/").pop()!;
        const s = summarizeOutputs(parseNotebook(Deno.readTextFileSync(path), path));
        console.log(`${name.padEnd(32)} ${(Number(ms[name]) / 1000).toFixed(1).padStart(8)} ${String(s.charts).padStart(7)} ${String(s.tables).padStart(7)}`);
        for (const e of s.errors) console.error(`${name}: cell ${e.cell}: ${e.ename}: ${e.evalue}`);
        if (s.charts === 0) console.error(`${name}: no SVG chart output`);
        if (s.tables === 0) console.error(`${name}: no HTML table output`);
        if (s.errors.length > 0 || s.charts === 0 || s.tables === 0) bad++;
      }
      Deno.exit(bad > 0 ? 1 : 0);
    ' "${timings[*]}" "${executed[@]}" || failed=$((failed + 1))
  fi
  echo "executed notebooks: $out"
  return "$failed"
}

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(fmt cleared check execute)
status=0
for step in "${steps[@]}"; do
  case "$step" in
  fmt | cleared | check | execute) "step_$step" || status=1 ;;
  *)
    echo "unknown step '$step' (fmt, cleared, check, execute)" >&2
    exit 2
    ;;
  esac
done
if [ "$status" -eq 0 ]; then
  echo "notebooks: ok (${#notebooks[@]} notebooks)"
else
  echo "notebooks: FAILED"
fi
exit "$status"
