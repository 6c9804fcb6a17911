#!/usr/bin/env bash
# The steps of action.yml's "Lint" step (a test runs them the way a workflow does).
# Environment: FORMALAI_PATHS, FORMALAI_ARGS (split on white space, never globbed),
# FORMALAI_SARIF (true/false), FORMALAI_SARIF_FILE; GITHUB_OUTPUT and GITHUB_STEP_SUMMARY
# as the runner sets them. Exits with the exit code of the annotations run.
set -uo pipefail
set -f  # no globbing of the split inputs
read -r -a paths <<<"${FORMALAI_PATHS:-.}"
read -r -a args <<<"${FORMALAI_ARGS:-}"
[ "${#paths[@]}" -eq 0 ] && paths=(.)
here="$(cd "$(dirname "$0")" && pwd)"

# 1. annotations on the pull request; this run's exit code is the step's verdict
formalai-lint check "${paths[@]}" "${args[@]}" --format github
code=$?
echo "exit-code=$code" >>"${GITHUB_OUTPUT:-/dev/null}"

# 2. every finding in the job summary (the annotation cap hides all but 10 + 10); the runs
# after the first read the parse cache, so they cost little
if [ "$code" -ne 2 ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    report="$(mktemp)"
    formalai-lint check "${paths[@]}" "${args[@]}" --format json --exit-zero --quiet --output "$report" &&
        python "$here/github_summary.py" "$report" >>"$GITHUB_STEP_SUMMARY"
    rm -f "$report"
fi

# 3. SARIF for code scanning
if [ "$code" -ne 2 ] && [ "${FORMALAI_SARIF:-false}" = "true" ]; then
    sarif="${FORMALAI_SARIF_FILE:-formalai-lint.sarif}"
    formalai-lint check "${paths[@]}" "${args[@]}" --format sarif --exit-zero --quiet --output "$sarif" &&
        echo "sarif-file=$sarif" >>"${GITHUB_OUTPUT:-/dev/null}"
fi
exit "$code"
