import type { RunStore } from '@overparam/experiments';
import { buildReport, loadRuns, type Figure } from '@overparam/report';
import { parse, View } from 'vega';
import { compile } from 'vega-lite';

/** At most one redraw per this many milliseconds: drawing takes the page's thread from training. */
const REDRAW_MS = 1000;

interface Shown {
  readonly element: HTMLElement;
  readonly chart: HTMLElement;
  view?: View;
  spec: string;
}

/**
 * The report's figures (`buildReport` of @overparam/report, the ones `overparam report` writes),
 * drawn live from the runs in a store as they record: each figure appears once its records exist
 * and is redrawn when its data change.
 */
export function liveFigures(container: HTMLElement) {
  const shown = new Map<string, Shown>();
  let store: Pick<RunStore, 'list' | 'status' | 'readConfig' | 'readInfo' | 'readSummary' | 'readRecords'> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let drawing: Promise<void> = Promise.resolve();

  async function draw(figure: Figure): Promise<void> {
    const spec = JSON.stringify(figure.spec);
    let entry = shown.get(figure.id);
    if (entry === undefined) {
      const chart = document.createElement('div');
      chart.className = 'chart';
      const element = document.createElement('figure');
      element.dataset['figure'] = figure.id;
      const title = Object.assign(document.createElement('h3'), { textContent: figure.title });
      const caption = Object.assign(document.createElement('figcaption'), { textContent: figure.caption });
      element.append(title, chart, caption);
      container.append(element);
      entry = { element, chart, spec: '' };
      shown.set(figure.id, entry);
    }
    if (entry.spec === spec) return;
    entry.spec = spec;
    entry.view?.finalize();
    entry.view = new View(parse(compile(figure.spec).spec), { renderer: 'svg', container: entry.chart, hover: false });
    await entry.view.runAsync();
  }

  async function redraw(): Promise<void> {
    if (store === undefined) return;
    const runs = await loadRuns(store);
    const { figures } = buildReport(runs, { title: 'playground' });
    for (const figure of figures) await draw(figure);
    const current = new Set(figures.map((f) => f.id));
    for (const [id, entry] of shown) {
      if (current.has(id)) continue;
      entry.view?.finalize();
      entry.element.remove();
      shown.delete(id);
    }
  }

  const schedule = () => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      drawing = drawing.then(redraw);
    }, REDRAW_MS);
  };

  return {
    /** Follow the runs of `source` from now on (a new batch of runs: the old figures go). */
    follow(source: typeof store): void {
      store = source;
      for (const entry of shown.values()) entry.view?.finalize();
      shown.clear();
      container.replaceChildren();
    },
    /** Something was recorded: redraw soon. */
    changed: schedule,
    /** Draw now and wait for it (at the end of training). */
    async flush(): Promise<void> {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      drawing = drawing.then(redraw);
      await drawing;
    },
  };
}
