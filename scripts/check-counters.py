#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check-counters.py [SPEC] | --list: every place a cgroup counter is written agrees
with the netlink spec (the one source of truth), as bpftool's
test_bpftool_synctypes.py keeps its tables in sync.

The counters are the u64 attributes of the cgroup attribute-set that a
cgroup-get reply carries, but id, parent-id and removed-ns.  Checked:
  - kmod: enum mt_counter (memtally.h) and mt_counter_info[] (store.c)
    have one row per counter the store counts, its debugfs name the
    attribute's name with _ for -, its node flag set exactly when node-get
    replies carry the attribute; the counters the store does not count
    (KSM and DAMON gauges) are put by name in kmod/genl.c;
  - tool: enum mt_counter and mt_cgroup_counters[] (userspace/decode.h)
    have one row per counter, its JSON key the name with _ for -, its
    --sort key the name, its node flag as the spec says, its help line
    (--help, Prometheus HELP) the first line of the attribute's doc;
  - the JSON schema: every counter's key is a property of a cgroups row
    and of the recursive object.
Prints each disagreement and exits 1 if there is one.  --list prints the
spec's counters, one a line (scripts/check-cli.sh).
"""
import json
import os
import re
import sys

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOT_COUNTERS = ('id', 'parent-id', 'removed-ns')


def read(path):
    with open(os.path.join(TOP, path)) as f:
        return f.read()


def c_name(attr):
    return attr.upper().replace('-', '_')


def main():
    listing = sys.argv[1:2] == ['--list']
    args = sys.argv[2:] if listing else sys.argv[1:]
    spec_path = args[0] if args else \
        os.path.join(TOP, 'Documentation/netlink/specs/memtally.yaml')
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    sets = {s['name']: s for s in spec['attribute-sets']}
    cg = {a['name']: a for a in sets['cgroup']['attributes']}
    ops = {o['name']: o for o in spec['operations']['list']}
    reply = ops['cgroup-get']['dump']['reply']['attributes']
    counters = [a for a in reply
                if cg[a]['type'] == 'u64' and a not in NOT_COUNTERS]
    node = set(ops['node-get']['dump']['reply']['attributes'])
    if listing:
        print('\n'.join(counters))
        return
    bad = []

    # ---- kmod
    hdr, store, genl = read('kmod/memtally.h'), read('kmod/store.c'), \
        read('kmod/genl.c')
    enum = re.search(r'enum mt_counter \{(.*?)\};', hdr, re.S).group(1)
    kenum = [e for e in re.findall(r'\bMT_(\w+)', enum)
             if e not in ('NR_PCPU', 'NR_COUNTERS')]
    krows = re.findall(r'MT_COUNTER\((\w+), "(\w+)", (\w+), (true|false)\)',
                       store)
    if sorted(kenum) != sorted(r[0] for r in krows):
        bad.append('kmod: enum mt_counter and mt_counter_info[] differ: '
                   f'{sorted(set(kenum) ^ set(r[0] for r in krows))}')
    kattrs = set()
    for e, name, attr, is_node in krows:
        a = attr.lower().replace('_', '-')
        kattrs.add(a)
        where = f'kmod/store.c: mt_counter_info[MT_{e}]'
        if a not in counters:
            bad.append(f'{where}: {a} is no counter of the spec')
            continue
        if e != attr:
            bad.append(f'{where}: counts MEMTALLY_A_CGROUP_{attr}')
        if name != attr.lower():
            bad.append(f'{where}: debugfs name "{name}", not "{attr.lower()}"')
        if (is_node == 'true') != (a in node):
            bad.append(f'{where}: node {is_node}, but node-get '
                       f'{"carries" if a in node else "does not carry"} {a}')
    for a in counters:
        if a not in kattrs and \
           not re.search(r'\bMEMTALLY_A_CGROUP_' + c_name(a) + r'\b', genl):
            bad.append(f'kmod: {a} is neither in mt_counter_info[] '
                       '(kmod/store.c) nor put by kmod/genl.c')

    # ---- tool
    dec = read('userspace/decode.h')
    tenum = re.search(r'enum mt_counter \{(.*?)\};', dec, re.S).group(1)
    tenum = [e for e in re.findall(r'\bMT_CTR_(\w+)', tenum)]
    trows = re.findall(r'\bMT_(NODE_COUNTER|COUNTER|GAUGE)\((\w+),\s*"(\w+)",'
                       r'\s*"([\w-]+)",\s*\w+,\s*((?:"[^"]*"\s*)+)\)', dec)
    tnames = [r[1] for r in trows]
    if sorted(tenum) != sorted(tnames):
        bad.append('userspace/decode.h: enum mt_counter and '
                   'mt_cgroup_counters[] differ: '
                   f'{sorted(set(tenum) ^ set(tnames))}')
    for kind, name, key, sort, help_ in trows:
        a = name.lower().replace('_', '-')
        where = f'userspace/decode.h: mt_cgroup_counters[MT_CTR_{name}]'
        if a not in counters:
            bad.append(f'{where}: {a} is no counter of the spec')
            continue
        if key != a.replace('-', '_'):
            bad.append(f'{where}: JSON key "{key}", not "{a.replace("-", "_")}"')
        if sort != a:
            bad.append(f'{where}: sort key "{sort}", not "{a}"')
        if (kind == 'NODE_COUNTER') != (a in node):
            bad.append(f'{where}: {"" if kind == "NODE_COUNTER" else "not "}'
                       f'a node counter, but node-get '
                       f'{"carries" if a in node else "does not carry"} {a}')
        help_ = ''.join(re.findall(r'"([^"]*)"', help_))
        want = cg[a].get('doc', '').split('\n')[0].rstrip('.')
        if help_ != want:
            bad.append(f'{where}: help "{help_}", but the spec\'s doc of {a} '
                       f'begins "{want}"')
    for a in counters:
        if c_name(a) not in tnames:
            bad.append(f'userspace/decode.h: no row of mt_cgroup_counters[] '
                       f'for {a}')

    # ---- JSON schema
    schema = json.loads(read('Documentation/admin-guide/memtally.schema.json'))
    row = schema['$defs']['cgroups']['items']['properties']
    rec = row.get('recursive', {}).get('properties', {})
    for a in counters:
        key = a.replace('-', '_')
        if key not in row:
            bad.append(f'memtally.schema.json: a cgroups row has no "{key}"')
        if key not in rec:
            bad.append(f'memtally.schema.json: a cgroups row\'s "recursive" '
                       f'has no "{key}"')

    for b in bad:
        print(b)
    print(f'{len(counters)} counters in the spec; '
          f'{len(bad)} disagreement{"" if len(bad) == 1 else "s"}')
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
