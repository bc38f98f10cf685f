/*
 * tools/lab/report_page.js - the lab report's own script (tools/lab/report.c
 * inlines it after Apache ECharts and the runs' JSON).
 *
 * Reads the runs (tools/lab/lab.h's objects) from #mmsim-data and builds:
 *   - a summary: one table row per run, every scalar field a column;
 *   - the machine over virtual time, for each kernel-mode run with "series"
 *     (at most MAX_MACHINES runs): faults and major faults per virtual
 *     second, RSS / LRU active / inactive / free pages, free blocks per
 *     order as a heat map (at most MAX_HEAT_COLUMNS samples: every k-th),
 *     swap use (lines are LTTB-downsampled by ECharts when dense);
 *   - miss-ratio curves: every run's "mrc", and the size -> miss_ratio
 *     points of the cache-mode runs of one trace and policy at 2+ sizes;
 *   - policy vs policy: cache-mode miss ratio per policy grouped by size,
 *     kernel-mode major faults per policy grouped by spec (2+ policies).
 * A chart whose data are absent is left out with a one-line note.
 *
 * For tests (tests/test_lab_report.sh): each chart's container gets
 * data-drawn="1" once ECharts has rendered it ('finished') and
 * data-series (its number of series); #mmsim-status
 * carries data-charts (charts made), data-drawn (charts rendered),
 * data-resources (resources fetched: 0 for a self-contained page) and
 * data-done="1" once every chart has been made; errors are counted there
 * by the recorder in <head>.  Animations are off so a render is one frame.
 */
