// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cmd_kvm.c - guests inside the simulated machine (arm64 KVM, or
 * x86_64 with EPT; docs/virt.md) in the mmsim tool.
 *
 * Scenario commands (one `kvm` command, a subcommand word after it):
 *   kvm create NAME [ram=SIZE] [ipa=BITS]
 *	a VM (object NAME, kind "vm"): stage-2 root, guest kernel with its
 *	linear map; prints VTCR_EL2, the stage-2 levels and root pages.
 *   kvm proc NAME PROC		a guest process PROC (its ASID, its TTBR0 table)
 *   kvm access NAME PROC|- VA r|w|x [kernel]
 *	a guest access (EL0 unless `kernel`) with every fault handled (the
 *	guest's stage-1 demand paging, the host's stage-2 demand allocation);
 *	prints the PA and how it was served: L1 hit, L2 hit, or walks and
 *	their references, and the exits taken.
 *   kvm walk NAME PROC|- VA [r|w|x] [kernel]
 *	one traced translation (no fault handled): each reference of the
 *	combined walk, then the PA or the fault (ESR, HPFAR).
 *   kvm stat NAME		the VM's counters
 *   kvm vmid [bits=N]		the VMID allocator (bits: only with no VM)
 *   kvm unmap NAME IPA		the host takes a guest page back (flushes the VMID)
 *   kvm flush NAME		__kvm_tlb_flush_vmid
 *   kvm destroy NAME		kvm_destroy_vm: every host page back
 *
 * A VM left at the end of the scenario (or at a reboot) goes with the
 * machine (arch/kvm_vmid.c frees it).
 */
#include <stdlib.h>
#include <string.h>
#include <mmsim/kvm.h>
#include <mmsim/mm.h>
#include "tools/scenario.h"

#define KIND_VM	"vm"

static struct kvm *vm_of(struct scn *s, const char *name)
{
	struct scn_obj *o = scn_obj_find(s, name);

	if (!o) {
		scn_fail(s, "no VM named '%s'", name);
		return NULL;
	}
	if (strcmp(o->kind, KIND_VM)) {
		scn_fail(s, "'%s' is %s, not a VM", name, o->kind);
		return NULL;
	}
	return o->ptrs[0];
}

static int proc_of(struct scn *s, struct kvm *kvm, const char *name, int *proc)
{
	if (!strcmp(name, "-")) {
		*proc = -1;
		return 0;
	}
	*proc = kvm_guest_proc_find(kvm, name);
	if (*proc < 0)
		return scn_fail(s, "VM '%s' has no process '%s'", kvm->name, name);
	return 0;
}

static int acc_of(struct scn *s, const char *w, unsigned int *acc)
{
	if (!strcmp(w, "r"))
		*acc = MMU_READ;
	else if (!strcmp(w, "w"))
		*acc = MMU_WRITE;
	else if (!strcmp(w, "x"))
		*acc = MMU_EXEC;
	else
		return scn_fail(s, "access '%s' is not r, w or x", w);
	return 0;
}

