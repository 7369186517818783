#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Condenses vact_exhaustive's output into the README's table.

    build/release/tests/vact_exhaustive > run.txt
    scripts/exhaustive_table.py run.txt

vact_exhaustive prints one row per (function, ISA). ISAs whose outputs hash
alike (the FMA ISAs: scalar, avx2, avx512, neon; and sse2 with sse4.1) have
the same statistics, so they share a row here. Exits 1 unless the run
ended with "all bounds hold".
"""
import sys


def main(path):
    lines = open(path, encoding='utf-8').read().splitlines()
    header = next(l for l in lines if l.startswith('vact_exhaustive:'))
    rows = []
    for line in lines:
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) != 12 or cells[0] in ('op', '---'):
            continue
        rows.append(cells)
    merged = {}
    order = []
    for (op, isa, max_ulp, at, mean, cr, out, mono, asym, hsh, bound,
         verdict) in rows:
        key = (op, hsh.split()[0])
        if key not in merged:
            merged[key] = dict(op=op, isas=[], max=max_ulp, at=at, mean=mean,
                               cr=cr, out=out, mono=mono, asym=asym,
                               hash=hsh, bound=bound, verdict=verdict)
            order.append(key)
        merged[key]['isas'].append(isa)
        if verdict != 'ok':
            merged[key]['verdict'] = verdict
    print(header.replace('vact_exhaustive: ', '`vact_exhaustive`: '))
    print()
    print('| function | ISAs | max ULP | at x | mean ULP | correctly rounded '
          '| out of range | not monotone | asymmetric | bound | hash | |')
    print('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: '
          '| --- | --- |')
    for key in order:
        r = merged[key]
        print('| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | `%s` | %s |'
              % (r['op'], ', '.join(r['isas']), r['max'], r['at'], r['mean'],
                 r['cr'], r['out'], r['mono'], r['asym'], r['bound'],
                 r['hash'], r['verdict']))
    footer = [l for l in lines if l.startswith(('all bounds hold', 'FAILED'))]
    print()
    print(footer[-1] if footer else 'incomplete run')
    return 0 if footer and footer[-1].startswith('all bounds hold') else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
