import { XMLValidator } from 'fast-xml-parser';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { findElements, parseSvg, textsUnder } from './chart-check';
import { lossCurvesSpec } from './charts/loss-curves';
import { sweptStatisticSpec } from './charts/swept-statistic';
import { renderSvg, svgToPng } from './render';
import { fixtureRecords } from './test-fixtures';

const runs = [0, 1].map((seed) => ({ run: `s${seed}`, setting: 'depth=2', seed, records: fixtureRecords({ depth: 2, seed }) }));

/** Every element's `class`, every text drawn, and the SVG's size. */
function walk(svg: string): { classes: string[]; texts: string[]; width: number; height: number } {
  const root = parseSvg(svg);
  const classes = findElements(root, (e) => e.attrs['class'] !== undefined).map((e) => e.attrs['class']!);
  return { classes, texts: textsUnder(root), width: Number(root.attrs['width']), height: Number(root.attrs['height']) };
}

describe('renderSvg', () => {
  it('renders a loss figure to well-formed SVG with its lines, band and axis titles', async () => {
    const { svg, warnings } = await renderSvg(lossCurvesSpec(runs, { title: 'Training loss' }));
    expect(warnings).toEqual([]);
    expect(XMLValidator.validate(svg)).toBe(true);
    const { classes, texts, width, height } = walk(svg);
    expect(classes).toContain('mark-line role-mark layer_1_marks');
    expect(classes.some((c) => c.startsWith('mark-area role-mark'))).toBe(true);
    expect(texts).toEqual(expect.arrayContaining(['Training loss', 'step', 'training loss (minibatch mean)', 'depth=2']));
    expect(width).toBeGreaterThan(400);
    expect(height).toBeGreaterThan(250);
  });

  it('writes names as text, never as markup', async () => {
    const hostile = '<script>alert(1)</script>';
    const { svg } = await renderSvg(sweptStatisticSpec([{ run: 'a', series: hostile, seed: 0, x: 1, value: 0.5 }], { keyTitle: 'depth', statisticTitle: 'loss', seriesTitle: 'series' }));
    expect(svg).not.toContain('<script');
    expect(walk(svg).texts).toContain(hostile);
  });
});

describe('svgToPng', () => {
  it('rasterizes at twice the SVG size with text drawn from the shipped font', async () => {
    const { svg } = await renderSvg(lossCurvesSpec(runs));
    const png = svgToPng(svg);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const image = PNG.sync.read(png);
    const { width, height } = walk(svg);
    expect(image.width).toBe(2 * width);
    expect(image.height).toBe(2 * height);
    const colours = new Set<number>();
    for (let i = 0; i < image.data.length; i += 4) colours.add(image.data.readUInt32BE(i));
    expect(colours.size).toBeGreaterThan(20);
  });

  it('draws text with system fonts switched off (the font comes with the package)', () => {
    // Text only: if resvg found no font, nothing would be drawn and every pixel would stay white.
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><text x="4" y="22" font-family="sans-serif" font-size="18">λ_min 0.25</text></svg>';
    const image = PNG.sync.read(svgToPng(svg, { scale: 1 }));
    let dark = 0;
    for (let i = 0; i < image.data.length; i += 4) if (image.data[i]! < 128) dark++;
    expect(dark).toBeGreaterThan(50);
  });
});
