/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma-direction.h - which way a device transfer goes (Linux's
 * include/linux/dma-direction.h, same values): what kmsan_handle_dma()
 * checks (to the device) or initialises (from it).
 */
#ifndef MMSIM_DMA_DIRECTION_H
#define MMSIM_DMA_DIRECTION_H

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

#endif
