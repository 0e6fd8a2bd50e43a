#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the seed corpora of the fuzzers: fuzz/corpus/NAME/*.

Real-looking inputs, one file each: replies of the memtally family as the
module sends them (attribute numbers from the uapi header), and the text
files the tool reads.  Regression inputs of fixed bugs are committed next
to these by hand (named after the bug) and not rewritten here.

Usage: fuzz/gen-corpus.py  (from userspace/ or anywhere)
"""
import json
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
UAPI = os.path.join(HERE, '..', '..', 'include', 'uapi', 'linux',
                    'memtally.h')

FAMILY = 0x1a           # FAKE_FAMILY of tests/fakenl.h
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_MULTI, NLM_F_ACK_TLVS, NLM_F_CAPPED = 0x2, 0x200, 0x100
NLMSGERR_ATTR_MSG = 1
NLA_F_NESTED = 0x8000
EINVAL, ENOENT, EPERM = 22, 2, 1

# the requests of fuzz_nl.c (enum req)
(REQ_STATUS, REQ_CGROUPS, REQ_CGROUP, REQ_NODES, REQ_KSM, REQ_DAMON_GET,
 REQ_WSS, REQ_WSS_ONE, REQ_REGIONS, REQ_EVENTS) = range(10)


def uapi_enums():
    """Every enumerator of the uapi header by name."""
    text = open(UAPI).read()
    names = {}
    for body in re.findall(r'enum\s*\w*\s*\{(.*?)\};', text, re.S):
        val = -1
        for item in body.split(','):
            item = re.sub(r'/\*.*?\*/', '', item, flags=re.S).strip()
            if not item:
                continue
            if '=' in item:
                name, expr = (s.strip() for s in item.split('=', 1))
                expr = expr.strip('()').replace('- 1', '-1')
                m = re.match(r'(\w+)\s*-1$', expr)
                val = names[m.group(1)] - 1 if m else int(expr, 0)
            else:
                name = item
                val += 1
            names[name] = val
    for m in re.finditer(r'#define\s+(MEMTALLY_\w+)\s+(\d+)\s*$', text, re.M):
        names[m.group(1)] = int(m.group(2))
    return names


E = uapi_enums()


def A(name):
    return E['MEMTALLY_A_' + name]


def pad(b):
    return b + b'\0' * (-len(b) % 4)


def attr(atype, payload):
    return pad(struct.pack('=HH', 4 + len(payload), atype) + payload)


def u32(atype, v):
    return attr(atype, struct.pack('=I', v))


def u64(atype, v):
    return attr(atype, struct.pack('=Q', v))


def string(atype, s):
    return attr(atype, s.encode() + b'\0')


def nest(atype, *attrs):
    return attr(atype | NLA_F_NESTED, b''.join(attrs))


def msg(mtype, flags, payload, seq=1):
    return struct.pack('=IHHII', 16 + len(payload), mtype, flags, seq,
                       0) + pad(payload)


def genl(cmd, *attrs, flags=0):
    return msg(FAMILY, flags, struct.pack('=BBH', cmd, 1, 0) + b''.join(attrs))


def ack(request_len=20):
    """NLMSG_ERROR 0, echoing a request's header (capped, as the kernel)."""
    echo = struct.pack('=IHHII', request_len, FAMILY, 5, 1, 0)
    return msg(NLMSG_ERROR, NLM_F_CAPPED, struct.pack('=i', 0) + echo)


def error(err, why=None, capped=True):
    echo = struct.pack('=IHHII', 28, FAMILY, 5, 1, 0)
    body = struct.pack('=i', -err) + echo
    flags = NLM_F_CAPPED if capped else 0
    if not capped:
        body += u64(A('CGROUP_ID'), 7)
    if why:
        flags |= NLM_F_ACK_TLVS
        body += string(NLMSGERR_ATTR_MSG, why)
    return msg(NLMSG_ERROR, flags, body)


