#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the YNL spec and the uapi header agree, value for value.

uapi/linux/tcplimit.h is written by hand, so nothing but this keeps it in
step with Documentation/netlink/specs/tcplimit.yaml. From the spec it
derives every name and value that the kernel's ynl-gen-c.py would put in
a uapi header (family name and version, consts, enums and flags, the
attribute-set and command enums with their __X_MAX and X_MAX, multicast
groups; honouring name-prefix, enum-name, c-*-name, attr-/cmd-cnt/max-name
and max-by-define), parses the header's #defines and enums and
compares both ways. One difference from ynl-gen-c is accepted: a spec const
may be an enum member in the header (TCPLIMIT_LIMIT_ALL). The spec must be
YAML without duplicate keys and have the genetlink top-level keys; with
--schema or $YNL_SCHEMA naming the kernel's netlink/genetlink-c.yaml it is
validated against that too (needs python3-jsonschema). Exits 1 on any
mismatch, one line each, else 0.
"""
import argparse
import os
import re
import sys

import yaml

errors = []


def err(msg):
    errors.append(msg)
    print('ynl-check: ' + msg)


def up(s):
    return s.upper().replace('-', '_')


class Loader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(k, deep) for k, _ in node.value]
        for k in keys:
            if k != '<<' and keys.count(k) > 1:
                raise yaml.constructor.ConstructorError(
                    None, None, f'duplicate key {k!r}', node.start_mark)
        return super().construct_mapping(node, deep)


def tag_of(obj, default=None):
    """The C enum tag, as ynl-gen-c's uapi_enum_start() picks it."""
    if 'enum-name' in obj:
        return up(obj['enum-name']).lower() if obj['enum-name'] else None
    return default


def numbered(items, val):
    """Items with ynl's numbering: their 'value', else the previous + 1."""
    for it in items:
        it = {'name': it} if isinstance(it, str) else it
        val = it.get('value', val)
        yield it, val
        val += 1


def spec_items(spec):
    """The header the spec implies: enums [(tag, kind, members)] and
    defines, members and defines both [(what, C name, value)]."""
    fam, enums, defs = spec['name'], [], []
    ops, by_def = spec['operations'], spec.get('max-by-define', False)

    def seal(tag, kind, ms, pfx, cnt, mx):   # append __X_MAX and X_MAX
        last = max((v for _, _, v in ms), default=-1)
        ms.append(('count', up(cnt or f'__{pfx}max'), last + 1))
        (defs if by_def else ms).append(('max', up(mx or pfx + 'max'), last))
        enums.append((tag, kind, ms))

    for obj in [ops, *spec.get('definitions', [])]:
        for key in {'async-prefix', 'render-max'} & set(obj):
            err(f'spec uses {key}, which this check does not handle yet')
    defs.append(('family name', up(spec.get('c-family-name',
                                            fam + '-family-name')), fam))
    defs.append(('version', up(spec.get('c-version-name',
                                        fam + '-family-version')),
                 spec.get('version', 1)))
    for d in spec.get('definitions', []):
        typ, name = d['type'], d['name']
        if 'header' in d:
            continue
        if typ == 'const':
            defs.append((f"const '{name}'",
                         up(d.get('c-define-name', f'{fam}-{name}')),
                         d['value']))
        elif typ in ('enum', 'flags'):
            pfx = d.get('name-prefix', f'{fam}-{name}-')
            enums.append((tag_of(d, up(f'{fam}_{name}').lower()), typ, [
                (f"{typ} '{name}' entry '{e['name']}'", up(pfx + e['name']),
                 1 << v if typ == 'flags' else v)
                for e, v in numbered(d['entries'], d.get('value-start', 0))]))
    for s in spec['attribute-sets']:
        if 'subset-of' in s:
            continue
        pfx = s.get('name-prefix', f'{fam}-a-' if s['name'] == fam
                    else f"{fam}-a-{s['name']}-")
        ms = [(f"attribute '{s['name']}.{a['name']}'", up(pfx + a['name']), v)
              for a, v in numbered(s['attributes'], 1)]
        seal(tag_of(s), 'attribute-set enum', ms, pfx, s.get('attr-cnt-name'),
             s.get('attr-max-name'))
    pfx = ops.get('name-prefix', f'{fam}-cmd-')
    ms = [(f"command '{o['name']}'", up(pfx + o['name']), v)
          for o, v in numbered(ops['list'], 1)]
    seal(tag_of(ops), 'command enum', ms, pfx,
         ops.get('cmd-cnt-name', spec.get('cmd-cnt-name')),
         ops.get('cmd-max-name', spec.get('cmd-max-name')))
    for g in spec.get('mcast-groups', {}).get('list', []):
        defs.append((f"multicast group '{g['name']}'",
                     up(g.get('c-define-name', f"{fam}-mcgrp-{g['name']}")),
                     g['name']))
    return enums, defs


