import { createRequire } from 'node:module';
import { figureFont } from './theme';

/**
 * The font files the PNG rasterizer is given, and the only ones: DejaVu Sans from the
 * `dejavu-fonts-ttf` dependency (TrueType, which resvg reads; the @fontsource packages ship
 * WOFF/WOFF2 only). No system fonts are loaded, so a PNG looks the same on a bare CI machine,
 * a laptop and a cluster node, and never depends on what happens to be installed.
 */
export function figureFontFiles(): string[] {
  const require = createRequire(import.meta.url);
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'].map((file) => require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
}

export { figureFont };
