// SPDX-License-Identifier: GPL-2.0
/*
 * mm/devres.c - device-managed memory (Linux's drivers/base/devres.c,
 * the kmalloc part).
 *
 * A struct device owns a list of devres entries; each devm_kmalloc()
 * block is one kmalloc object laid out as
 *     [struct devres header][data, ARCH_KMALLOC_MINALIGN aligned]
 * and the caller gets the data.  devm_kfree() unlinks and frees one;
 * mmsim_device_destroy() frees them all, newest first, as a driver detach
 * (devres_release_all) does, then the device.
 *
 * Locking: dev->lock (a spinlock, as Linux's devres_lock) protects the list.
 * The device itself is host memory: mmsim has no driver model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/device.h>
#include "mm/slab.h"

struct device {
	char name[64];
	spinlock_t lock;		/* devres_head */
	struct list_head devres_head;	/* struct devres, newest first */
};

struct devres {
	struct list_head entry;
	size_t size;			/* bytes of data */
	unsigned long long data[];	/* 8-byte aligned, as ARCH_KMALLOC_MINALIGN */
};

struct device *mmsim_device_create(const char *name)
{
	struct device *dev = calloc(1, sizeof(*dev));

	if (!dev)
		return NULL;
	snprintf(dev->name, sizeof(dev->name), "%s", name ? name : "device");
	spin_lock_init(&dev->lock);
	INIT_LIST_HEAD(&dev->devres_head);
	return dev;
}

const char *dev_name(const struct device *dev)
{
	return dev->name;
}

/* devres_release_all: free every entry, newest first; then the device. */
void mmsim_device_destroy(struct device *dev)
{
	struct devres *dr, *tmp;
	LIST_HEAD(release);

	if (!dev)
		return;
	spin_lock(&dev->lock);
	list_splice_tail_init(&dev->devres_head, &release);
	spin_unlock(&dev->lock);
	list_for_each_entry_safe(dr, tmp, &release, entry) {
		list_del(&dr->entry);
		kfree(dr);
	}
	free(dev);
}

/**
 * devm_kmalloc - resource-managed kmalloc
 * @dev: the device whose detach frees the memory
 * @size: bytes; 0 gives ZERO_SIZE_PTR, as in Linux
 * @gfp: GFP flags
 */
void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
{
	struct devres *dr;
	size_t tot;

	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (unlikely(__builtin_add_overflow(sizeof(*dr), size, &tot)))
		return NULL;
	dr = kmalloc(tot, gfp);
	if (unlikely(!dr))
		return NULL;
	dr->size = size;
	INIT_LIST_HEAD(&dr->entry);
	spin_lock(&dev->lock);
	list_add(&dr->entry, &dev->devres_head);
	spin_unlock(&dev->lock);
	return dr->data;
}

void *devm_kmalloc_array(struct device *dev, size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return devm_kmalloc(dev, bytes, flags);
}

char *devm_kstrdup(struct device *dev, const char *s, gfp_t gfp)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	buf = devm_kmalloc(dev, len, gfp);
	if (buf)
		memcpy(buf, s, len);
	return buf;
}

void *devm_kmemdup(struct device *dev, const void *src, size_t len, gfp_t gfp)
{
	void *p = devm_kmalloc(dev, len, gfp);

	if (p && !ZERO_OR_NULL_PTR(p))
		memcpy(p, src, len);
	return p;
}

/**
 * devm_kfree - free memory from devm_kmalloc() before the detach
 * Freeing memory the device does not own is a WARN, as in Linux.
 */
void devm_kfree(struct device *dev, const void *p)
{
	struct devres *dr, *found = NULL;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	spin_lock(&dev->lock);
	list_for_each_entry(dr, &dev->devres_head, entry) {
		if ((const void *)dr->data == p) {
			list_del(&dr->entry);
			found = dr;
			break;
		}
	}
	spin_unlock(&dev->lock);
	if (WARN_ON(!found))
		return;
	kfree(found);
}

unsigned int devres_count(struct device *dev)
{
	struct devres *dr;
	unsigned int n = 0;

	spin_lock(&dev->lock);
	list_for_each_entry(dr, &dev->devres_head, entry)
		n++;
	spin_unlock(&dev->lock);
	return n;
}
