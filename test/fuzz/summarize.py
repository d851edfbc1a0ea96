#!/usr/bin/env python3
# Summarizes a fuzz run by entry point and failure kind, with the first counterexample of each:
#   npx jest --coverage=false test/fuzz > /tmp/fuzz.txt 2>&1; python3 test/fuzz/summarize.py /tmp/fuzz.txt
import re, collections, sys
txt = open(sys.argv[1]).read()
blocks = re.split(r'\n  ● ', txt)
first = collections.OrderedDict()
for b in blocks[1:]:
    head, _, body = b.partition('\n')
    if ' › ' not in head: continue
    ep, test = head.split(' › ', 1)
    m = re.search(r'^\s+(?:Error: )?(\S+ (\S+) = .*)$', body, re.M)
    if not m: continue
    first.setdefault((ep, test), m.group(1).strip())
def cat(line):
    if 'silent output: the unknown key' in line: return 'UNKNOWN-KEY-IGNORED'
    if 'silent output: accepted' in line: return 'SILENT-WRONG-TYPE/ENUM'
    if re.search(r'threw a (TypeError|RangeError|ReferenceError)', line): return 'JS-INTERNAL-ERROR'
    if 'threw a non-Error' in line: return 'NON-ERROR-THROWN'
    if 'without' in line: return 'ERROR-MESSAGE-INCOMPLETE'
    if 'breaks the schema/API rules' in line: return 'INVALID-OUTPUT'
    if 'non-finite' in line: return 'NAN-IN-RESULT'
    return 'OTHER'
by_ep = collections.OrderedDict()
for (ep, test), line in first.items():
    by_ep.setdefault(ep, collections.OrderedDict()).setdefault(cat(line), []).append((test, line))
for ep, cats in by_ep.items():
    n = sum(len(v) for v in cats.values())
    print(f'### {ep} ({n} failing props)')
    for c, items in cats.items():
        props = [t.replace('unknown key ', '') for t, _ in items]
        ex = items[0][1]
        ex = re.sub(r' \| \{.*', '', ex)
        print(f'- {c} ({len(items)}): {", ".join(props[:14])}{" …" if len(props) > 14 else ""}')
        print(f'    e.g. {ex[:260]}')
