#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""ynl_check.py CHECK FILE...: checks of what the kernel's ynl cli.py
printed (--output-json) for scripts/guest/ynl.sh, run in the guest's root
filesystem.  Prints one line saying what it found; exits 1 if a check fails.

  status FILE VERSION          status-get: the module's version, hooks
  row FILE ID PAGES            a cgroup-get do: PAGES <= faults-user < PAGES
                               + 200, histograms of hist-buckets numbers
  same FILE ID TOOL_JSON       a cgroup-get dump has the row of FILE's id
                               (a do), the same counts; so has the tool's
                               `memtally cgroups --json`
  oom FILE PID ID              the events group had an oom-kill-ntf of PID
                               in cgroup ID
  subscribe SPEC READY SECONDS FILE
                               not a check: join the events group with ynl's
                               library (what cli.py --subscribe does), create
                               READY once joined, wait SECONDS, write what
                               came to FILE (cli.py cannot say when it has
                               joined)
"""
import json
import os
import sys
import time

HIST_BUCKETS = 20       # hist-buckets in the spec
HISTS = ('direct-stall-hist', 'memcg-stall-hist', 'softlimit-stall-hist',
         'agent-stall-hist')


def load(path):
    with open(path) as f:
        return json.load(f)


def fail(msg):
    print(msg)
    sys.exit(1)


def status(path, version):
    st = load(path)
    hooks = st.get('hook', [])
    if st.get('version') != version:
        fail(f"version {st.get('version')!r}, the module's is {version!r}")
    if not hooks or not all('name' in h and 'state' in h for h in hooks):
        fail(f'hooks do not decode: {hooks!r}')
    print(f"version {st['version']}, {len(hooks)} hooks, "
          f"{st.get('nr-cgroups')} cgroups")


def row(path, cid, pages):
    r = load(path)
    cid, pages = int(cid), int(pages)
    faults = r.get('faults-user', -1)
    if r.get('id') != cid:
        fail(f'id {r.get("id")}, asked for {cid}')
    if not pages <= faults < pages + 200:
        fail(f'faults-user {faults} for {pages} touched pages')
    for h in HISTS:
        v = r.get(h, [0] * HIST_BUCKETS)   # absent: no stall of the kind
        if not (isinstance(v, list) and len(v) == HIST_BUCKETS and
                all(isinstance(x, int) for x in v)):
            fail(f'{h} is not {HIST_BUCKETS} numbers: {v!r}')
    print(f'faults-user {faults} for {pages} pages; histograms of '
          f'{HIST_BUCKETS} numbers')


def same(path, dump_path, tool_path):
    do = load(path)
    rows = [r for r in load(dump_path) if r.get('id') == do['id']]
    if len(rows) != 1:
        fail(f'the dump has {len(rows)} rows of id {do["id"]}')
    for k, v in do.items():
        if rows[0].get(k) != v:
            fail(f'{k}: {v!r} in the do, {rows[0].get(k)!r} in the dump')
    tool = [r for r in load(tool_path) if r.get('id') == do['id']]
    if len(tool) != 1:
        fail(f'memtally cgroups --json has {len(tool)} rows of id {do["id"]}')
    for k, v in do.items():
        if isinstance(v, int) and k.replace('-', '_') in tool[0] and \
           tool[0][k.replace('-', '_')] != v:
            fail(f'{k}: {v} from cli.py, {tool[0][k.replace("-", "_")]} '
                 'from the tool')
    print(f'do, dump and the tool agree on cgroup {do["id"]} '
          f'({len(load(dump_path))} rows in the dump)')


def oom(path, pid, cid):
    msgs = load(path)
    pid, cid = int(pid), int(cid)
    seen = [m for m in msgs if m.get('name') == 'oom-kill-ntf']
    for m in seen:
        if m['msg'].get('pid') == pid and m['msg'].get('cgroup-id') == cid:
            print(f"oom-kill-ntf: pid {pid} ({m['msg'].get('comm')}) "
                  f'in cgroup {cid}')
            return
    fail(f'no oom-kill-ntf of pid {pid} in cgroup {cid}: {msgs!r}')


def subscribe(spec, ready, seconds, path):
    sys.path.insert(0, os.path.dirname(os.path.abspath(spec)))
    from lib import YnlFamily
    ynl = YnlFamily(spec, '')   # '': no schema, as cli.py --no-schema
    ynl.ntf_subscribe('events')
    open(ready, 'w').close()
    time.sleep(float(seconds))
    ynl.check_ntf()
    with open(path, 'w') as f:
        json.dump(ynl.async_msg_queue, f, default=str)


if __name__ == '__main__':
    {'status': status, 'row': row, 'same': same, 'oom': oom,
     'subscribe': subscribe}[sys.argv[1]](*sys.argv[2:])
