#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check-counters.py [--update] [SPEC] | --list: the cgroup counters come
from the netlink spec (the one source of truth).

Generated from the spec (--update writes them):
  - kmod/counters-gen.h: enum mt_counter and the rows of mt_counter_info[]
    (store.c), one per counter the store counts: the u64 attributes of the
    cgroup-counters set, in its order; a counter is a node counter when
    node-get replies carry it;
  - userspace/counters-gen.h: the tool's enum mt_counter and
    mt_cgroup_counters[], one row per counter a cgroup-get reply carries
    (its u64 attributes but id, parent-id, removed-ns and dump-gen), in the reply's
    order: attribute, JSON key (the name with _ for -), column header,
    --sort key (the name), kind (a counter when cgroup-counters has it,
    else a gauge; damon-* gauges mean something only while a kdamond is
    bound), node flag, help line (the first line of the attribute's doc,
    for --help and Prometheus' HELP).
Checked (as bpftool's test_bpftool_synctypes.py keeps its tables in sync):
  - both generated files are what the spec gives;
  - the gauges the store does not count are put by kmod/genl.c;
  - the JSON schema (--update writes it): every counter's key is a property
    of a cgroups row and of its recursive object, and required in both, in
    the spec's order; and a property (not required: older snapshots lack
    the newer ones) of a snapshot's module cgroups and nodes rows;
  - the admin guide defines every counter (a definition list term).
Prints each disagreement and exits 1 if there is one.  --list prints the
spec's counters, one a line (scripts/check-cli.sh).
"""
import json
import os
import re
import sys

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOT_COUNTERS = ('id', 'parent-id', 'removed-ns', 'dump-gen')
KMOD_GEN = 'kmod/counters-gen.h'
TOOL_GEN = 'userspace/counters-gen.h'
SCHEMA = 'Documentation/admin-guide/memtally.schema.json'
GUIDE = 'Documentation/admin-guide/memtally.rst'
NOTICE = ('Do not edit: scripts/check-counters.py --update writes it from\n'
          ' * Documentation/netlink/specs/memtally.yaml.')


def read(path):
    with open(os.path.join(TOP, path)) as f:
        return f.read()


def c_name(attr):
    return attr.upper().replace('-', '_')


def c_string(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def load(spec_path):
    """The spec's counters: (tool counters, store counters, node, docs)."""
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    sets = {s['name']: s for s in spec['attribute-sets']}
    cg = {a['name']: a for a in sets['cgroup']['attributes']}
    ops = {o['name']: o for o in spec['operations']['list']}
    reply = ops['cgroup-get']['dump']['reply']['attributes']
    counters = [a for a in reply
                if cg[a]['type'] == 'u64' and a not in NOT_COUNTERS]
    store = [a['name'] for a in sets['cgroup-counters']['attributes']
             if cg[a['name']]['type'] == 'u64']
    node = set(ops['node-get']['dump']['reply']['attributes'])
    return counters, store, node, cg


def help_line(attr):
    return attr.get('doc', '').split('\n')[0].strip().rstrip('.')


def kmod_header(store, node):
    out = ['/* SPDX-License-Identifier: GPL-2.0 */',
           '/*', ' * ' + NOTICE, ' */',
           '#ifndef _MEMTALLY_COUNTERS_GEN_H',
           '#define _MEMTALLY_COUNTERS_GEN_H', '',
           '/*',
           ' * The counters the store counts per cgroup (and per node, the',
           " * ones node-get carries): the spec's cgroup-counters set, in its",
           ' * order.',
           ' */',
           'enum mt_counter {']
    out += [f'\tMT_{c_name(a)},' for a in store]
    out += ['\tMT_NR_COUNTERS', '};', '',
            '/* the rows of mt_counter_info[]: debugfs name, attribute, node */',
            '#define MT_COUNTER_INFO_ROWS \\']
    rows = []
    for a in store:
        rows += [f'\t[MT_{c_name(a)}] = {{ "{a.replace("-", "_")}",',
                 f'\t\tMEMTALLY_A_CGROUP_{c_name(a)}, '
                 f'{"true" if a in node else "false"} }},']
    out += [r + ' \\' for r in rows[:-1]] + [rows[-1]]
    out += ['', '#endif /* _MEMTALLY_COUNTERS_GEN_H */', '']
    return '\n'.join(out)


def tool_header(counters, store, node, cg):
    out = ['/* SPDX-License-Identifier: GPL-2.0 */',
           '/*', ' * ' + NOTICE, ' */',
           '#ifndef MT_COUNTERS_GEN_H',
           '#define MT_COUNTERS_GEN_H', '',
           '/* Indices of mt_cgroup_counters[], for the code that needs one */',
           'enum mt_counter {']
    out += [f'\tMT_CTR_{c_name(a)},' for a in counters]
    out += ['\tMT_NR_CGROUP_COUNTERS', '};', '',
            '/*',
            ' * The counters of a cgroup, in the order of the spec\'s cgroup-get',
            ' * reply: decoding, the table and JSON columns, sorting, the help',
            ' * and the Prometheus metrics (prom.c) follow this table.',
            ' */',
            'static const struct mt_counter_col mt_cgroup_counters[] = {']
    for a in counters:
        if a in store:
            kind = 'MT_CUMULATIVE'
        elif a.startswith('damon-'):
            kind = 'MT_DAMON_GAUGE'
        else:
            kind = 'MT_GAUGE'
        out += [f'\t[MT_CTR_{c_name(a)}] = {{',
                f'\t\t.attr = MEMTALLY_A_CGROUP_{c_name(a)},',
                f'\t\t.json = "{a.replace("-", "_")}",',
                f'\t\t.header = "{c_name(a)}",',
                f'\t\t.sort = "{a}",',
                f'\t\t.type = {kind},',
                f'\t\t.node = {"true" if a in node else "false"},',
                f'\t\t.help = {c_string(help_line(cg[a]))},',
                '\t},']
    out += ['};', '', '#endif /* MT_COUNTERS_GEN_H */', '']
    return '\n'.join(out)


def in_order(keys, counters):
    """@keys with all the counters, in the spec's order, where the first
    one is."""
    is_ctr = set(counters)
    lead = []
    for k in keys:
        if k in is_ctr:
            break
        lead.append(k)
    return lead + counters + [k for k in keys if k not in is_ctr and k not in lead]


def schema_text(schema, counters):
    """The schema with every counter in a cgroups row and its "recursive"
    object (properties and required), in the spec's order."""
    keys = [a.replace('-', '_') for a in counters]
    row = schema['$defs']['cgroups']['items']
    for obj in (row, row['properties']['recursive']):
        props = obj['properties']
        # a plain integer other than the id is a counter: one the spec no
        # longer has goes
        gone = {k for k, v in props.items()
                if v == {'type': 'integer'} and k != 'id' and k not in keys}
        obj['properties'] = {k: props.get(k, {'type': 'integer'})
                             for k in in_order(list(props), keys)
                             if k not in gone}
        if 'required' in obj:
            obj['required'] = [k for k in in_order(obj['required'], keys)
                               if k not in gone]
    # a snapshot's module rows (cgroups and nodes): every counter is a
    # property, in the spec's order; none is removed and the required ones
    # stay those of the first snapshot format, so that an older snapshot
    # (without the newer counters, or with one the spec has since dropped)
    # still reads
    mod = schema['$defs']['snapshot']['properties']['module']['properties']
    for rows in ('cgroups', 'nodes'):
        obj = mod[rows]['items']
        props = obj['properties']
        obj['properties'] = {k: props.get(k, {'type': ['integer', 'null']})
                             for k in in_order(list(props), keys)}
    return json.dumps(schema, indent=1) + '\n'


def main():
    argv = sys.argv[1:]
    listing = argv[:1] == ['--list']
    update = argv[:1] == ['--update']
    args = argv[1:] if listing or update else argv
    spec_path = args[0] if args else \
        os.path.join(TOP, 'Documentation/netlink/specs/memtally.yaml')
    counters, store, node, cg = load(spec_path)
    if listing:
        print('\n'.join(counters))
        return
    generated = {KMOD_GEN: kmod_header(store, node),
                 TOOL_GEN: tool_header(counters, store, node, cg)}
    if update:
        for path, text in generated.items():
            with open(os.path.join(TOP, path), 'w') as f:
                f.write(text)
    bad = []

    # ---- the generated tables
    for path, text in generated.items():
        try:
            have = read(path)
        except FileNotFoundError:
            have = ''
        if have != text:
            old = set(re.findall(r'\bMT_(?:CTR_)?(\w+),', have))
            new = set(re.findall(r'\bMT_(?:CTR_)?(\w+),', text))
            what = [f'+{n.lower().replace("_", "-")}' for n in sorted(new - old)] + \
                   [f'-{n.lower().replace("_", "-")}' for n in sorted(old - new)]
            bad.append(f'{path}: not what the spec gives '
                       f'({" ".join(what) or "a row differs"}); '
                       'run scripts/check-counters.py --update')

    # ---- the gauges the store does not count: kmod/genl.c puts them
    genl = read('kmod/genl.c')
    for a in counters:
        if a not in store and \
           not re.search(r'\bMEMTALLY_A_CGROUP_' + c_name(a) + r'\b', genl):
            bad.append(f'kmod: {a} is neither in the cgroup-counters set '
                       '(the store counts those) nor put by kmod/genl.c')

    # ---- the JSON schema: a cgroups row and its "recursive" object
    have = read(SCHEMA)
    want = schema_text(json.loads(have), counters)
    if update and have != want:
        with open(os.path.join(TOP, SCHEMA), 'w') as f:
            f.write(want)
        have = want
    if have != want:
        def rows(text):
            d = json.loads(text)['$defs']
            mod = d['snapshot']['properties']['module']['properties']
            return {'a cgroups row': d['cgroups']['items'],
                    "a snapshot's cgroups row": mod['cgroups']['items'],
                    "a snapshot's nodes row": mod['nodes']['items']}
        for name, wobj in rows(want).items():
            hobj = rows(have)[name]
            if hobj == wobj and list(hobj['properties']) == \
               list(wobj['properties']):
                continue
            row, wrow = hobj['properties'], wobj['properties']
            what = ['+' + k for k in wrow if k not in row] + \
                   ['-' + k for k in row if k not in wrow]
            bad.append(f'{SCHEMA}: {name} is not what the spec gives '
                       f'({" ".join(what) or "order, required"}'
                       '); run scripts/check-counters.py --update')

    # ---- the admin guide: a definition list term for every counter (the
    # Counters section, DAMON's numbers in the DAMON section)
    lines = read(GUIDE).split('\n')
    terms = set()
    for i, line in enumerate(lines[:-1]):
        if line and not line[0].isspace() and lines[i + 1].startswith('  '):
            terms.update(t.strip() for t in line.split(','))
    for a in counters:
        if a not in terms:
            bad.append(f'{GUIDE}: no definition of {a} (the Counters '
                       'section)')

    for b in bad:
        print(b)
    print(f'{len(counters)} counters in the spec; '
          f'{len(bad)} disagreement{"" if len(bad) == 1 else "s"}')
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
