// SPDX-License-Identifier: GPL-2.0-only
///
/// Convert kmap_atomic(), kmap_atomic_prot(), kmap_atomic_pfn() and
/// io_mapping_map_atomic_wc() sections to their kmap_local twins where the
/// rules can show it is safe; report every other call with the reason.
///
// A local mapping does not disable page faults or preemption.  A mapping
// is converted, with the unmaps it reaches, only if all of this holds:
//  - it is a statement assigning a plain variable (x = map(...); or a
//    declaration), maybe cast or plus an offset, and the function makes no
//    mapping of the family in any other form;
//  - x is unmapped on every path of the function, early returns included,
//    and neither reassigned nor has its address taken before the unmap;
//  - each unmap it reaches is reached only from mappings that convert
//    too: not from the function's entry, from another assignment of x, from
//    an earlier unmap of x (x mapped again out of sight), or from a mapping
//    that needs a human; x is not assigned inside a condition or other
//    expression anywhere in the function;
//  - it is not in a macro definition;
//  - nothing between map and unmap relies on the atomic context: no user
//    memory access (any *_user*() API but the *_user_page() page copies,
//    uaccess sections, *iter*(), sockptr, msghdr and simple buffer
//    copies, fault_in_*(), pagefault_*()), no per-CPU state (this_cpu_*(),
//    raw_cpu_*(), per_cpu*(), get_cpu*(), smp_processor_id()), no
//    cross-CPU call, no preemption, RCU-sched or interrupt control or
//    state query (preempt_*(), migrate_*(), preemptible(), in_atomic(),
//    irqs_disabled(), ...), no call through a function pointer (any callee
//    that is not a plain name, a variable or parameter of any type,
//    INDIRECT_CALL_*()), no function of the same file that does one of
//    those directly or that spatch cannot parse, no macro of the file that
//    does one of those, unmaps, returns or jumps (used anywhere in the
//    function, for macros without arguments);
//  - it is not released out of LIFO order with another mapping.
// Functions of other files are trusted: only their names are checked
// against the list.  Review what patch mode converts.
// Report and org modes give one line per call spatch parses: converted
// automatically (naming any comment in the function that still mentions
// the atomic API), or needs a human and why.  They also flag unmaps that
// break the LIFO order mappings must be released in (paths are not
// correlated: mappings made and released under matching conditions can
// be flagged falsely).
//
// Confidence: Moderate
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Comments: What the rules cannot follow is reported, not converted.
// Options: --no-includes --include-headers
// Requires: 1.1.1
// Keywords: kmap_atomic, kmap_local_page, io_mapping_map_atomic_wc
//

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import re

LOCAL = {'kmap_atomic': 'kmap_local_page', 'kmap_atomic_prot': 'kmap_local_page_prot',
         'kmap_atomic_pfn': 'kmap_local_pfn',
         'io_mapping_map_atomic_wc': 'io_mapping_map_local_wc'}
UNMAP = {'kmap_atomic': 'kunmap_atomic', 'kmap_atomic_prot': 'kunmap_atomic',
         'kmap_atomic_pfn': 'kunmap_atomic',
         'io_mapping_map_atomic_wc': 'io_mapping_unmap_atomic'}
