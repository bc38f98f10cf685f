/* SPDX-License-Identifier: GPL-2.0 */
/*
 * device.h - a minimal struct device and device-managed memory (devres).
 *
 * mmsim has no driver model; mmsim_device_create() makes a named device
 * whose only job is to own devres entries, and mmsim_device_destroy()
 * releases them all, newest first, as a driver detach does
 * (devres_release_all()).  See drivers/base/devres.c in Linux.
 */
#ifndef MMSIM_DEVICE_H
#define MMSIM_DEVICE_H

#include <mmsim/types.h>
#include <mmsim/gfp.h>

struct device;

struct device *mmsim_device_create(const char *name);
void mmsim_device_destroy(struct device *dev);
const char *dev_name(const struct device *dev);

void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp);
void devm_kfree(struct device *dev, const void *p);
char *devm_kstrdup(struct device *dev, const char *s, gfp_t gfp);
void *devm_kmemdup(struct device *dev, const void *src, size_t len, gfp_t gfp);
static inline void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp)
{
	return devm_kmalloc(dev, size, gfp | __GFP_ZERO);
}
void *devm_kmalloc_array(struct device *dev, size_t n, size_t size, gfp_t flags);
static inline void *devm_kcalloc(struct device *dev, size_t n, size_t size, gfp_t flags)
{
	return devm_kmalloc_array(dev, n, size, flags | __GFP_ZERO);
}
/* Number of devres entries @dev holds (a debugging aid for tests). */
unsigned int devres_count(struct device *dev);

#endif
