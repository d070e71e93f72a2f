/// <reference types="vite/client" />

/** Written at build time by mnist-digits-plugin.ts. */
declare module 'virtual:mnist-digits' {
  /** The distinct pixel values of the mnist package, ascending; a pixel's byte indexes it. */
  export const table: readonly number[];
  /** Pixels per digit 0–9 (784 per example). */
  export const counts: readonly number[];
  /** Every pixel of digits 0–9 in the package's order, one byte each, gzipped, base64. */
  export const gzipBase64: string;
}
