"""One cold start, run as a fresh process: import a Lambda handler, answer its requests, report.

Usage: python -m bench.cold_start skill|anchor ENVELOPES_JSON
Prints one JSON line, as soon as the last answer is ready: seconds spent importing and answering, the
CPU seconds the process has used so far, and its peak memory. The parent times the process from its
start to that line (so interpreter start-up is counted) and, separately, to its exit.
"""

import json
import resource
import sys
import time


def peak_rss_mib() -> float:
    """This process's peak resident memory. Linux's VmHWM starts afresh at exec; ru_maxrss does not (it
    can report the forking parent's size), so it is only the fallback where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    which, envelopes_path = sys.argv[1], sys.argv[2]
    with open(envelopes_path, encoding="utf-8") as envelopes_file:
        envelopes = json.load(envelopes_file)
    started = time.perf_counter()
    if which == "skill":
        from skill.entry import handler
    else:
        from bench.anchor_skill import handler
    for envelope in envelopes:
        answer = handler(envelope, None)
        if "outputSpeech" not in answer["response"]:
            raise SystemExit(f"no speech in answer: {answer}")
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time()  # the whole process's, interpreter start-up included
    peak_mib = peak_rss_mib()
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mib": peak_mib}), flush=True)


if __name__ == "__main__":
    main()
