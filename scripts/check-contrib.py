#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check-contrib.py EXPORT.prom: the Grafana dashboard and the Prometheus
alert rules in contrib/ against what memtally export writes.

EXPORT.prom is the export of a real guest's numbers (test-all passes
userspace/tests/golden/6.12/out/export.prom: the tool's export of a 6.12
guest's snapshot, with DAMON bound and KSM on).  Checks: the dashboard is
JSON with unique panel ids, the variables datasource, instance and cgroup,
and a query in every panel; every metric a panel, variable or rule
queries is a family of EXPORT.prom; the PSI rules use the thresholds of memtally report
(userspace/recommend.h).  Prints one line per problem; exit code 1 if any.
"""
import itertools
import json
import re
import sys

import yaml

TOP = __file__.rsplit('/scripts/', 1)[0]
DASHBOARD = TOP + '/contrib/grafana/memtally.json'
RULES = TOP + '/contrib/prometheus/memtally.rules.yml'
RECOMMEND = TOP + '/userspace/recommend.h'

problems = []


def expand(regex):
    """The names a regex of alternatives in groups matches:
    memtally_(a|b)_x -> memtally_a_x, memtally_b_x."""
    parts = re.split(r'\(([^()]*)\)', regex)
    choices = [[p] if i % 2 == 0 else p.split('|')
               for i, p in enumerate(parts)]
    return [''.join(c) for c in itertools.product(*choices)]


def metrics(expr):
    """The metric names a PromQL expression queries."""
    names = set()
    for m in re.finditer(r'__name__=~"([^"]*)"', expr):
        names.update(expand(m.group(1)))
    rest = re.sub(r'__name__=~"[^"]*"', '', expr)
    # a name, not a label value in quotes
    rest = re.sub(r'"[^"]*"', '""', rest)
    names.update(re.findall(r'\b(?:memtally|node)_[a-z0-9_]+', rest))
    return names


def families(path):
    fams = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('# TYPE '):
                _, _, name, kind = line.split()
                fams[name] = kind
    return fams


def exported(name, fams):
    if name in fams:
        return True
    for suffix in ('_bucket', '_sum', '_count'):
        base = name[:-len(suffix)]
        if name.endswith(suffix) and fams.get(base) == 'histogram':
            return True
    return False


def check_names(where, expr, fams):
    names = metrics(expr)
    if not names:
        problems.append(f'{where}: queries no metric: {expr}')
    for n in sorted(names):
        if not exported(n, fams):
            problems.append(f'{where}: {n} is not in the export')


def check_dashboard(fams):
    with open(DASHBOARD, encoding='utf-8') as f:
        d = json.load(f)
    var = {v['name']: v for v in d.get('templating', {}).get('list', [])}
    for want in ('datasource', 'instance', 'cgroup'):
        if want not in var:
            problems.append(f'dashboard: no variable {want}')
    for name in ('instance', 'cgroup'):
        if name in var:
            check_names(f'dashboard variable {name}',
                        var[name]['query']['query'], fams)
    ids = set()
    for p in d.get('panels', []):
        if p['id'] in ids:
            problems.append(f'dashboard: panel id {p["id"]} twice')
        ids.add(p['id'])
        if p['type'] == 'row':
            continue
        if p.get('datasource', {}).get('uid') != '${datasource}':
            problems.append(f'dashboard panel "{p["title"]}": not on $datasource')
        if not p.get('targets'):
            problems.append(f'dashboard panel "{p["title"]}": no query')
        for t in p.get('targets', []):
            check_names(f'dashboard panel "{p["title"]}"', t['expr'], fams)
            if 'memtally_' in t['expr'] and '$instance' not in t['expr']:
                problems.append(f'dashboard panel "{p["title"]}": ignores $instance')


def check_rules(fams):
    with open(RULES, encoding='utf-8') as f:
        r = yaml.safe_load(f)
    alerts = {}
    for g in r['groups']:
        for rule in g['rules']:
            alerts[rule['alert']] = rule
            check_names(f'rule {rule["alert"]}', rule['expr'], fams)
    with open(RECOMMEND, encoding='utf-8') as f:
        text = f.read()
    for alert, define in (('MemtallyMemoryPressureFullCritical', 'MT_REC_PSI_FULL_AVG10'),
                          ('MemtallyMemoryPressureFullSustained', 'MT_REC_PSI_FULL_AVG60'),
                          ('MemtallyMemoryPressureSome', 'MT_REC_PSI_SOME_AVG10')):
        m = re.search(r'#define\s+%s\s+([0-9.]+)' % define, text)
        want = float(m.group(1)) if m else None
        got = re.search(r'>\s*([0-9.]+)\s*$', alerts.get(alert, {}).get('expr', ''))
        if not got or float(got.group(1)) != want:
            problems.append(f'rule {alert}: threshold {got and got.group(1)}, memtally report uses {want} ({define})')


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: check-contrib.py EXPORT.prom')
    fams = families(sys.argv[1])
    check_dashboard(fams)
    check_rules(fams)
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print(f'contrib: the dashboard and the rules query {len(fams)} exported families only')


main()