static int kvm_create_cmd(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "ram", "ipa", NULL };
	const char *vals[ARRAY_SIZE(keys)];
	struct kvm_config cfg = { 0 };
	unsigned long v;
	struct scn_obj *o;
	struct kvm *kvm;
	int err = 0;

	if (argc < 3)
		return scn_fail(s, "usage: kvm create NAME [ram=SIZE] [ipa=BITS]");
	if (scn_kv_args(s, argc, argv, 3, keys, vals))
		return -1;
	if (vals[0]) {
		if (scn_size(s, "ram", vals[0], 1, ~0UL, &v))
			return -1;
		cfg.ram_size = v;
	}
	if (vals[1]) {
		if (scn_ulong(s, "ipa", vals[1], 32, 48, &v))
			return -1;
		cfg.ipa_bits = (unsigned int)v;
	}
	o = scn_obj_new(s, argv[2], KIND_VM, 1);
	if (!o)
		return -1;
	kvm = kvm_create_vm(argv[2], &cfg, &err);
	if (!kvm) {
		scn_obj_del(s, o);
		if (err == -EOPNOTSUPP)
			return scn_fail(s, "VMs need arch=arm64 or arch=x86_64 (EPT: 4-level paging)");
		if (err == -EINVAL)
			return scn_fail(s, "bad VM size (ram: pages, at least 64, within ipa=)");
		fprintf(s->out, "kvm create %s: failed (%d)\n", argv[2], err);
		return 0;
	}
	o->ptrs[0] = kvm;
	if (kvm->mmu.ept)
		fprintf(s->out, "kvm %s: ram %lu KiB, EPTP 0x%llx: EPT 4 levels, VPID %u\n",
			kvm->name, kvm->ram_size >> 10, (unsigned long long)kvm->mmu.eptp,
			kvm_vmid_of(kvm));
	else
		fprintf(s->out, "kvm %s: ram %lu KiB, IPA %u bits, VTCR_EL2 0x%llx: stage 2 %u levels "
		"from level %u, root %u page%s\n", kvm->name, kvm->ram_size >> 10,
		kvm->mmu.ipa_bits, (unsigned long long)kvm->mmu.vtcr, kvm->mmu.levels,
		kvm->mmu.start_level, 1u << kvm->mmu.pgd_order, kvm->mmu.pgd_order ? "s" : "");
	fprintf(s->out, "kvm %s: guest kernel: %s ipa 0x%llx, %lu guest pages, host pages: "
		"%lu RAM + %lu stage-2 tables\n", kvm->name, kvm->mmu.ept ? "CR3" : "TTBR1",
		(unsigned long long)kvm->kernel_pgd_ipa, kvm->stat.guest_pages, kvm->stat.s2_pages,
		kvm->stat.s2_table_pages);
	return 0;
}

static int kvm_proc_cmd(struct scn *s, int argc, char **argv)
{
	struct kvm *kvm;
	int p;

	if (argc != 4)
		return scn_fail(s, "usage: kvm proc NAME PROC");
	kvm = vm_of(s, argv[2]);
	if (!kvm)
		return -1;
	p = kvm_guest_proc_create(kvm, argv[3]);
	if (p < 0)
		return scn_fail(s, "cannot create process '%s' (%d)", argv[3], p);
	fprintf(s->out, "kvm %s: process %s: %s %u, %s ipa 0x%llx\n", kvm->name, argv[3],
		kvm->mmu.ept ? "PCID" : "ASID", kvm->procs[p].asid,
		kvm->mmu.ept ? "CR3" : "TTBR0", (unsigned long long)kvm->procs[p].pgd_ipa);
	return 0;
}

static void print_exit(struct scn *s, const struct kvm *kvm, const struct kvm_exit *x)
{
	if (kvm->mmu.ept && x->kind == KVM_EXIT_STAGE2)
		fprintf(s->out, "EPT violation%s: exit qualification 0x%lx, GPA 0x%llx\n",
			(x->esr & EPT_VIOLATION_GVA_TRANSLATED) ? "" :
			" on a paging-structure access", x->esr, (unsigned long long)x->ipa);
	else if (kvm->mmu.ept && x->fault == MMU_FAULT_NONCANONICAL)
		fprintf(s->out, "#GP (non-canonical 0x%lx)\n", x->far);
	else if (kvm->mmu.ept)
		fprintf(s->out, "#PF, error code 0x%lx, CR2 0x%lx\n", x->esr, x->far);
	else if (x->kind == KVM_EXIT_STAGE2)
		fprintf(s->out, "stage-2 %s fault, level %d%s: ESR_EL2 0x%lx, HPFAR_EL2 0x%llx "
			"(ipa 0x%llx)\n", x->fault == MMU_FAULT_PROT ? "permission" : "translation",
			x->level, (x->esr & ESR_ELx_S1PTW) ? ", on a stage-1 table walk" : "",
			x->esr, (unsigned long long)x->hpfar, (unsigned long long)x->ipa);
	else
		fprintf(s->out, "stage-1 %s fault, level %d: ESR_EL1 0x%lx, FAR_EL1 0x%lx\n",
			x->fault == MMU_FAULT_PROT ? "permission" : "translation", x->level,
			x->esr, x->far);
}

