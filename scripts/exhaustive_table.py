#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Condenses vact_exhaustive runs into docs/accuracy.md's tables.

    build/release/tests/vact_exhaustive > run.txt
    scripts/exhaustive_table.py [--tier precise|fast] run.txt [rerun.txt ...]

vact_exhaustive prints one row per (function, ISA). ISAs whose outputs hash
alike (the FMA ISAs: scalar, avx2, avx512, neon; and sse2 with sse4.1) have
the same statistics, so they share a row here. A later file's rows replace
an earlier file's rows for the same function (a rerun with --ops after a
fix). --tier keeps one tier's rows (the fast tier's functions are the
ones labelled "(fast)"), for runs that cover both. Exits 1 unless every
function has rows and every row passed.
"""
import sys

COLUMNS = 12  # vact_exhaustive's table


def read_run(path):
    lines = open(path, encoding='utf-8').read().splitlines()
    header = next((l for l in lines if l.startswith('vact_exhaustive:')), '')
    footer = [l for l in lines if l.startswith(('all bounds hold', 'FAILED'))]
    rows = []
    for line in lines:
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) == COLUMNS and cells[0] not in ('op', '---'):
            rows.append(cells)
    return header, (footer[-1] if footer else 'incomplete run'), rows


def main(arguments):
    tier = None
    if arguments[:1] == ['--tier'] and len(arguments) > 1:
        tier, arguments = arguments[1], arguments[2:]
        if tier not in ('precise', 'fast'):
            sys.exit(__doc__)
    return table(arguments, tier)


def in_tier(function, tier):
    return tier is None or function.endswith(' (fast)') == (tier == 'fast')


def table(paths, tier):
    by_function = {}  # function -> its rows, from the last file that has it
    order = []
    for path in paths:
        header, footer, rows = read_run(path)
        print('- `%s`: %s; %s' % (path.split('/')[-1],
                                  header.replace('vact_exhaustive: ', ''),
                                  footer))
        fresh = {}
        for row in rows:
            if in_tier(row[0], tier):
                fresh.setdefault(row[0], []).append(row)
        for function, function_rows in fresh.items():
            if function not in by_function:
                order.append(function)
            by_function[function] = function_rows
    print()
    print('| function | ISAs | max ULP | at x | mean ULP | correctly rounded '
          '| out of range | not monotone | asymmetric | bound | hash | |')
    print('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: '
          '| --- | --- |')
    passed = bool(order)
    for function in order:
        merged = []  # rows of equal hash share one line
        for (op, isa, max_ulp, at, mean, cr, out, mono, asym, hsh, bound,
             verdict) in by_function[function]:
            passed &= verdict == 'ok'
            for m in merged:
                if m['hash'] == hsh:
                    m['isas'].append(isa)
                    break
            else:
                merged.append(dict(isas=[isa], cells=[max_ulp, at, mean, cr,
                                                      out, mono, asym, bound],
                                   hash=hsh, verdict=verdict))
        for m in merged:
            print('| %s | %s | %s | `%s` | %s |'
                  % (function, ', '.join(m['isas']), ' | '.join(m['cells']),
                     m['hash'], m['verdict']))
    return 0 if passed else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
