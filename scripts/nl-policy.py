#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""nl-policy.py SPEC GEN_C: kmod/genl-gen.h from ynl-gen-c.py's kernel source.

ynl-gen-c.py (--mode kernel --source) writes the request policies of every
operation and a table of split ops.  Split ops need 6.2; 6.1's genl_ops
take one policy per command for do and dump alike.  So this keeps the
policies (and their range structs) and leaves the ops table to kmod/genl.c:
one policy per operation, the do's where there is one.  That is right only
if the dump takes no attribute the do does not, which the spec is checked
for here; an attribute only the do takes reaches the dump too, which the
dump's start() refuses (kmod/genl.c: cgroup-get's and damon-wss-get's
refuse an id).  6.1's nla_policy points to a range as not const, so the ranges
are __ro_after_init instead of const (read-only all the same once the
module is loaded).  Prints the header on standard output.
"""
import re
import sys

import yaml


def main(spec_path, gen_path):
    spec = yaml.safe_load(open(spec_path))
    ops = spec['operations']['list']
    pick = {}
    for op in ops:
        do = set(op.get('do', {}).get('request', {}).get('attributes', []))
        dump = set(op.get('dump', {}).get('request', {}).get('attributes', []))
        if do and dump - do:
            sys.exit(f"nl-policy.py: {op['name']}: the dump takes "
                     f"{', '.join(sorted(dump - do))}, which the do does not; "
                     "6.1's genl_ops have one policy for both")
        cmd = 'MEMTALLY_CMD_' + op['name'].upper().replace('-', '_')
        if do:
            pick[cmd] = 'do'
        elif dump:
            pick[cmd] = 'dump'

    text = open(gen_path).read()
    blocks = re.split(r'\n\n+', text)
    out = []
    for b in blocks:
        m = re.match(r'/\* (MEMTALLY_CMD_\w+) - (do|dump) \*/\n', b)
        if m:
            if pick.get(m.group(1)) == m.group(2):
                out.append(b)
            continue
        if b.startswith('/* Integer value ranges */') or \
           b.startswith('static const struct netlink_range_validation') or \
           b.startswith('/* Common nested types */'):
            out.append(re.sub(
                r'^static const struct (netlink_range_validation\w*) (\w+) =',
                r'static struct \1 \2 __ro_after_init =', b, flags=re.M))
    if any('static const struct netlink_range_validation' in b for b in out):
        sys.exit('nl-policy.py: a range is still const (ynl-gen-c.py writes '
                 'its ranges differently now)')
    if len([b for b in out if b.startswith('/* MEMTALLY_CMD_')]) != len(pick):
        sys.exit('nl-policy.py: ynl-gen-c.py wrote no policy for some '
                 'operation with request attributes')
    print('/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */')
    print('/*')
    print(' * Do not edit: the request policies of the memtally family, generated')
    print(' * from Documentation/netlink/specs/memtally.yaml by the kernel\'s')
    print(' * tools/net/ynl/ynl-gen-c.py (scripts/check-spec.sh --update): one')
    print(' * per operation, the do\'s where it has one (kmod/genl.c\'s genl_ops')
    print(' * give do and dump the same policy, as 6.1 needs).')
    print(' */')
    print('#ifndef _MEMTALLY_GENL_GEN_H')
    print('#define _MEMTALLY_GENL_GEN_H')
    print()
    print('#include <net/netlink.h>')
    print('#include <linux/memtally.h>')
    print()
    print('\n\n'.join(out))
    print()
    print('#endif')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