# An expression that is a mapping: the call, maybe cast, maybe plus an offset.
IS_MAP = re.compile(r'(\(\s*[^()]*\)\s*)*(kmap_atomic|kmap_atomic_prot|kmap_atomic_pfn|io_mapping_map_atomic_wc)\s*\(')
# What relies on the atomic context: user memory access, per-CPU state,
# preemption, RCU-sched, interrupt and fault state.  Derived from what the
# uaccess, uio, sockptr, percpu, smp, preempt, hardirq, irqflags and
# rcupdate headers define (and the lockdep assertions of those states); names there that are
# safe in a local section (access_ok(), local_irq_save(),
# copy_from_kernel_nofault(), ...) are left out.
UNSAFE = re.compile(
    # user memory: every *_user*() API (not the *_user_page() page copies),
    # uaccess sections, iov_iter, faults
    r'(^|_)user(?!_(high)?page)(_|s_|$)|uaccess|^unsafe_|^(stac|clac)$|_inatomic|(^|_)iter(_|$)'
    r'|^iov_|iovec|ubuf|(^|_)(page)?fault(handler)?(_|$)|^probe_subpage'
    r'|^rep_(movs|stos)_alternative$|^__(get|put)_kernel_nofault$|sockptr|bpfptr|_msg$'
    r'|_(read_from|write_to)_buffer$|^INDIRECT_CALL'
    # per-CPU state, cross-CPU calls
    r'|^(__)?(this|raw)_cpu_|^(__)?per_cpu|(^|_)pcpu_|cpu_fallback|^(__)?(get|put)_cpu'
    r'|_cpu_(var|ptr)$|smp_processor_id$|^smp_call_function|^on_each_cpu|my_cpu_offset'
    # preemption, RCU-sched, interrupt and context state
    r'|(^|_)preempt|^in_(atomic|interrupt|irq|softirq|hardirq|nmi|task|serving_softirq'
    r'|atomic_preempt_off|bh)$|^(soft|hard)?irq_count$|irqs_disabled|interrupt_context_level'
    r'|^lockdep_assert_(preempt|irqs|in_)|^lockdep_(hard|soft)irq(s_enabled|_context)$'
    r'|^cant_(sleep|migrate)$|^migrate_|(^|_)(irq|nmi)_(enter|exit)|^rcu_\w*sched|^rcu_read_lock_any_held$')
# The APIs' own definitions are not calls to convert.
API_HEADERS = re.compile(r'include/linux/(highmem|highmem-internal|io-mapping)\.h$')
UNMAPS = re.compile(r'\b(kunmap_atomic|io_mapping_unmap_atomic)\b')
DEFINE = re.compile(r'^[ \t]*#[ \t]*define[ \t]+(\w+)(\([^)]*\))?((?:[^\n]*\\\n)*)([^\n]*)', re.M)
# A function definition in kernel style: the header from column 0, the
# opening brace at column 0 on a line of its own.
FUNC_DEF = re.compile(r'^[A-Za-z_][^;{}#]*?\b(\w+)\s*\([^;{}]*\)\s*\n\{', re.M)
STALE = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
ATOMIC_WORDS = re.compile(r'\b(kmap_atomic\w*|kunmap_atomic|io_mapping_(un)?map_atomic\w*)')

calls = {}       # call of the family -> (API, function)
modeled = set()  # calls in a form the rules follow
var_of = {}      # mapping statement (position of x) -> call
var_name = {}    # call -> x
reach = {}       # call -> {unmap: unmap API}, the first unmaps it reaches
paired = set()   # calls unmapped on every path
why = {}         # call -> (line, why it needs a human)
unmap_why = {}   # unmap -> what else it releases
bad_var = {}     # (file, function, x) -> line where x is assigned in an expression
helpers = {}     # (file, function) -> the API relying on the atomic context it calls
macros = {}      # (file, macro) -> what it does that a section must not
vars_ = set()    # (file, function, name) of variables; function '' for file scope
defined = set()  # (file, name) of functions the file defines, by its text
parsed = set()   # (file, name) of functions spatch parsed
defines = {}     # file -> [(first, last)] lines of its #define directives
obj_macros = {}  # (file, macro without arguments) -> what it does
func_lines = {}  # call -> (first, last) line of its function
per_function = {}  # (file, function) -> mappings of either family
LIFO_MAX = 8
names = set()    # names unsafe_reason() may flag, whatever the file: a prefilter
callee_names = set()  # macro and variable names: a prefilter for helpers
unparsed_names = set()  # functions a file defines that spatch did not parse
scanned = set()  # files whose macros were read
source = {}      # file -> its lines, read once by scan_macros()


def code(e):
    """The text of an expression metavariable, without the comments
    spatch passes along with it."""
    return STALE.sub(' ', e).strip()


def not_a_name(e):
    """e is more than an identifier (a member, a dereference, a cast)."""
    return not code(e).isidentifier()


def not_a_map(e):
    """e is not a mapping (call, cast call, call plus an offset)."""
    return not IS_MAP.match(code(e))


def key(p):
    return (p.file, int(p.line), int(p.column))


