/** Python sources are bundled as text (esbuild's `text` loader; a require hook in the unit tests). */
declare module '*.py' {
  const text: string;
  export default text;
}
