"""Instructions per pass of the rules engine over the dev corpus, counted by callgrind: the
steady measure of speed work (the machine's timings vary from hour to hour).

Usage: python benchmarks/rules_instructions.py [PASSES]
Runs this file under `valgrind --tool=callgrind`, collecting only inside the passes (they run
within functools.reduce, which --toggle-collect names), and prints instructions per pass.
The pack compiles without instrumentation (most of the time under callgrind): the child says when it is
warm, and callgrind_control turns instrumentation on before the passes (the count is the same).
PYTHONHASHSEED is fixed: set and dict order change the work slightly from run to run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from functools import reduce
from pathlib import Path


def _passes(n: int) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_rules import _dev

    from bot.evaluate import shared_corpus_dir
    from rules.detect import detect_events

    corpus = shared_corpus_dir()
    if corpus is None:
        sys.exit("no ../shared/corpus beside the checkout")
    articles = _dev(corpus)
    for a in articles:  # compile and warm outside the count
        detect_events(*a)
    print("warm", flush=True)
    sys.stdin.readline()  # instrumentation is on
    reduce(lambda _, a: detect_events(*a), articles * n, None)


def main() -> int:
    if os.environ.get("RULES_INSTRUCTIONS_CHILD"):
        _passes(int(sys.argv[1]))
        return 0
    passes = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, RULES_INSTRUCTIONS_CHILD="1", PYTHONHASHSEED="0")
        child = subprocess.Popen(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--collect-atstart=no",
             "--toggle-collect=functools_reduce", f"--callgrind-out-file={tmp}/out",
             sys.executable, __file__, str(passes)],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stdin is not None and child.stdout is not None
        if child.stdout.readline().strip() == "warm":
            subprocess.run(["callgrind_control", "--instr=on", str(child.pid)],
                           capture_output=True, check=False)
        _, err = child.communicate("\n")
    found = re.search(r"Collected : (\d+)", err)
    if child.returncode != 0 or found is None:
        print(err[-2000:], file=sys.stderr)
        return 1
    print(f"instructions per pass  {int(found[1]) / passes / 1e6:.1f} million ({passes} passes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
