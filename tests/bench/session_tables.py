#!/usr/bin/env python3
"""Prints the Markdown tables BENCHMARKS.md records from a `plansight bench --json` session: the median client
time (and the speed-up against the baseline) of every strategy on every workload, and each strategy's build,
refresh, footprint and staleness. Not a test: it formats what a session measured.

    tests/bench/session_tables.py SESSION.json
"""
import json
import sys


def label(w):
    parts = []
    if w.get('match') == 'all' and len(w.get('tagIds', [])) > 1:
        parts.append('%d tags' % len(w['tagIds']))
    if w.get('page', 1) > 1:
        parts.append('page %d' % w['page'])
    return w['name'] + (' (%s)' % ', '.join(parts) if parts else '')


def ms(v):
    if v is None:
        return '-'
    if v >= 1000:
        return '%.2f s' % (v / 1000)
    if v >= 10:
        return '%.1f ms' % v
    if v >= 1:
        return '%.2f ms' % v
    return '%.3f ms' % v


def size(b):
    if b is None or b < 0:
        return '-'
    for unit, f in (('GiB', 1 << 30), ('MiB', 1 << 20), ('KiB', 1 << 10)):
        if b >= f:
            return '%.1f %s' % (b / f, unit)
    return '%d B' % b


def main(path):
    d = json.load(open(path))
    runs = d['results']
    workloads, strategies = [], []
    cell = {}
    for r in runs:
        w = label(r['workload'])
        if w not in workloads:
            workloads.append(w)
        if r['strategy'] not in strategies:
            strategies.append(r['strategy'])
        if r['outcome'] != 'ok':
            text = r['outcome']
        else:
            text = ms(r['p50_ms'])
            sp = r.get('speedup') or {}
            if r['strategy'] != 'baseline' and sp.get('ratio'):
                ratio = sp['ratio']
                text += ' (%s)' % ('%.0fx' % ratio if ratio >= 10 else '%.2fx' % ratio)
            if r['result_check'] not in ('same',) and r['strategy'] != 'baseline':
                text += ' **%s**' % r['result_check'].upper()
            if r['runs'] < 3:
                text += ' [%d run%s]' % (r['runs'], '' if r['runs'] == 1 else 's')
        cell[(r['strategy'], w)] = text
    print('| strategy | ' + ' | '.join(workloads) + ' |')
    print('|---' * (len(workloads) + 1) + '|')
    for s in strategies:
        print('| %s | %s |' % (s, ' | '.join(cell.get((s, w), '-') for w in workloads)))
    print()
    print('| strategy | build | storage added | refresh | write cost (one item, 75 tags) | staleness |')
    print('|---|---|---|---|---|---|')
    seen = set()
    for r in runs:
        s = r['strategy']
        if s in seen:
            continue
        seen.add(s)
        f = r['footprint']
        wc = f.get('write_cost', '')
        if f.get('write_ms') is not None and f.get('baseline_write_ms') is not None and wc not in ('none',):
            wc = '%s: %.2f ms against %.2f ms' % (wc, f['write_ms'], f['baseline_write_ms'])
        print('| %s | %s | %s | %s | %s | %s |' % (s, ms(f.get('build_ms')), size(f.get('bytes')),
              ms(f.get('refresh_ms')), wc or '-', f.get('staleness') or 'none'))


if __name__ == '__main__':
    main(sys.argv[1])