/* Parse NAME PROC VA ACC [kernel] from argv[2..]. */
static int access_args(struct scn *s, int argc, char **argv, bool acc_needed, struct kvm **kvm,
		       int *proc, unsigned long *va, unsigned int *acc)
{
	int i = 5;

	if (argc < (acc_needed ? 6 : 5) || argc > 7)
		return scn_fail(s, "usage: kvm %s NAME PROC|- VA %s [kernel]", argv[1],
				acc_needed ? "r|w|x" : "[r|w|x]");
	*kvm = vm_of(s, argv[2]);
	if (!*kvm || proc_of(s, *kvm, argv[3], proc) || scn_addr(s, "VA", argv[4], va))
		return -1;
	*acc = MMU_READ | MMU_USER;
	if (argc > 5 && strcmp(argv[5], "kernel")) {
		if (acc_of(s, argv[5], acc))
			return -1;
		*acc |= MMU_USER;
		i = 6;
	}
	if (argc > i) {
		if (strcmp(argv[i], "kernel") || argc > i + 1)
			return scn_fail(s, "unexpected '%s'", argv[i]);
		*acc &= ~MMU_USER;
	}
	return 0;
}

static const char *const acc_names[] = { "r", "w", "x" };

static int kvm_access_cmd(struct scn *s, int argc, char **argv)
{
	struct kvm *kvm;
	struct kvm_stat st0;
	struct kvm_exit x;
	unsigned long va;
	unsigned int acc;
	phys_addr_t pa;
	int proc, ret;

	if (access_args(s, argc, argv, true, &kvm, &proc, &va, &acc))
		return -1;
	st0 = kvm->stat;
	kvm_vcpu_load(&kvm->vcpu, proc);
	ret = kvm_guest_access(&kvm->vcpu, va, acc, &pa, &x);
	fprintf(s->out, "kvm %s %s 0x%lx %s%s: ", kvm->name, argv[3], va, acc_names[acc & 3],
		(acc & MMU_USER) ? "" : " (EL1)");
	if (ret) {
		fprintf(s->out, "guest SIGSEGV: ");
		print_exit(s, kvm, &x);
		return 0;
	}
	fprintf(s->out, "pa 0x%llx, ", (unsigned long long)pa);
	if (kvm->stat.tlb_l1_hits > st0.tlb_l1_hits)
		fprintf(s->out, "TLB L1 hit");
	else if (kvm->stat.tlb_l2_hits > st0.tlb_l2_hits)
		fprintf(s->out, "TLB L2 hit");
	else
		fprintf(s->out, "%lu walk%s, %lu refs", kvm->stat.walks - st0.walks,
			kvm->stat.walks - st0.walks == 1 ? "" : "s",
			kvm->stat.walk_refs - st0.walk_refs);
	if (kvm->stat.s1_faults > st0.s1_faults || kvm->stat.s2_faults > st0.s2_faults ||
	    kvm->stat.s2_perm_faults > st0.s2_perm_faults)
		fprintf(s->out, "; exits: %lu stage-2 (%lu on table walks), %lu stage-1",
			kvm->stat.s2_faults - st0.s2_faults + kvm->stat.s2_perm_faults -
				st0.s2_perm_faults,
			kvm->stat.s2_s1ptw_faults - st0.s2_s1ptw_faults,
			kvm->stat.s1_faults - st0.s1_faults);
	fputc('\n', s->out);
	return 0;
}