def scan_macros(path):
    """Read the file's macros and function definitions: macros that
    unmap, return, jump or call what a section must not, the lines of every
    #define, and the functions defined (spatch may not parse them all)."""
    if path in scanned:
        return
    scanned.add(path)
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            raw = f.read()
    except OSError:
        return
    source[path] = raw.split('\n')
    text = STALE.sub(lambda m: re.sub(r'[^\n]', ' ', m.group(0)), raw)
    for m in DEFINE.finditer(text):
        name, args, body = m.group(1), m.group(2), m.group(3) + m.group(4)
        first = text.count('\n', 0, m.start()) + 1
        defines.setdefault(path, []).append((first, first + m.group(0).count('\n')))
        bad = UNMAPS.search(body) or re.search(r'\b(return|goto|break|continue)\b', body)
        what = "a macro that uses %s" % bad.group(1) if bad else None
        if not what:
            for c in re.finditer(r'\b(\w+)\s*\(', body):
                if UNSAFE.search(c.group(1)):
                    what = "a macro that calls %s()" % c.group(1)
                    break
        if what and args is None:
            obj_macros[(path, name)] = what
        elif what:
            macros[(path, name)] = what
            names.add(name)
            callee_names.add(name)
    for m in FUNC_DEF.finditer(text):
        defined.add((path, m.group(1)))


def note(k, reason, line=0):
    """Keep the reason found on the earliest line."""
    if k not in why or int(line) < why[k][0]:
        why[k] = (int(line), reason)


def maybe_unsafe(f):
    """Prefilter, whatever the file: unsafe_reason() decides."""
    return bool(UNSAFE.search(f)) or f in names or f in unparsed_names


def helper_callee(f):
    """Prefilter for the callees that make a function a helper."""
    return bool(UNSAFE.search(f)) or f in callee_names


def is_var(f, p):
    """f names a variable or parameter where p is: a call of it goes
    through a function pointer, whatever its type."""
    return (p.file, p.current_element, f) in vars_ or \
        ((p.file, '', f) in vars_ and (p.file, f) not in defined | parsed)


def unsafe_reason(f, p):
    """Why calling f at p relies on the atomic context, or None."""
    if is_var(f, p):
        return "section calls through the function pointer %s on line %s" % (f, p.line)
    if UNSAFE.search(f):
        return "section calls %s() on line %s" % (f, p.line)
    if (p.file, f) in macros:
        return "section calls %s() on line %s, %s" % (f, p.line, macros[(p.file, f)])
    if (p.file, f) in helpers:
        return "section calls %s() on line %s, which %s" % (f, p.line, helpers[(p.file, f)])
    if (p.file, f) in defined and (p.file, f) not in parsed:
        return ("section calls %s() on line %s, defined in this file in code spatch "
                "does not parse" % (f, p.line))
    return None


def component(k):
    """The mappings that share an unmap with k, directly or through others."""
    maps, todo = {k}, [k]
    while todo:
        m = todo.pop()
        for u in reach.get(m, {}):
            for m2 in reach:
                if u in reach[m2] and m2 not in maps:
                    maps.add(m2)
                    todo.append(m2)
    return maps


def function_lines(k):
    """(first line, lines) of the function the call at k is in."""
    first, last = func_lines[k]
    return first, source.get(k[0], [])[first - 1:last]


def obj_macro_used(k):
    """A macro without arguments of the file, that a section must not use,
    used in k's function: (name, line, what it does) or None."""
    mine = [(n, w) for (f, n), w in obj_macros.items() if f == k[0]]
    if not mine:
        return None
    first, lines = function_lines(k)
    for i, line in enumerate(lines):
        for n, w in mine:
            if re.search(r'\b%s\b' % re.escape(n), line):
                return (n, first + i, w)
    return None


def lifo_checked(p):
    return per_function.get((p.file, p.current_element), 0) <= LIFO_MAX


def own_reason(k):
    """Why the mapping at k needs a human, leaving aside the others that
    share its unmaps."""
    fm, fn = calls[k]
    for first, last in defines.get(k[0], ()):
        if first <= k[1] <= last:
            return "is in a macro definition"
    used = obj_macro_used(k)
    if used:
        return "is in a function that uses %s on line %d, %s" % used
    if per_function.get((k[0], fn), 0) > LIFO_MAX:
        return ("is in a function with more than %d mappings, whose release order "
                "is not checked" % LIFO_MAX)
    if k not in modeled:
        return ("is not a statement assigning a variable (x = %s(...); or a "
                "declaration): the rules do not follow it" % fm)
    for c in sorted(calls):
        if c[0] == k[0] and calls[c][1] == fn and c not in modeled:
            return ("is in a function that also maps on line %d in a form the "
                    "rules do not follow" % c[1])
    inside = sorted(bad_var.get((k[0], fn, var_name.get(k)), ()))
    if inside:
        return ("shares its variable with the assignment on line %d, inside an "
                "expression" % inside[0][1])
    if k not in paired:
        return "is not paired with an unmap of the same pointer on every path in this function"
    if k in why:
        return why[k][1]
    for u, un in sorted(reach.get(k, {}).items()):
        if un != UNMAP[fm]:
            return "is released by %s() on line %d" % (un, u[1])
        if u in unmap_why:
            return "shares the unmap on line %d with %s" % (u[1], unmap_why[u])
    return None


