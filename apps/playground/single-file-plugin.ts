import type { Plugin } from 'vite';

/**
 * Puts the bundle's script and styles into index.html, so the build opens from disk as well as
 * from any static host: Chromium refuses module scripts from file:// URLs, but runs inline ones.
 * Assets (the wasm binaries) are inlined as data URLs by `assetsInlineLimit` in vite.config.ts.
 */
export function singleFilePlugin(): Plugin {
  return {
    name: 'overparam-single-file',
    apply: 'build',
    enforce: 'post',
    // After Vite's own bundle rewrites (its dynamic-import preload markers), or they stay in the inlined code.
    generateBundle: { order: 'post', handler(_, bundle) {
      const html = Object.values(bundle).find((f) => f.type === 'asset' && f.fileName.endsWith('.html'));
      if (html === undefined || html.type !== 'asset') return;
      let text = String(html.source);
      for (const [name, file] of Object.entries(bundle)) {
        if (file.type === 'chunk') {
          const tag = new RegExp(`<script type="module" crossorigin src="[^"]*${escapeRegExp(file.fileName)}"></script>`);
          if (!tag.test(text)) throw new Error(`index.html does not load ${file.fileName}; the single-file build needs one entry chunk`);
          // An inline script ends at the first "</script", wherever it is.
          text = text.replace(tag, () => `<script type="module">${file.code.replace(/<\/script/gi, '<\\/script')}</script>`);
          delete bundle[name];
        } else if (file.fileName.endsWith('.css')) {
          const tag = new RegExp(`<link rel="stylesheet" crossorigin href="[^"]*${escapeRegExp(file.fileName)}">`);
          text = text.replace(tag, () => `<style>${String(file.source)}</style>`);
          delete bundle[name];
        }
      }
      html.source = text;
    } },
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