static int kvm_walk_cmd(struct scn *s, int argc, char **argv)
{
	struct kvm *kvm;
	struct kvm_walk_trace t;
	struct kvm_exit x;
	unsigned long va;
	unsigned int acc;
	phys_addr_t pa;
	int proc, ret;

	if (access_args(s, argc, argv, false, &kvm, &proc, &va, &acc))
		return -1;
	kvm_vcpu_load(&kvm->vcpu, proc);
	ret = kvm_vcpu_translate(&kvm->vcpu, va, acc, &pa, &t, &x);
	if (kvm->mmu.ept)
		fprintf(s->out, "kvm walk %s %s 0x%lx %s: EPTP 0x%llx (VPID %u), EPT 4 levels\n",
			kvm->name, argv[3], va, acc_names[acc & 3],
			(unsigned long long)kvm->mmu.eptp, kvm_vmid_of(kvm));
	else
		fprintf(s->out, "kvm walk %s %s 0x%lx %s: VTTBR_EL2 0x%llx (VMID %u), stage 2 %u "
			"levels\n", kvm->name, argv[3], va, acc_names[acc & 3],
			(unsigned long long)kvm->mmu.vttbr, kvm_vmid_of(kvm), kvm->mmu.levels);
	for (int i = 0; i < t.nr; i++) {
		const struct kvm_walk_ref *r = &t.ref[i];

		if (r->stage == 1)
			fprintf(s->out, "  %2d  S1 L%u  va  0x%-12llx desc ipa 0x%-9llx pa 0x%-9llx "
				"= 0x%016llx\n", i + 1, r->level, (unsigned long long)r->in,
				(unsigned long long)r->desc_ipa, (unsigned long long)r->desc_pa,
				(unsigned long long)r->desc);
		else
			fprintf(s->out, "  %2d  S2 L%u  ipa 0x%-12llx %-18s pa 0x%-9llx "
				"= 0x%016llx\n", i + 1, r->level, (unsigned long long)r->in, "",
				(unsigned long long)r->desc_pa, (unsigned long long)r->desc);
	}
	fprintf(s->out, "  %d reference%s: ", t.nr, t.nr == 1 ? "" : "s");
	if (ret)
		print_exit(s, kvm, &x);
	else
		fprintf(s->out, "pa 0x%llx\n", (unsigned long long)pa);
	return 0;
}

static int kvm_stat_cmd(struct scn *s, int argc, char **argv)
{
	struct kvm *kvm;
	const struct kvm_stat *st;

	if (argc != 3)
		return scn_fail(s, "usage: kvm stat NAME");
	kvm = vm_of(s, argv[2]);
	if (!kvm)
		return -1;
	st = &kvm->stat;
	fprintf(s->out, "kvm %s: %s %u, TLB L1 hits %lu, L2 hits %lu, walks %lu (%lu refs)\n",
		kvm->name, kvm->mmu.ept ? "VPID" : "VMID", kvm_vmid_of(kvm), st->tlb_l1_hits, st->tlb_l2_hits, st->walks,
		st->walk_refs);
	fprintf(s->out, "kvm %s: exits: stage-2 %lu (%lu on table walks, %lu permission), "
		"stage-1 %lu; VM TLB flushes %lu\n", kvm->name, st->s2_faults, st->s2_s1ptw_faults,
		st->s2_perm_faults, st->s1_faults, st->flush_vmid);
	fprintf(s->out, "kvm %s: guest pages %lu; host pages %lu RAM + %lu stage-2 tables\n",
		kvm->name, st->guest_pages, st->s2_pages, st->s2_table_pages);
	return 0;
}