def reason(k):
    """None if the mapping at k converts, else why it needs a human."""
    r = own_reason(k)
    if r:
        return r
    for m in sorted(component(k) - {k}):
        if own_reason(m):
            shared = sorted(set(reach[k]) & set(reach[m]))
            return ("shares %s with the mapping on line %d, which needs a human" %
                    ("the unmap on line %d" % shared[0][1] if shared else "unmaps", m[1]))
    return None


def unmap_converts(u):
    """An unmap converts when every mapping that reaches it converts."""
    maps = [m for m in reach if u in reach[m]]
    return bool(maps) and all(reason(m) is None for m in maps)


def stale_comment(k):
    """Line of a comment in k's function that still names the atomic API."""
    first, lines = function_lines(k)
    body = '\n'.join(lines)
    for m in STALE.finditer(body):
        if ATOMIC_WORDS.search(m.group(0)):
            return first + body.count('\n', 0, m.start())
    return None


def lifo_break(pa, p1, p2):
    """The unmap at p1 releases pa while p2 is held: each needs a human."""
    if key(pa) == key(p2):
        return
    for m in (key(pa), key(p2)):
        if m in calls:
            note(m, "is released out of LIFO order (line %s, while the mapping on "
                 "line %s is held)" % (p1.line, p2.line), p1.line)


def message(p, fm):
    """The report line for the call of fm at p (None in the APIs' headers)."""
    if key(p) not in calls:
        return None
    r = reason(key(p))
    if r is None:
        c = stale_comment(key(p))
        return ("%s() section converts to %s() automatically (MODE=patch)%s" %
                (fm, LOCAL[fm], "; the comment on line %d still names the atomic API" % c if c else ""))
    hint = (" (explicit pagefault_disable()/preempt_disable() where needed)"
            if r.startswith("section calls") and "pointer" not in r and
            "macro that uses" not in r and "INDIRECT_CALL" not in r else "")
    return "%s() %s: needs a human%s" % (fm, r, hint)


lifo_printed = set()


def lifo_message(pa, p1, p2):
    """The LIFO warning for the unmap at p1, once per unmap; not for one
    mapping met twice around a loop."""
    if key(p1) in lifo_printed or key(pa) == key(p2):
        return None
    lifo_printed.add(key(p1))
    return "unmap breaks LIFO order: the mapping made on line %s is still held" % p2.line


@calls@
identifier fm = {kmap_atomic, kmap_atomic_prot, kmap_atomic_pfn, io_mapping_map_atomic_wc};
position p;
@@

fm@p(...)

@script:python@
p << calls.p;
fm << calls.fm;
@@
if not API_HEADERS.search(p[0].file):
    calls[key(p[0])] = (fm, p[0].current_element)
    func_lines[key(p[0])] = (int(p[0].current_element_line), int(p[0].current_element_line_end))
    scan_macros(p[0].file)

// The mapping statements the rules follow: x = map; or T x = map;.
@mapped depends on calls@
identifier x;
expression X;
type T, T1;
identifier fm = {kmap_atomic, kmap_atomic_prot, kmap_atomic_pfn, io_mapping_map_atomic_wc};
position pm, ps;
@@

(
x@ps = \(fm@pm(...)\|fm@pm(...) + X\|(T)fm@pm(...)\|(T)fm@pm(...) + X\);
|
T1 x@ps = \(fm@pm(...)\|fm@pm(...) + X\|(T)fm@pm(...)\|(T)fm@pm(...) + X\);
)

