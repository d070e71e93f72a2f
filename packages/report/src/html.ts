import type { ReportModel, RunRow } from './report-model';

/** Text from configs and records goes through here: a run named `<script>` is shown, never run. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON inside a <script type="application/json"> block: `<` escaped so no `</script>` can end it early. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function fmt(value: number | null, digits = 4): string {
  if (value === null) return '—';
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e5 ? String(Number(value.toPrecision(digits))) : value.toExponential(digits - 1);
}

/**
 * No network, no script: the page may load nothing (`default-src 'none'`) and runs no code; its
 * figures are inline SVG and its styles inline.
 */
const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const style = `
body { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; margin: 2rem auto; max-width: 1400px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
.meta { color: #666; font-size: 0.9rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status-completed, .pass { color: #1a7f37; } .reported, .inconclusive { color: #9a6700; } .fail { color: #b42318; font-weight: bold; } .status-diverged, .status-failed { color: #b42318; } .status-running, .status-aborted { color: #9a6700; }
td.id, td.num { white-space: nowrap; }
table.criteria, table.protocol { width: 100%; max-width: 1400px; }
table.criteria td, table.protocol td { overflow-wrap: anywhere; }
table.criteria td.verdict, table.protocol td.mark { white-space: nowrap; font-weight: bold; }
table.protocol { table-layout: fixed; } table.protocol col.aspect { width: 8rem; } table.protocol col.mark { width: 5rem; }
table.protocol tr.differs td.mark { color: #9a6700; }
details.runs > summary { cursor: pointer; font-size: 1.2rem; margin-top: 2rem; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(640px, 1fr)); gap: 0 2rem; }
figure { margin: 1.5rem 0 2rem; } figure.wide { grid-column: 1 / -1; } figure svg { max-width: 100%; height: auto; }
figcaption { color: #444; font-size: 0.9rem; max-width: 820px; line-height: 1.4; }
pre { background: #f6f8fa; padding: 0.6rem; overflow-x: auto; font-size: 0.8rem; }
`;

function statusCell(status: string, text: string): string {
  return `<td class="status-${escapeHtml(status)}">${escapeHtml(text)}</td>`;
}

function runsTable(rows: readonly RunRow[]): string {
  const head = ['run', 'status', 'setting', 'seed', 'model', 'parameters', 'data', 'backend', 'steps', 'final train loss', 'test accuracy', 'seconds'];
  const body = rows.map((r) => {
    const steps = r.steps === null ? fmt(r.requestedSteps) : `${r.steps} / ${fmt(r.requestedSteps)}${r.divergedAtStep !== null ? ` (diverged at ${r.divergedAtStep})` : ''}`;
    const status = `${r.status}${r.starts !== null && r.starts > 1 ? `, ${r.starts} starts` : ''}${r.error !== null ? `: ${r.error}` : ''}`;
    return `<tr><td class="id">${escapeHtml(r.id)}</td>${statusCell(r.status, status)}<td>${escapeHtml(r.setting)}</td><td class="num">${r.seed}</td><td>${escapeHtml(r.model ?? '—')}</td><td class="num">${fmt(r.params)}</td><td>${escapeHtml(r.data ?? '—')}</td><td>${escapeHtml(r.backend ?? '—')}</td><td class="num">${escapeHtml(steps)}</td><td class="num">${fmt(r.finalTrainLoss)}</td><td class="num">${fmt(r.testAccuracy)}</td><td class="num">${fmt(r.seconds, 3)}</td></tr>`;
  });
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

function overview(model: ReportModel): string {
  const count = (pick: (r: RunRow) => string | null) => [...new Set(model.runs.map(pick).filter((v): v is string => v !== null))];
  const statuses = new Map<string, number>();
  for (const r of model.runs) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  const total = model.runs.reduce((s, r) => s + (r.seconds ?? 0), 0);
  const items = [
    ['runs', `${model.runs.length} (${[...statuses].map(([s, n]) => `${n} ${s}`).join(', ')})`],
    ['models', count((r) => r.model).join(', ') || '—'],
    ['data', count((r) => r.data).join(', ') || '—'],
    ['backends', count((r) => r.backend).join(', ') || '—'],
    ['seeds', [...new Set(model.runs.map((r) => r.seed))].sort((a, b) => a - b).join(', ')],
    // Not a wall time: parallel runs overlap, and each member of a replica group counts the group's whole time.
    ['run time, summed over runs', `${fmt(total, 3)} s`],
  ];
  return `<table>${items.map(([k, v]) => `<tr><th>${k}</th><td>${escapeHtml(v!)}</td></tr>`).join('')}</table>`;
}

function sweepSection(sweep: NonNullable<ReportModel['sweep']>): string {
  const rows = Object.entries(sweep.grid).map(([k, values]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', '))}</td></tr>`);
  return `<h2>Sweep ${escapeHtml(sweep.name)}</h2><table>${rows.join('')}<tr><th>seeds</th><td>${escapeHtml(sweep.seeds.join(', '))}</td></tr></table>`;
}

function lrSearchSection(searches: ReportModel['lrSearches']): string {
  return searches
    .map((search) => {
      const rows = search.picks.map(
        (p) =>
          `<tr><td>${escapeHtml(p.point)}</td><td class="num">${p.lr === null ? 'none eligible' : String(p.lr)}</td><td>${escapeHtml(p.reason)}</td><td>${p.onEdge ? 'yes' : 'no'}</td></tr>`,
      );
      return `<h2>Learning-rate search ${escapeHtml(search.sweep)}</h2><table><thead><tr><th>grid point</th><th>picked lr</th><th>reason</th><th>on grid edge</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
    })
    .join('\n');
}