static int kvm_vmid_cmd(struct scn *s, int argc, char **argv)
{
	struct kvm_vmid_stats vs;

	if (argc > 3)
		return scn_fail(s, "usage: kvm vmid [bits=N]");
	if (argc == 3) {
		unsigned long bits;
		int ret;

		if (strncmp(argv[2], "bits=", 5))
			return scn_fail(s, "usage: kvm vmid [bits=N]");
		if (scn_ulong(s, "bits", argv[2] + 5, 1, 16, &bits))
			return -1;
		ret = kvm_set_vmid_bits(s->m, (unsigned int)bits);
		if (ret == -EBUSY)
			return scn_fail(s, "VMID bits change only while no VM exists");
		if (ret)
			return scn_fail(s, "VMID bits need arch=arm64 (x86 VPIDs are 16 bits)");
	}
	kvm_get_vmid_stats(s->m, &vs);
	if (vs.vpid) {
		fprintf(s->out, "VPIDs: 16 bits, %d VM%s, %lu host pages\n", vs.nr_vms,
			vs.nr_vms == 1 ? "" : "s", vs.host_pages);
		return 0;
	}
	fprintf(s->out, "VMIDs: %u bits, generation %llu, rollovers %lu, %d VM%s, %lu host pages\n",
		vs.vmid_bits, vs.generation, vs.rollovers, vs.nr_vms, vs.nr_vms == 1 ? "" : "s",
		vs.host_pages);
	return 0;
}

static int kvm_unmap_cmd(struct scn *s, int argc, char **argv)
{
	struct kvm *kvm;
	unsigned long ipa;

	if (argc != 4)
		return scn_fail(s, "usage: kvm unmap NAME IPA");
	kvm = vm_of(s, argv[2]);
	if (!kvm || scn_addr(s, "IPA", argv[3], &ipa))
		return -1;
	if (kvm_unmap_ipa(kvm, ipa))
		fprintf(s->out, "kvm %s: ipa 0x%lx is not mapped\n", kvm->name, ipa);
	else
		fprintf(s->out, "kvm %s: ipa 0x%lx unmapped, %s %u flushed\n", kvm->name, ipa,
			kvm->mmu.ept ? "VPID" : "VMID", kvm_vmid_of(kvm));
	return 0;
}

static int kvm_flush_cmd(struct scn *s, int argc, char **argv)
{
	struct kvm *kvm;

	if (argc != 3)
		return scn_fail(s, "usage: kvm flush NAME");
	kvm = vm_of(s, argv[2]);
	if (!kvm)
		return -1;
	__kvm_tlb_flush_vmid(&kvm->mmu);
	return 0;
}

static int kvm_destroy_cmd(struct scn *s, int argc, char **argv)
{
	struct scn_obj *o;
	struct kvm *kvm;

	if (argc != 3)
		return scn_fail(s, "usage: kvm destroy NAME");
	kvm = vm_of(s, argv[2]);
	if (!kvm)
		return -1;
	o = scn_obj_find(s, argv[2]);
	fprintf(s->out, "kvm %s: destroyed, %lu host pages freed\n", kvm->name,
		kvm->stat.s2_pages + kvm->stat.s2_table_pages);
	kvm_destroy_vm(kvm);
	scn_obj_del(s, o);
	return 0;
}

static int cmd_kvm(struct scn *s, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct scn *s, int argc, char **argv);
	} sub[] = {
		{ "create", kvm_create_cmd }, { "proc", kvm_proc_cmd },
		{ "access", kvm_access_cmd }, { "walk", kvm_walk_cmd },
		{ "stat", kvm_stat_cmd },     { "vmid", kvm_vmid_cmd },
		{ "unmap", kvm_unmap_cmd },   { "flush", kvm_flush_cmd },
		{ "destroy", kvm_destroy_cmd },
	};

	for (size_t i = 0; i < ARRAY_SIZE(sub); i++)
		if (!strcmp(argv[1], sub[i].name))
			return sub[i].fn(s, argc, argv);
	return scn_fail(s, "unknown subcommand '%s' (create, proc, access, walk, stat, vmid, "
			   "unmap, flush, destroy)", argv[1]);
}

const struct scn_command scn_kvm_commands[] = {
	{ "kvm", cmd_kvm, true, 2, -1, "kvm create|proc|access|walk|stat|vmid|unmap|flush|destroy ...",
	  "guests: two-stage translation, VMIDs (docs/virt.md)" },
	{ .name = NULL }
};