def done(err=0, why=None):
    body = struct.pack('=i', -err)
    flags = NLM_F_MULTI
    if why:
        flags |= NLM_F_ACK_TLVS
        body += string(NLMSGERR_ATTR_MSG, why)
    return msg(NLMSG_DONE, flags, body)


def cmd(name):
    return E['MEMTALLY_CMD_' + name]


COUNTERS = [n[len('MEMTALLY_A_CGROUP_'):] for n in E
            if n.startswith('MEMTALLY_A_CGROUP_') and n not in (
                'MEMTALLY_A_CGROUP_PAD', 'MEMTALLY_A_CGROUP_ID',
                'MEMTALLY_A_CGROUP_NODE', 'MEMTALLY_A_CGROUP_MAX')
            and not n.endswith('_HIST') and not n.endswith('_SAMPLES')
            and not n.startswith('__')]


def hist(atype, base, n):
    return attr(atype, struct.pack('=%dQ' % n,
                                   *[(base * (i + 1)) % 97 for i in range(n)]))


def row(key_attr, key, base, width=8):
    attrs = [attr(A('CGROUP_PAD'), b''), u64(key_attr, key) if width == 8
             else u32(key_attr, key)]
    for i, c in enumerate(COUNTERS):
        v = base * 1000 + i
        attrs.append(u64(A('CGROUP_' + c), v) if i % 3 else
                     u32(A('CGROUP_' + c), v))
    hb = E['MEMTALLY_HIST_BUCKETS']
    for k in ('DIRECT', 'MEMCG', 'SOFTLIMIT'):
        attrs.append(hist(A('CGROUP_%s_STALL_HIST' % k), base, hb))
    attrs.append(hist(A('CGROUP_DAMON_AGE_HIST'), base + 1,
                      E['MEMTALLY_DAMON_AGE_BUCKETS']))
    return attrs


def hook(name, tp, state, err=None):
    attrs = [string(A('HOOK_NAME'), name), string(A('HOOK_TRACEPOINT'), tp),
             u32(A('HOOK_STATE'), state)]
    if err is not None:
        attrs.append(u32(A('HOOK_ERRNO'), err))
    return nest(A('STATUS_HOOK'), *attrs)


def status_reply(extra=True):
    attrs = [string(A('STATUS_VERSION'), '0.1.0'),
             string(A('STATUS_KERNEL_RELEASE'), '6.12.12-amd64'),
             hook('fault_user', 'exceptions:page_fault_user', 0),
             hook('fault_kernel', 'exceptions:page_fault_kernel', 0),
             hook('ksm_merge', 'ksm:ksm_merge_one_page', 1),
             hook('oom', 'oom:mark_victim', 2, 22),
             u64(A('STATUS_NR_CGROUPS'), 42),
             u64(A('STATUS_UNATTRIBUTED'), 3)]
    if extra:
        attrs += [u64(A('STATUS_STALL_THRESHOLD_US'), 100000),
                  u64(A('STATUS_EVENTS_DROPPED'), 0),
                  u64(A('STATUS_RECLAIM_UNPAIRED'), 1)]
    return genl(cmd('STATUS_GET'), *attrs)


def damon_reply(bound=True, vaddr=False):
    attrs = []
    if bound:
        attrs += [u32(A('DAMON_KDAMOND_PID'), 1234),
                  u32(A('DAMON_OPS'), 1 if vaddr else 0),
                  u32(A('DAMON_SAMPLE_US'), 5000),
                  u32(A('DAMON_AGGR_US'), 100000)]
        if vaddr:
            attrs += [u32(A('DAMON_TARGET_PID'), p) for p in (100, 200, 300)]
    attrs += [u32(A('DAMON_WSS_RING'), 64), u32(A('DAMON_REGION_RING'), 4096),
              u64(A('DAMON_AGGREGATIONS'), 77),
              u64(A('DAMON_UPDATED_NS'), 123456789000),
              u64(A('DAMON_TOTAL_BYTES'), 8 << 30),
              u64(A('DAMON_UNATTRIBUTED_BYTES'), 1 << 20),
              u64(A('DAMON_PROBE_NS'), 4000),
              u32(A('DAMON_HOT_RATE'), 5), u32(A('DAMON_COLD_RATE'), 0)]
    return genl(cmd('DAMON_GET'), *attrs)


