// #/group/<name> — an interface group: its total in and out bit/s each second, the utilisation
// against the members' summed speed, and each member's part as a stacked bar. While the page
// shows, the group is watched, so the hub polls its members at their live interval. Above them,
// a chart of the last minutes: the history first, then every live sample. Groups can be removed
// over REST while the page shows: when the samples stop, the page asks whether the group is still
// there and says so when it is not.

import { api, onGroup } from '../api.js';
import { h, setText, setData } from '../dom.js';
import * as fmt from '../format.js';
import { Disposer, watchGroup, notFound, deviceHref, interfaceHref } from './common.js';
import { GroupChart } from '../group-chart.js';

export function mountGroup(container, ctx, params) {
  const { bus } = ctx;
  const name = params.group;
  const d = new Disposer();
  ctx.setCrumbs([[`group ${name}`]]);
  ctx.setTitle(`group ${name}`);

  const stat = (label, cls) => {
    const dd = h('dd', { class: cls });
    return [h('div', { class: `stat stat-${cls}` }, h('dt', null, label), dd), dd];
  };
  const [inBox, inDd] = stat('In', 'in');
  const [outBox, outDd] = stat('Out', 'out');
  const [utilBox, utilDd] = stat('Utilisation', 'util');
  const [membersBox, membersDd] = stat('Members', 'members');
  const [tsBox, tsDd] = stat('Window ending', 'last');
  const partial = h('p', { class: 'warn', id: 'group-partial', hidden: true });
  const bars = h('div', { class: 'stack', id: 'group-stack', role: 'img', 'aria-label': 'in bit/s of each member' });
  const tbody = h('tbody');
  const table = h('table', { class: 'grid', id: 'group-members' },
    h('thead', null, h('tr', null, h('th', null, 'Device'), h('th', null, 'Interface'), h('th', { class: 'num' }, 'In'),
      h('th', { class: 'num' }, 'Out'))),
    tbody);
  const sub = h('p', { class: 'sub muted' }, 'Waiting for the first second…');
  const chartMsg = h('p', { class: 'muted', hidden: true });
  const chartBox = h('div', { class: 'chart', id: 'group-chart', role: 'img', 'aria-label': 'in bit/s of the group and its members, stacked' });
  const section = h('section', { class: 'panel', id: 'group', dataset: { group: name } },
    h('h1', null, `Group ${name}`), sub,
    h('dl', { class: 'stats' }, inBox, outBox, utilBox, membersBox, tsBox), partial,
    h('h2', null, 'In bit/s, members stacked'), chartMsg, chartBox,
    h('h2', null, 'Members (in, stacked)'), bars, table);
  container.append(section);

  const chart = new GroupChart(chartBox);
  d.add(() => chart.destroy());
  const ro = new ResizeObserver(() => chart.resize());
  ro.observe(chartBox);
  d.add(() => ro.disconnect());
  let backfilled = false;
  const pending = []; // live samples heard before the history came
  api.groupHistory(name, 900).then((hist) => {
    if (d.disposed) return;
    chart.backfill(hist);
  }).catch(() => {
    setText(chartMsg, 'The history could not be loaded; the chart starts with the live samples.');
    chartMsg.hidden = false;
  }).finally(() => {
    if (d.disposed) return;
    backfilled = true;
    pending.splice(0).forEach((s) => chart.live(s));
    chart.draw();
  });

  const describe = (text) => api.group(name).then((g) => {
    setText(sub, `${g.devices.length} device${g.devices.length === 1 ? '' : 's'}: ${g.devices.join(', ')}`);
  }).catch((e) => {
    if (e.status === 404 && !d.disposed) {
      d.dispose();
      container.replaceChildren();
      notFound(container, text);
    }
  });
  describe(`No group ${name}: it does not exist, or it takes interfaces of devices you may not see.`);

  d.add(watchGroup(bus, name));
  d.add(onGroup(bus, name, show));
  // A group publishes every second: five without a sample, and the page looks whether it is gone.
  let lastSample = Date.now();
  d.interval(() => {
    if (Date.now() - lastSample < 5000) return;
    lastSample = Date.now(); // one question per five quiet seconds
    describe(`Group ${name} was removed.`);
  }, 1000);

  function show(s) {
    lastSample = Date.now();
    if (backfilled) {
      chart.live(s);
      chart.draw();
    } else {
      pending.push(s);
    }
    setText(inDd, fmt.bps(s.inBps));
    setData(inDd, 'bps', s.inBps);
    setText(outDd, fmt.bps(s.outBps));
    setData(outDd, 'bps', s.outBps);
    const util = s.inUtil == null ? null : Math.max(s.inUtil, s.outUtil ?? 0);
    setText(utilDd, util == null ? '–' : fmt.percent(util));
    setText(membersDd, `${s.stack.length} of ${s.members + (s.missing || []).filter((m) => m.endsWith('/*')).length}`);
    setText(tsDd, fmt.time(s.ts));
    setData(section, 'ts', s.ts);
    partial.hidden = !s.partial;
    if (s.partial) setText(partial, `Partial: ${s.missingCount} missing from the total (${s.missing.join(', ')})`);
    const total = s.stack.reduce((a, m) => a + (m.inBps || 0), 0);
    bars.replaceChildren(...s.stack.map((m, i) => h('span', {
      class: `seg seg-${i % 8}`, title: `${m.device} ${m.name ?? m.ifIndex}: ${fmt.bps(m.inBps)}`,
      style: { width: `${total > 0 ? (100 * (m.inBps || 0)) / total : 0}%` },
    })));
    tbody.replaceChildren(...s.stack.map((m) => h('tr', null,
      h('td', null, h('a', { href: deviceHref(m.device) }, m.device)),
      h('td', null, h('a', { href: interfaceHref(m.device, m.ifIndex) }, m.name ?? String(m.ifIndex))),
      h('td', { class: 'num' }, fmt.bps(m.inBps)), h('td', { class: 'num' }, fmt.bps(m.outBps)))));
  }

  return { destroy: () => d.dispose() };
}