def c_eval(expr, names):
    """Value of a C constant expression: a string, or integer arithmetic on
    literals and names defined above it."""
    expr = re.sub(r'\b(0x[0-9a-f]+|\d+)[ul]+\b', r'\1', expr.strip(),
                  flags=re.I)
    if re.fullmatch(r'"[^"\\]*"', expr):
        return expr[1:-1]
    if not re.fullmatch(r'[\w\s()+\-*/%<>|&~^]+', expr):
        raise ValueError(f'cannot evaluate {expr!r}')
    return eval(expr.replace('/', '//'), {'__builtins__': {}}, names)


def parse_header(path):
    """The header's #defines {name: value} and enums [(tag, {name: value})]."""
    with open(path) as f:
        text = re.sub(r'/\*.*?\*/|//[^\n]*|\\\n', ' ', f.read(), flags=re.S)
    names, defs, enums = {}, {}, []
    pat = r'^\s*#\s*define[ \t]+(\w+)(.*)$|\benum\s+(\w*)\s*\{([^}]*)\}\s*;'
    for m in re.finditer(pat, text, re.M):
        if m[1] and m[2].strip():   # (a define without value is the guard)
            defs[m[1]] = names[m[1]] = c_eval(m[2], names)
        elif not m[1]:
            members, val = {}, 0
            for item in filter(None, map(str.strip, m[4].split(','))):
                name, _, expr = map(str.strip, item.partition('='))
                val = c_eval(expr, names) if expr else val
                members[name] = names[name] = val
                val += 1
            enums.append((m[3] or None, members))
    return defs, enums


def compare(enums, defs, hdefs, henums):
    consts = {c: (what, v) for what, c, v in defs}
    where = {n: tag for tag, ms in henums for n in ms}
    matched = set()
    for tag, kind, ms in enums:
        first = ms[0][1] if ms else None
        i = next((i for i, (t, hms) in enumerate(henums)
                  if (t == tag if tag else not t and first in hms)), None)
        if i is None:
            err(f"spec {kind} {tag or '(anonymous)'} missing from header")
            continue
        matched.add(i)
        hms = henums[i][1]
        for what, c, v in ms:
            if c not in hms:
                also = f' (it is in enum {where[c]})' if c in where else ''
                err(f'spec {what} ({c}) missing from header enum {tag}{also}')
            elif hms[c] != v:
                err(f'header has {c}={hms[c]}, spec says {v}')
        for c, v in hms.items():
            if c not in consts and c not in [m[1] for m in ms]:
                err(f'header {c}={v} (enum {tag}) not in spec')
    for i, (tag, hms) in enumerate(henums):
        if i not in matched:
            err(f"header enum {tag or '(anonymous)'} ({', '.join(hms)}) "
                'not in spec')
    hall = {n: v for _, hms in henums for n, v in hms.items()} | hdefs
    for c, (what, v) in consts.items():
        if c not in hall:
            err(f'spec {what} ({c}) missing from header')
        elif hall[c] != v:
            err(f'header has {c}={hall[c]!r}, spec says {v!r}')
    for c, v in hdefs.items():
        if c not in consts:
            err(f'header #define {c} {v!r} not in spec')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--spec',
                    default='Documentation/netlink/specs/tcplimit.yaml')
    ap.add_argument('--header', default='uapi/linux/tcplimit.h')
    ap.add_argument('--schema', default=os.environ.get('YNL_SCHEMA'),
                    help="the kernel's Documentation/netlink/genetlink-c.yaml")
    args = ap.parse_args()
    try:
        with open(args.spec) as f:
            spec = yaml.load(f, Loader=Loader)
    except yaml.YAMLError as e:
        err(f'{args.spec} is not valid YAML: {e}')
        return 1
    need = ('name', 'protocol', 'attribute-sets', 'operations')
    missing = [k for k in need if not isinstance(spec, dict) or k not in spec]
    if missing:
        err(f"{args.spec} lacks top-level key(s) {', '.join(missing)}")
        return 1
    if spec['protocol'] not in ('genetlink', 'genetlink-c'):
        err(f"protocol is {spec['protocol']!r}, not genetlink(-c)")
    if args.schema:
        import jsonschema
        with open(args.schema) as f:
            validator = jsonschema.Draft7Validator(yaml.safe_load(f))
        for e in validator.iter_errors(spec):
            path = '/'.join(map(str, e.absolute_path))
            err(f'schema: {path or "(top)"}: {e.message}')
    try:
        enums, defs = spec_items(spec)
    except KeyError as e:
        err(f'{args.spec}: an item lacks the key {e}')
        return 1
    try:
        hdefs, henums = parse_header(args.header)
    except (ValueError, NameError, SyntaxError) as e:
        err(f'cannot parse {args.header}: {e}')
        return 1
    compare(enums, defs, hdefs, henums)
    if errors:
        return 1
    print(f'ynl-check: ok ({len(enums)} enums, {len(defs)} constants'
          ' compared)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