@script:python@
pm << mapped.pm;
ps << mapped.ps;
x << mapped.x;
@@
modeled.add(key(pm[0]))
var_of[key(ps[0])] = key(pm[0])
var_name[key(pm[0])] = x

// The functions spatch parsed.
@defs depends on calls@
identifier fn;
position p;
@@

fn@p(...) { ... }

@script:python@
p << defs.p;
fn << defs.fn;
@@
parsed.add((p[0].file, fn))

// Variables and parameters, whatever their type: a call of one goes
// through a function pointer.
@vars depends on calls@
identifier g;
type T;
expression E;
position p;
@@

(
T g@p;
|
T g@p = E;
|
T (*g@p)(...);
|
T (*g@p)(...) = E;
)

@script:python@
p << vars.p;
g << vars.g;
@@
fn = p[0].current_element
vars_.add((p[0].file, '' if fn == g else fn, g))
names.add(g)
callee_names.add(g)

@params depends on calls@
identifier fn, g;
type T;
position p;
@@

fn(..., T g@p, ...) { ... }

@script:python@
p << params.p;
g << params.g;
fn << params.fn;
@@
vars_.add((p[0].file, fn, g))
names.add(g)
callee_names.add(g)

@params_fp depends on calls@
identifier fn, g;
type T;
position p;
@@

fn(..., T (*g@p)(...), ...) { ... }

@script:python@
p << params_fp.p;
g << params_fp.g;
fn << params_fp.fn;
@@
vars_.add((p[0].file, fn, g))
names.add(g)
callee_names.add(g)

// Functions of this file that call, directly, what relies on the atomic
// context or one of the file's macros that does, or through a function
// pointer (one level only).
@script:python@
p << calls.p;
@@
for f, n in defined:
    if f == p[0].file and (f, n) not in parsed:
        unparsed_names.add(n)

@helper depends on calls@
identifier f : script:python() { helper_callee(f) };
position pf;
@@

f@pf(...)

@script:python@
f << helper.f;
pf << helper.pf;
@@
fn = pf[0].current_element
if (pf[0].file, fn) not in helpers:
    if is_var(f, pf[0]):
        helpers[(pf[0].file, fn)] = "calls through the function pointer %s" % f
    elif UNSAFE.search(f) or (pf[0].file, f) in macros:
        helpers[(pf[0].file, fn)] = "calls %s()" % f
    if (pf[0].file, fn) in helpers:
        names.add(fn)

@helper_ptr depends on calls@
expression E2 : script:python() { not_a_name(E2) };
position pf;
@@

E2@pf(...)

@script:python@
pf << helper_ptr.pf;
@@
fn = pf[0].current_element
if (pf[0].file, fn) not in helpers:
    helpers[(pf[0].file, fn)] = "calls through a function pointer"
    names.add(fn)

// The unmaps each mapping reaches first, on some path.
@reach exists@
identifier mapped.x;
position mapped.ps;
expression E0;
type T1, T2;
identifier un = {kunmap_atomic, io_mapping_unmap_atomic};
position pu;
@@

(
x@ps = E0;
|
T1 x@ps = E0;
)
...
un@pu(\((T2)x\|x\));

@script:python@
ps << mapped.ps;
pu << reach.pu;
un << reach.un;
@@
for u in pu:
    reach.setdefault(var_of[key(ps[0])], {})[key(u)] = un

// Mappings unmapped on every path (when strict: early returns too), x
// neither reassigned nor its address taken before the unmap.
@pair forall@
identifier mapped.x;
position mapped.ps;
expression E0, X2;
type T1, T2;
identifier un = {kunmap_atomic, io_mapping_unmap_atomic};
position pq;
@@

(
x@ps = E0;
|
T1 x@ps = E0;
)
... when strict
    when != x = X2
    when != &x
un@pq(\((T2)x\|x\));

@script:python@
ps << mapped.ps;
pq << pair.pq;
@@
paired.add(var_of[key(ps[0])])

// The variables unmapped: the rules below look at their assignments.
@unmapped depends on calls@
identifier x;
identifier un = {kunmap_atomic, io_mapping_unmap_atomic};
type T2;
@@

un(\((T2)x\|x\))

// Every assignment of them, and those that are statements of their own.
@assigned@
identifier unmapped.x;
expression X;
position pa : script:python() { lifo_checked(pa[0]) };
@@

x@pa = X