(function () {
	'use strict';
	var MAX_MACHINES = 8, MAX_BAR_GROUPS = 8, MAX_HEAT_COLUMNS = 400;
	var app = document.getElementById('mmsim-app');
	var status = document.getElementById('mmsim-status');
	var runs = JSON.parse(document.getElementById('mmsim-data').textContent);
	var charts = [], made = 0, drawn = 0;

	function el(tag, cls, text) {
		var e = document.createElement(tag);

		if (cls)
			e.className = cls;
		if (text !== undefined)
			e.textContent = text;
		return e;
	}
	function add(parent, child) {
		parent.appendChild(child);
		return child;
	}
	function note(parent, text) {
		add(parent, el('p', 'note', text));
	}
	function num(v) {
		return typeof v === 'number' && isFinite(v);
	}
	function fmt(v) {
		if (!num(v))
			return v === undefined || v === null ? '' : String(v);
		if (Number.isInteger(v))
			return String(v);
		return Math.abs(v) >= 1e6 ? v.toExponential(3) : String(+v.toPrecision(4));
	}
	function base(path) {
		return String(path || '?').replace(/^.*\//, '');
	}
	function uniq(list) {
		var seen = {}, out = [];

		list.forEach(function (x) {
			var k = String(x);

			if (!seen[k]) {
				seen[k] = true;
				out.push(x);
			}
		});
		return out;
	}
	var traces = uniq(runs.map(function (r) { return r.trace; }));
	var policies = uniq(runs.map(function (r) { return r.policy; }));

	/* The machine of a kernel run: its spec without the policy (replay
	 * writes the spec it booted, "lru=NAME" included), so runs of several
	 * policies on one machine group together. */
	function machineOf(r) {
		return String(r.spec || '?').replace(/(^|\s)lru=\S*/g, '').trim();
	}

	function label(r) {
		var parts = [String(r.policy)];

		if (r.mode === 'cache')
			parts.push(r.size_pages + ' pages');
		else if (r.spec)
			parts.push(machineOf(r));
		if (traces.length > 1)
			parts.push(base(r.trace));
		return parts.join(', ');
	}

	function setStatus() {
		status.setAttribute('data-charts', String(made));
		status.setAttribute('data-drawn', String(drawn));
		status.setAttribute('data-resources', String(window.performance ?
			performance.getEntriesByType('resource').length : -1));
		if (window.__mmsimShowErrors)
			window.__mmsimShowErrors();
	}

	/* One chart in @parent; @option is ECharts' (animation forced off). */
	function chart(parent, title, option, tall) {
		var box = add(parent, el('div', tall ? 'chart tall' : 'chart'));
		var c;

		box.setAttribute('data-chart', title);
		box.setAttribute('data-drawn', '0');
		box.setAttribute('data-series', String(option.series.length));
		made++;
		c = echarts.init(box, null, { renderer: 'canvas' });
		c.on('finished', function () {
			if (box.getAttribute('data-drawn') === '1')
				return;
			box.setAttribute('data-drawn', '1');
			drawn++;
			setStatus();
		});
		option.animation = false;
		option.title = { text: title, left: 'center', textStyle: { fontSize: 14 } };
		if (!option.tooltip)
			option.tooltip = { trigger: 'axis' };
		c.setOption(option);
		charts.push(c);
		return c;
	}

	function lines(xname, yname, named) {
		return {
			legend: { top: 24, type: 'scroll' },
			grid: { left: 70, right: 30, top: 60, bottom: 45 },
			xAxis: { type: 'value', name: xname, nameLocation: 'middle', nameGap: 28 },
			yAxis: { type: 'value', name: yname },
			series: named.map(function (s) {
				return { name: s.name, type: 'line', showSymbol: false,
					 sampling: 'lttb', data: s.data, yAxisIndex: s.axis || 0 };
			})
		};
	}

	/* A series field as an array of numbers as long as t, or null. */
	function field(series, key, n) {
		var a = series[key];

		if (!Array.isArray(a) || a.length !== n)
			return null;
		return a.every(num) ? a : null;
	}

	/* ---- summary ---- */
	var ORDER = ['mode', 'trace', 'format', 'policy', 'size_pages', 'spec',
		     'requests', 'hits', 'misses', 'miss_ratio', 'faults',
		     'minor_faults', 'major_faults', 'pswpin', 'pswpout',
		     'refaults', 'oom_kills', 'tlb_hits', 'tlb_misses',
		     'tlb_hit_ratio', 'virtual_seconds', 'wall_seconds',
		     'requests_per_second'];

	function summary() {
		var cols = [], extra = [], wrap, table, tr;

		runs.forEach(function (r) {
			Object.keys(r).forEach(function (k) {
				var v = r[k];

				if (k === 'mmsim_lab' || (v !== null && typeof v === 'object'))
					return;
				if (ORDER.indexOf(k) < 0 && extra.indexOf(k) < 0)
					extra.push(k);
			});
		});
		ORDER.forEach(function (k) {
			if (runs.some(function (r) { return k in r; }))
				cols.push(k);
		});
		cols = cols.concat(extra.sort());
		add(app, el('h2', null, 'Runs'));
		wrap = add(app, el('div', 'tablewrap'));
		table = add(wrap, el('table', 'summary'));
		tr = add(table, el('tr'));
		add(tr, el('th', null, '#'));
		cols.forEach(function (k) { add(tr, el('th', null, k)); });
		runs.forEach(function (r, i) {
			tr = add(table, el('tr'));
			add(tr, el('td', 'num', String(i + 1)));
			cols.forEach(function (k) {
				var td = add(tr, el('td', num(r[k]) ? 'num' : null,
						    k === 'trace' ? base(r[k]) : fmt(r[k])));

				if (k === 'trace')
					td.title = String(r[k]);
			});
		});
	}

	/* ---- the machine over virtual time ---- */
	function machine(parent, r) {
		var s = r.series, t = field(s, 't', s.t ? s.t.length : 0);
		var n, dt, what = label(r), pairs;

		add(parent, el('h3', null, what));
		if (!t || !t.length) {
			note(parent, 'series has no "t": nothing to plot over time.');
			return;
		}
		n = t.length;
		dt = num(s.interval_ns) && s.interval_ns > 0 ? s.interval_ns / 1e9 : null;
		pairs = function (a, per) {
			return t.map(function (x, i) {
				/* The elapsed time of this sample's interval: the
				 * last one may be short (the run ended in it). */
				var d = i ? t[i] - t[i - 1] : dt || t[0];

				if (!(d > 0))
					d = dt;

				return [x, per ? (d > 0 ? a[i] / d : null) : a[i]];
			});
		};

		var f = field(s, 'faults', n), mj = field(s, 'major_faults', n);
		if (f || mj) {
			var fs = [];
			if (f)
				fs.push({ name: 'faults/s', data: pairs(f, true) });
			if (mj)
				fs.push({ name: 'major faults/s', data: pairs(mj, true) });
			chart(parent, 'Faults per virtual second: ' + what,
			      lines('virtual seconds', 'per second', fs));
		} else {
			note(parent, 'No faults / major_faults series: fault-rate chart left out.');
		}

		var mem = [['rss_pages', 'RSS'], ['active_pages', 'LRU active'],
			   ['inactive_pages', 'LRU inactive'], ['free_pages', 'free']];
		var ms = [];
		mem.forEach(function (m) {
			var a = field(s, m[0], n);

			if (a)
				ms.push({ name: m[1], data: pairs(a, false) });
		});
		if (ms.length)
			chart(parent, 'Memory over time (pages): ' + what,
			      lines('virtual seconds', 'pages', ms));
		else
			note(parent, 'No rss/active/inactive/free series: memory chart left out.');

		heatmap(parent, s, t, what);

		var sw = field(s, 'swap_used_pages', n), si = field(s, 'pswpin', n);
		var so = field(s, 'pswpout', n), ss = [];
		if (sw)
			ss.push({ name: 'swap used (pages)', data: pairs(sw, false) });
		if (si)
			ss.push({ name: 'swap-ins/s', data: pairs(si, true), axis: 1 });
		if (so)
			ss.push({ name: 'swap-outs/s', data: pairs(so, true), axis: 1 });
		if (ss.length) {
			var o = lines('virtual seconds', 'pages', ss);

			o.yAxis = [{ type: 'value', name: 'pages used' },
				   { type: 'value', name: 'pages/s', splitLine: { show: false } }];
			chart(parent, 'Swap use: ' + what, o);
		} else {
			note(parent, 'No swap series: swap chart left out.');
		}
	}

	function heatmap(parent, s, t, what) {
		var fo = s.free_by_order, orders = 0, data = [], max = 0;

		if (!Array.isArray(fo) || fo.length !== t.length ||
		    !fo.every(function (row) { return Array.isArray(row) && row.every(num); })) {
			note(parent, 'No free_by_order series: free-pages heat map left out.');
			return;
		}
		/* At most MAX_HEAT_COLUMNS columns: every step-th sample. */
		var step = Math.max(1, Math.ceil(fo.length / MAX_HEAT_COLUMNS)), cols = [];

		for (var i = 0; i < fo.length; i += step) {
			var col = cols.length;

			cols.push(t[i]);
			orders = Math.max(orders, fo[i].length);
			fo[i].forEach(function (v, o) {
				var l = Math.log10(1 + Math.max(0, v));

				max = Math.max(max, l);
				data.push([col, o, l, v]);
			});
		}
		chart(parent, 'Free blocks per order (colour: log10(1 + blocks)): ' + what, {
			tooltip: {
				position: 'top',
				formatter: function (p) {
					return 't=' + fmt(cols[p.value[0]]) + ' s, order ' + p.value[1] +
						': ' + p.value[3] + ' free blocks';
				}
			},
			grid: { left: 70, right: 30, top: 40, bottom: 100 },
			xAxis: { type: 'category', name: 'virtual seconds', nameLocation: 'middle',
				 nameGap: 26, data: cols.map(fmt) },
			yAxis: { type: 'category', name: 'order',
				 data: Array.from({ length: orders }, function (_, o) { return String(o); }) },
			visualMap: { min: 0, max: max || 1, dimension: 2, calculable: true,
				     orient: 'horizontal', left: 'center', bottom: 0, precision: 1,
				     inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] } },
			series: [{ type: 'heatmap', data: data, progressive: 0 }]
		}, true);
	}

	function machines() {
		var sec, kr = runs.filter(function (r) {
			return r.mode === 'kernel' && r.series && typeof r.series === 'object';
		});

		sec = add(app, el('section'));
		add(sec, el('h2', null, 'The machine over virtual time'));
		if (!kr.length) {
			note(sec, 'No kernel-mode run with a "series": fault, memory, free-order and swap charts left out.');
			return;
		}
		kr.slice(0, MAX_MACHINES).forEach(function (r) { machine(sec, r); });
		if (kr.length > MAX_MACHINES)
			note(sec, (kr.length - MAX_MACHINES) + ' more kernel-mode runs with series not drawn (see the table).');
	}

	/* ---- miss-ratio curves ---- */
	function mrcs() {
		var sec = add(app, el('section')), ss = [], groups = {}, keys = [];
		var xs = [];

		add(sec, el('h2', null, 'Miss-ratio curves'));
		var seen = {};

		runs.forEach(function (r) {
			var m = r.mrc, mr, key;

			if (!m || !Array.isArray(m.sizes))
				return;
			/* replay --mrc puts one policy's curve on each of its runs:
			 * draw it once. */
			key = JSON.stringify([r.trace, r.policy, m]);
			if (seen[key])
				return;
			seen[key] = true;
			mr = Array.isArray(m.miss_ratio) ? m.miss_ratio :
				Array.isArray(m.misses) && num(r.requests) && r.requests > 0 ?
				m.misses.map(function (x) { return x / r.requests; }) : null;
			if (!mr || mr.length !== m.sizes.length)
				return;
			ss.push({ name: r.policy + (traces.length > 1 ? ', ' + base(r.trace) : '') +
					' (' + (m.method || 'mrc') + ')',
				  data: m.sizes.map(function (x, i) { xs.push(x); return [x, mr[i]]; }) });
		});
		runs.forEach(function (r) {
			var k;

			if (r.mode !== 'cache' || !num(r.size_pages) || !num(r.miss_ratio))
				return;
			k = r.trace + '\u0000' + r.policy;
			if (!groups[k]) {
				groups[k] = [];
				keys.push(k);
			}
			groups[k].push([r.size_pages, r.miss_ratio]);
		});
		keys.forEach(function (k) {
			var pts = groups[k], name = k.split('\u0000');

			if (uniq(pts.map(function (p) { return p[0]; })).length < 2)
				return;
			pts.sort(function (a, b) { return a[0] - b[0]; });
			pts.forEach(function (p) { xs.push(p[0]); });
			ss.push({ name: name[1] + (traces.length > 1 ? ', ' + base(name[0]) : '') +
					' (runs)', data: pts, symbols: true });
		});
		if (!ss.length) {
			note(sec, 'No "mrc" field and no policy run in cache mode at 2+ sizes: miss-ratio curve left out.');
			return;
		}
		var o = lines('cache size (pages)', 'miss ratio', ss);
		var pos = xs.filter(function (x) { return x > 0; });

		o.series.forEach(function (s, i) {
			s.showSymbol = !!ss[i].symbols;
			s.step = false;
		});
		if (pos.length === xs.length && Math.max.apply(null, pos) / Math.min.apply(null, pos) > 50)
			o.xAxis.type = 'log';
		o.yAxis.min = 0;
		chart(sec, 'Miss ratio vs cache size', o, true);
	}

	/* ---- policy vs policy ---- */
	function bars(parent, title, rs, group, value, yname, gname) {
		var cats = uniq(rs.map(group)), pols = uniq(rs.map(function (r) { return r.policy; }));

		if (typeof cats[0] === 'number')
			cats.sort(function (a, b) { return a - b; });
		chart(parent, title, {
			tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
			legend: { top: 24, type: 'scroll' },
			grid: { left: 70, right: 30, top: 60, bottom: 45 },
			xAxis: { type: 'category', name: gname, nameLocation: 'middle', nameGap: 28,
				 data: cats.map(String) },
			yAxis: { type: 'value', name: yname },
			series: pols.map(function (p) {
				return { name: String(p), type: 'bar', data: cats.map(function (c) {
					var hit = rs.filter(function (r) {
						return r.policy === p && group(r) === c && num(value(r));
					});

					return hit.length ? value(hit[hit.length - 1]) : null;
				}) };
			})
		});
	}

	function versus() {
		var sec = add(app, el('section'));

		add(sec, el('h2', null, 'Policy vs policy'));
		[['cache', 'Miss ratio per policy, by cache size', 'miss ratio', 'cache size (pages)',
		  function (r) { return r.size_pages; }, function (r) { return r.miss_ratio; }],
		 ['kernel', 'Major faults per policy, by machine', 'major faults', 'boot spec',
		  machineOf, function (r) { return r.major_faults; }]
		].forEach(function (k) {
			var rs = runs.filter(function (r) { return r.mode === k[0]; });
			var byTrace = uniq(rs.map(function (r) { return r.trace; }));
			var drawnAny = false;

			byTrace.slice(0, MAX_BAR_GROUPS).forEach(function (tr) {
				var sub = rs.filter(function (r) { return r.trace === tr; });

				if (uniq(sub.map(function (r) { return r.policy; })).length < 2)
					return;
				bars(sec, k[1] + (byTrace.length > 1 ? ': ' + base(tr) : ''), sub,
				     k[4], k[5], k[2], k[3]);
				drawnAny = true;
			});
			if (!drawnAny)
				note(sec, 'Fewer than two ' + k[0] + '-mode policies on one trace: ' +
				     k[0] + '-mode bars left out.');
			else if (byTrace.length > MAX_BAR_GROUPS)
				note(sec, (byTrace.length - MAX_BAR_GROUPS) + ' more traces not drawn.');
		});
	}

	var nc = runs.filter(function (r) { return r.mode === 'cache'; }).length;
	document.title = 'mmsim lab report: ' + (runs.length === 1 ? label(runs[0]) + ', ' +
		base(runs[0].trace) : runs.length + ' runs');
	add(app, el('h1', null, 'mmsim lab report'));
	add(app, el('p', 'sub', runs.length + ' run' + (runs.length === 1 ? '' : 's') + ' (' +
		    nc + ' cache-mode, ' + (runs.length - nc) + ' kernel-mode); traces: ' +
		    traces.map(base).join(', ') + '; policies: ' + policies.join(', ')));
	summary();
	machines();
	mrcs();
	versus();
	status.setAttribute('data-done', '1');
	setStatus();
	window.addEventListener('resize', function () {
		charts.forEach(function (c) { c.resize(); });
	});
})();
