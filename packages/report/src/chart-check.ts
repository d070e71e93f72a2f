import { XMLParser } from 'fast-xml-parser';
import type { TopLevelSpec } from 'vega-lite';
import { expect } from 'vitest';
import { compileFigure } from './render';

/** Test-only: a spec's named data set, and the check that Vega-Lite compiles it without a warning. */
export function datasetOf<T>(spec: TopLevelSpec, name: string): T[] {
  const datasets = (spec as { datasets?: Record<string, unknown[]> }).datasets;
  expect(datasets, 'the spec keeps its data in `datasets`').toBeDefined();
  expect(datasets![name], `dataset '${name}'`).toBeDefined();
  return datasets![name] as T[];
}

export function expectCompilesCleanly(spec: TopLevelSpec): void {
  const { vega, warnings } = compileFigure(spec);
  expect(warnings).toEqual([]);
  expect(vega.marks?.length ?? 0).toBeGreaterThan(0);
}

/** An element of a rendered SVG: its tag, attributes, child elements and own text. */
export interface SvgElement {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly SvgElement[];
  readonly text: string;
}

/** Test-only: a rendered SVG as a tree of elements, so tests can look for marks and labels by what Vega names them. */
export function parseSvg(svg: string): SvgElement {
  // Text as drawn: the parser would otherwise turn a label "0.000000" into the number 0.
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true, parseTagValue: false });
  const build = (node: Record<string, unknown>): SvgElement | undefined => {
    const tag = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
    if (tag === undefined) return undefined;
    const raw = node[tag] as Array<Record<string, unknown>>;
    return {
      tag,
      attrs: (node[':@'] as Record<string, string> | undefined) ?? {},
      children: raw.map(build).filter((e): e is SvgElement => e !== undefined),
      text: raw.filter((n) => '#text' in n).map((n) => String(n['#text'])).join(''),
    };
  };
  const tree = (parser.parse(svg) as Array<Record<string, unknown>>).map(build).filter((e): e is SvgElement => e !== undefined);
  return tree.find((e) => e.tag === 'svg')!;
}

/** Every element under `root` (itself included) that `match` accepts, in document order. */
export function findElements(root: SvgElement, match: (e: SvgElement) => boolean): SvgElement[] {
  return [...(match(root) ? [root] : []), ...root.children.flatMap((c) => findElements(c, match))];
}

/** The classes of an element (`class="mark-line role-mark layer_1_marks"`). */
export function classesOf(e: SvgElement): string[] {
  return (e.attrs['class'] ?? '').split(/\s+/).filter((c) => c !== '');
}

/** All text drawn under an element. */
export function textsUnder(root: SvgElement): string[] {
  return findElements(root, (e) => e.text !== '').map((e) => e.text);
}