@assigned_stmt@
identifier unmapped.x;
expression X;
type T;
position pa : script:python() { lifo_checked(pa[0]) };
@@

(
x@pa = X;
|
T x@pa = X;
)

@script:python@
pa << assigned.pa;
x << unmapped.x;
@@
bad_var.setdefault((pa[0].file, pa[0].current_element, x), set()).add(key(pa[0]))

@script:python@
pa << assigned_stmt.pa;
x << unmapped.x;
@@
bad_var.get((pa[0].file, pa[0].current_element, x), set()).discard(key(pa[0]))

// Unmaps that release what another assignment of x holds.
@elsewhere exists@
identifier unmapped.x;
expression X3;
expression X : script:python() { not_a_map(X) };
type T, T2;
identifier un = {kunmap_atomic, io_mapping_unmap_atomic};
position pa, pu;
@@

(
x@pa = X;
|
T x@pa = X;
)
... when != x = X3
un@pu(\((T2)x\|x\));

@script:python@
pa << elsewhere.pa;
pu << elsewhere.pu;
@@
for u in pu:
    unmap_why.setdefault(key(u), "a pointer assigned on line %s" % pa[0].line)

// Unmaps reached from the function's entry with no assignment of x.
@entry exists@
identifier unmapped.x;
identifier fn;
expression X3, X4;
type T3, T2;
identifier un = {kunmap_atomic, io_mapping_unmap_atomic};
position pu;
@@

fn(...) {
 ... when != x = X3
     when != T3 x = X4;
 un@pu(\((T2)x\|x\));
 ... when any
}

@script:python@
pu << entry.pu;
@@
for u in pu:
    unmap_why.setdefault(key(u), "what the function was given (no mapping on some path)")

// Unmaps reached from an earlier unmap of x with no assignment between:
// x was mapped again out of sight (through &x, a macro, a callee).
@again exists@
identifier unmapped.x;
expression X3, X4;
type T2, T3, T4;
identifier un = {kunmap_atomic, io_mapping_unmap_atomic};
position p1, pu;
@@

un@p1(\((T2)x\|x\));
... when != x = X3
    when != T3 x = X4;
un@pu(\((T4)x\|x\));

@script:python@
p1 << again.p1;
pu << again.pu;
@@
for u in pu:
    unmap_why.setdefault(key(u), "an earlier unmap of the same variable on line %s "
                         "(mapped again out of sight)" % p1[0].line)

// What each section calls that may rely on the atomic context, in any
// statement (switch and loop conditions too); unsafe_reason() decides.
@unsafe exists@
identifier mapped.x;
position mapped.ps;
expression E0;
type T1, T2;
identifier un = {kunmap_atomic, io_mapping_unmap_atomic};
identifier f : script:python() { maybe_unsafe(f) };
position pf;
@@

(
x@ps = E0;
|
T1 x@ps = E0;
)
<... when != un(\((T2)x\|x\))
     when exists
f@pf(...)
...>
un(\((T2)x\|x\));

@script:python@
ps << mapped.ps;
pf << unsafe.pf;
f << unsafe.f;
@@
r = unsafe_reason(f, pf[0])
if r:
    note(var_of[key(ps[0])], r, pf[0].line)

// Sections that call through a function pointer: nothing can be shown.
@ptrcall exists@
identifier mapped.x;
position mapped.ps;
expression E0;
expression E2 : script:python() { not_a_name(E2) };
type T1, T2;
identifier un = {kunmap_atomic, io_mapping_unmap_atomic};
position pf;
@@

(
x@ps = E0;
|
T1 x@ps = E0;
)
<... when != un(\((T2)x\|x\))
     when exists
E2@pf(...)
...>
un(\((T2)x\|x\));

@script:python@
ps << mapped.ps;
pf << ptrcall.pf;
@@
note(var_of[key(ps[0])], "section calls through a function pointer on line %s" % pf[0].line,
     pf[0].line)

// A mapping released while one made after it is still held: local mappings
// (reported) and atomic ones (not converted: the order needs a human).
// Mappings of either family per function: the LIFO check, whose cost grows
// with their number, runs on functions with at most LIFO_MAX of them.
@family@
identifier m = {kmap_local_page, kmap_local_page_prot, kmap_local_pfn, kmap_local_folio, io_mapping_map_local_wc, kmap_atomic, kmap_atomic_prot, kmap_atomic_pfn, io_mapping_map_atomic_wc};
position p;
@@

