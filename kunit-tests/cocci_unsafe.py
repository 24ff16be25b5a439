#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check kmap_local.cocci's list of what relies on the atomic context
against what the kernel defines.

Every function and function-like macro that the headers below define (user
memory access, iov_iter, sockptr, msghdr and buffer copies, per-CPU state,
preemption/RCU-sched/interrupt/fault state)
must be matched by the semantic patch's UNSAFE pattern, or be listed in
ALLOWED here with the reason a kmap_local_page() section may call it.  A
new API in those headers fails the check until it is sorted into one or
the other.
"""

import os
import re
import sys

import census

COCCI = 'scripts/coccinelle/api/kmap_local.cocci'
# Header, and which of its names are in scope (None: all of them).
HEADERS = {
    'include/linux/uaccess.h': None, 'include/asm-generic/uaccess.h': None,
    'arch/x86/include/asm/uaccess.h': None, 'arch/x86/include/asm/uaccess_32.h': None,
    'arch/x86/include/asm/uaccess_64.h': None, 'arch/arm/include/asm/uaccess.h': None,
    'include/linux/uio.h': None, 'include/linux/percpu-defs.h': None,
    'include/asm-generic/percpu.h': None, 'include/linux/smp.h': None,
    'include/linux/preempt.h': None, 'include/linux/hardirq.h': None,
    'include/linux/irqflags.h': None,
    'include/net/checksum.h': r'user', 'include/linux/pagemap.h': r'fault|probe',
    'include/linux/lockdep.h': r'^lockdep_assert',
    'include/linux/rcupdate.h': r'rcu.*sched|sched.*rcu|any_held',
    'include/linux/sockptr.h': None, 'include/linux/skbuff.h': r'_msg$',
    'include/linux/fs.h': r'_buffer$',
}
# Defined in those headers and safe to call with preemption and page faults
# enabled, or not something a mapped section calls.
ALLOWED = {
    'no user memory, no fault': '''access_ok __access_ok check_object_size usercopy_abort
        untagged_addr untagged_addr_remote __untagged_addr __untagged_addr_remote
        copy_from_kernel_nofault copy_to_kernel_nofault strncpy_from_kernel_nofault
        get_kernel_nofault copy_from_kernel_nofault_allowed copy_mc_to_kernel
        copy_to_nontemporal mmap_assert_locked kasan_check_write''',
    'interrupt masking: valid inside a local mapping': '''local_irq_disable local_irq_enable
        local_irq_restore local_irq_save local_save_flags raw_local_irq_disable
        raw_local_irq_enable raw_local_irq_restore raw_local_irq_save raw_local_save_flags
        arch_local_irq_restore''',
    'boot, CPU hotplug, shutdown and IPI plumbing': '''arch_disable_smp_support arch_smp_send_reschedule
        arch_thaw_secondary_cpus_begin arch_thaw_secondary_cpus_end call_function_init
        crash_smp_send_stop csd_lock_is_stuck generic_smp_call_function_single_interrupt
        get_boot_cpu_id kick_all_cpus_sync nmi_panic_self_stop panic_smp_self_stop
        setup_nr_cpu_ids setup_per_cpu_areas smp_cpus_done smp_init smp_prepare_boot_cpu
        smp_prepare_cpus smp_send_reschedule smp_send_stop smp_setup_processor_id
        smp_call_on_cpu smpcfd_dead_cpu smpcfd_dying_cpu smpcfd_prepare_cpu up_late_init
        up_smp_call_function wake_up_all_idle_cpus __cpu_up __smp_call_single_queue
        synchronize_hardirq synchronize_irq safe_halt raw_safe_halt''',
    'tracing and lockdep bookkeeping': '''trace_hardirqs_off trace_hardirqs_off_finish
        trace_hardirqs_on trace_hardirqs_on_prepare trace_ipi_send_cpu lockdep_off lockdep_on
        lockdep_hardirq_threaded lockdep_hardirqs_off lockdep_hardirqs_on
        lockdep_hardirqs_on_prepare lockdep_hrtimer_enter lockdep_hrtimer_exit
        lockdep_irq_work_enter lockdep_irq_work_exit lockdep_posixtimer_enter
        lockdep_posixtimer_exit lockdep_softirqs_off lockdep_softirqs_on
        lockdep_hardirq_enter lockdep_hardirq_exit lockdep_softirq_enter lockdep_softirq_exit
        start_critical_timings stop_critical_timings raw_check_bogus_irq_restore
        warn_bogus_irq_restore account_hardirq_enter account_hardirq_exit
        ftrace_nmi_enter ftrace_nmi_exit ct_nmi_enter ct_nmi_exit instrumentation_begin
        instrumentation_end rcu_irq_enter_check_tick __rcu_irq_enter_check_tick
        arch_nmi_enter arch_nmi_exit nmi_count lockdep_assert lockdep_assert_once
        lockdep_assert_held lockdep_assert_held_once lockdep_assert_held_read
        lockdep_assert_held_write lockdep_assert_not_held lockdep_assert_none_held_once
        lockdep_assert_no_hardirq lockdep_assert_RT_in_threaded_ctx''',
    'arm uaccess internals, used between uaccess_save_and_enable() and uaccess_restore()':
        '''set_domain cpu_set_ttbcr isb csdb''',
    'may reschedule: fine in a preemptible local section': '''cond_resched
        cond_resched_tasks_rcu_qs''',
    'compiler and type helpers': '''barrier barrier_nospec likely typecheck runtime_const_ptr
        __bad_size_call_parameter __typefits __inttype memcpy memset put_unaligned kfree''',
}
KEYWORDS = {'if', 'while', 'for', 'switch', 'return', 'sizeof', 'defined', 'asm',
            'asm_goto_output', 'goto', 'typeof', '__typeof__', 'volatile', 'void', 'bool',
            '__builtin_expect', '__aligned', '__m', '__volatile__'}


def unsafe_pattern(src):
    with open(os.path.join(src, COCCI)) as f:
        text = f.read()
    start = text.index('UNSAFE = re.compile(')
    end = text.index('\n\n', start)
    env = {'re': re}
    exec(text[start:end], env)
    return env['UNSAFE']


def defined_names(path):
    with open(path, errors='replace') as f:
        text = census.strip_comments(f.read())
    names = set(re.findall(r'^\s*#\s*define\s+(\w+)\(', text, re.M))
    names |= set(re.findall(r'^[\w \t*]*?\b(\w+)\s*\([^;{]*\)\s*[{;]', text, re.M))
    return {n for n in names if re.search('[a-z]', n) and n not in KEYWORDS}


def main():
    src = os.path.abspath(sys.argv[1])
    unsafe = unsafe_pattern(src)
    allowed = {n: why for why, names in ALLOWED.items() for n in names.split()}
    seen, bad = set(), []
    matched = 0
    for h, scope in HEADERS.items():
        for n in sorted(defined_names(os.path.join(src, h))):
            if n in seen or (scope and not re.search(scope, n)):
                continue
            seen.add(n)
            if unsafe.search(n):
                matched += 1
            elif n not in allowed:
                bad.append(f'{h}: {n}')
    print(f'{len(seen)} APIs defined in {len(HEADERS)} headers: {matched} relied on as atomic '
          f'context by {COCCI}, {len(seen) - matched - len(bad)} allowed with a reason, '
          f'{len(bad)} unsorted')
    for b in bad:
        print('  unsorted (add to UNSAFE or to ALLOWED with a reason): ' + b)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
