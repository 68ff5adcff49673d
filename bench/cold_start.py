"""One cold start, run as a fresh process: import a Lambda handler, answer its requests, report.

Usage: python -m bench.cold_start skill|anchor ENVELOPES_JSON
Prints one JSON line: seconds spent importing and answering, and the process's peak memory.
The parent measures the whole process too, so interpreter start-up is counted there.
"""

import json
import resource
import sys
import time


def main() -> None:
    which, envelopes_path = sys.argv[1], sys.argv[2]
    with open(envelopes_path, encoding="utf-8") as envelopes_file:
        envelopes = json.load(envelopes_file)
    started = time.perf_counter()
    if which == "skill":
        from skill.app import handler
    else:
        from bench.anchor_skill import handler
    for envelope in envelopes:
        answer = handler(envelope, None)
        if "outputSpeech" not in answer["response"]:
            raise SystemExit(f"no speech in answer: {answer}")
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mib": peak_mib}))


if __name__ == "__main__":
    main()