def wss_row(cgid, samples):
    data = b''.join(struct.pack('=QQ', t, b) for t, b in samples)
    return genl(cmd('DAMON_WSS_GET'), u64(A('CGROUP_ID'), cgid),
                attr(A('CGROUP_DAMON_WSS_SAMPLES'), data), flags=NLM_F_MULTI)


def region(seq, t, start, end, acc, age=None, cg=None, target=None):
    attrs = [u64(A('REGION_SEQ'), seq), u64(A('REGION_TIME_NS'), t),
             u64(A('REGION_START'), start), u64(A('REGION_END'), end),
             u32(A('REGION_NR_ACCESSES'), acc)]
    if age is not None:
        attrs.append(u64(A('REGION_AGE_MS'), age))
    if cg is not None:
        attrs.append(u64(A('REGION_CGROUP_ID'), cg))
    if target is not None:
        attrs.append(u32(A('REGION_TARGET'), target))
    return genl(cmd('DAMON_REGIONS_GET'), *attrs, flags=NLM_F_MULTI)


def event_oom(uid=True):
    attrs = [u64(A('EVENT_TIMESTAMP_NS'), 1700000000123456789),
             u32(A('EVENT_PID'), 4242), string(A('EVENT_COMM'), 'stress-ng'),
             u64(A('EVENT_CGROUP_ID'), 8)]
    if uid:
        attrs.append(u32(A('EVENT_UID'), 1000))
    attrs += [u64(A('EVENT_ANON_RSS'), 512 << 20),
              u64(A('EVENT_FILE_RSS'), 4096), u64(A('EVENT_SHMEM_RSS'), 0)]
    return genl(cmd('OOM_KILL_NTF'), *attrs)


def event_stall(kind):
    return genl(cmd('RECLAIM_STALL_NTF'),
                u64(A('EVENT_TIMESTAMP_NS'), 1700000001000000000),
                u32(A('EVENT_PID'), 77), string(A('EVENT_COMM'), 'kworker/0:1'),
                u64(A('EVENT_CGROUP_ID'), 9),
                u32(A('EVENT_RECLAIM_KIND'), kind),
                u64(A('EVENT_STALL_NS'), 150000000),
                u64(A('EVENT_RECLAIMED'), 32))


