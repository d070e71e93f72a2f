import { Resvg } from '@resvg/resvg-js';
import { parse, View, Warn } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { figureFont, figureFontFiles } from './fonts';

/** A logger that keeps warnings and errors instead of printing them, so callers and tests can see them. */
function collectingLogger(messages: string[]) {
  let level = Warn;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error: (...args: unknown[]) => (messages.push(`error: ${args.map(String).join(' ')}`), logger),
    warn: (...args: unknown[]) => (messages.push(`warning: ${args.map(String).join(' ')}`), logger),
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

export interface RenderedFigure {
  readonly svg: string;
  /** What Vega-Lite's compiler and Vega's dataflow warned about; empty for a well-formed spec. */
  readonly warnings: readonly string[];
}

/** Compiles a Vega-Lite spec to Vega, keeping the compiler's warnings. */
export function compileFigure(spec: TopLevelSpec): { vega: ReturnType<typeof compile>['spec']; warnings: string[] } {
  const warnings: string[] = [];
  const { spec: vega } = compile(spec, { logger: collectingLogger(warnings) });
  return { vega, warnings };
}

/**
 * Renders a Vega-Lite spec to an SVG string in Node: compile, then a headless Vega view
 * (renderer 'none', no DOM, no canvas; text widths are estimated). The data are inline, so the
 * view loads nothing.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<RenderedFigure> {
  const { vega, warnings } = compileFigure(spec);
  const view = new View(parse(vega), { renderer: 'none', logger: collectingLogger(warnings), logLevel: Warn });
  try {
    const svg = await view.toSVG();
    return { svg, warnings };
  } finally {
    view.finalize();
  }
}

/** Rasterizes an SVG to PNG with resvg, using only the shipped DejaVu fonts; `scale` 2 gives a sharp image on slides. */
export function svgToPng(svg: string, options: { scale?: number } = {}): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: 'white',
    font: { loadSystemFonts: false, fontFiles: figureFontFiles(), defaultFontFamily: figureFont, sansSerifFamily: figureFont },
  });
  return resvg.render().asPng();
}