m@p(...)

@script:python@
p << family.p;
@@
k = (p[0].file, p[0].current_element)
per_function[k] = per_function.get(k, 0) + 1

// Mappings of either family, by statement: the LIFO rules start at each.
@lmap@
expression a, X;
type T;
identifier m1 = {kmap_local_page, kmap_local_page_prot, kmap_local_pfn, kmap_local_folio, io_mapping_map_local_wc, kmap_atomic, kmap_atomic_prot, kmap_atomic_pfn, io_mapping_map_atomic_wc};
position pa : script:python() { lifo_checked(pa[0]) };
@@

a = \(m1@pa(...)\|m1@pa(...) + X\|(T)m1@pa(...)\|(T)m1@pa(...) + X\);

@lmap_id@
identifier a;
expression X;
type T, T9;
identifier m1 = {kmap_local_page, kmap_local_page_prot, kmap_local_pfn, kmap_local_folio, io_mapping_map_local_wc, kmap_atomic, kmap_atomic_prot, kmap_atomic_pfn, io_mapping_map_atomic_wc};
position pa : script:python() { lifo_checked(pa[0]) };
@@

(
T9 a = \(m1@pa(...)\|m1@pa(...) + X\|(T)m1@pa(...)\|(T)m1@pa(...) + X\);
|
a = \(m1@pa(...)\|m1@pa(...) + X\|(T)m1@pa(...)\|(T)m1@pa(...) + X\);
)

@lifo exists@
expression lmap.a, b, X, Y;
position lmap.pa, p2;
type T, T2, T4;
identifier m1 = {kmap_local_page, kmap_local_page_prot, kmap_local_pfn, kmap_local_folio, io_mapping_map_local_wc, kmap_atomic, kmap_atomic_prot, kmap_atomic_pfn, io_mapping_map_atomic_wc};
identifier m2 = {kmap_local_page, kmap_local_page_prot, kmap_local_pfn, kmap_local_folio, io_mapping_map_local_wc, kmap_atomic, kmap_atomic_prot, kmap_atomic_pfn, io_mapping_map_atomic_wc};
identifier u = {kunmap_local, io_mapping_unmap_local, kunmap_atomic, io_mapping_unmap_atomic};
identifier u2 = {kunmap_local, io_mapping_unmap_local, kunmap_atomic, io_mapping_unmap_atomic};
position p1;
@@

a = \(m1@pa(...)\|m1@pa(...) + X\|(T)m1@pa(...)\|(T)m1@pa(...) + X\);
... when != u2(\((T4)a\|a\))
b = \(m2@p2(...)\|m2@p2(...) + Y\|(T2)m2@p2(...)\|(T2)m2@p2(...) + Y\);
... when != u2(\((T4)b\|b\))
    when != u2(\((T4)a\|a\))
u@p1(\((T4)a\|a\));

@lifo_decl exists@
identifier lmap_id.a, b;
position lmap_id.pa, p2;
expression X, Y;
type T, T1, T2, T3, T4;
identifier m1 = {kmap_local_page, kmap_local_page_prot, kmap_local_pfn, kmap_local_folio, io_mapping_map_local_wc, kmap_atomic, kmap_atomic_prot, kmap_atomic_pfn, io_mapping_map_atomic_wc};
identifier m2 = {kmap_local_page, kmap_local_page_prot, kmap_local_pfn, kmap_local_folio, io_mapping_map_local_wc, kmap_atomic, kmap_atomic_prot, kmap_atomic_pfn, io_mapping_map_atomic_wc};
identifier u = {kunmap_local, io_mapping_unmap_local, kunmap_atomic, io_mapping_unmap_atomic};
identifier u2 = {kunmap_local, io_mapping_unmap_local, kunmap_atomic, io_mapping_unmap_atomic};
position p1;
@@

(
T1 a = \(m1@pa(...)\|m1@pa(...) + X\|(T)m1@pa(...)\|(T)m1@pa(...) + X\);
|
a = \(m1@pa(...)\|m1@pa(...) + X\|(T)m1@pa(...)\|(T)m1@pa(...) + X\);
)
... when != u2(\((T4)a\|a\))
(
T3 b = \(m2@p2(...)\|m2@p2(...) + Y\|(T2)m2@p2(...)\|(T2)m2@p2(...) + Y\);
|
b = \(m2@p2(...)\|m2@p2(...) + Y\|(T2)m2@p2(...)\|(T2)m2@p2(...) + Y\);
)
... when != u2(\((T4)b\|b\))
    when != u2(\((T4)a\|a\))