def nl_seeds():
    dump = NLM_F_MULTI
    rows = [genl(cmd('CGROUP_GET'), *row(A('CGROUP_ID'), cid, cid),
                 flags=dump) for cid in (1, 2, 3, 4, 7)]
    nodes = [genl(cmd('NODE_GET'), *row(A('CGROUP_NODE'), n, n + 5, 4),
                  flags=dump) for n in (0, 1)]
    regions = [region(i, 1000000000 * (i // 3 + 1), 0x100000000 + (i % 3) *
                      0x10000000, 0x100000000 + (i % 3 + 1) * 0x10000000,
                      i % 7, age=i * 100, cg=(i % 2) + 1)
               for i in range(12)]
    regions.append(region(12, 5000000000, 0x7f0000000000, 0x7f0000200000, 3,
                          target=1))
    return {
        'status': (REQ_STATUS, 0, status_reply() + ack()),
        'status-old-module': (REQ_STATUS, 0, status_reply(False) + ack()),
        'status-eperm': (REQ_STATUS, 0,
                         error(EPERM, 'reading memtally needs CAP_PERFMON or CAP_SYS_ADMIN')),
        'cgroups-dump': (REQ_CGROUPS, 2, b''.join(rows) + done()),
        'cgroups-dump-all': (REQ_CGROUPS, 0x80 | 5, b''.join(rows) + done()),
        'cgroups-dump-error': (REQ_CGROUPS, 0, rows[0] +
                               done(EINVAL, 'a dump takes no cgroup id')),
        'cgroup-one': (REQ_CGROUP, 1,
                       genl(cmd('CGROUP_GET'), *row(A('CGROUP_ID'), 1, 9)) +
                       ack(28)),
        'cgroup-enoent': (REQ_CGROUP, 0,
                          error(ENOENT, 'no such cgroup', capped=False)),
        'nodes': (REQ_NODES, 0, b''.join(nodes) + done()),
        'ksm': (REQ_KSM, 0, genl(cmd('KSM_GET'),
                                 u64(A('KSM_UPDATED_NS'), 99000000000),
                                 u64(A('KSM_MERGING_PAGES'), 1000),
                                 u64(A('KSM_RMAP_ITEMS'), 5000),
                                 u64(A('KSM_ZERO_PAGES'), 10),
                                 u64(A('KSM_FULL_SCANS'), 3)) + ack()),
        'ksm-old': (REQ_KSM, 0, genl(cmd('KSM_GET'),
                                     u32(A('KSM_UPDATED_NS'), 1),
                                     u32(A('KSM_MERGING_PAGES'), 0),
                                     u32(A('KSM_RMAP_ITEMS'), 0),
                                     u32(A('KSM_ZERO_PAGES'), 0)) + ack()),
        'damon-get-paddr': (REQ_DAMON_GET, 0, damon_reply() + ack()),
        'damon-get-vaddr': (REQ_DAMON_GET, 0, damon_reply(vaddr=True) + ack()),
        'damon-get-unbound': (REQ_DAMON_GET, 0, damon_reply(False) + ack()),
        'wss-dump': (REQ_WSS, 0,
                     wss_row(1, [(1000000000 * i, 4096 * i * i)
                                 for i in range(1, 9)]) +
                     wss_row(2, [(1000000000 * i, 1 << 20)
                                 for i in range(4, 12)]) +
                     genl(cmd('DAMON_WSS_GET'), u64(A('CGROUP_ID'), 3),
                          flags=NLM_F_MULTI) + done()),
        'wss-one': (REQ_WSS_ONE, 0,
                    genl(cmd('DAMON_WSS_GET'), u64(A('CGROUP_ID'), 1),
                         attr(A('CGROUP_DAMON_WSS_SAMPLES'),
                              struct.pack('=4Q', 1, 2, 3, 4))) + ack(28)),
        'regions': (REQ_REGIONS, 0x34, b''.join(regions) + done()),
        'regions-one-cgroup': (REQ_REGIONS, 0x57, b''.join(regions) + done()),
        'events': (REQ_EVENTS, 0, event_oom() + event_stall(0) +
                   event_stall(1) + event_oom(False) + event_stall(2)),
    }


IOMEM = """00000000-00000fff : Reserved
00001000-0009fbff : System RAM
0009fc00-0009ffff : Reserved
000a0000-000bffff : PCI Bus 0000:00
000f0000-000fffff : Reserved
  000f0000-000fffff : System ROM
00100000-bffdffff : System RAM
  4e000000-4f001fff : Kernel code
  4f200000-4fbfffff : Kernel rodata
bffe0000-bfffffff : Reserved
fd000000-fdffffff : 0000:00:02.0
feb80000-febbffff : 0000:00:03.0
fed00000-fed003ff : HPET 0
  fed00000-fed003ff : PNP0103:00
fee00000-fee00fff : Local APIC
fffc0000-ffffffff : Reserved
100000000-63fffffff : System RAM
640000000-7ffffffff : PCI Bus 0000:00
"""

MOUNTS = """sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
udev /dev devtmpfs rw,nosuid,relatime,size=12238388k,nr_inodes=3059597,mode=755 0 0
/dev/vda1 / ext4 rw,relatime,errors=remount-ro 0 0
tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=2451388k,mode=755 0 0
cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot 0 0
"""

MOUNTS_V1 = """cgroup /sys/fs/cgroup/memory cgroup rw,nosuid,nodev,noexec,relatime,memory 0 0
none /mnt/my\\040cgroups/ cgroup2 rw,relatime 0 0
"""

KSM_STAT = """ksm_rmap_items 5120
ksm_zero_pages 12
ksm_merging_pages 2048
ksm_process_profit 8339456
ksm_merge_any: yes
ksm_mergeable: yes
"""

DAMON_STATE = """kdamond 0
pid 4321
ops paddr
sample_us 5000
aggr_us 100000
targets 1
"""


def text_seeds():
    return {
        'iomem': {
            'qemu': IOMEM.encode(),
            'unprivileged': re.sub(r'[0-9a-f]+-[0-9a-f]+',
                                   '00000000-00000000', IOMEM).encode(),
            'no-ram': b'00000000-00000fff : Reserved\n',
        },
        'mounts': {
            'cgroup2': b'\xff' + MOUNTS.encode(),
            'cgroup2-short-buffer': b'\x08' + MOUNTS.encode(),
            'escaped-path': b'\x40' + MOUNTS_V1.encode(),
            'none': b'\x10' + MOUNTS.replace('cgroup2', 'tmpfs').encode(),
        },
        'ksm': {
            'ksm-stat': b'\x00' + KSM_STAT.encode(),
            'ksm-stat-5.19': b'\x00ksm_rmap_items 3\nksm_merging_pages 1\n',
            'proc-cgroup': b'\x010::/system.slice/ksm-demo.service\n',
            'proc-cgroup-v1': b'\x0112:memory:/a\n1:name=systemd:/a\n0::/a\n',
            'sysfs-i64': b'\x02-8339456\n',
            'sysfs-u64': b'\x0318446744073709551615\n',
        },
        'damon_state': {
            'paddr': DAMON_STATE.encode(),
            'vaddr': DAMON_STATE.replace('paddr', 'vaddr').replace(
                'targets 1', 'targets 3').encode(),
            'incomplete': b'kdamond 0\npid 1\n',
        },
    }


def snapshot_seeds():
    """Snapshots as memtally snapshot writes them (snapfile.c)."""
    hist = [0] * 20
    hist[3] = 2
    row = {'path': '/a', 'id': 2, 'faults_user': 5, 'pgsteal': 1,
           'direct_stall_hist': hist, 'memcg_stall_hist': [0] * 20,
           'softlimit_stall_hist': [0] * 20, 'damon_age_hist': [0] * 20}
    snap = {'format': 'memtally-snapshot', 'version': 1,
            'tool_version': '0.1.0', 'time_ns': 1, 'time': 'x',
            'boottime_ns': 1, 'uname': {'release': '6.12.0'},
            'cgroup_root': '/sys/fs/cgroup',
            'module': {'status': {}, 'cgroups': [row, dict(row, path=None,
                                                           id=3)],
                       'nodes': [dict(row, path=None, id=0)],
                       'ksm': None, 'damon': None},
            'files': {'/proc/meminfo': 'MemTotal: 1 kB\n',
                      '/proc/pressure/memory': None}}
    text = json.dumps(snap, separators=(',', ':')) + '\n'
    return {
        'full': text.encode(),
        'no-module': json.dumps(dict(snap, module=None)).encode(),
        'truncated': text[:len(text) // 2].encode(),
        'version-2': json.dumps(dict(snap, version=2)).encode(),
    }


GOLDEN = os.path.join(HERE, '..', 'tests', 'golden')


def golden(kernel):
    """The first snapshot of a golden capture (tests/golden/KERNEL)."""
    with open(os.path.join(GOLDEN, kernel, 'snapshot.json')) as f:
        return json.load(f)


def pids(snap):
    return sorted({int(k.split('/')[2]) for k in snap['files']
                   if re.match(r'/proc/\d+/', k)})


def trim(snap, keep, names=None, module_keys=None):
    """@snap with the files of the processes @keep only (and of those, the
    files @names), the module's parts @module_keys only: a small seed."""
    s = json.loads(json.dumps(snap))
    files = {}
    for k, v in s['files'].items():
        m = re.match(r'/proc/(\d+)/(.*)', k)
        if m and (int(m.group(1)) not in keep or
                  (names and m.group(2) not in names)):
            continue
        files[k] = v
    s['files'] = files
    if s['module'] and module_keys is not None:
        s['module'] = {k: v for k, v in s['module'].items()
                       if k in module_keys}
    return s


def dump(snap):
    return (json.dumps(snap, separators=(',', ':')) + '\n').encode()


def user_pids(snap, n):
    """The first @n processes with memory (smaps_rollup), then those with
    KSM rmap items, and a kernel thread."""
    f = snap['files']
    users = [p for p in pids(snap) if f.get('/proc/%d/smaps_rollup' % p)]
    ksm = [p for p in users
           if not re.search(r'ksm_rmap_items 0\n',
                            f.get('/proc/%d/ksm_stat' % p) or
                            'ksm_rmap_items 0\n')]
    kthread = [p for p in pids(snap) if p not in users][:1]
    return set(users[:n] + ksm + kthread)


REPORT_FILES = ('status', 'smaps_rollup', 'cgroup')
REPORT_MODULE = ('status', 'cgroups', 'nodes', 'ksm', 'damon')


def report_seeds():
    """Snapshots as memtally report --from reads them: the golden ones
    without what it never reads (smaps, DAMON's samples and regions)."""
    out = {}
    for k in ('6.1', '6.12'):
        g = golden(k)
        s = trim(g, user_pids(g, 4), REPORT_FILES, REPORT_MODULE)
        out[k] = dump(s)
    s = json.loads(out['6.12'])
    out['no-module'] = dump(dict(s, module=None))
    out['no-files'] = dump(dict(s, files={}))
    # every rule fires: no swap under pressure, many major faults, an OOM
    # kill by the module's count and a lukewarm, cold cgroup in DAMON
    r = json.loads(out['6.12'])
    f = r['files']
    f['/proc/swaps'] = f['/proc/swaps'].split('\n')[0] + '\n'
    f['/proc/vmstat'] = re.sub(r'pgmajfault \d+', 'pgmajfault 99999999',
                               f['/proc/vmstat'])
    for row in r['module']['cgroups']:
        if row['path'] == '/oom':
            row['oom_kills'] = 3
        if row['path'] == '/demo/batch':
            row.update(damon_wss=60 << 20, damon_hot=1 << 20,
                       damon_warm=40 << 20, damon_cold=200 << 20)
        if row['path'] == '/demo/db':
            row['ksm_merging_pages'] = 100  # a second cgroup with KSM
    out['rules'] = dump(r)
    # without the module: OOM kills from memory.events, less the children's
    n = json.loads(out['no-module'])
    for cg, kills in (('/demo', 5), ('/demo/db', 2)):
        k = '/sys/fs/cgroup%s/memory.events' % cg
        n['files'][k] = re.sub(r'oom_kill \d+', 'oom_kill %d' % kills,
                               n['files'][k])
    out['no-module-oom'] = dump(n)
    # the cgroup root at / (a container's view), its files' paths with it
    c = json.loads(out['6.12'])
    c['cgroup_root'] = '/'
    c['files'] = {(k[len('/sys/fs/cgroup'):] or '/')
                  if k.startswith('/sys/fs/cgroup/') else k: v
                  for k, v in c['files'].items()}
    out['cgroot-slash'] = dump(c)
    return out


KSM_FILES = ('comm', 'cgroup', 'ksm_merging_pages', 'ksm_stat')


def ksm_from_seeds():
    """Snapshots as memtally ksm --from reads them."""
    out = {}
    for k in ('6.1', '6.12'):
        g = golden(k)
        s = trim(g, user_pids(g, 3), KSM_FILES, ('cgroups', 'ksm'))
        s['files'] = {p: v for p, v in s['files'].items()
                      if p.startswith('/proc/') or
                      p.startswith('/sys/kernel/mm/ksm/')}
        out[k] = dump(s)
    s = json.loads(out['6.12'])
    out['no-module'] = dump(dict(s, module=None))
    out['no-ksm'] = dump(dict(s, files={p: v for p, v in s['files'].items()
                                        if not p.startswith('/sys/')}))
    # 5.19's ksm_stat: rmap items and merging pages, nothing after
    o = json.loads(out['6.12'])
    for p in o['files']:
        if p.endswith('/ksm_stat') and o['files'][p]:
            o['files'][p] = '\n'.join(o['files'][p].split('\n')[:1]) + '\n'
    out['ksm-stat-5.19'] = dump(o)
    # a second process and cgroup with merged pages, to sort
    t = json.loads(out['6.12'])
    t['files']['/proc/1/ksm_stat'] = re.sub(
        r'ksm_rmap_items \d+\nksm_zero_pages \d+\nksm_merging_pages \d+',
        'ksm_rmap_items 8\nksm_zero_pages 1\nksm_merging_pages 4',
        t['files']['/proc/1/ksm_stat'])
    t['files']['/proc/1/ksm_merging_pages'] = '4\n'
    for row in t['module']['cgroups']:
        if row['path'] == '/':
            row['ksm_merging_pages'] = 4
    out['two-processes'] = dump(t)
    return out


SMEM_FILES = ('status', 'cmdline', 'cgroup', 'smaps_rollup', 'smaps')


def first_maps(text, n):
    """The first @n mappings of an smaps file."""
    heads = [m.start() for m in re.finditer(r'^[0-9a-f]+-', text, re.M)]
    return text[:heads[n]] if len(heads) > n else text


def smem_from_seeds():
    """Snapshots as memtally smem --from reads them: a few processes, each
    with its first mappings only, and /proc/meminfo."""
    out = {}
    for k in ('6.1', '6.12'):
        g = golden(k)
        s = trim(g, user_pids(g, 4), SMEM_FILES)
        s['files'] = {p: first_maps(v, 6) if v and p.endswith('/smaps')
                      else v for p, v in s['files'].items()
                      if re.match(r'/proc/(\d+/|meminfo$)', p)}
        out[k] = dump(dict(s, module=None))
    s = json.loads(out['6.12'])
    # taken without smaps (memtally report's snapshot): no mapping view
    out['no-smaps'] = dump(dict(s, files={
        p: v for p, v in s['files'].items() if not p.endswith('/smaps')}))
    # another user's processes, not readable: smaps_rollup null
    u = json.loads(out['6.12'])
    for p in list(u['files']):
        if p.endswith('/smaps_rollup') and not p.startswith('/proc/1/'):
            u['files'][p] = None
    out['unreadable'] = dump(u)
    return out


def smaps_seeds():
    """The files of fuzz_smaps.c, NUL-separated, from a golden capture: a
    process without KSM (pid 1) and one with (mt_merge)."""
    g = golden('6.12')
    f = g['files']
    merge = [p for p in pids(g) if f.get('/proc/%d/comm' % p) ==
             'mt_merge\n'][0]

    def smaps(pid, n):
        return first_maps(f['/proc/%d/smaps' % pid], n)

    parts = [f['/proc/1/smaps_rollup'], smaps(1, 6), f['/proc/1/status'],
             f['/proc/%d/smaps_rollup' % merge], smaps(merge, 6),
             f['/proc/%d/cgroup' % merge], f['/proc/meminfo']]
    join = lambda v: '\0'.join(v).encode()
    no_swappss = [re.sub(r'^SwapPss:.*\n', '', t, flags=re.M)
                  for t in parts[:2]]
    return {
        'two-processes': join(parts),
        'rollup-only': join(parts[:1]),
        'no-smaps': join([parts[0], '', parts[2]]),
        'before-4.3': join(no_swappss + parts[2:]),
        'kernel-thread': join(['', '', 'Name:\tkthreadd\nUid:\t0\n']),
    }


def procfiles_seeds():
    """Byte 0 the kind of fuzz_procfiles.c; a "key value" file has the
    size of mt_kv_str()'s buffer in byte 1."""
    g = golden('6.12')
    f = g['files']
    kv = lambda n, text: bytes([0, n]) + text.encode()
    return {
        'meminfo': kv(79, f['/proc/meminfo']),
        'vmstat': kv(20, f['/proc/vmstat']),
        'status': kv(64, f['/proc/1/status']),
        'smaps-rollup': kv(8, f['/proc/1/smaps_rollup']),
        'memory-stat': kv(1, f['/sys/fs/cgroup/demo/db/memory.stat']),
        'memory-events': kv(33, f['/sys/fs/cgroup/demo/db/memory.events']),
        'swaps': b'\x01' + f['/proc/swaps'].encode(),
        'swaps-none': b'\x01' + f['/proc/swaps'].split('\n')[0].encode() +
                      b'\n',
        'swaps-two': b'\x01' + f['/proc/swaps'].encode() +
                     b'/swap.img  file\t1048572\t0\t-3\n',
    }


def psi_seeds():
    g = golden('6.12')
    f = g['files']
    return {
        'system': f['/proc/pressure/memory'].encode(),
        'cgroup': f['/sys/fs/cgroup/demo/db/memory.pressure'].encode(),
        'idle': b'some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n'
                b'full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n',
        # the system's file before 5.13 had no full line
        'some-only': f['/proc/pressure/memory'].split('\n')[0].encode() +
                     b'\n',
    }


def lrugen_seeds():
    """lru_gen in the kernel's layout (mm/vmscan.c lru_gen_seq_show())."""
    def memcg(ident, path, nodes):
        out = 'memcg %5d %s\n' % (ident, path)
        for nid, gens in nodes:
            out += ' node %5d\n' % nid
            for seq, age, anon, file in gens:
                out += ' %10d %10d %10d  %10d \n' % (seq, age, anon, file)
        return out
    root = memcg(1, '/', [(0, [(4, 90000, 1000, 10), (5, 30000, 200, 20),
                               (6, 5000, 30, 30), (7, 500, 4, 40)])])
    two = memcg(2, '/a b', [(0, [(10, 200000, 100, 1000),
                                 (11, 1000, 50, 500)]),
                            (1, [(3, 4000, 7, 0)])])
    return {
        'one-memcg': root.encode(),
        'two-nodes': (root + two).encode(),
        # 7.x prints the cgroup id
        'cgroup-id': ('memcg 4294967311 /system.slice\n node     0\n'
                      '          1        100          0           0 \n'
                      ).encode(),
        'no-memcg': b'memcg     0 \n node     0\n'
                    b'          0          5          1           2 \n',
    }


def write(name, files):
    d = os.path.join(HERE, 'corpus', name)
    os.makedirs(d, exist_ok=True)
    for fname, data in files.items():
        with open(os.path.join(d, fname), 'wb') as f:
            f.write(data)


def main():
    write('nl', {k: bytes([r, o]) + b for k, (r, o, b) in nl_seeds().items()})
    for name, files in text_seeds().items():
        write(name, files)
    write('snapshot', snapshot_seeds())
    write('report', report_seeds())
    write('ksm_from', ksm_from_seeds())
    write('smem_from', smem_from_seeds())
    write('smaps', smaps_seeds())
    write('procfiles', procfiles_seeds())
    write('psi', psi_seeds())
    write('lrugen', lrugen_seeds())


if __name__ == '__main__':
    main()
