// SPDX-License-Identifier: GPL-2.0-only
///
/// Convert kmap_atomic(), kmap_atomic_prot(), kmap_atomic_pfn() and
/// io_mapping_map_atomic_wc() sections to kmap_local_page(),
/// kmap_local_page_prot(), kmap_local_pfn() and io_mapping_map_local_wc().
///
/// A local mapping does not disable page faults or preemption, so the
/// conversion is only made where the mapped section calls nothing that
/// may depend on that: no user-memory access (*_inatomic() copies, but
/// also copy_{to,from}_user(), get/put_user(), *_iter()), no
/// smp_processor_id(), this_cpu_*() or other per-CPU state, no
/// preempt_count(), in_atomic() or pagefault_disabled().  Such sections are
/// reported with the call, for a human to convert with an explicit
/// pagefault_disable() or preempt_disable() where needed.  So are mappings
/// whose unmap is not of the same pointer on every path of the function.
/// Only calls made directly in the section are seen, not calls made by
/// the functions it calls: review what patch mode converts.
/// A void * variable that only kept the mapped base for the unmap is
/// dropped when the pointer used instead stays inside the page (base +
/// offset_in_page(), never modified before the unmap): kunmap_local()
/// takes any address inside the mapped page.
///
/// Report mode also flags kunmap_local() and io_mapping_unmap_local()
/// calls that break the LIFO order local mappings must be released in
/// (paths are not correlated: mappings made and released under matching
/// conditions can be flagged falsely).
///
// Confidence: Moderate
// Options: --no-includes --include-headers
//

virtual patch
virtual context
virtual org
virtual report

// Sections the conversion must not touch: what they call relies on page
// faults or preemption being disabled by the atomic mapping.
@unsafe exists@
expression E, E2;
type T;
identifier x;
identifier fm = {kmap_atomic, kmap_atomic_prot, kmap_atomic_pfn};
identifier f =~ "(_inatomic|^(__)?copy_(to|from)_user|^(__)?(get|put)_user$|^(__)?clear_user$|^strncpy_from_user$|^copy_(page_)?(to|from)_iter|_iter$|^fault_in_|^smp_processor_id$|^raw_smp_processor_id$|^this_cpu_|^__this_cpu_|^per_cpu|^get_cpu_var$|^get_cpu_ptr$|^preempt_count$|^in_atomic$|^in_interrupt$|^pagefault_disabled$)";
statement S1, S2;
type T2;
identifier x2;
position p, pf;
@@

(
  E = fm@p(...);
  ... when != kunmap_atomic(E)
|
  E = io_mapping_map_atomic_wc@p(...);
  ... when != io_mapping_unmap_atomic(E)
|
  T x = fm@p(...);
  ... when != kunmap_atomic(x)
|
  T x = io_mapping_map_atomic_wc@p(...);
  ... when != io_mapping_unmap_atomic(x)
)
(
  f@pf(...);
|
  E2 = <+... f@pf(...) ...+>;
|
  <+... f@pf(...) ...+>;
|
  T2 x2 = <+... f@pf(...) ...+>;
|
  if (<+... f@pf(...) ...+>) S1 else S2
|
  if (<+... f@pf(...) ...+>) S1
|
  return <+... f@pf(...) ...+>;
|
  while (<+... f@pf(...) ...+>) S1
)

// The base pointer is only kept for the unmap: map straight into the
// pointer that is used, which stays within the page.
@drop depends on patch@
identifier base;
expression ptr, P, O, E3;
position p != unsafe.p;
@@

- void *base;
  ... when != base
- base = kmap_atomic@p(P);
- ptr = base + offset_in_page(O);
+ ptr = kmap_local_page(P) + offset_in_page(O);
  ... when != base
      when != ptr = E3
      when != ptr += E3
      when != ptr -= E3
      when != ptr++
      when != ++ptr
      when != ptr--
      when != --ptr
      when != &ptr
- kunmap_atomic(base);
+ kunmap_local(ptr);
  ... when != base

@conv depends on patch@
expression E, P, X, M, O;
type T;
identifier x;
position p != unsafe.p;
@@

(
- E = kmap_atomic@p(P);
+ E = kmap_local_page(P);
  ...
- kunmap_atomic(E);
+ kunmap_local(E);
|
- E = kmap_atomic_prot@p(P, X);
+ E = kmap_local_page_prot(P, X);
  ...
- kunmap_atomic(E);
+ kunmap_local(E);
|
- E = kmap_atomic_pfn@p(P);
+ E = kmap_local_pfn(P);
  ...
- kunmap_atomic(E);
+ kunmap_local(E);
|
- E = io_mapping_map_atomic_wc@p(M, O);
+ E = io_mapping_map_local_wc(M, O);
  ...
- io_mapping_unmap_atomic(E);
+ io_mapping_unmap_local(E);
|
- T x = kmap_atomic@p(P);
+ T x = kmap_local_page(P);
  ...
- kunmap_atomic(x);
+ kunmap_local(x);
|
- T x = kmap_atomic_prot@p(P, X);
+ T x = kmap_local_page_prot(P, X);
  ...
- kunmap_atomic(x);
+ kunmap_local(x);
|
- T x = kmap_atomic_pfn@p(P);
+ T x = kmap_local_pfn(P);
  ...
- kunmap_atomic(x);
+ kunmap_local(x);
|
- T x = io_mapping_map_atomic_wc@p(M, O);
+ T x = io_mapping_map_local_wc(M, O);
  ...
- io_mapping_unmap_atomic(x);
+ io_mapping_unmap_local(x);
)