/** Figures wider than this (in SVG pixels) take a whole row of the grid rather than one column. */
const wideFigure = 700;

function svgWidth(svg: string): number {
  const match = /^<svg[^>]*\swidth="([\d.]+)"/.exec(svg);
  return match === null ? 0 : Number(match[1]);
}

function criteriaSection(criteria: ReportModel['criteria'], figureIds: ReadonlySet<string>): string {
  if (criteria.length === 0) return '';
  const judged = criteria.filter((c) => c.verdict !== 'reported');
  const passed = judged.filter((c) => c.verdict === 'pass').length;
  const inconclusive = judged.filter((c) => c.verdict === 'inconclusive').length;
  // 'reported' is a quantity shown, not judged (the preset says why in its name); a failure shouts.
  const label = (c: (typeof criteria)[number]) => (c.verdict === 'fail' ? 'FAIL' : c.verdict);
  // The verdict comes first, so no width of measured text can push it off a narrow screen.
  // A figure left out (its judged runs cannot draw it: none trained, say) gets no dead link.
  const figure = (c: (typeof criteria)[number]) => (c.figure === undefined ? '—' : figureIds.has(c.figure) ? `<a href="#figure-${escapeHtml(c.figure)}">figure</a>` : 'none: no run to draw');
  const rows = criteria.map(
    (c) =>
      `<tr><td class="verdict ${c.verdict}">${label(c)}</td><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.expected ?? '—')}</td><td>${escapeHtml(typeof c.measured === 'number' ? fmt(c.measured) : (c.measured ?? '—'))}</td><td>${figure(c)}</td></tr>`,
  );
  const reported = criteria.length - judged.length;
  const notes = [inconclusive > 0 ? `${inconclusive} inconclusive` : '', reported > 0 ? `${reported} reported, not judged` : ''].filter((n) => n !== '');
  return `<h2>Criteria: ${passed} of ${judged.length} pass${notes.length > 0 ? ` (${notes.join('; ')})` : ''}</h2><table class="criteria"><thead><tr><th>result</th><th>criterion</th><th>expected</th><th>measured</th><th>shown in</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Paper against this scale, row by row (a preset's protocol); a row whose two sides differ is marked. */
function protocolSection(protocol: ReportModel['protocol']): string {
  if (protocol === null) return '';
  const rows = protocol.rows.map(
    (r) => `<tr${r.differs ? ' class="differs"' : ''}><th>${escapeHtml(r.aspect)}</th><td>${escapeHtml(r.paper)}</td><td>${escapeHtml(r.thisScale)}</td><td class="mark">${r.differs ? 'differs' : 'same'}</td></tr>`,
  );
  return `<h2>Protocol: the paper against this scale</h2><table class="protocol"><colgroup><col class="aspect"><col><col><col class="mark"></colgroup><thead><tr><th></th><th>paper scale</th><th>${escapeHtml(protocol.scale)} (this report)</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function measurementsSection(measurements: ReportModel['measurements']): string {
  return measurements
    .map(
      (m) =>
        `<h2>Measurement ${escapeHtml(m.id)}</h2><table>${m.rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(typeof v === 'number' ? fmt(v) : String(v))}</td></tr>`).join('')}</table>`,
    )
    .join('\n');
}

export interface HtmlFigure {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  /** The figure rendered by Vega (its text is escaped by Vega's SVG renderer). */
  readonly svg: string;
  /** The PNG file beside the page, if written. */
  readonly png?: string;
}

/**
 * The report as one self-contained HTML page: inline SVG figures, tables, each run's config, and
 * every number shown as JSON in a data block (`#report-data`). It loads nothing and runs nothing.
 */
export function reportHtml(
  model: ReportModel,
  figures: readonly HtmlFigure[],
  meta: { generatedAt: string; generator: string; data: unknown; /** A live report reloads itself this often. */ refreshSeconds?: number },
): string {
  const live = meta.refreshSeconds !== undefined ? Math.max(1, Math.round(meta.refreshSeconds)) : undefined;
  const figureHtml = figures.map(
    (f) =>
      `<figure id="figure-${escapeHtml(f.id)}"${svgWidth(f.svg) > wideFigure ? ' class="wide"' : ''}><h3>${escapeHtml(f.title)}</h3>${f.svg}<figcaption>${escapeHtml(f.caption)}${f.png !== undefined ? ` <a href="${escapeHtml(encodeURI(f.png))}">PNG</a>` : ''}</figcaption></figure>`,
  );
  const configs = Object.entries(model.configs).map(
    ([id, { config, info }]) =>
      `<details><summary>${escapeHtml(id)}</summary><pre>${escapeHtml(config === null ? 'no config.json' : `config.json ${JSON.stringify(config, null, 2)}`)}</pre><pre>${escapeHtml(info === null ? 'no run.json' : `run.json ${JSON.stringify(info, null, 2)}`)}</pre></details>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
${live !== undefined ? `<meta http-equiv="refresh" content="${live}">\n` : ''}<title>${escapeHtml(model.title)}</title>
<style>${style}</style>
</head>
<body>
<header><h1>${escapeHtml(model.title)}</h1><p class="meta">Generated ${escapeHtml(meta.generatedAt)} by ${escapeHtml(meta.generator)}. Every number shown is in report.json beside this page and in the data block at its end.${live !== undefined ? ` <strong>Live:</strong> this page reloads every ${live} s while the runs go on.` : ''}</p></header>
${model.intro.map((p) => `<p class="intro">${escapeHtml(p)}</p>`).join('\n')}
${model.runs.length > 0 ? `<h2>What ran</h2>\n${overview(model)}` : ''}
${criteriaSection(model.criteria, new Set(model.figures.map((f) => f.id)))}
${protocolSection(model.protocol)}
<h2>Figures</h2>
${figureHtml.length > 0 ? `<div class="figures">\n${figureHtml.join('\n')}\n</div>` : '<p>No run has records to plot yet.</p>'}
${model.sweep !== null ? sweepSection(model.sweep) : ''}
${lrSearchSection(model.lrSearches)}
${measurementsSection(model.measurements)}
${model.runs.length > 0 ? `<details class="runs"><summary>Runs (${model.runs.length}): status, setting, seed and outcome of each</summary>\n${runsTable(model.runs)}\n</details>` : ''}
${configs.length > 0 ? `<h2>Configs</h2>\n${configs.join('\n')}` : ''}
<script type="application/json" id="report-data">${jsonForScript(meta.data)}</script>
</body>
</html>
`;
}