u@p1(\((T4)a\|a\));

@script:python@
pa << lmap.pa;
p1 << lifo.p1;
p2 << lifo.p2;
@@
lifo_break(pa[0], p1[0], p2[0])

@script:python@
pa << lmap_id.pa;
p1 << lifo_decl.p1;
p2 << lifo_decl.p2;
@@
lifo_break(pa[0], p1[0], p2[0])

// Convert the mappings and unmaps found safe above, in one rule: later
// rules see the converted file.
@conv depends on patch@
expression P, X, M, O, E;
type T;
position p : script:python() { reason(key(p[0])) is None };
position pu : script:python() { unmap_converts(key(pu[0])) };
@@

(
- (T)kmap_atomic@p(P)
+ (T)kmap_local_page(P)
|
- kmap_atomic@p(P)
+ kmap_local_page(P)
|
- (T)kmap_atomic_prot@p(P, X)
+ (T)kmap_local_page_prot(P, X)
|
- kmap_atomic_prot@p(P, X)
+ kmap_local_page_prot(P, X)
|
- (T)kmap_atomic_pfn@p(P)
+ (T)kmap_local_pfn(P)
|
- kmap_atomic_pfn@p(P)
+ kmap_local_pfn(P)
|
- (T)io_mapping_map_atomic_wc@p(M, O)
+ (T)io_mapping_map_local_wc(M, O)
|
- io_mapping_map_atomic_wc@p(M, O)
+ io_mapping_map_local_wc(M, O)
|
- kunmap_atomic@pu(E)
+ kunmap_local(E)
|
- io_mapping_unmap_atomic@pu(E)
+ io_mapping_unmap_local(E)
)

@depends on context@
identifier fm = {kmap_atomic, kmap_atomic_prot, kmap_atomic_pfn, io_mapping_map_atomic_wc};
@@

* fm(...)

@depends on context exists@
identifier a, b;
type T1, T2;
identifier m1 = {kmap_local_page, kmap_local_page_prot, kmap_local_pfn, kmap_local_folio, io_mapping_map_local_wc};
identifier m2 = {kmap_local_page, kmap_local_page_prot, kmap_local_pfn, kmap_local_folio, io_mapping_map_local_wc};
identifier u = {kunmap_local, io_mapping_unmap_local};
identifier u2 = {kunmap_local, io_mapping_unmap_local};
@@

(
  T1 a = m1(...);
|
  a = m1(...);
)
  ... when != u2(a)
(
* T2 b = m2(...);
|
* b = m2(...);
)
  ... when != u2(b)
      when != u2(a)
* u(a);

@script:python depends on report@
p << calls.p;
fm << calls.fm;
@@
m = message(p[0], fm)
if m:
    coccilib.report.print_report(p[0], "WARNING: " + m)

@script:python depends on org@
p << calls.p;
fm << calls.fm;
@@
m = message(p[0], fm)
if m:
    coccilib.org.print_todo(p[0], m)

@script:python depends on report@
pa << lmap.pa;
p1 << lifo.p1;
p2 << lifo.p2;
@@
m = lifo_message(pa[0], p1[0], p2[0])
if m:
    coccilib.report.print_report(p1[0], "WARNING: " + m)

@script:python depends on org@
pa << lmap.pa;
p1 << lifo.p1;
p2 << lifo.p2;
@@
m = lifo_message(pa[0], p1[0], p2[0])
if m:
    coccilib.org.print_todo(p1[0], m)

@script:python depends on report@
pa << lmap_id.pa;
p1 << lifo_decl.p1;
p2 << lifo_decl.p2;
@@
m = lifo_message(pa[0], p1[0], p2[0])
if m:
    coccilib.report.print_report(p1[0], "WARNING: " + m)

@script:python depends on org@
pa << lmap_id.pa;
p1 << lifo_decl.p1;
p2 << lifo_decl.p2;
@@
m = lifo_message(pa[0], p1[0], p2[0])
if m:
    coccilib.org.print_todo(p1[0], m)