// The same matches, without transforming, for the other modes.
@convertible depends on !patch@
expression E, M, O;
identifier fm = {kmap_atomic, kmap_atomic_prot, kmap_atomic_pfn};
type T;
identifier x;
position p != unsafe.p;
@@

(
  E = fm@p(...);
  ...
  kunmap_atomic(E);
|
  E = io_mapping_map_atomic_wc@p(M, O);
  ...
  io_mapping_unmap_atomic(E);
|
  T x = fm@p(...);
  ...
  kunmap_atomic(x);
|
  T x = io_mapping_map_atomic_wc@p(M, O);
  ...
  io_mapping_unmap_atomic(x);
)

// Every call of the family that is neither converted nor convertible.
@manual depends on !patch@
identifier fn = {kmap_atomic, kmap_atomic_prot, kmap_atomic_pfn, io_mapping_map_atomic_wc};
position p != {convertible.p, unsafe.p};
@@

  fn@p(...)

// A local mapping released while one made after it is still held.
@lifo depends on !patch exists@
identifier a, b;
type T1, T2;
identifier m1 = {kmap_local_page, kmap_local_page_prot, kmap_local_pfn, kmap_local_folio, io_mapping_map_local_wc};
identifier m2 = {kmap_local_page, kmap_local_page_prot, kmap_local_pfn, kmap_local_folio, io_mapping_map_local_wc};
identifier u = {kunmap_local, io_mapping_unmap_local};
identifier u2 = {kunmap_local, io_mapping_unmap_local};
position p1, p2;
@@

(
  T1 a = m1(...);
|
  a = m1(...);
)
  ... when != u2(a)
(
  T2 b = m2@p2(...);
|
  b = m2@p2(...);
)
  ... when != u2(b)
      when != u2(a)
  u@p1(a);

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

@initialize:python depends on report || org@
@@
import re


def api_at(p):
    """The name of the function called at position p."""
    try:
        with open(p.file, encoding="utf-8", errors="replace") as f:
            line = f.readlines()[int(p.line) - 1]
        m = re.match(r'\w+', line[int(p.column):])
        return m.group(0) if m else 'mapping'
    except (OSError, IndexError):
        return 'mapping'


LOCAL = {'kmap_atomic': 'kmap_local_page', 'kmap_atomic_prot': 'kmap_local_page_prot',
         'kmap_atomic_pfn': 'kmap_local_pfn',
         'io_mapping_map_atomic_wc': 'io_mapping_map_local_wc'}


def msg_auto(p):
    fn = api_at(p)
    return "%s() section converts to %s() automatically (MODE=patch)" % (fn, LOCAL.get(fn, 'the local API'))


def msg_unsafe(p, f, pf):
    return ("%s() section calls %s() on line %s: needs a human "
            "(explicit pagefault_disable()/preempt_disable() where needed)" % (api_at(p), f, pf.line))


def msg_manual(p):
    return ("%s() is not paired with an unmap of the same pointer on every path "
            "in this function: needs a human" % api_at(p))


@script:python depends on report@
p << convertible.p;
@@
coccilib.report.print_report(p[0], "WARNING: " + msg_auto(p[0]))

@script:python depends on org@
p << convertible.p;
@@
coccilib.org.print_todo(p[0], msg_auto(p[0]))

@script:python depends on report@
p << manual.p;
@@
coccilib.report.print_report(p[0], "WARNING: " + msg_manual(p[0]))

@script:python depends on org@
p << manual.p;
@@
coccilib.org.print_todo(p[0], msg_manual(p[0]))

@script:python depends on report@
p << unsafe.p;
pf << unsafe.pf;
f << unsafe.f;
@@
coccilib.report.print_report(p[0], "WARNING: " + msg_unsafe(p[0], f, pf[0]))

@script:python depends on org@
p << unsafe.p;
pf << unsafe.pf;
f << unsafe.f;
@@
coccilib.org.print_todo(p[0], msg_unsafe(p[0], f, pf[0]))

@script:python depends on report@
p1 << lifo.p1;
p2 << lifo.p2;
@@
coccilib.report.print_report(p1[0], "WARNING: unmap breaks LIFO order: the mapping made on line %s is still held" % p2[0].line)

@script:python depends on org@
p1 << lifo.p1;
p2 << lifo.p2;
@@
coccilib.org.print_todo(p1[0], "unmap breaks LIFO order (mapping on line %s still held)" % p2[0].line)
