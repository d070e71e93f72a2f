import { OverparamError } from '@overparam/core';
import { ioError, makeDirectory, writeFileAtomic } from '@overparam/experiments/node';
import { open, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { reportHtml, type HtmlFigure } from './html';
import { renderSvg, svgToPng } from './render';
import { readReportInput, type ReportInput } from './report-input';
import { figuresOfSection, type PresetProtocol, type SettingNames } from '@overparam/experiments';
import { judgedRunsByFigure } from './judged-runs';
import { buildReport, type CriterionResult } from './report-model';

export interface WriteReportOptions {
  /** A folder (index.html goes inside) or a path ending in `.html`; PNGs and report.json go beside the page. */
  readonly out: string;
  readonly title?: string;
  /** Also write each figure as PNG (default true). */
  readonly png?: boolean;
  /** PNG pixels per SVG pixel (default 2). */
  readonly scale?: number;
  /** Pass/fail criteria (a preset's) to show with their measured values. */
  readonly criteria?: readonly CriterionResult[];
  /** A preset's protocol at the scale that ran against its paper scale, shown as a table. */
  readonly protocol?: PresetProtocol;
  /** Paragraphs shown under the title (a preset's claim, source, scale and how to read the figures). */
  readonly intro?: readonly string[];
  /** Draw only these figures (a preset's `figures`, by catalogue id); every figure the runs support when left out. */
  readonly figures?: readonly string[];
  /** A preset's words for its swept values, shown in the legends in place of the values' codes. */
  readonly settingNames?: readonly SettingNames[];
  /** Make the page reload itself this often (a live report of runs still going). */
  readonly refreshSeconds?: number;
}

export interface WrittenReport {
  readonly html: string;
  readonly json: string;
  readonly pngs: readonly string[];
  readonly runs: number;
  readonly figures: number;
  /** Runs whose records do not match their summary, then what Vega-Lite and Vega warned about while rendering; empty when all is well. */
  readonly warnings: readonly string[];
}

/** What to do once a full disk has room again. */
const RETRY = 'write the report again';

/**
 * Written beside and renamed into place, so a browser reloading a live report never reads half a
 * file; a failed write (a full disk) leaves no temporary file and says so in one line.
 */
async function writeAtomic(path: string, data: string | Buffer): Promise<void> {
  await writeFileAtomic(path, data, RETRY);
}

/** The page a report writes (`out` itself when it ends in .html, else `out/index.html`). */
function reportPaths(out: string): { htmlPath: string; folder: string } {
  const absolute = resolve(out);
  const htmlPath = absolute.endsWith('.html') ? absolute : join(absolute, 'index.html');
  return { htmlPath, folder: dirname(htmlPath) };
}

/**
 * Creates the report's folder, level by level (Node's recursive mkdir spins forever on /proc),
 * so a report that cannot be written is refused before any run is read or trained.
 */
export async function prepareReportFolder(out: string): Promise<string> {
  const { folder } = reportPaths(out);
  await makeDirectory(folder, RETRY);
  // A folder can exist and still refuse files (/proc, a read-only mount): try one now.
  const probe = join(folder, `.overparam-write-check-${process.pid}`);
  try {
    await (await open(probe, 'w')).close();
  } catch (e) {
    throw ioError('write in', folder, e, RETRY);
  }
  await rm(probe, { force: true });
  return folder;
}

function generator(): string {
  const version = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
  return `@overparam/report ${version} on Node ${process.version}`;
}

/**
 * The PNGs an earlier report wrote into `folder` (its report.json's `pngFiles`), so a rewrite can
 * remove the figures it no longer has. Only files the report itself wrote are touched.
 */
async function earlierPngs(folder: string): Promise<string[]> {
  try {
    const earlier = JSON.parse(await readFile(join(folder, 'report.json'), 'utf8')) as { pngFiles?: unknown[] };
    return (earlier.pngFiles ?? []).filter((png): png is string => typeof png === 'string' && basename(png) === png && png.endsWith('.png'));
  } catch {
    return [];
  }
}

/** Runs from several directories; ids are prefixed with their directory's name where two would collide. */
async function readInputs(dirs: readonly string[]): Promise<ReportInput & { sections?: ReadonlyArray<{ name: string; runs: ReportInput['runs']; lrPicks?: ReportInput['lrPicks']; runIdOf: (id: string) => string }> }> {
  if (dirs.length === 0) throw new OverparamError('RUN_IO', 'no directory given; pass a run or sweep directory, e.g. overparam report runs/first --out report/');
  const inputs = await Promise.all(dirs.map(readReportInput));
  if (inputs.length === 1) return inputs[0]!;
  const seen = new Set<string>();
  const collide = inputs.some((input) => input.runs.some((r) => (seen.has(r.id) ? true : (seen.add(r.id), false))));
  const runs = inputs.flatMap((input) => (collide ? input.runs.map((r) => ({ ...r, id: `${input.name}/${r.id}` })) : input.runs));
  return {
    runs,
    measurements: inputs.flatMap((i) => i.measurements ?? []),
    warnings: inputs.flatMap((i) => i.warnings ?? []),
    name: inputs.map((i) => i.name).join(' + '),
    // Sections are named by their directory (a preset's sweep key: depth, width), which is unique where sweep names may not be.
    sections: inputs.map((input, i) => ({
      name: basename(resolve(dirs[i]!)),
      runs: collide ? input.runs.map((r) => ({ ...r, id: `${input.name}/${r.id}` })) : input.runs,
      ...(input.lrPicks !== undefined ? { lrPicks: input.lrPicks } : {}),
      // How a criterion's run id (its sweep's own) reads here.
      runIdOf: (id: string) => (collide ? `${input.name}/${id}` : id),
    })),
  };
}

/**
 * `overparam report`: reads run and sweep directories, renders every figure to SVG (and PNG),
 * and writes index.html (self-contained), the PNGs and report.json with every number shown.
 */
export async function writeReport(dirs: readonly string[], options: WriteReportOptions): Promise<WrittenReport> {
  const input = await readInputs(dirs);
  const folder = await prepareReportFolder(options.out);
  const sectionNames = input.sections !== undefined && input.sections.length > 1 ? input.sections.map((s) => s.name) : [basename(resolve(dirs[0]!))];
  // A preset names a figure `<sweep key>-<id>` to draw it in that sweep's section only.
  const figuresOf = (name: string) => ({
    ...(options.figures !== undefined ? { figures: figuresOfSection(options.figures, name, sectionNames) } : {}),
    ...(options.settingNames !== undefined ? { settingNames: options.settingNames } : {}),
  });
  const criteria = options.criteria ?? [];
  const built = buildReport(input.runs, {
    title: options.title ?? `overparam report: ${input.name}`,
    ...(input.sweep !== undefined ? { sweep: input.sweep } : {}),
    ...(input.lrPicks !== undefined ? { lrPicks: input.lrPicks } : {}),
    ...(options.criteria !== undefined ? { criteria: options.criteria } : {}),
    ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
    ...(input.measurements !== undefined ? { measurements: input.measurements } : {}),
    ...(options.intro !== undefined ? { intro: options.intro } : {}),
    ...figuresOf(sectionNames[0]!),
    judged: judgedRunsByFigure(criteria, (id) => id),
  });
  // Several sweeps (a preset's depth and width sweeps, say) each get their own figures: their
  // swept keys differ, so figures across them would have nothing in common on the x axis.
  const sections = (input.sections ?? []).map((section) => ({
    name: section.name,
    built: buildReport(section.runs, {
      title: section.name,
      ...(section.lrPicks !== undefined ? { lrPicks: section.lrPicks } : {}),
      ...figuresOf(section.name),
      // Criteria name a section's figures `<section>-<id>` (sectionFigure).
      judged: judgedRunsByFigure(criteria, (id) => (id.startsWith(`${section.name}-`) ? id.slice(section.name.length + 1) : undefined), section.runIdOf),
    }),
  }));
  const model =
    sections.length > 1
      ? {
          ...built,
          figures: sections.flatMap((section) =>
            section.built.figures.map((f) => ({ ...f, id: `${section.name}-${f.id}`.replace(/[^a-z0-9-]+/gi, '-'), title: `${section.name}: ${f.title}` })),
          ),
          lrSearches: sections.flatMap((section) => section.built.lrSearches),
        }
      : built;
  const { htmlPath } = reportPaths(options.out);

  const stale = await earlierPngs(folder);
  const warnings: string[] = [...(input.warnings ?? [])];
  const figures: HtmlFigure[] = [];
  const pngs: string[] = [];
  for (const figure of model.figures) {
    const rendered = await renderSvg(figure.spec);
    warnings.push(...rendered.warnings.map((w) => `${figure.id}: ${w}`));
    let png: string | undefined;
    if (options.png !== false) {
      png = `${figure.id}.png`;
      await writeAtomic(join(folder, png), svgToPng(rendered.svg, { scale: options.scale ?? 2 }));
      pngs.push(join(folder, png));
    }
    figures.push({ id: figure.id, title: figure.title, caption: figure.caption, svg: rendered.svg, ...(png !== undefined ? { png } : {}) });
  }

  const generatedAt = new Date().toISOString();
  const data = {
    title: model.title,
    generatedAt,
    generator: generator(),
    sweep: model.sweep,
    lrSearches: model.lrSearches,
    intro: model.intro,
    criteria: model.criteria,
    protocol: model.protocol,
    measurements: model.measurements,
    runs: model.runs,
    figures: model.figures.map((f, i) => ({ id: f.id, title: f.title, caption: f.caption, png: figures[i]!.png ?? null, data: (f.spec as { datasets?: unknown }).datasets ?? {} })),
    configs: model.configs,
    // The PNG files beside the page; a rewrite without PNGs leaves the earlier ones and keeps their names.
    pngFiles: options.png !== false ? pngs.map((p) => basename(p)) : stale,
  };
  const jsonPath = join(folder, 'report.json');
  await writeAtomic(jsonPath, `${JSON.stringify(data, null, 2)}\n`);
  await writeAtomic(htmlPath, reportHtml(model, figures, { generatedAt, generator: data.generator, data, ...(options.refreshSeconds !== undefined ? { refreshSeconds: options.refreshSeconds } : {}) }));
  // A figure the earlier report had and this one lacks would otherwise linger beside the page.
  if (options.png !== false) {
    const current = new Set(data.pngFiles);
    await Promise.all(stale.filter((png) => !current.has(png)).map((png) => rm(join(folder, png), { force: true })));
  }
  return { html: htmlPath, json: jsonPath, pngs, runs: model.runs.length, figures: figures.length, warnings };
}
