#!/usr/bin/env python3
"""Runs a command and reports its wall time and the peak RSS of its process tree, split into the appliance's qemu
and everything else (the agent and its helpers), as JSON on stdout. The command's own output goes to stderr.

GNU time's %M cannot split them: wait4 reports the largest RSS of the whole tree. So this samples each process's
VmHWM (its own peak) from /proc every 50 ms; a process's last sample is its peak up to then."""
import json, os, subprocess, sys, time

def children(pid):
    # Every thread's children: libguestfs forks qemu from whichever thread launches it (a .NET pool thread, not main).
    out = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out

def tree(root):
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children(p))
    return out

def hwm(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = dict(l.split(":", 1) for l in f if ":" in l)
        return fields["Name"].strip(), int(fields.get("VmHWM", "0 kB").split()[0])
    except (OSError, KeyError, ValueError):
        return None, 0

start = time.monotonic()
proc = subprocess.Popen(sys.argv[1:], stdout=sys.stderr)
peaks = {}
while proc.poll() is None:
    for pid in tree(proc.pid):
        name, kib = hwm(pid)
        if name is not None:
            key = (pid, name)
            peaks[key] = max(peaks.get(key, 0), kib)
    time.sleep(0.05)
wall = (time.monotonic() - start) * 1000
qemu = max([k for (pid, n), k in peaks.items() if n.startswith("qemu")] or [0])
other = max([k for (pid, n), k in peaks.items() if not n.startswith("qemu") and pid == proc.pid] or [0])
helpers = max([k for (pid, n), k in peaks.items() if not n.startswith("qemu") and pid != proc.pid] or [0])
print(json.dumps({"exit": proc.returncode, "wallMs": round(wall), "mainPeakMiB": round(other / 1024, 1),
                  "helperPeakMiB": round(helpers / 1024, 1), "qemuPeakMiB": round(qemu / 1024, 1)}))
