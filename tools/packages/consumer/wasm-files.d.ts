// esbuild's `file` loader turns a .wasm import into the URL of its copy in the output folder.
declare module '*.wasm' {
  const url: string;
  export default url;
}
