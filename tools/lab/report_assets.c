// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/report_assets.c - the files the HTML report inlines, embedded
 * into the tool at build time with the assembler's .incbin:
 *
 *   lab_asset_echarts_js	third_party/echarts/echarts.min.js (Apache
 *				ECharts, Apache-2.0; scripts/vendor-js.sh
 *				fetches it from the npm registry, pinned by
 *				version and sha512)
 *   lab_asset_report_js	tools/lab/report_page.js (the page's script)
 *   lab_asset_report_css	tools/lab/report_page.css
 *
 * Each is a read-only byte array; NAME_end marks its end (the size is
 * NAME_end - NAME; a NUL follows, not counted).  CMake passes the absolute
 * paths (LAB_ECHARTS_JS, LAB_REPORT_JS, LAB_REPORT_CSS) and makes this file
 * depend on them (OBJECT_DEPENDS), so a new version recompiles it.
 */
#include "tools/lab/report.h"

#if !defined(LAB_ECHARTS_JS) || !defined(LAB_REPORT_JS) || !defined(LAB_REPORT_CSS)
#error "CMake defines LAB_ECHARTS_JS, LAB_REPORT_JS and LAB_REPORT_CSS for this file"
#endif

#define LAB_INCBIN(sym, file)						\
	__asm__(".pushsection .rodata\n"				\
		".globl " #sym "\n"					\
		".globl " #sym "_end\n"					\
		".type " #sym ", @object\n"				\
		".balign 16\n"						\
		#sym ":\n"						\
		".incbin \"" file "\"\n"				\
		#sym "_end:\n"						\
		".byte 0\n"						\
		".popsection\n")

LAB_INCBIN(lab_asset_echarts_js, LAB_ECHARTS_JS);
LAB_INCBIN(lab_asset_report_js, LAB_REPORT_JS);
LAB_INCBIN(lab_asset_report_css, LAB_REPORT_CSS);
